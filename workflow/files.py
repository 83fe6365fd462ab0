"""Text files: read whatever their encoding mark, written so that a crash or a full disk
never leaves half a file behind."""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import stat
import tempfile
from pathlib import Path

from workflow.errors import InputError, WorkflowError


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


def decode_text(data: bytes, *, path: str | Path) -> str:
    """Decode a text file: UTF-8 (BOM allowed) or UTF-16 with a BOM; newlines normalized.

    >>> decode_text(b"Title\\r\\rCaf\\xe9", path="a.txt")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: a.txt:3: not valid UTF-8 (byte 0xe9); save the file as UTF-8
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # Checked first: the UTF-32-LE mark begins with the UTF-16-LE one.
        raise InputError("UTF-32 text; save the file as UTF-8", path=path, line=1)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = _line_of(data.decode("utf-16", errors="replace"), error.start // 2)
            raise InputError(
                "broken UTF-16 (truncated, or a lone surrogate); save the file as UTF-8",
                path=path,
                line=line,
            ) from None
    else:
        # The mark is cut off before decoding so that error offsets index `body`.
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            text = body[: error.start].decode("utf-8")
            # A NUL before the first undecodable byte says "binary" better; see below.
            if "\x00" not in text:
                raise InputError(
                    f"not valid UTF-8 (byte 0x{body[error.start]:02x}); save the file as UTF-8",
                    path=path,
                    line=_line_of(text, len(text)),
                ) from None
    if "\x00" in text:
        raise InputError(
            "contains NUL bytes: a binary file, or UTF-16 without a BOM; save it as UTF-8",
            path=path,
            line=_line_of(text, text.index("\x00")),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`, whatever its line ends (LF, CRLF, CR)."""
    before = text[:offset]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1
