"""Nothing orphaned: ffmpeg dies with the process that started it, and the work folders
of a process that died are removed when the next one starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.ffmpeg.process import job_workdir
from vod_testbed.common.settings import BackendSettings
from vod_testbed.fixtures.media import clip_path

# Runs one slow job with the FFmpeg backend on local files, then waits to be killed.
_PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
    from vod_testbed.backends.job import JobRequest
    from vod_testbed.common.settings import BackendSettings

    source, work, out = sys.argv[1:4]
    backend = FFmpegBackend(BackendSettings(work_dir=Path(work), x264_preset="veryslow"))
    backend.submit(JobRequest.for_prefix(source, out))
    time.sleep(600)
    """
)


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of the live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] not in "ZX":
            found.append((int(entry.name), name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


@pytest.mark.e2e
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_ffmpeg_dies_within_seconds_when_its_parent_is_killed_9(tmp_path: Path):
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _PARENT,
            str(clip_path("landscape_1080p")),
            str(tmp_path / "work"),
            str(tmp_path / "out"),
        ]
    )
    try:
        deadline = time.monotonic() + 60
        encoders: list[int] = []
        while not encoders and time.monotonic() < deadline:
            encoders = [pid for pid, name in _children(parent.pid) if "ffmpeg" in name]
            time.sleep(0.05)
        assert encoders, "the job never started ffmpeg"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 5
        while _alive(encoders[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(encoders[0]), "ffmpeg kept running for a dead parent"
    finally:
        parent.kill()
        parent.wait()


def test_work_folders_of_a_dead_process_are_removed_at_start(tmp_path: Path):
    stale = tmp_path / "1700000000000-abc123"
    (stale / "hls").mkdir(parents=True)
    (stale / "input.mp4").write_bytes(b"half a download")
    FFmpegBackend(BackendSettings(work_dir=tmp_path)).close()
    assert not stale.exists()


def test_the_work_folder_of_a_live_job_is_left_alone(tmp_path: Path):
    with job_workdir(tmp_path, "1700000000000-live01") as live:
        (live / "input.mp4").write_bytes(b"being read")
        # Another process sharing the folder starts: it must not take the running job's files.
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; "
                "from vod_testbed.backends.ffmpeg.process import remove_stale_workdirs; "
                "print(remove_stale_workdirs(Path(sys.argv[1])))",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": os.getcwd()},
        )
        assert probe.stdout.strip() == "0"
        assert (live / "input.mp4").read_bytes() == b"being read"
    assert not live.exists()
