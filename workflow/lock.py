"""One run at a time per output folder.

A run holds an exclusive lock on ``OUT/.l10n/lock`` from before it reads the
existing PO files until its last file is written. A second run on the same
folder waits for the first to finish (after saying so), rather than failing:
batches started by cron may overlap, and waiting is what their owner wants.
The lock is the operating system's (``flock``), so it vanishes with the
process, even one killed with SIGKILL: there is no stale lock to clean up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from workflow.errors import WorkflowError

LOCK_NAME = "lock"


@contextlib.contextmanager
def output_lock(folder: Path, *, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock of output folder `folder` (its ``.l10n`` subfolder) for the block."""
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise WorkflowError(
            f"cannot lock the output folder: {error.strerror}", path=path
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
