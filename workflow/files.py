"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import tempfile
from pathlib import Path

from workflow.errors import WorkflowError


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step.

    The text goes to a temporary file in the same folder, is flushed to disk,
    and is renamed over `path`; a reader sees the old file or the new one,
    never a mix, whatever happens meanwhile. The new file keeps the old
    one's permissions (a reviewer's group-writable PO file stays so), or
    gets what the umask gives a new file.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WorkflowError(f"cannot write: {error.strerror}", path=path) from None
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); a PO file is meant to be shared.
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WorkflowError(f"cannot write: {error.strerror}", path=path) from None


def _mode_for(path: Path) -> int:
    """The permissions `path` has now, or those the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    # Elsewhere it can only be read by setting it; this happens once, early.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
