"""The run's memory, one SQLite file beside the PO files it describes.

It holds two things:

* every translation an engine produced for an English sentence and
  language. That is how a re-run tells a reviewer's translation from machine
  output: by comparison, never by guessing. A translation is on record before
  the PO file that shows it is written, so whatever moment a run is stopped
  at, the PO file's machine translations are all on record. With each one
  goes its `Provenance` (engine fingerprint, masked source, glossary
  targets), which tells whether it is still what this run's engine and
  glossary would produce;
* the translation memory: the engine's hypotheses for each masked source,
  keyed by the engine's fingerprint (engine, model package and version,
  decoding settings), so no sentence is ever decoded twice.

>>> store = Store.open_memory()
>>> store.record_machine_output("ko", "Talks resumed.", "회담이 재개됐다.")
>>> store.is_machine_output("ko", "Talks  resumed.", "회담이 재개됐다.")
True
>>> store.is_machine_output("ko", "Talks resumed.", "회담이 다시 열렸다.")
False
>>> made = Provenance("engine 1", "ZXQ1 resumed.", ("회담",))
>>> store.record_machine_output("ko", "Talks resumed.", "회담이 재개됐다.", made)
>>> store.is_current_output("ko", "Talks resumed.", "회담이 재개됐다.", made)
True
>>> other = Provenance("engine 2", "ZXQ1 resumed.", ("회담",))
>>> store.is_current_output("ko", "Talks resumed.", "회담이 재개됐다.", other)
False
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from workflow.errors import WorkflowError
from workflow.output import OutputFolder, state_file
from workflow.text import source_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine_output (
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    english TEXT NOT NULL,
    PRIMARY KEY (lang, source, translation)
) WITHOUT ROWID;
-- What each machine output was made from. A separate table rather than new
-- columns of machine_output, so that state files of earlier versions need no
-- migration: their outputs simply have no provenance row, which means
-- "unknown" (see Store.is_current_output). One output may have several
-- provenances (two engines that agree on a sentence).
CREATE TABLE IF NOT EXISTS machine_output_provenance (
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    engine TEXT NOT NULL,
    masked TEXT NOT NULL,
    targets TEXT NOT NULL,
    PRIMARY KEY (lang, source, translation, engine, masked, targets)
) WITHOUT ROWID;
-- The reviewer's notes a run attaches to a translation it wrote (a glossary
-- term the machine translation lacks, the machine translation of an edited
-- sentence), kept so that they are written again after a tool that merges
-- with the template (msgmerge, pot2po) dropped them from the PO file.
CREATE TABLE IF NOT EXISTS entry_note (
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (lang, source, translation, note)
);
-- Facts about the state itself: "incomplete" is set when a run found PO
-- files but no state (it was lost), and cleared by a rebuild.
CREATE TABLE IF NOT EXISTS state_fact (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS translation_memory (
    engine TEXT NOT NULL,
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    hypotheses TEXT NOT NULL,
    PRIMARY KEY (engine, lang, source)
) WITHOUT ROWID;
"""
# `json.dumps(..., ensure_ascii=False)`, without making an encoder per call
# (a run encodes a list per sentence and language).
_JSON = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True)
class Provenance:
    """What a machine translation was made from.

    Two translations with the same provenance are the same translation: the
    same engine, model and settings (`engine`, the engine's fingerprint), the
    same masked source (`masked`, normalized with `workflow.text.source_key`)
    and the same glossary renderings put back in place of its placeholders
    (`targets`, in placeholder order).
    """

    engine: str
    masked: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class MachineOutput:
    """One translation an engine produced for an English sentence."""

    english: str
    translation: str
    #: None when unknown; such an output is taken as current.
    provenance: Provenance | None = None


@dataclass(frozen=True)
class MemoryStats:
    """What the store holds, per language."""

    lang: str
    machine_outputs: int
    memory_entries: int


