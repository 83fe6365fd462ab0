"""Applying the decisions: the template and each language's PO file of one article.

`build_template` and `build_catalog` turn an article's segments (and their
translations) into `polib.POFile` objects without touching the disk;
`workflow.pofile.write_catalog` writes them.

Entries follow the article's order. ``msgid`` is the English segment;
``msgctxt`` appears only to tell identical sentences apart; ``#:`` points at
the article's line; ``#.`` comments carry what a reviewer needs: the segment's
kind when it is not body text, possible boilerplate, and the glossary terms
with the rendering they require. Every machine translation is ``fuzzy``
until a reviewer clears it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polib

from workflow import __version__
from workflow.article import Article
from workflow.languages import get_language, primary_subtag
from workflow.masking import MaskedText, Slot, Translation
from workflow.pofile import empty_catalog
from workflow.rerun.decisions import CatalogPlan, EntryPlan
from workflow.rerun.matching import message_contexts
from workflow.segment import Segment

_BOILERPLATE_NOTE = "possible boilerplate: check that this line belongs to the article"
_NOT_ENFORCED = "glossary term not enforced, use it when reviewing"
_NEW_MACHINE_TRANSLATION = "machine translation of the new English"
_MACHINE_PREFIXES = (_NOT_ENFORCED, _NEW_MACHINE_TRANSLATION)
_KEEPS_OLD_TEXT = ("reviewed", "unchanged", "changed-reviewed")
# gettext's placeholders for the translator's fields of a template.
_PLACEHOLDERS = {
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "Language": "",
}
# The header fields that describe what a run makes; all others are the editors'.
_OWN_FIELDS = frozenset(
    (
        "Project-Id-Version",
        "POT-Creation-Date",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
        "X-Machine-Translation",
    )
)


def build_template(
    article: Article,
    segments: Sequence[Segment],
    masked: Mapping[str, Sequence[MaskedText]],
    *,
    created: datetime,
) -> polib.POFile:
    """The POT template: every segment, untranslated, with its glossary terms named."""
    template = empty_catalog()
    template.metadata = _header(article, language=None, created=created, engine_label=None)
    # As xgettext marks it: the header still holds placeholders, which
    # `msgfmt -c` would otherwise report.
    template.metadata_is_fuzzy = True
    reference = _reference_path(article.path)
    contexts = message_contexts(segments)
    for index, segment in enumerate(segments):
        terms: dict[str, Slot] = {}
        for per_language in masked.values():
            for slot in per_language[index].slots:
                terms.setdefault(slot.match.term.en, slot)
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {s.match.term.en} ({s.match.term.type})" for s in terms.values()]
        template.append(_entry(reference, segment, contexts[index], notes, msgstr=""))
    return template


@dataclass(frozen=True)
class BuiltCatalog:
    """A language's PO file as this run makes it, with what its notes say as data."""

    catalog: polib.POFile
    #: ``(english, translation, note)`` for each note about a machine
    #: translation, to be put on record before the file is written.
    machine_notes: tuple[tuple[str, str, str], ...]
    #: Per entry, how many glossary terms its translation does not enforce.
    unenforced: tuple[int, ...]

    @property
    def unenforced_terms(self) -> int:
        """ "Glossary term not enforced" notes in the file."""
        return sum(self.unenforced)

    @property
    def unenforced_entries(self) -> int:
        """Entries holding such notes."""
        return sum(1 for count in self.unenforced if count)


def build_catalog(
    article: Article,
    plan: CatalogPlan,
    masked: Sequence[MaskedText],
    translations: Mapping[int, Translation],
    lang: str,
    *,
    engine_label: str,
    created: datetime,
    notes_on_record: Callable[[str, str], Sequence[str]] = lambda english, text: (),
) -> BuiltCatalog:
    """A language's PO file, as `plan` decided entry by entry.

    `masked[i]` is the i-th segment's masked source (its glossary terms) and
    `translations[i]` its new machine translation, for the entries that
    needed one. `notes_on_record(english, translation)` gives the notes an
    earlier run wrote for that translation (see `machine_notes`): they are
    written again even when a tool that merges with the template (msgmerge,
    pot2po) removed them from the file.
    """
    catalog = empty_catalog()
    header = _header(article, language=lang, created=created, engine_label=engine_label)
    if plan.old_header is not None:
        header = _keep_editors_fields(header, plan.old_header)
        catalog.header = plan.old_header_comment
    catalog.metadata = header
    reference = _reference_path(article.path)
    contexts = message_contexts([entry.segment for entry in plan.entries])
    recorded: list[tuple[str, str, str]] = []
    unenforced: list[int] = []
    for index, entry_plan in enumerate(plan.entries):
        translation = translations.get(index)
        notes = _EntryNotes.of(entry_plan, masked[index], translation, notes_on_record)
        msgstr = _msgstr(entry_plan, translation)
        entry = _entry(reference, entry_plan.segment, contexts[index], notes.all, msgstr=msgstr)
        _carry_review_state(entry, entry_plan)
        catalog.append(entry)
        recorded += [(entry.msgid, entry.msgstr, note) for note in notes.machine]
        unenforced.append(notes.unenforced)
    _append_obsolete(catalog, plan.obsolete)
    return BuiltCatalog(catalog, tuple(recorded), tuple(unenforced))


