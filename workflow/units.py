"""Quantities written for people (sizes), shared by the library and the report."""

from __future__ import annotations


def format_size(n: float) -> str:
    """A byte count for people.

    >>> format_size(512), format_size(120_470_284), format_size(4 * 1024**3)
    ('512 bytes', '114.9 MiB', '4.0 GiB')
    """
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"
