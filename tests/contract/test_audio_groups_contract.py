"""An audio rendition group through both backends (the FFmpeg backend in-process, the
MediaConvert backend rendering the model into Settings the emulator runs): the same keys,
the same renditions with the same languages and defaults, durations within a frame, both
outputs valid (docs/audio-groups.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import m3u8
import pytest

from tests.support.audio_groups import two_language_settings
from tests.support.contract import BACKENDS, TIMEOUT_S, relative_keys
from tests.support.inputs import write_source
from tests.support.settings_matrix import assert_equally_loud, hls_loudness
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.parse import parse_job_settings
from vod_testbed.common.settings import BackendSettings
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def test_an_audio_group_alike_on_both_backends(
    make_transcoder: Callable[[str], Transcoder],
    storage: Storage,
    backend_settings: BackendSettings,
    tmp_path: Path,
) -> None:
    local = write_source(
        tmp_path / "talk.mov", duration_s=3, tracks=((440, "eng", 2), (660, "spa", 2))
    )
    seen = {}
    loudness = {}
    for name in BACKENDS:
        prefix = f"s3://{backend_settings.s3_bucket}/audiogroups-{uuid.uuid4().hex[:10]}"
        source = f"{prefix}/in/talk.mov"
        storage.put(local, source)
        settings = two_language_settings(source, f"{prefix}/out/hls/master")
        request = JobRequest.for_model(parse_job_settings(to_wire_case(settings)).job)
        transcoder = make_transcoder(name)
        job = transcoder.wait(transcoder.submit(request).id, timeout=TIMEOUT_S)
        assert job.status is JobStatus.COMPLETE, (name, job.error_message)
        master = f"{prefix}/out/hls/master.m3u8"
        report = validate_hls(master, storage=storage, source_duration_s=3.0)
        assert report.ok, (name, report.render_text())
        parsed = m3u8.load(str(storage.fetch(master, tmp_path / f"{name}.m3u8")))
        loudness[name] = hls_loudness(storage, master, tmp_path / f"loudness-{name}")
        seen[name] = (
            relative_keys(storage, prefix),
            [(m.group_id, m.language, m.name, m.default) for m in parsed.media],
            [(v.uri, v.stream_info.audio) for v in parsed.playlists],
            [f.duration_s for f in report.renditions],
        )
    ours, theirs = seen["ffmpeg"], seen["mediaconvert"]
    assert ours[:3] == theirs[:3]
    assert "hls/master_audio_spa_00001.ts" in ours[0]
    assert ours[1] == [
        ("program_audio", "eng", "English", "YES"),
        ("program_audio", "spa", "Spanish", "NO"),
    ]
    for a, b in zip(ours[3], theirs[3], strict=True):
        assert a == pytest.approx(b, abs=1 / 30)
    # Both renditions have sound, the video-only variants none; each within 1 LU.
    assert [uri for uri, lkfs in loudness["ffmpeg"].items() if lkfs is not None] == [
        "master_audio_eng.m3u8",
        "master_audio_spa.m3u8",
    ]
    assert_equally_loud(loudness["ffmpeg"], loudness["mediaconvert"])
