"""One process at a time per folder: an exclusive ``flock`` held while the folder is in use.

The kernel drops the lock when its holder exits, however it exits, so a crash never leaves
a folder locked. The holder's pid is written into the lock file for the refusal message.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


class DirInUseError(RuntimeError):
    """Another process holds the folder."""


def lock_dir(directory: Path, lock_name: str, user: str) -> IO[str] | None:
    """Hold an exclusive lock on ``directory`` until the returned file is closed (POSIX
    only; elsewhere the check is skipped and None is returned).

    Args:
        directory: the folder (it must exist).
        lock_name: the lock file's name inside it.
        user: what holds such locks, for the message ("emulator", "vod-testbed stack").

    Raises:
        DirInUseError: another process holds it; the message names the folder and its pid.
    """
    try:
        import fcntl
    except ImportError:
        return None
    # "a+", not "w": opening must not erase the pid of a holder we are about to be refused by.
    handle = open(directory / lock_name, "a+")  # noqa: SIM115 - held until the caller closes it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        pid = f" (pid {holder})" if holder.isdigit() else ""
        raise DirInUseError(f"another {user} is using {directory}{pid}") from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
