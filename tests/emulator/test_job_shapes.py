"""Jobs of the kinds teams publish, through boto3 and the emulator, really transcoded: an MP4
file output, a frame capture on its own, HLS beside MP4/M4A/MP3/WAV files. Each is accepted,
completes, names its files in the COMPLETE event by group type, and the files are read back
with PyAV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import m3u8
import pytest

from tests.support.emulator import create, done
from tests.support.fakes import WebhookReceiver
from tests.support.job_examples import (
    console_mp4_job,
    frame_capture_job,
    hevc_hls_job,
    hls_with_downloads_job,
    mp4_job,
)
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

CLIP = "short_2s"  # 1280x720, 2 s, H.264 and AAC


def complete_event(
    real_mc: Any, receiver: WebhookReceiver, settings: dict[str, Any]
) -> dict[str, Any]:
    job = create(real_mc, Settings=settings)
    events = receiver.wait_for(done(job["Id"]), timeout=120)
    detail: dict[str, Any] = events[-1]["detail"]
    assert detail["status"] == "COMPLETE", detail
    got = real_mc.get_job(Id=job["Id"])["Job"]
    assert got["Status"] == "COMPLETE"
    assert len(got["OutputGroupDetails"]) == len(settings["OutputGroups"])
    return detail


def streams(storage: Storage, uri: str, tmp_path: Path) -> dict[str, Any]:
    """What PyAV reads in an output: codec per stream type, picture size, duration."""
    local = storage.fetch(uri, tmp_path / uri.rsplit("/", 1)[1])
    with av.open(str(local)) as container:
        found: dict[str, Any] = {"duration_s": (container.duration or 0) / av.time_base}
        for stream in container.streams:
            found[stream.type] = stream.codec_context.name
        if container.streams.video:
            video = container.streams.video[0].codec_context
            found["size"] = (video.width, video.height)
            found["video_bitrate"] = container.streams.video[0].bit_rate
        if container.streams.audio:
            found["sample_rate"] = container.streams.audio[0].codec_context.sample_rate
        found["bitrate"] = container.bit_rate
        return found


@pytest.fixture
def source(put_clip: Callable[..., str]) -> str:
    return put_clip(clip_path(CLIP), "lecture.mp4")


def test_an_mp4_file_output_job(
    real_mc: Any,
    receiver: WebhookReceiver,
    source: str,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    detail = complete_event(real_mc, receiver, mp4_job(source, f"{s3_prefix}/mp4/"))
    (group,) = detail["outputGroupDetails"]
    assert group["type"] == "FILE_GROUP" and "playlistFilePaths" not in group
    (output,) = group["outputDetails"]
    assert output["outputFilePaths"] == [f"{s3_prefix}/mp4/lecture.mp4"]
    assert output["videoDetails"]["widthInPx"] == 640
    assert 1900 <= output["durationInMs"] <= 2200
    read = streams(storage, output["outputFilePaths"][0], tmp_path)
    assert (read["video"], read["audio"], read["size"]) == ("h264", "aac", (640, 360))
    assert abs(read["duration_s"] - 2.0) < 0.2
    # averageBitrate is the video output's (MediaConvert user guide, "Events with COMPLETE
    # status"): the video stream's, below the file's with its audio.
    assert output["videoDetails"]["averageBitrate"] == read["video_bitrate"] < read["bitrate"]


def test_a_frame_capture_only_job(
    real_mc: Any, receiver: WebhookReceiver, source: str, s3_prefix: str, storage: Storage
) -> None:
    detail = complete_event(real_mc, receiver, frame_capture_job(source, f"{s3_prefix}/stills/p"))
    (group,) = detail["outputGroupDetails"]
    (output,) = group["outputDetails"]
    # A frame capture names its last image (event contract); one a second over 2 s.
    assert output["outputFilePaths"] == [f"{s3_prefix}/stills/p_thumb.0000001.jpg"]
    assert storage.exists(f"{s3_prefix}/stills/p_thumb.0000000.jpg")
    assert (output["videoDetails"]["widthInPx"], output["videoDetails"]["heightInPx"]) == (
        320,
        180,
    )


def test_hls_beside_mp4_m4a_mp3_and_wav_files(
    real_mc: Any,
    receiver: WebhookReceiver,
    source: str,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    detail = complete_event(real_mc, receiver, hls_with_downloads_job(source, s3_prefix))
    hls, files = detail["outputGroupDetails"]
    assert hls["type"] == "HLS_GROUP"
    assert hls["playlistFilePaths"] == [f"{s3_prefix}/hls/index.m3u8"]
    local_master = storage.fetch(hls["playlistFilePaths"][0], tmp_path / "index.m3u8")
    master = m3u8.loads(local_master.read_text(encoding="utf-8"))
    assert [p.uri for p in master.playlists] == ["index_720p.m3u8", "index_360p.m3u8"]
    assert [d["outputFilePaths"][0].rsplit("/", 1)[1] for d in hls["outputDetails"]] == [
        "index_720p.m3u8",
        "index_360p.m3u8",
    ]
    assert storage.exists(f"{s3_prefix}/hls/index_720p_00001.ts")

    assert files["type"] == "FILE_GROUP"
    paths = [d["outputFilePaths"][0] for d in files["outputDetails"]]
    assert paths == [
        f"{s3_prefix}/files/lecture_hevc.mp4",
        f"{s3_prefix}/files/lecture_audio.m4a",
        f"{s3_prefix}/files/lecture_mp3.mp3",
        f"{s3_prefix}/files/lecture_wav.wav",
    ]
    hevc, m4a, mp3, wav = (streams(storage, p, tmp_path) for p in paths)
    assert (hevc["video"], hevc["audio"], hevc["size"]) == ("hevc", "ac3", (640, 360))
    assert "video" not in m4a and (m4a["audio"], m4a["sample_rate"]) == ("aac", 44100)
    assert (mp3["audio"], wav["audio"]) == ("mp3float", "pcm_s16le")  # decoder names
    assert all(abs(f["duration_s"] - 2.0) < 0.2 for f in (hevc, m4a, mp3, wav))
    # Audio-only outputs carry no video details.
    assert "videoDetails" not in files["outputDetails"][1]


def test_the_console_mp4_job_runs_unchanged(
    real_mc: Any,
    receiver: WebhookReceiver,
    source: str,
    s3_prefix: str,
    storage: Storage,
    tmp_path: Path,
) -> None:
    detail = complete_event(real_mc, receiver, console_mp4_job(source, f"{s3_prefix}/dl/clip"))
    (output,) = detail["outputGroupDetails"][0]["outputDetails"]
    assert output["outputFilePaths"] == [f"{s3_prefix}/dl/clip.mp4"]
    read = streams(storage, output["outputFilePaths"][0], tmp_path)
    assert (read["video"], read["audio"], read["size"]) == ("h264", "aac", (1280, 720))


def test_a_file_job_asking_for_audio_of_a_silent_input_ends_in_error_1021(
    real_mc: Any,
    receiver: WebhookReceiver,
    put_clip: Callable[..., str],
    s3_prefix: str,
    storage: Storage,
) -> None:
    silent = put_clip(clip_path("no_audio"), "silent.mp4")
    job = create(real_mc, Settings=mp4_job(silent, f"{s3_prefix}/mp4/"))
    detail = receiver.wait_for(done(job["Id"]), timeout=120)[-1]["detail"]
    assert (detail["status"], detail["errorCode"]) == ("ERROR", 1021)
    assert not storage.exists(f"{s3_prefix}/mp4/silent.mp4")


def test_a_container_the_emulator_cannot_write_is_refused_by_name(
    real_mc: Any, source: str, s3_prefix: str
) -> None:
    settings = mp4_job(source, f"{s3_prefix}/mov/")
    settings["OutputGroups"][0]["Outputs"][0]["ContainerSettings"] = {"Container": "MOV"}
    with pytest.raises(real_mc.exceptions.BadRequestException, match="MOV file outputs"):
        create(real_mc, Settings=settings)


def test_an_hevc_rendition_in_an_hls_group(
    real_mc: Any, receiver: WebhookReceiver, source: str, s3_prefix: str, storage: Storage,
    tmp_path: Path,
) -> None:  # fmt: skip
    detail = complete_event(real_mc, receiver, hevc_hls_job(source, f"{s3_prefix}/hevc/index"))
    (group,) = detail["outputGroupDetails"]
    (playlist,) = group["playlistFilePaths"]
    master = m3u8.loads(storage.fetch(playlist, tmp_path / "index.m3u8").read_text())
    codecs = {p.uri: p.stream_info.codecs.split(",")[0] for p in master.playlists}
    assert codecs["index_avc.m3u8"].startswith("avc1.")
    assert codecs["index_hevc.m3u8"].startswith("hvc1.1.6.L")
    segment = streams(storage, f"{s3_prefix}/hevc/index_hevc_00001.ts", tmp_path)
    assert (segment["video"], segment["size"]) == ("hevc", (640, 360))
    report = validate_hls(playlist, storage=storage)
    assert report.ok, report.render_text()
