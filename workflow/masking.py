"""Glossary terms through the engine: mask before, verify and restore after.

Each glossary match in a source segment is replaced by a placeholder token,
``ZXQ1``, ``ZXQ2``, ...: plain ASCII letters and digits, which every
SentencePiece vocabulary can spell and which translation models tend to copy
as they copy codes and unknown names. After decoding, a hypothesis is usable
only if it holds every placeholder of its source exactly once and nothing
that looks like a garbled one (`problems`); `restore` then puts each term's
target-language rendering in its place, spaced the way the target language
writes.

>>> from workflow.glossary import Term
>>> from workflow.matcher import TermMatcher
>>> kang = Term("Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person")
>>> text = "Kang Kyung-wha met reporters."
>>> masked = mask(text, TermMatcher([kang]).find(text), "ja")
>>> masked.text
'ZXQ1 met reporters.'
>>> problems("ZXQ1 は記者団と会った。", masked)
[]
>>> restore("ZXQ1 は記者団と会った。", masked, "ja")
'康京和は記者団と会った。'
>>> problems("彼女は記者団と会った。", masked)
['placeholder ZXQ1 (Kang Kyung-wha) is missing']
>>> problems("ZXQ1 は zxq2 と会った。", masked)
["'zxq2' looks like a garbled placeholder"]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from workflow.languages import get_language
from workflow.matcher import Match

PLACEHOLDER_PREFIX = "ZXQ"
#: A placeholder-shaped token anywhere in text, even inside a word (see `placeholders`);
#: digits are taken greedily so ZXQ1 never matches in ZXQ12.
PLACEHOLDER = re.compile(rf"{PLACEHOLDER_PREFIX}([0-9]+)(?![0-9])")
#: What is left of a placeholder a model garbled: the prefix in any case, with the word
#: it is glued into and digits after it, possibly split off by a space (ZXQ 3).
_GARBLED = re.compile(rf"[a-z0-9]*{PLACEHOLDER_PREFIX}(?:[^\S\n]?[0-9]+)?", re.IGNORECASE)
# What every match of `_GARBLED` holds, in lowercase.
_TRACE = PLACEHOLDER_PREFIX.lower()
# Whitespace as `str.isspace` sees it (what `str.strip` removes).
_SPACES = re.compile(r"\s*")


@dataclass(frozen=True)
class Slot:
    """One masked glossary match: its placeholder and what replaces it."""

    token: str
    match: Match
    #: The term's rendering in the target language.
    target: str


@dataclass(frozen=True)
class MaskedText:
    """A source segment with its glossary terms replaced by placeholders."""

    source: str
    text: str
    slots: tuple[Slot, ...]

    #: The tokens of `expected_tokens`, each as often as it is expected, sorted.
    sorted_tokens: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Worked out here rather than as a cached_property: on Python 3.11 that
        # takes one lock shared by every instance, and the decoding threads,
        # which read it for each hypothesis, queued on it for most of their time.
        tokens = tuple(sorted(m.group(0) for m in placeholders(self.text)))
        object.__setattr__(self, "sorted_tokens", tokens)

    @property
    def expected_tokens(self) -> Counter[str]:
        """Every placeholder-shaped token a faithful hypothesis must hold, with its count.

        Tokens that were already in the source (an article quoting our own
        syntax) are expected to come back too.
        """
        return Counter(self.sorted_tokens)


@dataclass(frozen=True)
class Translation:
    """A segment's machine translation with its glossary terms restored."""

    text: str
    #: Glossary terms whose target is in `text`.
    enforced: tuple[Slot, ...] = ()
    #: Terms no hypothesis kept: the segment was translated unmasked instead.
    unenforced: tuple[Slot, ...] = ()


