"""How far the review of each PO file has got.

Every live entry is exactly one of: *translated* (a translation whose
``fuzzy`` flag a reviewer has cleared), *fuzzy* (a translation still to be
reviewed, such as every fresh machine translation) or *untranslated* (no
translation, fuzzy or not). Obsolete entries and the header do not count.
A translation of only spaces counts as none, as in the built article.

>>> import polib
>>> catalog = polib.POFile()
>>> catalog.metadata = {"Language": "ko"}
>>> catalog.append(polib.POEntry(msgid="One.", msgstr="하나."))
>>> catalog.append(polib.POEntry(msgid="Two.", msgstr="둘.", flags=["fuzzy"]))
>>> catalog.append(polib.POEntry(msgid="Three.", msgstr=""))
>>> status = catalog_status(catalog, Path("locales/ko/demo.po"))
>>> status.translated, status.fuzzy, status.untranslated, round(status.percent_reviewed, 1)
(1, 1, 1, 33.3)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from workflow.errors import InputError
from workflow.languages import primary_subtag
from workflow.output import OutputFolder, folder_language
from workflow.pofile import read_catalog
from workflow.store import Store


@dataclass(frozen=True)
class CatalogStatus:
    """The review progress of one PO file."""

    path: str
    article_id: str
    language: str
    total: int
    #: Translated and reviewed: a translation without the ``fuzzy`` flag.
    translated: int
    #: Translated but still to be reviewed.
    fuzzy: int
    untranslated: int
    #: Of `translated`, those byte-identical to the engine's output on record:
    #: machine output accepted unchanged (or whose fuzzy flag a tool cleared).
    machine_accepted: int = 0

    @property
    def percent_reviewed(self) -> float:
        """Share of the entries that are reviewed translations, 0 to 100."""
        return self.translated / self.total * 100 if self.total else 0.0

    def to_json(self) -> dict[str, object]:
        """The status as printed by ``l10n status --json``."""
        return {
            "path": self.path,
            "article_id": self.article_id,
            "language": self.language,
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "machine_accepted": self.machine_accepted,
            "percent_reviewed": round(self.percent_reviewed, 1),
        }


def catalog_status(
    catalog: polib.POFile,
    path: Path,
    is_machine_output: Callable[[str, str, str], bool] = lambda lang, en, text: False,
) -> CatalogStatus:
    """Count the entries of `catalog`, read from `path`.

    The article id is the file's stem (the runner names files ``LANG/ID.po``)
    and the language the ``Language`` header, else the name of the folder.
    `is_machine_output(lang, english, translation)` tells the translated
    entries that are an engine's output, unchanged.
    """
    translated = fuzzy = untranslated = 0
    accepted: list[polib.POEntry] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        if not entry.msgstr.strip():
            untranslated += 1
        elif entry.fuzzy:
            fuzzy += 1
        else:
            translated += 1
            accepted.append(entry)
    header = catalog.metadata.get("Language", "").strip()
    language = primary_subtag(header) if header else folder_language(path)
    machine_accepted = sum(1 for e in accepted if is_machine_output(language, e.msgid, e.msgstr))
    return CatalogStatus(
        path=str(path),
        article_id=path.stem,
        language=language,
        total=translated + fuzzy + untranslated,
        translated=translated,
        fuzzy=fuzzy,
        untranslated=untranslated,
        machine_accepted=machine_accepted,
    )


@dataclass(frozen=True)
class Unreadable:
    """A PO file of an output folder that cannot be read, and why."""

    path: str
    #: Why, without the file's name.
    message: str
    line: int | None = None

    @property
    def error(self) -> InputError:
        """The error reading the file raised: one line naming the file and line."""
        return InputError(self.message, path=self.path, line=self.line)

    def to_json(self) -> dict[str, object]:
        """The file as listed by ``l10n status --json``."""
        return {"path": self.path, "line": self.line, "error": str(self.error)}


@dataclass(frozen=True)
class FolderStatus:
    """Every readable PO file of an output folder, and the unreadable ones."""

    catalogs: tuple[CatalogStatus, ...]
    unreadable: tuple[Unreadable, ...] = ()


def scan_folder(folder: Path) -> FolderStatus:
    """The status of every readable ``LANG/*.po`` in an output folder, by article then language.

    ``templates/`` and hidden folders are skipped. A PO file that cannot be
    read, or whose ``Language`` header disagrees with its folder, is listed
    in ``unreadable`` with its error; the others are counted all the same.
    """
    if not folder.is_dir():
        raise InputError("no such folder", path=folder)
    statuses = []
    unreadable = []
    store = Store.at(folder)
    for language, path in OutputFolder(folder).catalog_files():
        try:
            catalog = read_catalog(path, language=language)
        except InputError as error:
            unreadable.append(Unreadable(str(path), error.message, error.line))
            continue
        statuses.append(catalog_status(catalog, path, store.is_machine_output))
    return FolderStatus(
        tuple(sorted(statuses, key=lambda s: (s.article_id, s.language, s.path))),
        tuple(unreadable),
    )


def scan_status(folder: Path) -> list[CatalogStatus]:
    """The status of every ``LANG/*.po`` in an output folder, by article then language.

    ``templates/`` and hidden folders are skipped. A PO file that cannot be
    read, or whose ``Language`` header disagrees with its folder, raises an
    `InputError` naming it; `scan_folder` counts the others instead.
    """
    scanned = scan_folder(folder)
    if scanned.unreadable:
        raise scanned.unreadable[0].error
    return list(scanned.catalogs)
