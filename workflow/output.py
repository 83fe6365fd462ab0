"""The output folder: where each file of a run goes, and what a run finds there.

The layout is spelled here and nowhere else::

    OUT/templates/ID.pot     one template per article
    OUT/LANG/ID.po           one catalog per article and language
    OUT/.l10n/state.sqlite3  the record of machine output and the translation memory
    OUT/.l10n/lock           held by the run that writes in OUT

An `OutputFolder` also reads the catalogs a run starts from, remembering a
snapshot of each, so that a reviewer who saved one while the engine worked is
noticed before the file is written; it removes the temporary files a killed
run left; and a run that fails before writing anything in a folder it created
leaves no folder behind.

>>> out = OutputFolder(Path("locales"))
>>> print(out.template_path("talks"), out.catalog_path("talks", "ko"), out.state_file)
locales/templates/talks.pot locales/ko/talks.po locales/.l10n/state.sqlite3
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from workflow.errors import InputError
from workflow.lock import LOCK_NAME, output_lock
from workflow.pofile import parse_catalog

TEMPLATES = "templates"
STATE_FOLDER = ".l10n"
STATE_FILE = "state.sqlite3"


def state_file(out: Path) -> Path:
    """The state file of output folder `out`."""
    return out / STATE_FOLDER / STATE_FILE


def output_folder_of(catalog: Path) -> Path:
    """The output folder a catalog ``OUT/LANG/ID.po`` belongs to (resolved).

    >>> output_folder_of(Path("/srv/locales/ko/talks.po"))
    PosixPath('/srv/locales')
    """
    return catalog.resolve().parent.parent


def folder_language(catalog: Path) -> str:
    """The language a catalog ``OUT/LANG/ID.po`` is filed under.

    >>> folder_language(Path("locales/ko/talks.po"))
    'ko'
    """
    return catalog.parent.name


@dataclass(frozen=True)
class Snapshot:
    """A PO file as this run read it, to tell whether someone saved it since."""

    size: int
    mtime_ns: int
    digest: bytes


@dataclass(frozen=True)
class ExistingCatalog:
    """A catalog found in the output folder, as it was read."""

    path: Path
    #: None when there is no such file.
    catalog: polib.POFile | None
    #: Whether the file starts with a UTF-8 byte-order mark (which msgfmt refuses).
    byte_order_mark: bool = False


class OutputFolder:
    """The output folder `root` of a run: its layout and the catalogs read from it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._snapshots: dict[tuple[str, str], Snapshot | None] = {}

    def template_path(self, article_id: str) -> Path:
        """Where the template of article `article_id` goes."""
        return self.root / TEMPLATES / f"{article_id}.pot"

    def catalog_path(self, article_id: str, lang: str) -> Path:
        """Where the `lang` catalog of article `article_id` goes."""
        return self.root / lang / f"{article_id}.po"

    @property
    def state_folder(self) -> Path:
        """The folder of the run's state and lock."""
        return self.root / STATE_FOLDER

    @property
    def state_file(self) -> Path:
        """The SQLite file of machine output and translation memory."""
        return state_file(self.root)

    def catalog_files(self) -> Iterator[tuple[str, Path]]:
        """Each ``LANG/*.po`` of the folder with its language, by language then name.

        ``templates/`` and hidden folders are skipped; a folder that does not
        exist holds none.
        """
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir() or folder.name == TEMPLATES or folder.name.startswith("."):
                continue
            for path in sorted(folder.glob("*.po")):
                yield folder.name, path

    @contextlib.contextmanager
    def opened(
        self, languages: Sequence[str], *, on_wait: Callable[[], None] = lambda: None
    ) -> Iterator[OutputFolder]:
        """The folder locked for this run, cleaned of what a killed run left.

        If the block fails before anything was written in a folder it
        created, the folder is removed again: a model that cannot be loaded
        is found only after the lock (in the new folder) was taken, and the
        promise is that such a run writes nothing.
        """
        created = not self.root.exists()
        try:
            with output_lock(self.state_folder, on_wait=on_wait):
                self._remove_stale_temporary_files(languages)
                yield self
        except BaseException:
            left = set(self.root.rglob("*")) if created else set()
            if created and left <= {self.state_folder, self.state_folder / LOCK_NAME}:
                shutil.rmtree(self.root, ignore_errors=True)
            raise

    def read_catalog(self, article_id: str, lang: str) -> ExistingCatalog:
        """The `lang` catalog of `article_id` as it is now, remembered for `saved_since_read`."""
        path = self.catalog_path(article_id, lang)
        try:
            with path.open("rb") as handle:
                data = handle.read()
                stat = os.fstat(handle.fileno())
        except FileNotFoundError:
            self._snapshots[article_id, lang] = None
            return ExistingCatalog(path, None)
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=path) from None
        catalog = parse_catalog(data, path=path, language=lang)
        self._snapshots[article_id, lang] = Snapshot(
            stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).digest()
        )
        return ExistingCatalog(path, catalog, data.startswith(codecs.BOM_UTF8))

    def forget(self, article_id: str, languages: Sequence[str]) -> None:
        """Drop what `read_catalog` remembered of an article's catalogs (it is done with)."""
        for lang in languages:
            self._snapshots.pop((article_id, lang), None)

    def saved_since_read(self, article_id: str, lang: str) -> bool:
        """Whether someone saved (or removed) the catalog since `read_catalog` read it."""
        path = self.catalog_path(article_id, lang)
        snapshot = self._snapshots.get((article_id, lang))
        try:
            stat = path.stat()
            if snapshot is None or (stat.st_size, stat.st_mtime_ns) != (
                snapshot.size,
                snapshot.mtime_ns,
            ):
                return True
            # Size and time can stay the same through a quick edit; the bytes cannot.
            return hashlib.sha256(path.read_bytes()).digest() != snapshot.digest
        except FileNotFoundError:
            return snapshot is not None
        except OSError:
            return True  # read again, which names the problem

    def _remove_stale_temporary_files(self, languages: Sequence[str]) -> None:
        # Left by a run that was killed mid-write; with the lock held, no live run owns them.
        for folder in (TEMPLATES, *languages):
            for stale in (self.root / folder).glob(".*.tmp"):
                stale.unlink(missing_ok=True)