def mask(text: str, matches: Sequence[Match], lang: str) -> MaskedText:
    """Replace each match that has a target for `lang` by a fresh placeholder.

    Placeholder numbers already present in `text` are skipped, so an article
    that happens to contain ``ZXQ1`` is never confused with a mask.
    """
    taken = (
        {int(m.group(1)) for m in PLACEHOLDER.finditer(text)}
        if PLACEHOLDER_PREFIX in text
        else set()
    )
    number = 0
    slots: list[Slot] = []
    pieces: list[str] = []
    cursor = 0
    for match in sorted(matches, key=_START):
        target = match.term.target(lang)
        if target is None:
            continue
        number += 1
        while number in taken:
            number += 1
        token = f"{PLACEHOLDER_PREFIX}{number}"
        pieces.append(text[cursor : match.start])
        pieces.append(token)
        cursor = match.end
        slots.append(Slot(token, match, target))
    pieces.append(text[cursor:])
    return MaskedText(text, "".join(pieces), tuple(slots))


_START = attrgetter("start")


def placeholders(text: str) -> list[re.Match[str]]:
    """The placeholders in `text`, leaving out those glued to a word before them.

    A placeholder may follow anything but a letter or digit of an alphabetic
    script: ``AZXQ1`` is a word a model garbled, not ZXQ1 after an A. Hangul
    and CJK may touch it (외교부ZXQ1, のZXQ1), and so may another placeholder
    (ZXQ1ZXQ2); what follows it does not matter (ZXQ1은, ZXQ1の).

    >>> [m.group(0) for m in placeholders("ZXQ1ZXQ2 AZXQ3 2ZXQ4 외교부ZXQ5은")]
    ['ZXQ1', 'ZXQ2', 'ZXQ5']
    """
    found: list[re.Match[str]] = []
    if PLACEHOLDER_PREFIX not in text:
        return found
    for match in PLACEHOLDER.finditer(text):
        before = text[match.start() - 1 : match.start()]
        after_placeholder = bool(found) and found[-1].end() == match.start()
        if before and _alphabetic(before) and not after_placeholder:
            continue
        found.append(match)
    return found


def placeholder_traces(text: str) -> Counter[str]:
    """Every placeholder in `text` and everything that looks like a garbled one, with counts.

    Besides the placeholders, the placeholder prefix in any case and any width
    counts, with the word it is glued into and the digits after it: a
    translation that holds one of these has a placeholder left in it.

    >>> sorted(placeholder_traces("ZXQ1은 AZXQ2와 zxq3, ZXQ 4를 만났다").items())
    [('AZXQ2', 1), ('ZXQ 4', 1), ('ZXQ1', 1), ('zxq3', 1)]
    """
    return Counter(m.group(0) for m in placeholders(text)) + _garbled(text)


def problems(hypothesis: str, masked: MaskedText) -> list[str]:
    """Why `hypothesis` cannot be restored: lost, duplicated, invented or garbled placeholders.

    An empty list means every placeholder is there exactly once, and nothing
    like a placeholder (``ZXQ``, ``zxq3``, ``ZXQ 3``, ``AZXQ1``) is there that
    was not in the masked source too.
    """
    matches = placeholders(hypothesis)
    found_tokens = tuple(sorted(m.group(0) for m in matches))
    # Most hypotheses are fine: that is told without building the counts.
    if found_tokens == masked.sorted_tokens and not _garbled(hypothesis, matches):
        return []
    found = Counter(found_tokens)
    expected = masked.expected_tokens
    terms = {slot.token: slot.match.term.en for slot in masked.slots}
    issues = []
    for token in sorted(expected.keys() | found.keys(), key=_token_order):
        want, got = expected[token], found[token]
        label = f"placeholder {token}" + (f" ({terms[token]})" if token in terms else "")
        if got == want:
            continue
        if got == 0:
            issues.append(f"{label} is missing")
        elif want == 0:
            issues.append(f"{label} was not in the source")
        else:
            issues.append(f"{label} appears {got} times")
    garbled = _garbled(hypothesis, matches)
    if garbled:
        garbled -= _garbled(masked.text)
    issues += [f"{trace!r} looks like a garbled placeholder" for trace in sorted(garbled)]
    return issues


