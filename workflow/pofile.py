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
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import polib

from workflow import __version__
from workflow.article import Article
from workflow.files import write_atomic
from workflow.languages import get_language
from workflow.masking import MaskedText, Slot, Translation
from workflow.segment import Segment

# Long lines are not wrapped (like `msgcat --no-wrap`): a comment naming a
# glossary term stays on one line, and diffs show one line per field.
_WRAP_WIDTH = 0
_BOILERPLATE_NOTE = "possible boilerplate: check that this line belongs to the article"


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
    contexts = _contexts(segments)
    for index, segment in enumerate(segments):
        terms: dict[str, Slot] = {}
        for per_language in masked.values():
            for slot in per_language[index].slots:
                terms.setdefault(slot.match.term.en, slot)
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {s.match.term.en} ({s.match.term.type})" for s in terms.values()]
        template.append(_entry(article, segment, contexts[index], notes, msgstr=""))
    return template


def build_catalog(
    article: Article,
    segments: Sequence[Segment],
    translations: Sequence[Translation],
    lang: str,
    *,
    engine_label: str,
    created: datetime,
) -> polib.POFile:
    """A language's PO file: every segment with its machine translation, fuzzy."""
    catalog = polib.POFile(wrapwidth=_WRAP_WIDTH)
    catalog.metadata = _header(article, language=lang, created=created, engine_label=engine_label)
    contexts = _contexts(segments)
    for index, (segment, translation) in enumerate(zip(segments, translations, strict=True)):
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {_describe_slot(slot)}" for slot in translation.enforced]
        notes += [
            f"glossary term not enforced, use it when reviewing: {_describe_slot(slot)}"
            for slot in translation.unenforced
        ]
        entry = _entry(article, segment, contexts[index], notes, msgstr=translation.text)
        entry.flags.append("fuzzy")
        catalog.append(entry)
    return catalog


def write_catalog(catalog: polib.POFile, path: Path) -> None:
    """Render `catalog` and replace `path` with it in one step."""
    write_atomic(path, str(catalog))


def _entry(
    article: Article, segment: Segment, context: str | None, notes: list[str], *, msgstr: str
) -> polib.POEntry:
    return polib.POEntry(
        msgid=segment.text,
        msgstr=msgstr,
        msgctxt=context,
        occurrences=[(_reference_path(article), str(segment.line))],
        comment="\n".join(notes),
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


def _contexts(segments: Sequence[Segment]) -> list[str | None]:
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


def _reference_path(article: Article) -> str:
    try:
        relative = os.path.relpath(article.path)
    except ValueError:  # another drive on Windows
        relative = article.path
    return Path(relative).as_posix()


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
