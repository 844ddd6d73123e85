"""SIGTERM stops `vod-testbed dev` within 10 s whatever it is doing: a transcode in
progress, a ladder report's quality pass in progress (container runtimes and CI runners
send SIGKILL 10 s after SIGTERM). Each case waits until the work is really running (its
ffmpeg is a child of the stack) before the signal, and checks that no ffmpeg outlives it."""

from __future__ import annotations

import signal
import stat
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.dev_process import dev_process, wait_ready
from tests.support.polling import eventually
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e

STOP_DEADLINE_S = 10


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every descendant of ``pid``."""
    found: list[tuple[int, str]] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append((int(entry.name), cmdline))
            found.extend(_children(int(entry.name)))
    return found


def _wait_for_child(pid: int, marker: str, timeout_s: float = 180) -> int:
    def child() -> int | None:
        return next((found for found, cmdline in _children(pid) if marker in cmdline), None)

    found: int = eventually(child, timeout_s, 0.05, what=f"a child running {marker!r}")
    return found


def _gone(pid: int, timeout_s: float = 2) -> bool:
    """Whether ``pid`` has ended (or is a zombie: ended, not yet reaped by its new
    parent) within ``timeout_s`` - the kernel's SIGKILL to an orphan is not instant."""

    def ended() -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        return state in ("Z", "X")

    try:
        return eventually(ended, timeout_s, 0.05)
    except AssertionError:
        return False


def _slow_quality_ffmpeg(tmp_path: Path) -> Path:
    """An ffmpeg that runs the quality comparison for real, reading its input at a twentieth
    of real time (``-readrate``), so the pass lasts long enough to be interrupted; every
    other command (the transcode) runs unchanged."""
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(
        "#!/bin/sh\n"
        'case "$*" in *psnr*|*libvmaf*) exec "$REAL_FFMPEG" -readrate 0.05 "$@";; esac\n'
        'exec "$REAL_FFMPEG" "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper


def _upload(ready: dict[str, Any], clip: str) -> str:
    api = ready["endpoints"]["pipeline"]
    auth = {"Authorization": f"Bearer {ready['user']['token']}"}
    path = clip_path(clip)
    ticket = requests.post(
        f"{api}/videos",
        json={
            "filename": path.name,
            "content_type": "video/mp4",
            "size": path.stat().st_size,
            "course_id": "ci",
        },
        headers=auth,
        timeout=10,
    )
    ticket.raise_for_status()
    body = ticket.json()
    put = requests.put(
        body["upload_url"], data=path.read_bytes(), headers=body["upload_headers"], timeout=60
    )
    put.raise_for_status()
    return str(body["id"])


def _stop_and_time(process: Any) -> float:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    return time.monotonic() - started


def test_sigterm_during_a_transcode_stops_within_10_s(tmp_path):
    with dev_process(tmp_path) as (process, ready_file):
        ready = wait_ready(ready_file)
        _upload(ready, "bench_1080p")
        ffmpeg = _wait_for_child(process.pid, "libx264")
        stopped_s = _stop_and_time(process)
    assert stopped_s < STOP_DEADLINE_S
    assert _gone(ffmpeg), "the transcode's ffmpeg outlived the stack"


def test_sigterm_during_a_quality_report_stops_within_10_s(tmp_path, monkeypatch):
    monkeypatch.setenv("REAL_FFMPEG", find_ffmpeg(None))
    monkeypatch.setenv("FFMPEG_BINARY", str(_slow_quality_ffmpeg(tmp_path)))
    with dev_process(tmp_path) as (process, ready_file):
        ready = wait_ready(ready_file)
        video_id = _upload(ready, "short_2s")
        api = ready["endpoints"]["pipeline"]
        auth = {"Authorization": f"Bearer {ready['user']['token']}"}
        eventually(
            lambda: (
                requests.get(f"{api}/videos/{video_id}", headers=auth, timeout=10).json()["status"]
                == "ready"
            ),
            180,
            0.2,
            what="the upload ready",
        )
        report = requests.get(
            f"{api}/console/videos/{video_id}/report.json", headers=auth, timeout=10
        )
        assert report.status_code == 200, report.text
        ffmpeg = _wait_for_child(process.pid, "-readrate")
        stopped_s = _stop_and_time(process)
    assert stopped_s < STOP_DEADLINE_S
    assert _gone(ffmpeg), "the quality pass outlived the stack"