@dataclass(frozen=True)
class _EntryNotes:
    """The ``#.`` comments of one entry, and those of them about its machine translation."""

    all: list[str]
    machine: list[str]
    unenforced: int

    @classmethod
    def of(
        cls,
        entry_plan: EntryPlan,
        masked: MaskedText,
        translation: Translation | None,
        notes_on_record: Callable[[str, str], Sequence[str]],
    ) -> _EntryNotes:
        segment, old, decision = entry_plan.segment, entry_plan.old, entry_plan.decision
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {_describe_slot(slot)}" for slot in masked.slots]
        unenforced = translation.unenforced if translation else ()
        machine = [f"{_NOT_ENFORCED}: {_describe_slot(slot)}" for slot in unenforced]
        still_fuzzy = old is not None and "fuzzy" in old.flags
        if old is not None and (
            decision == "unchanged" or (decision == "reviewed" and still_fuzzy)
        ):
            # What the engine said about this English stays until someone has
            # looked: while the entry is fuzzy, or for as long as its machine
            # translation stands.
            machine += [*notes_on_record(segment.text, old.msgstr), *machine_notes(old)]
        if decision == "changed-reviewed" and translation is not None:
            machine.append(f"{_NEW_MACHINE_TRANSLATION}: {translation.text}")
        if not machine:  # most entries
            return cls(notes, [], 0)
        # Read back as the lines of the comment, each once, as the next run reads them.
        lines = [line for note in dict.fromkeys(machine) for line in note.splitlines()]
        kept = [line for line in lines if line.startswith(_MACHINE_PREFIXES)]
        return cls(
            [*notes, *machine],
            kept,
            sum(1 for line in kept if line.startswith(_NOT_ENFORCED)),
        )


def _msgstr(entry_plan: EntryPlan, translation: Translation | None) -> str:
    if entry_plan.old is not None and entry_plan.decision in _KEEPS_OLD_TEXT:
        return entry_plan.old.msgstr
    return translation.text if translation else ""


def _carry_review_state(entry: polib.POEntry, entry_plan: EntryPlan) -> None:
    """Give `entry` the old entry's comments, flags and previous msgid, as its decision says."""
    old, decision = entry_plan.old, entry_plan.decision
    still_fuzzy = old is not None and "fuzzy" in old.flags
    if old is not None:
        entry.tcomment = old.tcomment
        entry.flags = [flag for flag in old.flags if flag != "fuzzy"]
    if decision == "reviewed" and old is not None:
        if still_fuzzy:
            # Like msgmerge: a previous msgid belongs to a fuzzy entry
            # and goes once a reviewer clears the flag.
            entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgctxt = old.previous_msgctxt
    else:
        entry.flags.insert(0, "fuzzy")
    if decision == "changed-reviewed" and old is not None:
        if still_fuzzy and old.previous_msgid:
            # The English the reviewer actually translated, kept through
            # further edits as `msgmerge --previous` keeps it.
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgctxt = old.previous_msgctxt
        else:
            entry.previous_msgid = old.msgid
            entry.previous_msgctxt = old.msgctxt


def _append_obsolete(catalog: polib.POFile, obsolete: Sequence[polib.POEntry]) -> None:
    """Add the entries no segment continues, as ``#~`` entries gettext accepts."""
    taken: dict[tuple[str | None, str], str] = {
        (entry.msgctxt, entry.msgid): entry.msgstr for entry in catalog
    }
    for old in obsolete:
        old.obsolete = True
        key = (old.msgctxt, old.msgid)
        if key in taken:
            if taken[key] == old.msgstr:
                # The same translation is there already, as msgmerge drops it.
                continue
            # Another translation of a sentence that is still there (a
            # deleted occurrence, a reviewer's copy): kept, under a context
            # of its own, since GNU gettext refuses two entries with one key.
            old.msgctxt = _free_context(old.msgctxt, old.msgid, taken)
            key = (old.msgctxt, old.msgid)
        taken[key] = old.msgstr
        catalog.append(old)


