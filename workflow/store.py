"""The run's memory, one SQLite file beside the PO files it describes.

It remembers every translation an engine produced for an English sentence
and language. That is how a re-run tells a reviewer's translation from
machine output: by comparison, never by guessing. A translation is kept in
the memory before the PO file that shows it is written, so whatever moment a
run is stopped at, the PO file's machine translations are all on record.

>>> store = Store.open_memory()
>>> store.record_machine_output("ko", "Talks resumed.", "회담이 재개됐다.")
>>> store.is_machine_output("ko", "Talks  resumed.", "회담이 재개됐다.")
True
>>> store.is_machine_output("ko", "Talks resumed.", "회담이 다시 열렸다.")
False
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from workflow.errors import WorkflowError
from workflow.text import source_key

STATE_FOLDER = ".l10n"
STATE_FILE = "state.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine_output (
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (lang, source, translation)
) WITHOUT ROWID;
"""


class Store:
    """Machine translations on record, keyed by language and normalized English.

    The database file is created by the first write, so reading the memory of
    an output folder that does not exist yet creates nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    @classmethod
    def at(cls, out_dir: Path) -> Store:
        """The store of the output folder `out_dir`."""
        return cls(out_dir / STATE_FOLDER / STATE_FILE)

    @classmethod
    def open_memory(cls) -> Store:
        """A store that lives in memory only."""
        return cls(None)

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        if self.path is not None and not create and not self.path.exists():
            return None
        try:
            if self.path is None:
                self._db = sqlite3.connect(":memory:")
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise WorkflowError(f"cannot open the run's memory: {error}", path=self.path) from None
        return self._db

    def is_machine_output(self, lang: str, source: str, translation: str) -> bool:
        """Whether an engine once produced `translation` for `source` in `lang`."""
        db = self._connect(create=False)
        if db is None:
            return False
        row = db.execute(
            "SELECT 1 FROM machine_output WHERE lang = ? AND source = ? AND translation = ?",
            (lang, source_key(source), translation),
        ).fetchone()
        return row is not None

    def record_machine_output(self, lang: str, source: str, translation: str) -> None:
        """Put one machine translation on record."""
        self.record_many(lang, [(source, translation)])

    def record_many(self, lang: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Put machine translations on record in one transaction."""
        rows = [(lang, source_key(source), translation) for source, translation in pairs]
        if not rows:
            return
        db = self._connect(create=True)
        assert db is not None
        try:
            with db:
                db.executemany("INSERT OR IGNORE INTO machine_output VALUES (?, ?, ?)", rows)
        except sqlite3.Error as error:
            raise WorkflowError(
                f"cannot update the run's memory: {error}", path=self.path
            ) from None

    def close(self) -> None:
        """Close the database, if it was opened."""
        if self._db is not None:
            self._db.close()
            self._db = None
