"""Nothing orphaned: ffmpeg dies with its parent, and work folders die with their job.

* :func:`spawn` starts ffmpeg (never through a shell) so that on Linux the kernel sends it
  SIGKILL when the thread that started it goes away - with the process, even on ``kill -9``.
  Without it an orphaned ffmpeg keeps encoding for nobody.
* :func:`job_workdir` gives a job a private folder, locked (``flock``) for as long as the
  process that owns it lives; :func:`remove_stale_workdirs` removes, at start, the folders
  whose owner is gone - a crash leaves no downloads and half encodes behind - and leaves
  alone those of a live process sharing the folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
# A job folder's name is its job id (see backends.job.new_job_id).
_JOB_DIR = re.compile(r"\d{10,}-[a-z0-9]{6}")

if sys.platform.startswith("linux"):
    # Resolved here, in the parent: the child between fork and exec must not import or load.
    _prctl: Any = ctypes.CDLL(None, use_errno=True).prctl
else:  # pragma: no cover - the parent-death signal is Linux's
    _prctl = None

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, no stale-folder sweep
    fcntl = None  # type: ignore[assignment]


def _die_with_parent(parent_pid: int) -> None:
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the prctl took effect
        os.kill(os.getpid(), signal.SIGKILL)


def spawn(argv: Sequence[str], **popen_args: Any) -> subprocess.Popen[str]:
    """``subprocess.Popen(argv, **popen_args)``, killed by the kernel when this process
    (precisely: the calling thread) ends, on Linux."""
    if _prctl is not None:
        parent = os.getpid()
        popen_args["preexec_fn"] = lambda: _die_with_parent(parent)
    return subprocess.Popen(list(argv), **popen_args)  # an argv: never a shell


def _lock(fd: int, *, wait: bool) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def job_workdir(root: Path, job_id: str) -> Iterator[Path]:
    """``root/job_id``, created empty and locked; removed on exit."""
    root.mkdir(parents=True, exist_ok=True)
    # Locked under a temporary name, then renamed: a sweep never sees it unlocked.
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".new-"))
    fd = os.open(staging, os.O_RDONLY)
    try:
        _lock(fd, wait=True)
        work = root / job_id
        staging.rename(work)
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(fd)


def remove_stale_workdirs(root: Path) -> int:
    """Remove the job folders under ``root`` that no live process holds; returns how many."""
    if fcntl is None or not root.is_dir():
        return 0
    removed = 0
    for path in root.iterdir():
        if not _JOB_DIR.fullmatch(path.name) or not path.is_dir() or path.is_symlink():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            if not _lock(fd, wait=False):
                continue  # a live job of another process
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    if removed:
        log.info("removed %d work folder(s) left by a stopped process in %s", removed, root)
    return removed
