"""Encrypted HLS on the FFmpeg backend: AES-128 segments under a static key, MediaConvert's
EXT-X-KEY tags, and outputs that decrypt (checked by the validator and by ffmpeg itself)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.audio_groups import two_language_settings
from tests.support.ffmpeg_jobs import run_job
from tests.support.inputs import write_source
from tests.support.job_examples import AUDIO_SELECTORS, hls_group
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.hls_encryption import HlsEncryption, sequence_iv
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.cli.main import main
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.media import aes128

pytestmark = pytest.mark.e2e

KEY_HEX = "00112233445566778899aabbccddeeff"
KEY = bytes.fromhex(KEY_HEX)


def encrypted_job(source: str, prefix: str, **encryption: object) -> dict[str, object]:
    """One 360p rung cut into 1-s segments (two from a 2-s clip), encrypted."""
    group = hls_group(f"{prefix}/hls/index", ("_360p", 640, 360, 800_000))
    settings = group["OutputGroupSettings"]["HlsGroupSettings"]
    settings["SegmentLength"] = 1
    settings["Encryption"] = {
        "EncryptionMethod": "AES128",
        "Type": "STATIC_KEY",
        "StaticKeyProvider": {"StaticKeyValue": KEY_HEX, "Url": "https://keys.example/k1"},
        **encryption,
    }
    h264 = group["Outputs"][0]["VideoDescription"]["CodecSettings"]["H264Settings"]
    h264["GopSize"] = 1
    return {
        "Inputs": [{"FileInput": source, "AudioSelectors": AUDIO_SELECTORS}],
        "OutputGroups": [group],
    }


def ffmpeg_decodes(playlist: Path, key_file: Path, key_uri: str) -> float:
    """Seconds of video ffmpeg's own HLS demuxer decodes from ``playlist`` when
    ``key_uri`` is served from ``key_file``: an independent reader of the encryption."""
    text = playlist.read_text().replace(key_uri, key_file.as_uri())
    local = playlist.with_name("local.m3u8")
    local.write_text(text)
    result = subprocess.run(
        [binary.find_ffmpeg(), "-v", "error", "-allowed_extensions", "ALL",
         "-protocol_whitelist", "file,crypto,data", "-i", str(local),
         "-map", "0:v", "-f", "null", "-", "-progress", "pipe:1"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    times = [line.split("=")[1] for line in result.stdout.splitlines() if "out_time_us=" in line]
    return int(times[-1]) / 1e6


def test_static_key_job_writes_mediaconverts_tags_and_decryptable_segments(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    settings = encrypted_job(
        source,
        s3_prefix,
        StaticKeyProvider={
            "StaticKeyValue": KEY_HEX,
            "Url": "https://keys.example/k1",
            "KeyFormat": "identity",
            "KeyFormatVersions": "1",
        },
    )
    model = parse_job_settings(to_wire_case(settings)).job
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))
    assert job.status is JobStatus.COMPLETE, job.error_message

    folder = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")
    text = (folder / "index_360p.m3u8").read_text()
    keys = [line for line in text.splitlines() if line.startswith("#EXT-X-KEY")]
    # INCLUDE by default and no constant IV: one tag per segment, its IV the segment number.
    assert keys == [
        '#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k1",'
        f'IV=0x{n:032X},KEYFORMAT="identity",KEYFORMATVERSIONS="1"'
        for n in (1, 2)
    ]
    assert int(text.split("#EXT-X-VERSION:")[1].split()[0]) >= 5  # KEYFORMAT needs 5
    segments = sorted(folder.glob("*.ts"))
    assert len(segments) == 2
    for number, segment in enumerate(segments, start=1):
        data = segment.read_bytes()
        assert not aes128.looks_like_mpeg_ts(data)  # not in the clear
        assert aes128.looks_like_mpeg_ts(aes128.decrypt(data, KEY, sequence_iv(number)))
    assert not list(folder.glob("*.key")) and KEY_HEX not in text

    report = validate_hls(folder / "index.m3u8", key=KEY)
    assert report.ok, report.render_text()
    assert {c.id for c in report.checks if c.ok} >= {"encryption.tags", "encryption.key"}
    key_file = tmp_path / "k1.key"
    key_file.write_bytes(KEY)
    assert ffmpeg_decodes(folder / "index_360p.m3u8", key_file, "https://keys.example/k1") > 1.8


def test_without_the_key_or_with_a_wrong_one_the_validator_says_so(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    source = put_clip(clip_path("short_2s"), "lecture.mp4")
    model = parse_job_settings(to_wire_case(encrypted_job(source, s3_prefix))).job
    job, _ = run_job(ffmpeg_backend, JobRequest.for_model(model))
    assert job.status is JobStatus.COMPLETE, job.error_message
    folder = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")

    for key, words in ((None, "no key was given"), (bytes(16), "do not decrypt")):
        report = validate_hls(folder / "index.m3u8", key=key)
        assert not report.ok
        verdict = next(c for c in report.checks if c.id == "encryption.key")
        assert not verdict.ok and words in verdict.message, verdict.message

    # The command line takes the key from a file, never from its arguments.
    master = str(folder / "index.m3u8")
    key_file = tmp_path / "key.hex"
    key_file.write_text(KEY_HEX + "\n")
    assert main(["validate", master, "--key-file", str(key_file)]) == 0
    key_file.write_bytes(bytes(16))
    assert main(["validate", master, "--key-file", str(key_file)]) == 1
    key_file.write_text("not a key")
    with pytest.raises(SystemExit) as exited:
        main(["validate", master, "--key-file", str(key_file)])
    assert exited.value.code == 2


def test_ladder_job_with_a_constant_iv(ffmpeg_backend, put_clip, storage, tmp_path):
    """The pipeline's path: a ladder job (one ffmpeg process), encrypted once measured."""
    source = clip_path("short_2s")
    uri = put_clip(source, "lecture.mp4")
    iv = bytes(range(16))
    encryption = HlsEncryption(KEY, "key", iv=iv)
    ladder = Ladder(rungs=DEFAULT_LADDER.rungs[-1:], encryption=encryption, thumbnails=None)
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(uri, ladder=ladder))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    master = job.outputs.master_playlist_uri
    folder = storage.download_tree(master.rsplit("/", 1)[0], tmp_path / "hls")
    text = (folder / "master_360p.m3u8").read_text()
    assert [line for line in text.splitlines() if line.startswith("#EXT-X-KEY")] == [
        f'#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x{iv.hex().upper()}'
    ]
    segment = next(folder.glob("*.ts")).read_bytes()
    assert aes128.looks_like_mpeg_ts(aes128.decrypt(segment, KEY, iv))
    report = validate_hls(folder / "master.m3u8", key=KEY)
    assert report.ok, report.render_text()
    rendition = job.outputs.renditions[0]
    assert rendition.video_bitrate > 0  # measured from the clear segments
    assert "key=" not in repr(ladder) and KEY_HEX not in repr(job)


def test_audio_renditions_are_encrypted_with_the_variants(
    ffmpeg_backend, put_clip, s3_prefix, storage, tmp_path
):
    local = write_source(
        tmp_path / "two_languages.mov", duration_s=2, tracks=((440, "eng", 2), (660, "spa", 2))
    )
    source = put_clip(local, "two_languages.mov")
    settings = two_language_settings(source, f"{s3_prefix}/hls/master")
    settings["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]["Encryption"] = {
        "EncryptionMethod": "AES128",
        "Type": "STATIC_KEY",
        "StaticKeyProvider": {"StaticKeyValue": KEY_HEX, "Url": "k"},
    }
    job, _ = run_job(
        ffmpeg_backend, JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
    )
    assert job.status is JobStatus.COMPLETE, job.error_message
    folder = storage.download_tree(f"{s3_prefix}/hls", tmp_path / "hls")
    for playlist in ("master_audio_eng.m3u8", "master_180p.m3u8"):
        assert "#EXT-X-KEY:METHOD=AES-128" in (folder / playlist).read_text()
    report = validate_hls(folder / "master.m3u8", key=KEY)
    assert report.ok, report.render_text()
