"""Sentence segmentation for English news paragraphs.

The base is pysbd, a rule-based Python port of the "Golden Rules" segmenter
(pragmatic_segmenter): no model to download, deterministic, and already good
with numbers, quotations and common abbreviations. News copy needs a few rules
on top, kept as data below: abbreviations that may or may not end a sentence
("D.C.", "Co.", "p.m."), titles that never do ("Sen.", "Lt. Col.") and photo
credits such as "(PHOTO NOT FOR SALE) (Yonhap)", which stand alone.

>>> split_sentences("The ministers met in Washington, D.C. The talks lasted an hour.")
['The ministers met in Washington, D.C.', 'The talks lasted an hour.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from typing import Any, Protocol


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Capitalized words that, after an abbreviation which may end a sentence ("D.C.",
#: "Co.", "p.m."), show that a new sentence has begun: Punkt's orthographic heuristic
#: as a list. Any other word continues the sentence, so "U.S. Secretary of State" and
#: "Samsung Electronics Co. Chairman Lee" stay whole; the price is that a sentence
#: ending in "U.S." and followed by a name ("... the U.S. North Korea said") is not split.
SENTENCE_STARTERS = _words(
    """
    A About According Across After Afterward Again Along Also Although Among An And Another
    Any As At Because Before Both But By Despite During Each Earlier Either Even Every
    Few For From Further Furthermore He Hence Her Here His However I If In Instead It Its
    Last Later Like Many Meanwhile More Moreover Most Much My Neither Nevertheless Next
    Nonetheless Nor Not Now Of On Once One Only Or Other Others Our Over Overall
    Rather Regarding She Since So Some Still Such That The Their Then There Therefore
    These They This Those Though Thus To Together Under Unlike Until We What When Where
    Whether Which While Who Why With Within Without Yet You Your
    """
)

#: Titles and the like, which never end a sentence ("Sen. Kim", "Lt. Col. Park").
NEVER_FINAL = _words(
    """
    Adm Amb Brig Capt Cmdr Col Cpl Dr Fr Gen Gov Hon Lt Maj Messrs Mmes Mr Mrs Ms Msgr
    Mt Pfc Prof Pvt Rep Reps Rev Sen Sens Sgt Supt v vs
    """
)

#: Abbreviations that never end a sentence when a number follows ("Jan. 15", "No. 2");
#: before anything else they are treated like `MAY_BE_FINAL`.
BEFORE_NUMBER = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No Nos Vol Art Fig pp")

#: Abbreviations that may end a sentence; they do when a word of `SENTENCE_STARTERS`
#: follows. Dotted acronyms ("U.S.", "D.C.", "p.m.") and single initials ("J.", "S.")
#: are recognized by shape and treated the same way.
MAY_BE_FINAL = _words(
    """
    Co Cos Corp Inc Ltd Bros Jr Sr St Ave Blvd Rd Dept Univ Assn Govt etc approx est
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
    Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo
    """
)

#: Paragraphs longer than this are cut, at likely sentence ends outside quotations,
#: into windows of at most this size before pysbd sees them: pysbd's time grows
#: faster than linearly on long inputs (about 2.6 s for 18,000 characters of "Wow!! ").
#: A window that still exceeds it has no likely sentence end inside, so it is left
#: to the plain regex below instead, which finds none and keeps it whole.
MAX_WINDOW = 2000

_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")
_INITIAL = re.compile(r"[A-Z]\.")
_OPENERS = "\"'([\u201c\u2018"
_QUOTE_CLOSED = re.compile(r"[.!?][\"'\u201d\u2019]+\Z")
_WORD = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"\S+")
_NOT_SPACE = re.compile(r"\S")
# Where a sentence likely ends: the regex fallback, and the safe places to cut windows.
_LIKELY_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
# Closed double quotations, inside which no boundary is added (pysbd does the same).
_QUOTATION = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")
# "... ministry. (PHOTO NOT FOR SALE) (Yonhap)": credits closing a paragraph.
_TRAILING_CREDIT = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019]))\s+"
    r"(\([^()]{1,40}\)(?:\s*\([^()]{1,40}\))*)\s*\Z"
)
_CREDIT_REACH = 200


class _Segmenter(Protocol):
    def processor(self, text: str) -> Any: ...


@cache
def _segmenter() -> _Segmenter:
    import pysbd

    segmenter: _Segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in `text`, in order.

    Spans do not overlap and are stripped of surrounding whitespace; what lies
    between them (and before the first and after the last) is whitespace only.

    >>> text = " He met U.S. Secretary of State Mike Pompeo.  (Yonhap)"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['He met U.S. Secretary of State Mike Pompeo.', '(Yonhap)']
    >>> sentence_spans("   ")
    []
    """
    quoted = _inside_quotations(text)
    starts: set[int] = set()
    for start, end in _windows(text, quoted):
        found = None
        if end - start <= MAX_WINDOW:
            found = _pysbd_starts(text, start, end)
        if found is None:
            found = [start, *(m.end() for m in _LIKELY_END.finditer(text, start, end))]
        starts.update(found)
    _apply_news_rules(text, starts, quoted)
    return _cut(text, starts)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped: ``[text[s:e] for s, e in sentence_spans(text)]``.

    >>> split_sentences('He said, "We will go." Then they left.')
    ['He said, "We will go."', 'Then they left.']
    >>> split_sentences("WASHINGTON/SEOUL, Jan. 15 (Yonhap) -- The top diplomats met.")
    ['WASHINGTON/SEOUL, Jan. 15 (Yonhap) -- The top diplomats met.']
    """
    return [text[start:end] for start, end in sentence_spans(text)]


def _inside_quotations(text: str) -> bytearray:
    inside = bytearray(len(text) + 1)
    for match in _QUOTATION.finditer(text):
        inside[match.start() + 1 : match.end()] = b"\x01" * (match.end() - match.start() - 1)
    return inside


def _windows(text: str, quoted: bytearray) -> list[tuple[int, int]]:
    """`text` cut at likely sentence ends into windows of at most `MAX_WINDOW` where possible."""
    if len(text) <= MAX_WINDOW:
        return [(0, len(text))]
    cuts = [m.end() for m in _LIKELY_END.finditer(text) if not quoted[m.end()]]
    windows = []
    start = previous = 0
    for cut in [*cuts, len(text)]:
        if cut - start > MAX_WINDOW and previous > start:
            windows.append((start, previous))
            start = previous
        previous = cut
    windows.append((start, len(text)))
    return windows


def _pysbd_starts(text: str, start: int, end: int) -> list[int] | None:
    """Where pysbd's sentences of ``text[start:end]`` start, or None if they do not match it.

    pysbd's own offsets are not used: they go wrong when a sentence repeats. Its
    input has whitespace runs collapsed, because pysbd splits at every line break.
    """
    window = " ".join(text[start:end].split())
    if not window:
        return []
    # Segmenter.segment() would also compute character offsets, compiling a
    # regular expression per sentence (half of its time); `_locate` does that.
    sentences = _segmenter().processor(window).process()
    return _locate(sentences, text, start, end)


def _locate(sentences: Iterable[str], text: str, start: int, end: int) -> list[int] | None:
    """Start offsets of consecutive `sentences` in ``text[start:end]``, whitespace aside.

    >>> _locate(["A b.", "A b."], "A  b.\\nA b.", 0, 11)
    [0, 6]
    >>> _locate(["A c."], "A b.", 0, 4) is None
    True
    """
    starts = []
    cursor = start
    for sentence in sentences:
        for number, token in enumerate(sentence.split()):
            found = _NOT_SPACE.search(text, cursor, end)
            if found is None or not text.startswith(token, found.start(), end):
                return None
            cursor = found.start()
            if number == 0:
                starts.append(cursor)
            cursor += len(token)
    if text[cursor:end].strip():
        return None
    return starts


def _apply_news_rules(text: str, starts: set[int], quoted: bytearray) -> None:
    """Add and remove sentence starts in place, by the abbreviation and credit rules."""
    tokens = list(_TOKEN.finditer(text))
    for before, after in pairwise(tokens):
        verdict = _continues(before.group(), after.group())
        if verdict:
            starts.discard(after.start())
        elif verdict is False and not quoted[after.start()]:
            starts.add(after.start())
    credit = _TRAILING_CREDIT.search(text, max(0, len(text) - _CREDIT_REACH))
    if credit:
        starts.difference_update([start for start in starts if start > credit.start(1)])
        starts.add(credit.start(1))


def _continues(token: str, following: str) -> bool | None:
    """Whether the sentence goes on from `token` to `following`; None: no opinion.

    >>> _continues("D.C.", "The"), _continues("U.S.", "Secretary"), _continues("Sen.", "The")
    (False, True, True)
    >>> _continues("Jan.", "15"), _continues("wait...", "and"), _continues("said.", "The")
    (True, True, None)
    """
    starter = _first_word(following) in SENTENCE_STARTERS
    if token.endswith(("...", "\u2026")):
        return True if following[:1].islower() else None
    if _QUOTE_CLOSED.search(token):
        return False if starter else None
    if not token.endswith("."):
        return None
    abbreviation = token.lstrip(_OPENERS)
    word = abbreviation[:-1]
    if word in NEVER_FINAL:
        return True
    if word in BEFORE_NUMBER and following[:1].isdigit():
        return True
    if (
        word in MAY_BE_FINAL
        or word in BEFORE_NUMBER
        or _ACRONYM.fullmatch(abbreviation)
        or _INITIAL.fullmatch(abbreviation)
    ):
        return not starter
    return None


def _first_word(token: str) -> str:
    match = _WORD.match(token.lstrip(_OPENERS))
    return match.group() if match else ""


def _cut(text: str, starts: set[int]) -> list[tuple[int, int]]:
    """`text` cut at `starts` into spans stripped of whitespace, empty ones dropped."""
    edges = sorted(starts | {0, len(text)})
    spans = []
    for start, end in pairwise(edges):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(stripped)))
    return spans
