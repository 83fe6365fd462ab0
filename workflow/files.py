"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from workflow.errors import WorkflowError


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step.

    The text goes to a temporary file in the same folder, is flushed to disk,
    and is renamed over `path`; a reader sees the old file or the new one,
    never a mix, whatever happens meanwhile.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WorkflowError(f"cannot write: {error.strerror}", path=path) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WorkflowError(f"cannot write: {error.strerror}", path=path) from None
