"""Sentence segmentation for English news paragraphs.

The base is pysbd, a rule-based Python port of the "Golden Rules" segmenter
(pragmatic_segmenter): no model to download, deterministic, and already good
with numbers, quotations and common abbreviations. News copy needs a few rules
on top, kept as data below, decided from the token before a space and the
word after it:

* Titles never end a sentence ("Sen. Kim", "Lt. Col. Park", "e.g. Seoul").
* A full stop followed by a lowercase word never ends one ("2.5 pct. in 2020",
  "9 a.m. local time", "Apple Inc. rose").
* After an abbreviation that often ends a sentence (`ENDS_OFTEN`: "U.S.",
  "D.C.", "Inc.", "Co.", "Jr.", state names such as "Calif.", "etc."), a
  capitalized word starts a new sentence ("in the U.S. Moon returned"),
  unless it is one of `NAME_CONTINUATIONS`, the offices and institutions
  that follow such an abbreviation inside a name ("U.S. President", "U.S.
  Forces Korea", "Co. Chairman", "Inc. CEO"), or an all-capitals acronym
  ("U.S. FBI"). The price: a sentence that ends in "U.S." and is followed by
  a sentence opening with one of those words ("... the U.S. State media
  said") is not split; missing a split costs a reviewer one long entry,
  while a false split cuts a name in two, so the list keeps to words that
  rarely open a sentence.
* After "a.m." and "p.m." every capitalized word starts a sentence ("3 p.m.
  Sen. Kim said") except a time zone ("3 p.m. KST", "10 a.m. Seoul time") and
  a day or a date, which news style writes after the time ("at 2 p.m.
  Tuesday", "from 10 a.m. Feb. 27", "until 9 a.m. March 1").
* Other abbreviations (`MAY_BE_FINAL`: "St.", "Ave.", months, single initials
  and other dotted initials, which are often a person's: "H.R. McMaster")
  end a sentence only before a word of `SENTENCE_STARTERS` ("Main St. Its
  bells"), so "S. Korea", "St. Louis" and "George W. Bush" stay whole.
* Photo credits such as "(PHOTO NOT FOR SALE) (Yonhap)" stand alone, and a
  closing quotation mark stays with the sentence it closes even when the
  paragraph holds no opening one (a quotation continued from the paragraph
  before).

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


#: Capitalized words that, after an abbreviation of `MAY_BE_FINAL` ("St.", "Jan.",
#: "J."), show that a new sentence has begun: Punkt's orthographic heuristic as a
#: list. Any other word continues the sentence, so "St. Louis" and "J. Lee" stay whole.
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
    Mt Pfc Prof Pvt Rep Reps Rev Sen Sens Sgt Supt v vs e.g i.e a.k.a
    """
)

#: Abbreviations that never end a sentence when a number follows ("Jan. 15", "No. 2");
#: before anything else they are treated like `MAY_BE_FINAL`.
BEFORE_NUMBER = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No Nos Vol Art Fig pp")

#: Abbreviations that often end a sentence: a capitalized word after one starts a new
#: sentence unless it is in `NAME_CONTINUATIONS` or an all-capitals acronym.
ENDS_OFTEN = _words(
    """
    Co Cos Corp Inc Ltd LLC Plc Jr Sr etc
    U.S U.N U.K E.U D.C L.A N.Y N.J N.C S.C N.D S.D N.H N.M R.I
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
    Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo
    """
)

#: Capitalized words that continue a name after an abbreviation of `ENDS_OFTEN`:
#: offices, titles and institutions ("U.S. Secretary of State", "U.S. Forces Korea",
#: "Samsung Electronics Co. Chairman Lee", "Co. Ltd", "King Jr. Day").
NAME_CONTINUATIONS = _words(
    """
    Adm Administration Admiral Agency Air Ambassador Ambassadors Amb Army Assembly
    Assistant Attorney Attorneys Bancorp Bank Border Bureau Capitol Capt Census Central
    Chair Chairman Chairwoman Chamber Chief Circuit Citizenship Coast Co Col Combined
    Command Commander Commanders Commerce Commission Committee Congress Congressional
    Consulate Corp Council Court Courts Customs Cyber Day Defence Defense Democrat
    Democratic Democrats Department Dept Deputy Director District Drug Economy Education
    Embassy Energy Envoy Environmental Executive Fed Federal Food Force Forces Foreign
    Gen General Government Gov Governor Group Health High Holdings Home House Human
    Immigration Inc Intelligence Interior Joint Justice Labor Legislature Lt LLC Ltd Maj
    Managing Marine Marines Mayor Military Ministry Mission National Navy Nuclear Office
    Open Parliament Plc Police Postal Presidential President Prime Rep Representative
    Representatives Republican Republicans Reserve Secretaries Secretary Secret
    Securities Security Sen Senate Senator Senators Sgt Space Special Spokesman
    Spokesperson Spokeswoman State Steel Strategic Supreme Trade Transportation Treasury
    Undersecretary Veterans Vice
    """
)