def restore(hypothesis: str, masked: MaskedText, lang: str) -> str:
    """Put each slot's target where its placeholder stands in `hypothesis`.

    In languages written without spaces (Japanese), the spaces a model leaves
    around a placeholder are dropped wherever the term or its neighbour is
    CJK, as Japanese newspapers set "ソウルでGSOMIAに署名". In languages
    written with spaces (Korean), a term is kept apart from a letter, a digit
    or another term right before it (외교부 강경화 장관, not 외교부강경화 장관),
    while what follows it stays joined. In Korean, the particle joined to
    each term is then made to agree with the term's last sound
    (`workflow.korean.agree_particles`).
    """
    spaced = get_language(lang).spaced
    # One pass over the hypothesis, so that a target which itself looks like a
    # placeholder can never be taken for one. The text is built as a list of
    # pieces with its length kept aside: re-reading or re-stripping the text
    # built so far at each placeholder would make the pass quadratic.
    targets = {slot.token: slot.target for slot in masked.slots}
    built = _Pieces()
    spans: list[tuple[int, int]] = []
    cursor = 0
    for found in placeholders(hypothesis):
        target = targets.pop(found.group(0), None)
        if target is None:
            continue
        built.add(hypothesis[cursor : found.start()])
        after_term = bool(spans) and spans[-1][1] == built.size
        if spaced and (built.last().isalnum() or after_term):
            built.add(" ")
        elif (
            not spaced
            and built.last().isspace()
            and _needs_no_space(built.last_kept() + target[:1])
        ):
            built.rstrip()
        spans.append((built.size, built.size + len(target)))
        built.add(target)
        cursor = found.end()
        spaces = _SPACES.match(hypothesis, cursor)
        gap = spaces.end() - cursor if spaces else 0
        following = hypothesis[cursor + gap : cursor + gap + 1]
        if not spaced and gap and _needs_no_space(target[-1:] + following):
            cursor += gap
    built.add(hypothesis[cursor:])
    text = "".join(built.pieces)
    hook = get_language(lang).after_restore
    return hook(text, spans) if hook is not None else text


class _Pieces:
    """Text built by appending, with its length and last characters at hand in O(1)."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.size = 0

    def add(self, piece: str) -> None:
        if piece:
            self.pieces.append(piece)
            self.size += len(piece)

    def last(self) -> str:
        """The last character, or ""."""
        return self.pieces[-1][-1] if self.pieces else ""

    def last_kept(self) -> str:
        """The last character that `rstrip` would keep, or ""."""
        for piece in reversed(self.pieces):
            kept = piece.rstrip()
            if kept:
                return kept[-1]
        return ""

    def rstrip(self) -> None:
        """Drop the whitespace at the end, as `str.rstrip` does."""
        while self.pieces:
            kept = self.pieces[-1].rstrip()
            self.size -= len(self.pieces[-1]) - len(kept)
            if kept:
                self.pieces[-1] = kept
                return
            self.pieces.pop()


def _garbled(text: str, matches: Sequence[re.Match[str]] | None = None) -> Counter[str]:
    """What looks like a placeholder in `text` but is not one (see `placeholders`).

    `matches` are the placeholders of `text`, when the caller has them.
    """
    pieces, cursor = [], 0
    for match in placeholders(text) if matches is None else matches:
        pieces += [text[cursor : match.start()], " "]
        cursor = match.end()
    # Compatibility forms fold first, so that a placeholder in fullwidth letters is seen too.
    rest = unicodedata.normalize("NFKC", "".join(pieces) + text[cursor:])
    # Most text holds no trace at all; the expression tries every word otherwise.
    if _TRACE not in rest.lower():
        return Counter()
    return Counter(m.group(0) for m in _GARBLED.finditer(rest))


@lru_cache(maxsize=4096)
def _alphabetic(char: str) -> bool:
    """A letter or digit of a script written in words, such as Latin (not Hangul or CJK)."""
    if char.isascii():
        return char.isalnum()
    hangul = unicodedata.name(char, "").startswith("HANGUL")
    return char.isalnum() and not hangul and not _unspaced_char(char)


def _needs_no_space(pair: str) -> bool:
    """Whether either of two touching characters is written without spaces around it."""
    return len(pair) == 2 and any(_unspaced_char(char) for char in pair)


@lru_cache(maxsize=4096)
def _unspaced_char(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "IDEOGRAPHIC")) or (
        "\u3000" <= char <= "\u303f"
    )


def _token_order(token: str) -> int:
    return int(token[len(PLACEHOLDER_PREFIX) :])