class Store:
    """Machine translations on record, keyed by language and normalized English.

    The database file is created by the first write, so reading the memory of
    an output folder that does not exist yet creates nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._incomplete_reason: str | None = None
        # Languages are decoded on threads of their own, which share the store.
        self._lock = threading.RLock()

    @classmethod
    def at(cls, out_dir: Path) -> Store:
        """The store of the output folder `out_dir`."""
        return cls(state_file(out_dir))

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
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise WorkflowError(f"cannot open the run's memory: {error}", path=self.path) from None
        return self._db

    def is_machine_output(self, lang: str, source: str, translation: str) -> bool:
        """Whether an engine once produced `translation` for `source` in `lang`."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return False
            row = db.execute(
                "SELECT 1 FROM machine_output WHERE lang = ? AND source = ? AND translation = ?",
                (lang, source_key(source), translation),
            ).fetchone()
            return row is not None

    def is_current_output(
        self, lang: str, source: str, translation: str, provenance: Provenance
    ) -> bool:
        """Whether `translation` of `source` on record was made as `provenance` describes.

        An output without any provenance on record was recorded by an earlier
        version, which did not keep it. It counts as current: treating it as
        outdated would re-translate every unreviewed entry after an upgrade,
        and a translation that may be outdated is still a fine draft.
        """
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return True
            rows = db.execute(
                "SELECT engine, masked, targets FROM machine_output_provenance "
                "WHERE lang = ? AND source = ? AND translation = ?",
                (lang, source_key(source), translation),
            ).fetchall()
            wanted = (provenance.engine, source_key(provenance.masked), _targets(provenance))
            return not rows or wanted in rows

    def exists(self) -> bool:
        """Whether the database is there (a store in memory always is)."""
        return self.path is None or self._db is not None or self.path.exists()

    def record_machine_output(
        self, lang: str, source: str, translation: str, provenance: Provenance | None = None
    ) -> None:
        """Put one machine translation on record."""
        self.record_many(lang, [MachineOutput(source, translation, provenance)])

    def record_many(self, lang: str, outputs: Iterable[MachineOutput]) -> None:
        """Put machine translations on record in one transaction."""
        keyed = [(source_key(o.english), o) for o in outputs]
        rows = [(lang, key, o.translation, o.english) for key, o in keyed]
        origins = [
            (
                lang,
                key,
                o.translation,
                o.provenance.engine,
                source_key(o.provenance.masked),
                _targets(o.provenance),
            )
            for key, o in keyed
            if o.provenance is not None
        ]
        # In key order, so that the inserts walk each B-tree once; stable, so
        # that of two rows with one key the first is still the one kept.
        rows.sort(key=_first_three)
        origins.sort()
        self._write(
            ("INSERT OR IGNORE INTO machine_output VALUES (?, ?, ?, ?)", rows),
            ("INSERT OR IGNORE INTO machine_output_provenance VALUES (?, ?, ?, ?, ?, ?)", origins),
        )

    def record_notes(self, lang: str, notes: Iterable[tuple[str, str, str]]) -> None:
        """Keep the (English, translation, note) triples a run wrote as ``#.`` comments."""
        rows = [(lang, source_key(english), text, note) for english, text, note in notes]
        self._write(("INSERT OR IGNORE INTO entry_note VALUES (?, ?, ?, ?)", rows))

    def notes(self, lang: str, source: str, translation: str) -> list[str]:
        """The notes on record for `translation` of `source`, in the order they were written."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return []
            rows = db.execute(
                "SELECT note FROM entry_note WHERE lang = ? AND source = ? AND translation = ? "
                "ORDER BY rowid",
                (lang, source_key(source), translation),
            )
            return [row[0] for row in rows]

    def mark_incomplete(self, reason: str) -> None:
        """Remember that machine output is missing from the record (the state was lost)."""
        self._write(("INSERT OR REPLACE INTO state_fact VALUES ('incomplete', ?)", [(reason,)]))

    def note_incomplete_when_created(self, reason: str) -> None:
        """`mark_incomplete` in the same transaction as the write that creates the database.

        A run that finds no state writes none unless it decodes something;
        when it does, the new state must not look complete.
        """
        self._incomplete_reason = reason

    def mark_complete(self) -> None:
        """Forget `mark_incomplete`: the record was rebuilt."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return
        self._write(("DELETE FROM state_fact WHERE name = ?", [("incomplete",)]))

    def incomplete(self) -> str | None:
        """Why machine output is missing from the record, if it is (see `mark_incomplete`)."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return None
            row = db.execute("SELECT value FROM state_fact WHERE name = 'incomplete'").fetchone()
            return None if row is None else str(row[0])

    def machine_outputs(self, lang: str) -> list[tuple[str, str]]:
        """Every (English, translation) pair an engine produced for `lang`."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return []
            query = (
                "SELECT english, translation FROM machine_output WHERE lang = ? ORDER BY english"
            )
            return [(row[0], row[1]) for row in db.execute(query, (lang,))]

    def recall(self, engine: str, lang: str, sources: Sequence[str]) -> dict[str, list[str]]:
        """The remembered hypotheses of `engine` for those of `sources` it has translated."""
        with self._lock:
            db = self._connect(create=False)
            if db is None or not sources:
                return {}
            found: dict[str, list[str]] = {}
            # SQLite limits the number of parameters of one statement.
            for start in range(0, len(sources), 500):
                chunk = list(sources[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT source, hypotheses FROM translation_memory "
                    f"WHERE engine = ? AND lang = ? AND source IN ({marks})",
                    (engine, lang, *chunk),
                )
                found.update((source, json.loads(hypotheses)) for source, hypotheses in rows)
            return found

    def remember(self, engine: str, lang: str, results: Mapping[str, Sequence[str]]) -> None:
        """Keep `engine`'s hypotheses for each source text."""
        rows = [
            (engine, lang, source, _JSON.encode(list(hyps))) for source, hyps in results.items()
        ]
        rows.sort(key=_first_three)  # key order, as in `record_many`
        self._write(("INSERT OR REPLACE INTO translation_memory VALUES (?, ?, ?, ?)", rows))

    def stats(self) -> list[MemoryStats]:
        """How many machine outputs and memory entries each language has."""
        with self._lock:
            db = self._connect(create=False)
            if db is None:
                return []
            outputs = dict(db.execute("SELECT lang, COUNT(*) FROM machine_output GROUP BY lang"))
            memory = dict(
                db.execute("SELECT lang, COUNT(*) FROM translation_memory GROUP BY lang")
            )
            return [
                MemoryStats(lang, outputs.get(lang, 0), memory.get(lang, 0))
                for lang in sorted(outputs.keys() | memory.keys())
            ]

    def _write(self, *statements: tuple[str, Sequence[tuple[str, ...]]]) -> None:
        """Run each statement over its rows, all in one transaction."""
        with self._lock:
            if not any(rows for _, rows in statements):
                return
            db = self._connect(create=True)
            assert db is not None
            if self._incomplete_reason is not None:
                fact = ("incomplete", self._incomplete_reason)
                statements += (("INSERT OR REPLACE INTO state_fact VALUES (?, ?)", [fact]),)
            try:
                with db:
                    for statement, rows in statements:
                        db.executemany(statement, rows)
                self._incomplete_reason = None
            except sqlite3.Error as error:
                reason = str(error)
                if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                    # SQLite's own words blame the database as much as the disk.
                    reason = "No space left on device"
                raise WorkflowError(
                    f"cannot update the run's memory: {reason}", path=self.path
                ) from None

    def close(self) -> None:
        """Close the database, if it was opened."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def rebuild_record(out_dir: Path) -> tuple[int, int]:
    """Put every fuzzy translation of the PO files of `out_dir` on record as machine output.

    For a state that was lost, when every fuzzy entry is known to be machine
    output (no reviewer edited one and left it fuzzy): those entries are
    then translated again when the engine or glossary changes, as any
    machine translation. Returns how many translations were put on record
    and from how many files.
    """
    from workflow.pofile import read_catalog

    store = Store.at(out_dir)
    recorded = files = 0
    try:
        for lang, po_path in OutputFolder(out_dir).catalog_files():
            fuzzy = [
                MachineOutput(entry.msgid, entry.msgstr)
                for entry in read_catalog(po_path, language=lang)
                if not entry.obsolete and entry.msgid and entry.msgstr and entry.fuzzy
            ]
            store.record_many(lang, fuzzy)
            recorded += len(fuzzy)
            files += 1
        if files:
            store.mark_complete()
    finally:
        store.close()
    return recorded, files


def _first_three(row: tuple[str, ...]) -> tuple[str, ...]:
    return row[:3]


def _targets(provenance: Provenance) -> str:
    return _JSON.encode(list(provenance.targets))