#: Abbreviations that may end a sentence; they do when a word of `SENTENCE_STARTERS`
#: follows. Single initials ("J.", "S.") and dotted initials not in `ENDS_OFTEN`
#: ("H.R.", "J.D.") are recognized by shape and treated the same way.
MAY_BE_FINAL = _words("Bros St Ave Blvd Rd Dept Univ Assn Govt approx est")

#: "3 p.m.": after these every capitalized word starts a sentence but a time zone,
#: a day of the week (`WEEKDAYS`) and a month followed by a number (`MONTHS`).
TIMES = _words("a.m p.m A.M P.M")

#: "at 2 p.m. Tuesday": a day after a time belongs to the time.
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

#: "from 10 a.m. Feb. 27": a month and a number after a time belong to the time.
MONTHS = _words(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
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
# Closing quotes (and brackets after them) that end a token: '."' in 'the end." He'.
_CLOSING = re.compile(r"[\"'\u201d\u2019][\"'\u201d\u2019)\]]*(?=\s|\Z)")
# "10 a.m. Seoul time", "3 p.m. Eastern Standard Time": what follows a zone's name.
_TIME_WORDS = ("time", "standard", "daylight")
_QUOTE_CLOSED = re.compile(r"[.!?][\"'\u201d\u2019]+\Z")
_WORD = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"\S+")
# A token ending as `_continues` can judge, then the next token and the one after it.
_MAY_DECIDE = re.compile(r"(?<!\S)\S*[.\u2026\"'\u201d\u2019](?=(\s+)(\S+)(?:\s+(\S+))?)")
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
# Parenthesized credits closing a line, and the punctuation that ends a sentence.
_CREDITS = re.compile(r"(?:\s*\([^()]*\))+\s*\Z")
_FINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s*\Z")


# Searched in the window with a space put before it, which stands for its start.
# Every branch opens with one of a few rare characters (and looks behind it if
# need be), so that the search skips over letters and spaces quickly.
_NOT_PLAIN = re.compile(
    r"[.!?][.!?]"  # ellipses and runs of marks
    r"|[.!?'](?<=\s[.!?'])"  # a mark after a space, a single quotation
    r"|\.(?<=\s[a-z]\.)|\)(?<=\s[a-z]\))|\((?:[a-z]|[mdclxvi]+)[.)]"  # lettered lists
    r"|\)(?<=\s[mdclxvi]{2}\))|\)(?<=\s[mdclxvi]{3}\))"  # roman lists (i to xx)
    r"|\)(?<=\s[mdclxvi]{4}\))|\)(?<=\s[mdclxvi]{5}\))"
    r"|\.(?<=[\s\-]\d\.)(?:[\s)]|\Z)|\.(?<=[\s\-]\d\d\.)(?:[\s)]|\Z)"  # numbered lists
    r"|\)(?<=\d\))"  # numbered lists in parentheses
    r"|\.(?<=[^\d\s]\.)\d"  # numbered references ("word.12 The")
    r"|\"\s\(|-[\"']\s"  # parentheses between quotations, a dash closing a quotation
    r"|[\\\[\]{}<>`~^|@#*_=+]"  # escapes, brackets, markup, addresses
    r"|Yahoo!|Yum!|!\w"  # exclamation marks inside words
)
# What pysbd keeps whole: closed double quotations, parentheses, pairs of "--".
# Each with what every match of it opens with.
_GUARDED = (
    ('"', re.compile(r'"[^"]+"')),
    ("(", re.compile(r"\([^()]+\)")),
    ("--", re.compile(r"--[^-]*--")),
)
_MULTI_PERIOD = re.compile(r"\b[a-z](?:\.[a-z])+\.", re.IGNORECASE)
_INNER_PERIOD = re.compile(r"[A-Za-z0-9_]\.[A-Za-z0-9_]")
_MARK = re.compile(r"[.!?]")
_QUOTE_THEN_CAPITAL = re.compile(r" [A-Z]")
# A sentence that opens with a quotation or parenthesis pysbd may cut off on its own.
_OPENING_SENTENCE = re.compile(r"\"[^\"]*[^,]\"(?=\s[A-Z])|\([^)]{2,}\)(?=\s[A-Z])")


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
            found = _plain_starts(text, start, end, quoted)
            if found is None:
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