def _free_context(
    context: str | None, msgid: str, taken: Mapping[tuple[str | None, str], str]
) -> str:
    """A msgctxt, made from `context`, that no entry of `taken` has with `msgid`."""
    base = f"{context} (obsolete)" if context else "obsolete"
    candidate, number = base, 1
    while (candidate, msgid) in taken:
        number += 1
        candidate = f"{base} {number}"
    return candidate


def _keep_editors_fields(ours: dict[str, str], old: Mapping[str, str]) -> dict[str, str]:
    """The header this run writes, with what reviewers and their editors put in the old one.

    The reviewer's name, team and revision date, the editor's own
    ``X-Generator`` and other ``X-`` fields, ``Report-Msgid-Bugs-To``, a
    region in ``Language`` (``ko_KR``): every field but those describing
    the file this run makes (its article, date, encoding, plural rule and
    machine translation) stays as the old file has it.

    >>> old = {"Language": "ko_KR", "X-Generator": "Poedit 3.4", "X-Poedit-Basepath": "."}
    >>> new = _keep_editors_fields({"Language": "ko", "X-Generator": "l10n-workflow 1"}, old)
    >>> new == {"Language": "ko_KR", "X-Generator": "Poedit 3.4", "X-Poedit-Basepath": "."}
    True
    """
    header = dict(ours)
    for field, value in old.items():
        if (
            field in _OWN_FIELDS
            or not value.strip()
            or value == _PLACEHOLDERS.get(field)
            or (field == "X-Generator" and value.startswith("l10n-workflow"))
            or (field == "Language" and primary_subtag(value) != ours[field])
        ):
            # Ours, or one a tool copied from the template (pot2po does).
            continue
        header[field] = value
    return header


def machine_notes(entry: polib.POEntry) -> list[str]:
    """The ``#.`` comments of `entry` that describe a machine translation.

    They are the glossary terms no hypothesis kept and, on a reviewed entry
    whose English changed, the machine translation of the new English.

    >>> note = "glossary term not enforced, use it when reviewing: Japan → 일본 (place)"
    >>> machine_notes(polib.POEntry(comment=f"kind: title\\n{note}")) == [note]
    True
    """
    return [line for line in entry.comment.splitlines() if line.startswith(_MACHINE_PREFIXES)]


def _entry(
    reference: str, segment: Segment, context: str | None, notes: list[str], *, msgstr: str
) -> polib.POEntry:
    return polib.POEntry(
        msgid=segment.text,
        msgstr=msgstr,
        msgctxt=context,
        occurrences=[(reference, str(segment.line))],
        comment="\n".join(dict.fromkeys(notes)),  # a term used twice is named once
    )


def _segment_notes(segment: Segment) -> list[str]:
    notes = []
    if segment.kind != "body":
        notes.append(f"kind: {segment.kind}")
    if segment.possible_boilerplate:
        notes.append(_BOILERPLATE_NOTE)
    return notes


def _describe_slot(slot: Slot) -> str:
    return f"{slot.match.term.en} → {slot.target} ({slot.match.term.type})"


def _reference_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = path
    posix = Path(relative).as_posix()
    # GNU gettext isolates a file name holding spaces this way, so that tools
    # splitting "#:" lines at spaces still read it as one name.
    return f"\u2068{posix}\u2069" if " " in posix else posix


def _header(
    article: Article, *, language: str | None, created: datetime, engine_label: str | None
) -> dict[str, str]:
    stamp = created.strftime("%Y-%m-%d %H:%M%z")
    if language is None:
        # A template keeps gettext's placeholders, which msginit and editors
        # fill in when a translation is started from it.
        translation = dict(_PLACEHOLDERS)
    else:
        target = get_language(language)
        translation = {
            "PO-Revision-Date": stamp,
            "Last-Translator": "l10n-workflow (machine translation)",
            "Language-Team": target.name,
            "Language": target.code,
        }
    header = {
        "Project-Id-Version": article.id,
        "POT-Creation-Date": stamp,
        **translation,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language is not None:
        header["Plural-Forms"] = get_language(language).plural_forms
    header["X-Generator"] = f"l10n-workflow {__version__}"
    if engine_label:
        # X-Generator is rewritten by editors such as Poedit on save; this one survives.
        header["X-Machine-Translation"] = engine_label
    return header
