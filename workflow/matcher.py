"""Find glossary terms in English text: leftmost-longest, whole words, one pass.

`TermMatcher` builds an Aho-Corasick automaton (a trie with goto, fail and
dictionary-suffix links) the first time it is asked to `find`, then scans a
text once. Its alphabet is tokens rather than characters: a text is cut into
runs of letters and digits, runs of whitespace (all alike: one space) and
single other characters, so ``Kang Kyung-wha`` is the five symbols
``Kang``, `` ``, ``Kyung``, ``-``, ``wha``. A term can then only begin and end
where a run of letters and digits does, and the trie for 50,000 names of
930,000 characters has about 220,000 nodes instead of 770,000.

Complexity, for terms of total length P characters, a text of N characters
and M raw occurrences of terms in it (before the whole-word filter):
building is O(P) time and space (tokenizing is linear, each token is hashed
once, each trie edge is one dict entry, and the breadth-first fail
computation walks each term's fail chain at most once per token); `find` is
O(N + M): tokenizing and hashing the tokens is O(N), the scan moves at most
one step down per token and as many back along fail links, each occurrence
is visited once through the output links, and choosing the leftmost-longest
matches is one more left-to-right pass over the tokens.

What counts as a match:

* Whole words only. The characters next to a match must not continue a word:
  letters and digits do; an apostrophe does when a letter or digit follows it
  (``O'Brien``); a hyphen does when a lowercase letter or a digit follows it,
  so ``Kyung`` is not found inside ``Kang Kyung-wha`` nor ``Japan`` inside
  ``Japan-made``, while ``Seoul`` and ``Tokyo`` are both found in
  ``Seoul-Tokyo ties``.
* A possessive right after a term, ``'s`` (or a bare apostrophe after a term
  ending in *s*), is allowed, left outside the match and reported in
  `Match.possessive`; the apostrophe may be typographic (U+2019).
* Leftmost-longest and non-overlapping: of the matches starting earliest the
  longest wins, and the scan resumes after it (and its possessive).
* Case-sensitive unless ``ignore_case=True`` (which compares casefolded
  tokens). Either way, a typographic apostrophe matches a straight one, the
  Unicode hyphens U+2010/U+2011 match ``-``, and any run of whitespace
  matches a space, so a term still matches across a line break.

>>> from workflow.glossary import Term
>>> matcher = TermMatcher([Term("Kang Kyung-wha", {}), Term("Seoul", {})])
>>> [(m.term.en, m.start, m.end, m.possessive) for m in matcher.find("Seoul's Kang Kyung-wha")]
[('Seoul', 0, 5, "'s"), ('Kang Kyung-wha', 8, 22, '')]
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress

from workflow.glossary import Term

# Typographic variants that newsrooms mix freely, folded one character to one
# character, so that positions in the folded text (where word boundaries are
# checked) are positions in the original.
_WHITESPACE = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_FOLD = str.maketrans(
    {"\u2019": "'", "\u2010": "-", "\u2011": "-"} | dict.fromkeys(_WHITESPACE, " ")
)


# What never continues a word after a match (see `_joined_after`): the end of
# the text, a space, and marks that are neither letters, apostrophes nor hyphens.
_ENDS_A_WORD = frozenset(("", " ", ",", ".", ";", ":", "!", "?", ")", '"'))
# Runs of letters and digits, runs of whitespace, and any other single character.
_TOKEN = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)
# After folding, every whitespace character is a space; a run of them is one symbol.
_SPACE_RUN = re.compile(r"  +")


@dataclass(frozen=True)
class Match:
    """One term found in a text.

    ``text[start:end]`` is the English term as written; a possessive suffix
    that follows it is not part of the span but is given in ``possessive``,
    exactly as written (``"'s"`` or ``"'"``, with a straight or a typographic
    apostrophe) or ``""``.
    """

    start: int
    end: int
    term: Term
    possessive: str = ""


class TermMatcher:
    """Finds the terms of a glossary in text; see the module docstring for the rules.

    The automaton is built on the first call to `find`, so creating a matcher
    for a language that is never used costs nothing. Terms whose ``en`` is
    blank are ignored. When several terms have the same ``en`` (after case and
    typographic folding), a match reports the one whose ``en`` is exactly the
    text matched, or else the first one given.

    >>> from workflow.glossary import Term
    >>> matcher = TermMatcher([Term("Korea", {}), Term("South Korea", {})])
    >>> [m.term.en for m in matcher.find("South Korea and Koreans in Korea")]
    ['South Korea', 'Korea']
    >>> TermMatcher([Term("Korea", {})], ignore_case=True).find("KOREA")[0].end
    5
    """

    def __init__(self, terms: Iterable[Term], *, ignore_case: bool = False) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.ignore_case = ignore_case
        self._automaton: _Automaton | None = None

    def find(self, text: str) -> list[Match]:
        """The leftmost-longest, non-overlapping whole-word matches in ``text``, in order."""
        if self._automaton is None:
            self._automaton = self._build()
        automaton = self._automaton
        goto, fail, out, link = automaton.goto, automaton.fail, automaton.out, automaton.link
        canon, starts, symbols = _tokenized(text)
        if self.ignore_case:
            symbols = [symbol.casefold() for symbol in symbols]
        # best[first token] = (end, pattern, possessive length) of the longest valid match.
        best: dict[int, tuple[int, int, int]] = {}
        root = goto[0]
        count = len(symbols)
        index = 0
        for entry in compress(range(count), map(root.__contains__, symbols)):
            if entry < index:
                continue
            index = entry
            node = 0
            while index < count:
                symbol = symbols[index]
                while node and symbol not in goto[node]:
                    node = fail[node]
                node = goto[node].get(symbol, 0)
                index += 1
                if not node:
                    break
                if out[node] >= 0 or link[node] >= 0:
                    self._collect(automaton, node, index, starts, canon, best)
        matches: list[Match] = []
        resume = 0
        for first in sorted(best):
            start = starts[first]
            if start < resume:
                continue
            end, pattern, suffix = best[first]
            group = automaton.groups[pattern]
            term = self.terms[group[0]] if len(group) == 1 else self._pick(group, text[start:end])
            matches.append(Match(start, end, term, text[end : end + suffix]))
            resume = end + suffix
        return matches

    @staticmethod
    def _collect(
        automaton: _Automaton,
        node: int,
        after: int,
        starts: list[int],
        canon: str,
        best: dict[int, tuple[int, int, int]],
    ) -> None:
        """Record in `best` the valid matches that end at `node`, before token `after`."""
        out, link = automaton.out, automaton.link
        hit = node if out[node] >= 0 else link[node]
        end = starts[after]
        while hit >= 0:
            pattern = out[hit]
            hit = link[hit]
            first = after - automaton.lengths[pattern]
            current = best.get(first)
            if current is not None and current[0] >= end:
                continue
            start = starts[first]
            # A space before and a space or a mark after settle most matches
            # without the calls.
            if start and canon[start - 1] != " " and _joined_before(canon, start):
                continue
            following = canon[end : end + 1]
            suffix = _possessive(canon, end) if following == "'" else 0
            if suffix == 0 and following not in _ENDS_A_WORD and _joined_after(canon, end):
                continue
            best[first] = (end, pattern, suffix)

    def _symbol(self, token: str) -> str:
        if token[0] == " ":
            return " "
        return token.casefold() if self.ignore_case else token

    def _pick(self, group: tuple[int, ...], written: str) -> Term:
        for index in group:
            if self.terms[index].en == written:
                return self.terms[index]
        return self.terms[group[0]]

    def _build(self) -> _Automaton:
        patterns: dict[tuple[str, ...], list[int]] = {}
        for index, term in enumerate(self.terms):
            if not term.en.strip():
                continue
            symbols = tuple(map(self._symbol, _TOKEN.findall(term.en.translate(_FOLD))))
            patterns.setdefault(symbols, []).append(index)
        return _Automaton(list(patterns), [tuple(group) for group in patterns.values()])


class _Tokenized:
    """The last text `_tokenized` cut, with its cuts (one matcher per language reads each text)."""

    last: tuple[str, str, list[int], list[str]] | None = None


def _tokenized(text: str) -> tuple[str, list[int], list[str]]:
    """`text` folded, the offsets of its tokens (and its length), and their symbols.

    The same for every matcher; kept for the next call, which is often
    another language's matcher reading the same segment. The lists are
    shared: callers must not change them.
    """
    last = _Tokenized.last
    if last is not None and last[0] == text:
        return last[1], last[2], last[3]
    # Printable ASCII holds nothing to fold (the common case, checked in C).
    canon = text if text.isascii() and text.isprintable() else text.translate(_FOLD)
    # Tokens, their offsets and their symbols are made by C loops (findall,
    # accumulate), and so is the list of tokens that can start a term: the
    # Python loop of `TermMatcher.find` only walks the automaton from each of
    # those until it is back at the root, and skips every other token.
    tokens = _TOKEN.findall(canon)
    starts = list(accumulate(map(len, tokens), initial=0))
    symbols = _TOKEN.findall(_SPACE_RUN.sub(" ", canon)) if "  " in canon else tokens
    # One tuple, replaced whole: a reader on another thread sees the old or the new one.
    _Tokenized.last = (text, canon, starts, symbols)
    return canon, starts, symbols


class _Automaton:
    """Aho-Corasick automaton over token symbols.

    ``goto[node]`` maps a symbol to the child node; ``fail[node]`` is the node
    of the longest proper suffix of node's sequence that is in the trie;
    ``out[node]`` is the pattern ending exactly at node (or -1) and
    ``link[node]`` the nearest node along the fail chain that ends a pattern
    (or -1). ``groups[pattern]`` are the indexes of the terms it stands for.
    """

    __slots__ = ("fail", "goto", "groups", "lengths", "link", "out")

    def __init__(self, patterns: list[tuple[str, ...]], groups: list[tuple[int, ...]]) -> None:
        self.groups = groups
        self.lengths = [len(pattern) for pattern in patterns]
        goto: list[dict[str, int]] = [{}]
        out = [-1]
        for number, pattern in enumerate(patterns):
            node = 0
            for symbol in pattern:
                child = goto[node].get(symbol)
                if child is None:
                    child = len(goto)
                    goto[node][symbol] = child
                    goto.append({})
                    out.append(-1)
                node = child
            out[node] = number
        fail = [0] * len(goto)
        link = [-1] * len(goto)
        queue = deque(goto[0].values())
        while queue:
            node = queue.popleft()
            for symbol, child in goto[node].items():
                state = fail[node]
                while state and symbol not in goto[state]:
                    state = fail[state]
                suffix = goto[state].get(symbol, 0)
                fail[child] = suffix
                link[child] = suffix if out[suffix] >= 0 else link[suffix]
                queue.append(child)
        self.goto, self.fail, self.out, self.link = goto, fail, out, link


def _hyphen_joins(text: str, hyphen: int) -> bool:
    following = text[hyphen + 1 : hyphen + 2]
    return following.islower() or following.isdigit()


def _joined_before(text: str, start: int) -> bool:
    """Whether the character(s) before ``start`` continue the word that starts there."""
    if start == 0:
        return False
    char = text[start - 1]
    # A combining mark ends the word before it: "e\u0301Kim" is one word.
    if char.isalnum() or unicodedata.category(char).startswith("M"):
        return True
    if char == "'":
        return text[start - 2 : start - 1].isalnum()
    if char == "-":
        return _hyphen_joins(text, start - 1)
    return False


def _joined_after(text: str, end: int) -> bool:
    """Whether the character(s) from ``end`` continue the word that ends there."""
    char = text[end : end + 1]
    # A combining mark (the accent of a decomposed "José") belongs to its letter.
    if char.isalnum() or (char and unicodedata.category(char).startswith("M")):
        return True
    if char == "'":
        return text[end + 1 : end + 2].isalnum()
    if char == "-":
        return _hyphen_joins(text, end)
    return False


def _possessive(text: str, end: int) -> int:
    """The length of a possessive suffix at ``end`` that ends a word there, or 0."""
    if text[end : end + 1] != "'":
        return 0
    if text[end + 1 : end + 2] in ("s", "S") and not _joined_after(text, end + 2):
        return 2
    if text[end - 1 : end] in ("s", "S") and not _joined_after(text, end + 1):
        return 1
    return 0


# One case-insensitive twin per matcher, built the first time a dateline needs it.
_CASELESS: weakref.WeakKeyDictionary[TermMatcher, TermMatcher] = weakref.WeakKeyDictionary()


def find_in_dateline(matcher: TermMatcher, text: str) -> list[Match]:
    """`matcher`'s matches in a dateline, where place names are written in capitals.

    Datelines spell places in capitals ("TOKYO, Dec. 17 (Kyodo) -"), so a
    run of text in capitals also matches a term whatever the term's case
    (the row "Tokyo" covers "TOKYO"). Case-sensitive matches come first;
    prose is matched with `TermMatcher.find` alone.

    >>> from workflow.glossary import Term
    >>> matcher = TermMatcher([Term("Tokyo", {}), Term("Seoul", {}), Term("AP", {})])
    >>> text = "TOKYO/SEOUL (AP) -"
    >>> [(m.term.en, text[m.start : m.end]) for m in find_in_dateline(matcher, text)]
    [('Tokyo', 'TOKYO'), ('Seoul', 'SEOUL'), ('AP', 'AP')]
    >>> [m.term.en for m in find_in_dateline(matcher, "Seoul, Dec. 16 (Yonhap) --")]
    ['Seoul']
    """
    exact = matcher.find(text)
    caseless = _CASELESS.get(matcher)
    if caseless is None:
        caseless = _CASELESS[matcher] = TermMatcher(matcher.terms, ignore_case=True)
    taken = [(m.start, m.end + len(m.possessive)) for m in exact]
    found = list(exact)
    for match in caseless.find(text):
        written = text[match.start : match.end]
        overlaps = any(match.start < end and start < match.end for start, end in taken)
        if written.isupper() and not overlaps:
            found.append(match)
    return sorted(found, key=lambda m: m.start)