def ends_sentence(before: str, after: str) -> bool:
    """Whether a sentence ends between text `before` and the text `after` that follows it.

    Used at line breaks: the same abbreviation rules as `sentence_spans`, then
    final punctuation, with a closing photo credit ignored.

    >>> ends_sentence("The talks ended.", "Both sides spoke.")
    True
    >>> ends_sentence("He met the U.S.", "President on Tuesday."), ends_sentence("He met", "Kim.")
    (False, False)
    >>> ends_sentence("by the ministry. (PHOTO NOT FOR SALE) (Yonhap)", "In Tuesday's talks")
    True
    """
    head = before[-_CREDIT_REACH:].split()
    tail = after.split(maxsplit=2)
    if head and tail:
        verdict = _continues(head[-1], tail[0], tail[1] if len(tail) > 1 else "")
        if verdict is not None:
            return not verdict
    core = _CREDITS.sub("", before[-_CREDIT_REACH:])
    return not core or bool(_FINAL.search(core))


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


def _plain_starts(text: str, start: int, end: int, quoted: bytearray) -> list[int] | None:
    """pysbd's sentence starts in ``text[start:end]`` when it is plain prose, else None.

    pysbd makes some eighty regular-expression passes over its input and reads
    about 0.15 MB a second; most news prose needs none of them. A window is
    plain when it is printable ASCII with single spaces and none of the shapes
    that make pysbd do more than cut after a full stop, question or exclamation
    mark followed by a space (`_NOT_PLAIN`: lists, ellipses, single quotes,
    references, a full stop inside or before a word). In a plain window pysbd
    cuts after every such mark except one inside a closed double quotation, a
    parenthesis or a pair of "--" (and then still after one closing a
    quotation before a capital), an exclamation mark before a lowercase word,
    and a full stop closing an abbreviation; where the news rules do not
    decide the last (`_continues`), the window is plain only if the word
    before the stop is in no abbreviation list of pysbd's. Windows that are
    not plain go to pysbd; tests compare the two on whole articles.

    >>> text = "He met Kim. The talks (in Seoul. Really) ended! Why?"
    >>> _plain_starts(text, 0, len(text), _inside_quotations(text))
    [0, 12, 48]
    >>> text = "It is 9 a.m. in Seoul... Maybe."
    >>> _plain_starts(text, 0, len(text), _inside_quotations(text)) is None
    True
    """
    # pysbd is given the window without the spaces around it (see `_pysbd_starts`).
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    window = text[start:end]
    if not window:
        return []
    # Plain: printable ASCII with single spaces, and none of `_NOT_PLAIN`.
    if not (window.isascii() and window.isprintable()) or "  " in window:
        return None
    if _NOT_PLAIN.search(" " + window):
        return None
    guarded = bytearray(len(window) + 1)
    for opening, pattern in _GUARDED:
        if opening not in window:  # told in C for most windows
            continue
        for match in pattern.finditer(window):
            guarded[match.start() + 1 : match.end() - 1] = b"\x01" * (len(match.group()) - 2)
    # Needed only at a full stop inside a word ("U.S."), so found then.
    protected: set[int] | None = None
    starts = [start]
    for mark in _MARK.finditer(window):
        at = mark.start()
        char, following = window[at], window[at + 1 : at + 2]
        if guarded[at]:
            # Not a boundary, but pysbd cuts after one closing a quotation before a
            # capital (a single quote is masked inside guarded text, so not after that).
            if following == '"' and _QUOTE_THEN_CAPITAL.match(window, at + 2):
                starts.append(start + at + 3)
            continue
        if not following:
            break
        if following != " ":
            if protected is None:
                protected = {m.end() - 1 for m in _MULTI_PERIOD.finditer(window)}
            if char == "." and (at in protected or _INNER_PERIOD.match(window, at - 1)):
                if following in "\"'" and _QUOTE_THEN_CAPITAL.match(window, at + 2):
                    starts.append(start + at + 3)
                continue
            return None
        nxt = at + 2
        if char == "!" and window[nxt : nxt + 1].islower():
            continue
        if char == "." and not _plain_final(window, at, nxt, quoted[start + nxt]):
            return None
        starts.append(start + nxt)
    for begin in starts:
        if _OPENING_SENTENCE.match(text, begin, end):
            return None
    return starts


