"""Assembling the finished translated article from a reviewed PO file.

The layout comes from the English article, never from the PO file: the
article is segmented again (`workflow.segment.segment_article`) and each
segment is looked up in the catalog, so the title, paragraphs and captions
come out in the article's order and shape whatever order the entries are in.

A segment is looked up by its English and, for the second and later copies
of a repeated sentence, by the ``msgctxt`` that `workflow.rerun` gives them
(the segment key). Entries not claimed that way are then matched in file
order on `workflow.text.source_key`, so a repeat whose key moved because a
paragraph was inserted, or a sentence that only changed its quote style,
still finds its translation.

Nothing is ever invented: a segment without a translation (empty
``msgstr``, or no entry at all because the article changed after the PO
file was made) keeps its English and is listed in `BuiltArticle.fallbacks`;
a ``fuzzy`` translation is used but listed in `BuiltArticle.unreviewed`.

>>> import polib
>>> from workflow.article import parse_article
>>> article = parse_article(
...     "Talks resume\\n\\nSEOUL, Jan. 15 (Yonhap) -- The talks resumed. Both sides spoke.\\n",
...     article_id="demo", path="demo.txt")
>>> catalog = polib.POFile()
>>> catalog.metadata = {"Language": "ko"}
>>> for english, korean in [("Talks resume", "회담 재개"),
...                         ("SEOUL, Jan. 15 (Yonhap) --", "(서울=연합뉴스)"),
...                         ("The talks resumed.", "회담이 재개됐다.")]:
...     catalog.append(polib.POEntry(msgid=english, msgstr=korean))
>>> built = build_article(catalog, article)
>>> print(built.text, end="")
회담 재개
<BLANKLINE>
(서울=연합뉴스) 회담이 재개됐다. Both sides spoke.
>>> built.fallbacks, built.is_complete
(('Both sides spoke.',), False)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import polib

from workflow.article import Article
from workflow.errors import InputError
from workflow.languages import Language, get_language, primary_subtag
from workflow.rerun import message_contexts
from workflow.segment import Segment, segment_article
from workflow.text import source_key

# Newer GNU gettext wraps file names that contain spaces in these two marks.
_ISOLATES = "\u2068\u2069"


@dataclass(frozen=True)
class BuiltArticle:
    """A finished translated article, and what in it is not a reviewed translation."""

    article_id: str
    language: str
    #: Title, a blank line, then the paragraphs separated by blank lines; ends with a newline.
    text: str
    #: English of the segments left in English, in reading order (one per segment).
    fallbacks: tuple[str, ...] = ()
    #: English of the segments whose translation is still ``fuzzy``, in reading order.
    unreviewed: tuple[str, ...] = ()
    #: The part of `fallbacks` that has no entry in the PO file at all: the
    #: article changed after the PO file was made, and ``l10n run`` adds them.
    missing: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        """Whether every segment has a reviewed translation."""
        return not self.fallbacks and not self.unreviewed


@dataclass(frozen=True)
class _Piece:
    """One segment's text as it goes into the finished article."""

    segment: Segment
    text: str
    english: bool


def build_article(
    catalog: polib.POFile, article: Article, *, language: str | None = None
) -> BuiltArticle:
    """The article in the catalog's language, laid out like the English one.

    `language` defaults to the catalog's ``Language`` header; a catalog
    without one needs it given.
    """
    target = get_language(language if language is not None else _catalog_language(catalog))
    segments = segment_article(article)
    entries = _match_entries(segments, catalog)
    pieces: list[_Piece] = []
    fallbacks: list[str] = []
    unreviewed: list[str] = []
    missing: list[str] = []
    for segment, entry in zip(segments, entries, strict=True):
        translation = entry.msgstr.strip() if entry is not None else ""
        if not translation:
            fallbacks.append(segment.text)
            if entry is None:
                missing.append(segment.text)
            pieces.append(_Piece(segment, segment.text, english=True))
            continue
        if entry is not None and entry.fuzzy:
            unreviewed.append(segment.text)
        pieces.append(_Piece(segment, translation, english=False))
    paragraphs: defaultdict[int, list[_Piece]] = defaultdict(list)
    for piece in pieces:
        paragraphs[piece.segment.paragraph].append(piece)
    text = "\n\n".join(_join_paragraph(paragraphs[i], target) for i in sorted(paragraphs))
    return BuiltArticle(
        article_id=article.id,
        language=target.code,
        text=text + "\n",
        fallbacks=tuple(fallbacks),
        unreviewed=tuple(unreviewed),
        missing=tuple(missing),
    )


