"""Where the defaults live: the bundled article and glossaries.

A folder named ``articles`` or ``glossaries`` in the current directory wins
when it holds such files (``*.txt``, ``*.html`` and ``*.htm`` articles,
``*.tsv`` glossaries), so a
newsroom's own checkout uses its own files. Otherwise the copies installed
inside the package are used (``workflow/_bundled``), and, when running from
a source checkout, the folders at its top. An empty ``./glossaries`` folder
therefore does not mean "no glossary": that would drop every proper noun
without a word.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from workflow.errors import InputError

BundledFolder = Literal["articles", "glossaries"]

#: The files of a folder given as an article: text, and saved web pages.
ARTICLE_PATTERNS = ("*.txt", "*.html", "*.htm")
_PATTERNS: dict[BundledFolder, tuple[str, ...]] = {
    "articles": ARTICLE_PATTERNS,
    "glossaries": ("*.tsv",),
}


def find_folder(name: BundledFolder, *, cwd: Path | None = None) -> Path | None:
    """The first folder that holds default `name` files, or None when there is none."""
    package = Path(__file__).resolve().parent
    candidates = (
        (cwd or Path.cwd()) / name,
        package / "_bundled" / name,
        package.parent / name,
    )
    return next((folder for folder in candidates if _files_in(folder, name)), None)


def default_files(name: BundledFolder, *, cwd: Path | None = None) -> list[Path]:
    """Every default article or glossary, sorted by name."""
    folder = find_folder(name, cwd=cwd)
    return [] if folder is None else _files_in(folder, name)


def _files_in(folder: Path, name: BundledFolder) -> list[Path]:
    return sorted(
        path for pattern in _PATTERNS[name] for path in folder.glob(pattern) if path.is_file()
    )


def expand_articles(arguments: Iterable[str]) -> list[Path]:
    """Article paths from the command line; a folder stands for its articles.

    A folder's articles are its ``*.txt``, ``*.html`` and ``*.htm`` files.

    A pattern the shell left alone (quoted, or from a cron line) is expanded
    here: ``l10n run 'inbox/*.txt'``.
    """
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if not path.exists() and any(char in argument for char in "*?["):
            # glob.glob, not Path.glob: the pattern may be absolute.
            matches = sorted(
                Path(match)
                for match in glob.glob(argument)  # noqa: PTH207
                if Path(match).is_file()
            )
            if not matches:
                raise InputError("no article matches this pattern", path=path)
            paths.extend(matches)
        elif path.is_dir():
            in_folder = sorted(
                p for pattern in ARTICLE_PATTERNS for p in path.glob(pattern) if p.is_file()
            )
            if not in_folder:
                raise InputError("no *.txt or *.html articles in this folder", path=path)
            paths.extend(in_folder)
        elif path.exists():
            paths.append(path)
        else:
            raise InputError("no such article", path=path)
    return list(dict.fromkeys(paths))
