"""Where the defaults live: the bundled article and glossaries.

A folder named ``articles`` or ``glossaries`` in the current directory wins,
so a newsroom's own checkout uses its own files. Otherwise the copies
installed inside the package are used (``workflow/_bundled``), and, when
running from a source checkout, the folders at its top.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from workflow.errors import InputError

BundledFolder = Literal["articles", "glossaries"]

_PATTERNS: dict[BundledFolder, str] = {"articles": "*.txt", "glossaries": "*.tsv"}


def find_folder(name: BundledFolder, *, cwd: Path | None = None) -> Path | None:
    """The folder that holds the default `name`, or None when there is none."""
    package = Path(__file__).resolve().parent
    candidates = (
        (cwd or Path.cwd()) / name,
        package / "_bundled" / name,
        package.parent / name,
    )
    return next((folder for folder in candidates if folder.is_dir()), None)


def default_files(name: BundledFolder, *, cwd: Path | None = None) -> list[Path]:
    """Every default article or glossary, sorted by name."""
    folder = find_folder(name, cwd=cwd)
    if folder is None:
        return []
    return sorted(folder.glob(_PATTERNS[name]))


def expand_articles(arguments: Iterable[str]) -> list[Path]:
    """Article paths from the command line; a folder stands for its ``*.txt`` files."""
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(path.glob("*.txt"))
            if not found:
                raise InputError("no *.txt articles in this folder", path=path)
            paths.extend(found)
        elif path.exists():
            paths.append(path)
        else:
            raise InputError("no such article", path=path)
    return list(dict.fromkeys(paths))