def _catalog_language(catalog: polib.POFile) -> str:
    found = catalog.metadata.get("Language", "").strip()
    if not found:
        raise InputError("the PO file has no Language header; name the language")
    return primary_subtag(found)


def _match_entries(
    segments: Sequence[Segment], catalog: polib.POFile
) -> list[polib.POEntry | None]:
    """Each segment's entry, or None when the catalog has none for it."""
    live = [entry for entry in catalog if not entry.obsolete and entry.msgid]
    exact = {(entry.msgid, entry.msgctxt or None): entry for entry in live}
    used: set[int] = set()
    found: list[polib.POEntry | None] = []
    for segment, context in zip(segments, message_contexts(segments), strict=True):
        entry = exact.get((segment.text, context))
        if entry is not None:
            used.add(id(entry))
        found.append(entry)
    by_key: defaultdict[str, list[polib.POEntry]] = defaultdict(list)
    for entry in live:
        if id(entry) not in used:
            by_key[source_key(entry.msgid)].append(entry)
    for index, segment in enumerate(segments):
        if found[index] is None:
            candidates = by_key.get(source_key(segment.text))
            if candidates:
                found[index] = candidates.pop(0)
    return found


def _join_paragraph(pieces: Sequence[_Piece], language: Language) -> str:
    text = pieces[0].text
    for previous, piece in pairwise(pieces):
        if previous.segment.kind == "dateline":
            separator = " "
        elif previous.english or piece.english:
            # English left in a Japanese paragraph still needs the space
            # English sentences are written with.
            separator = " "
        else:
            separator = language.sentence_separator
        text += separator + piece.text
    return text


def find_source_article(po_path: Path, catalog: polib.POFile, *, cwd: Path | None = None) -> Path:
    """The English article a PO file was made from, found from its ``#:`` references.

    The references are relative to the folder ``l10n run`` was run in, so they
    are looked for from the current folder (`cwd`), then from each folder
    the PO file is in. The live entries must all name the same article.

    >>> catalog = polib.POFile()
    >>> catalog.append(polib.POEntry(msgid="Hello.", occurrences=[("no/such.txt", "3")]))
    >>> find_source_article(Path("ko/demo.po"), catalog)
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: ko/demo.po: the article no/such.txt it was made from does not exist
    """
    named = sorted({name for entry in catalog for name in _references(entry)})
    if not named:
        raise InputError(
            "no '#:' reference names the article it was made from; give the article",
            path=po_path,
        )
    if len(named) > 1:
        listed = ", ".join(named)
        raise InputError(f"made from several articles ({listed}); give the article", path=po_path)
    bases = [cwd if cwd is not None else Path(), *po_path.resolve().parents]
    for base in bases:
        if (base / named[0]).is_file():
            return base / named[0]
    raise InputError(f"the article {named[0]} it was made from does not exist", path=po_path)


def _references(entry: polib.POEntry) -> list[str]:
    """The file names a live entry's ``#:`` comment gives."""
    if entry.obsolete or not entry.msgid or not entry.occurrences:
        return []
    occurrences: list[tuple[str, str]] = entry.occurrences
    *head, (last_name, last_line) = occurrences
    if head and last_line and not any(line for _, line in head):
        # polib cuts "#: my story.txt:3" at the space, into a name without a
        # line and one with it: rejoined, it is the one reference written.
        return [" ".join([*(name for name, _ in head), last_name]).strip(_ISOLATES)]
    return [name.strip(_ISOLATES) for name, _ in occurrences]