def _plain_final(window: str, at: int, nxt: int, quoted: int) -> bool:
    """Whether the full stop at `at` ends a sentence for pysbd, or the news rules decide there."""
    token = window[window.rfind(" ", 0, at) + 1 : at + 1]
    following = _TOKEN.match(window, nxt)
    after = _TOKEN.match(window, following.end() + 1) if following else None
    verdict = _continues(
        token, following.group() if following else "", after.group() if after else ""
    )
    if verdict is True:
        return True
    if verdict is False and not quoted:
        return True
    # pysbd's abbreviations: a word of its list right after a space (its full
    # stops match any character), a single letter, or letters with full stops
    # between them.
    stem = token[:-1]
    bare = stem.lstrip(_OPENERS)
    known = _pysbd_abbreviations()
    return (
        len(bare) > 1 and "." not in stem and not (known.fullmatch(stem) or known.fullmatch(bare))
    )


@cache
def _pysbd_abbreviations() -> re.Pattern[str]:
    from pysbd.lang.english import English

    words = [word.strip() for word in English.Abbreviation.ABBREVIATIONS]
    return re.compile("|".join([*words, "kg"]), re.IGNORECASE)


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
    """Add and remove sentence starts in place, by the abbreviation, quote and credit rules."""
    # Only a token ending in a full stop, an ellipsis or a closing quote can get a
    # verdict from `_continues`; the regular expression finds those with the two
    # tokens after them, so the other tokens cost no Python code.
    for match in _MAY_DECIDE.finditer(text):
        following = match.start(2)
        verdict = _continues(match.group(0), match.group(2), match.group(3) or "")
        if verdict:
            starts.discard(following)
        elif verdict is False and not quoted[following]:
            starts.add(following)
    # A closing quote glued to a sentence's last word belongs to that sentence,
    # even when no opening quote in the paragraph pairs with it.
    starts.difference_update(
        [s for s in starts if s > 0 and not text[s - 1].isspace() and _CLOSING.match(text, s)]
    )
    # A credit closes with ")": most paragraphs are ruled out in C.
    tail = text[-_CREDIT_REACH:].rstrip()
    credit = (
        _TRAILING_CREDIT.search(text, max(0, len(text) - _CREDIT_REACH))
        if tail.endswith(")")
        else None
    )
    if credit:
        starts.difference_update([start for start in starts if start > credit.start(1)])
        starts.add(credit.start(1))


def _continues(token: str, following: str, then: str = "") -> bool | None:
    """Whether the sentence goes on from `token` to `following` (`then` next); None: no opinion.

    >>> _continues("D.C.", "The"), _continues("U.S.", "Secretary"), _continues("Sen.", "The")
    (False, True, True)
    >>> _continues("U.S.", "Moon"), _continues("St.", "Louis"), _continues("pct.", "in")
    (False, True, True)
    >>> _continues("p.m.", "Sen."), _continues("a.m.", "Seoul", "time"), _continues("p.m.", "KST")
    (False, True, True)
    >>> _continues("Jan.", "15"), _continues("wait...", "and"), _continues("said.", "The")
    (True, True, None)
    """
    first = _first_word(following)
    starter = first in SENTENCE_STARTERS
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
    if first.islower():
        return True
    capitalized = first[:1].isupper()
    acronym = len(first) > 1 and first.isupper()
    if word in TIMES:
        return (
            not capitalized
            or acronym
            or then.lower().startswith(_TIME_WORDS)
            or first in WEEKDAYS
            or (first in MONTHS and then[:1].isdigit())
        )
    if word in ENDS_OFTEN:
        return not capitalized or acronym or first in NAME_CONTINUATIONS
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
    spans: list[tuple[int, int]] = []
    for start, end in pairwise(edges):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        first = start + len(piece) - len(piece.lstrip())
        if spans and _CLOSING.fullmatch(stripped):
            # A quote mark alone closes the sentence before it: 'the end. "'.
            spans[-1] = (spans[-1][0], first + len(stripped))
        else:
            spans.append((first, first + len(stripped)))
    return spans
