"""The one place PO and POT files are made and written.

`build_template` and `build_catalog` turn an article's segments (and their
translations) into `polib.POFile` objects without touching the disk;
`write_catalog` renders one and replaces the file atomically.

Entries follow the article's order. ``msgid`` is the English segment;
``msgctxt`` appears only to tell identical sentences apart; ``#:`` points at
the article's line; ``#.`` comments carry what a reviewer needs: the segment's
kind when it is not body text, possible boilerplate, and the glossary terms
with the rendering they require. Every machine translation is ``fuzzy``
until a reviewer clears it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import polib

from workflow import __version__
from workflow.article import Article, decode_text
from workflow.errors import InputError
from workflow.files import write_atomic
from workflow.languages import get_language
from workflow.masking import MaskedText, Slot, Translation
from workflow.merge import CatalogPlan
from workflow.segment import Segment

# Long lines are not wrapped (like `msgcat --no-wrap`): a comment naming a
# glossary term stays on one line, and diffs show one line per field.
_WRAP_WIDTH = 0
_BOILERPLATE_NOTE = "possible boilerplate: check that this line belongs to the article"
_NOT_ENFORCED = "glossary term not enforced, use it when reviewing"
_KEEPS_OLD_TEXT = ("reviewed", "unchanged", "changed-reviewed")
_REVIEWER_FIELDS = ("Last-Translator", "Language-Team", "PO-Revision-Date")


def build_template(
    article: Article,
    segments: Sequence[Segment],
    masked: Mapping[str, Sequence[MaskedText]],
    *,
    created: datetime,
) -> polib.POFile:
    """The POT template: every segment, untranslated, with its glossary terms named."""
    template = polib.POFile(wrapwidth=_WRAP_WIDTH)
    template.metadata = _header(article, language=None, created=created, engine_label=None)
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


def build_catalog(
    article: Article,
    plan: CatalogPlan,
    masked: Sequence[MaskedText],
    translations: Mapping[int, Translation],
    lang: str,
    *,
    engine_label: str,
    created: datetime,
) -> polib.POFile:
    """A language's PO file, as `plan` decided entry by entry.

    `masked[i]` is the i-th segment's masked source (its glossary terms) and
    `translations[i]` its new machine translation, for the entries that
    needed one.
    """
    catalog = polib.POFile(wrapwidth=_WRAP_WIDTH)
    header = _header(article, language=lang, created=created, engine_label=engine_label)
    if plan.old_header:
        # The reviewer's name, team and revision date belong to the reviewer.
        header |= {k: v for k, v in plan.old_header.items() if k in _REVIEWER_FIELDS}
    catalog.metadata = header
    segments = [entry.segment for entry in plan.entries]
    reference = _reference_path(article.path)
    contexts = message_contexts(segments)
    for index, entry_plan in enumerate(plan.entries):
        segment, old = entry_plan.segment, entry_plan.old
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {_describe_slot(slot)}" for slot in masked[index].slots]
        translation = translations.get(index)
        unenforced = translation.unenforced if translation else ()
        notes += [f"{_NOT_ENFORCED}: {_describe_slot(slot)}" for slot in unenforced]
        if entry_plan.decision == "unchanged" and old is not None:
            notes += [n for n in old.comment.splitlines() if n.startswith(_NOT_ENFORCED)]
        if entry_plan.decision == "changed-reviewed" and translation is not None:
            notes.append(f"machine translation of the new English: {translation.text}")
        if old is not None and entry_plan.decision in _KEEPS_OLD_TEXT:
            msgstr = old.msgstr
        else:
            msgstr = translation.text if translation else ""
        entry = _entry(reference, segment, contexts[index], notes, msgstr=msgstr)
        if old is not None:
            entry.tcomment = old.tcomment
            entry.flags = [flag for flag in old.flags if flag != "fuzzy"]
        if entry_plan.decision == "reviewed" and old is not None:
            entry.previous_msgid = old.previous_msgid
            if "fuzzy" in old.flags:
                entry.flags.insert(0, "fuzzy")
        else:
            entry.flags.insert(0, "fuzzy")
        if entry_plan.decision == "changed-reviewed" and old is not None:
            entry.previous_msgid = old.msgid
            entry.previous_msgctxt = old.msgctxt
        catalog.append(entry)
    for old in plan.obsolete:
        old.obsolete = True
        catalog.append(old)
    return catalog


def read_catalog(path: Path, *, language: str) -> polib.POFile:
    """An existing PO file, refused with file and line if it cannot be merged safely."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    text = decode_text(data, path=path)
    _check_syntax(text, path)
    try:
        catalog = polib.pofile(text, wrapwidth=_WRAP_WIDTH, check_for_duplicates=True)
    except ValueError as error:  # polib's word for a duplicate entry
        msgid = str(error).partition('"')[2].rpartition('"')[0]
        line = _nth_line(text, f"msgid {_quote(msgid)}", 2)
        raise InputError(f"duplicate entry: msgid {_quote(msgid)}", path=path, line=line) from None
    except OSError as error:  # polib's word for a syntax error
        raise InputError(_polib_message(error), path=path, line=_polib_line(error)) from None
    charset = catalog.metadata.get("Content-Type", "").partition("charset=")[2].strip()
    if charset and charset.upper() not in ("UTF-8", "UTF8"):
        raise InputError(
            f"charset is {charset}, not UTF-8; convert it (msgconv -t UTF-8)",
            path=path,
            line=_header_line(text, "Content-Type"),
        )
    found = catalog.metadata.get("Language", "")
    if found and found.replace("-", "_").split("_")[0] != language:
        raise InputError(
            f"Language header says {found!r} but this is the {language!r} catalog",
            path=path,
            line=_header_line(text, "Language"),
        )
    return catalog


# polib reads some broken lines without complaint ('msgid Word"' as "ord"), so
# every line is checked against the PO grammar before polib sees the file.
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"""^(?:
        \s*
      | \#(?!~).*
      | (?:\#~\|?\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}\s*
      | (?:\#~\|?\s*)?{_STRING}\s*
    )$""",
    re.VERBOSE,
)


def _check_syntax(text: str, path: Path) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        if not _PO_LINE.match(line):
            raise InputError(f"PO syntax error: {line.strip()[:60]}", path=path, line=number)


def _polib_message(error: Exception) -> str:
    return str(error).split(" (line")[0].strip() or "not a valid PO file"


def _quote(text: str) -> str:
    return '"' + polib.escape(text) + '"'


def _nth_line(text: str, start: str, n: int) -> int | None:
    """The number of the `n`-th line of `text` that starts with `start`."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start)]
    return found[n - 1] if len(found) >= n else None


def _polib_line(error: Exception) -> int | None:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _header_line(text: str, field: str) -> int | None:
    return _nth_line(text, f'"{field}:', 1)


def write_catalog(catalog: polib.POFile, path: Path) -> None:
    """Render `catalog` and replace `path` with it in one step."""
    write_atomic(path, str(catalog))


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


def message_contexts(segments: Sequence[Segment]) -> list[str | None]:
    """A msgctxt for each repeat of an English sentence; None where the text is unique.

    The first occurrence keeps no context, so a sentence that becomes unique
    again needs no change.
    """
    seen: set[str] = set()
    contexts: list[str | None] = []
    for segment in segments:
        contexts.append(segment.key if segment.text in seen else None)
        seen.add(segment.text)
    return contexts


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
        translation = {
            "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
            "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "LANGUAGE <LL@li.org>",
            "Language": "",
        }
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
