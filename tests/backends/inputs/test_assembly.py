"""Assembly: several inputs, clipped, with selected, remixed and normalised audio and an
inserted image, written as one file the rest of the job reads (user guide, "How
MediaConvert uses timelines to assemble jobs", "Setting up an assembly workflow job")."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.inputs import image, pixel, write_source
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.assembly import assemble
from vod_testbed.backends.ffmpeg.loudness import measure
from vod_testbed.backends.jobmodel.codecs import H264, Aac
from vod_testbed.backends.jobmodel.inputs import InsertedImage, LoudnessSettings
from vod_testbed.backends.jobmodel.model import (
    AudioDescription,
    AudioSelector,
    Clipping,
    HlsGroup,
    Input,
    JobSpec,
    M3u8,
    Output,
    VideoDescription,
)
from vod_testbed.backends.jobmodel.timeline import needs_assembly
from vod_testbed.common import errors
from vod_testbed.media.probe import probe
from vod_testbed.media.tracks import read_tracks


def _run(argv: list[str]) -> None:
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


def _fetcher(folder: Path, work: Path) -> Callable[[str, str], Path]:
    def fetch(uri: str, name: str) -> Path:
        target = work / name
        shutil.copy(folder / uri.rsplit("/", 1)[-1], target)
        return target

    return fetch


def _spec(inputs: tuple[Input, ...], audio: tuple[AudioDescription, ...]) -> JobSpec:
    output = Output(
        container=M3u8(),
        name_modifier="_720p",
        video=VideoDescription(codec=H264(), width=320, height=180),
        audio=audio,
    )
    return JobSpec(inputs=inputs, output_groups=(HlsGroup("s3://b/out/master", (output,)),))


def test_a_plain_single_input_needs_no_assembly() -> None:
    plain = _spec((Input("s3://b/a.mp4"),), (AudioDescription(Aac()),))
    assert not needs_assembly(plain)
    clipped = _spec(
        (Input("s3://b/a.mp4", clippings=(Clipping("00:00:01:00"),)),),
        (AudioDescription(Aac()),),
    )
    assert needs_assembly(clipped)


def test_two_clipped_inputs_with_selected_normalised_audio_and_a_logo(tmp_path: Path) -> None:
    media = tmp_path / "media"
    work = tmp_path / "work"
    media.mkdir()
    work.mkdir()
    write_source(media / "a.mp4", duration_s=3, tracks=((440, "eng", 2), (660, "spa", 2)))
    write_source(media / "b.mp4", duration_s=2, tracks=((880, "spa", 2),), volume_db=12)
    image(media / "logo.png")
    spanish = AudioSelector("Audio Selector 1", language="SPA")
    inputs = (
        Input(
            "s3://b/a.mp4",
            clippings=(Clipping("00:00:01:00", "00:00:02:29"),),
            audio_selectors=(spanish,),
            timecode_source="ZEROBASED",
            images=(InsertedImage("s3://b/logo.png", x=10, y=10, opacity=100),),
        ),
        Input("s3://b/b.mp4", audio_selectors=(spanish,)),
    )
    loud = LoudnessSettings(target_lkfs=-23)
    spec = _spec(inputs, (AudioDescription(Aac(), loudness=loud),))
    result = assemble(spec, _fetcher(media, work), work, _run, binary.find_ffmpeg())
    info = probe(result.path)
    # 2 s of the first input (01:00 to 02:29 inclusive) then the whole 2 s second one.
    assert info.video_duration_s is not None and abs(info.video_duration_s - 4.0) < 0.1
    assert [t.channels for t in read_tracks(result.path).audio] == [2]
    assert abs(measure(binary.find_ffmpeg(), result.path).integrated_lkfs - -23) <= 1.0
    red, green, blue = pixel(result.path, 0.5, 20, 20)
    assert red > 200 and green < 60 and blue < 60  # the first input's logo
    # The job now reads one input whose first selector is the assembled track.
    (only,) = result.spec.inputs
    assert [(s.name, s.tracks) for s in only.audio_selectors] == [("Audio Selector 1", (1,))]
    (audio,) = result.spec.output_groups[0].outputs[0].audio
    assert (audio.selector, audio.loudness) == ("Audio Selector 1", None)
    assert result.loudness == {0: loud}


def test_a_missing_track_ends_the_job_with_1021(tmp_path: Path) -> None:
    media = tmp_path / "media"
    work = tmp_path / "work"
    media.mkdir()
    work.mkdir()
    write_source(media / "a.mp4", duration_s=1)
    inputs = (
        Input("s3://b/a.mp4", audio_selectors=(AudioSelector("Audio Selector 1", tracks=(2,)),)),
    )
    spec = _spec(inputs, (AudioDescription(Aac()),))
    with pytest.raises(errors.TranscodeError) as caught:
        assemble(spec, _fetcher(media, work), work, _run, binary.find_ffmpeg())
    assert caught.value.code == 1021
    assert "Audio track [2] not found in input container" in caught.value.message


def test_a_clip_past_the_end_ends_the_job_with_1040(tmp_path: Path) -> None:
    media = tmp_path / "media"
    work = tmp_path / "work"
    media.mkdir()
    work.mkdir()
    write_source(media / "a.mp4", duration_s=1)
    inputs = (
        Input("s3://b/a.mp4", clippings=(Clipping("00:00:05:00"),), timecode_source="ZEROBASED"),
    )
    spec = _spec(inputs, (AudioDescription(Aac()),))
    with pytest.raises(errors.TranscodeError) as caught:
        assemble(spec, _fetcher(media, work), work, _run, binary.find_ffmpeg())
    assert caught.value.code == 1040
    assert caught.value.message.startswith("Input 1: Input clip 1 starts at 00:00:05:00")
