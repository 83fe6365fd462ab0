"""Glossary terms through the engine: mask before, verify and restore after.

Each glossary match in a source segment is replaced by a placeholder token,
``ZXQ1``, ``ZXQ2``, ...: plain ASCII letters and digits, which every
SentencePiece vocabulary can spell and which translation models tend to copy
as they copy codes and unknown names. After decoding, a hypothesis is usable
only if it holds every placeholder of its source exactly once
(`problems`); `restore` then puts each term's target-language rendering in
its place, spaced the way the target language writes.

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
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.korean import agree_particles
from workflow.languages import get_language
from workflow.matcher import Match

PLACEHOLDER_PREFIX = "ZXQ"
#: A placeholder anywhere in text; digits are taken greedily so ZXQ1 never matches in ZXQ12.
PLACEHOLDER = re.compile(rf"{PLACEHOLDER_PREFIX}(\d+)(?!\d)")


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

    @property
    def expected_tokens(self) -> Counter[str]:
        """Every placeholder-shaped token a faithful hypothesis must hold, with its count.

        Tokens that were already in the source (an article quoting our own
        syntax) are expected to come back too.
        """
        return Counter(m.group(0) for m in PLACEHOLDER.finditer(self.text))


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
    taken = {int(m.group(1)) for m in PLACEHOLDER.finditer(text)}
    number = 0
    slots: list[Slot] = []
    pieces: list[str] = []
    cursor = 0
    for match in sorted(matches, key=lambda m: m.start):
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


def problems(hypothesis: str, masked: MaskedText) -> list[str]:
    """Why `hypothesis` cannot be restored: lost, duplicated or invented placeholders.

    An empty list means every placeholder is there exactly once.
    """
    found = Counter(m.group(0) for m in PLACEHOLDER.finditer(hypothesis))
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
    return issues


def restore(hypothesis: str, masked: MaskedText, lang: str) -> str:
    """Put each slot's target where its placeholder stands in `hypothesis`.

    In languages written without spaces (Japanese), the spaces a model leaves
    around a placeholder are dropped wherever the term or its neighbour is
    CJK, as Japanese newspapers set "ソウルでGSOMIAに署名". In Korean, the
    particle right after each term is made to agree with the term's last
    sound and joined to it (`workflow.korean.agree_particles`).
    """
    spaced = get_language(lang).spaced
    # One pass over the hypothesis, so that a target which itself looks like a
    # placeholder can never be taken for one.
    targets = {slot.token: slot.target for slot in masked.slots}
    text = ""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for found in PLACEHOLDER.finditer(hypothesis):
        target = targets.pop(found.group(0), None)
        if target is None:
            continue
        text += hypothesis[cursor : found.start()]
        if (
            not spaced
            and text.rstrip() != text
            and _needs_no_space(text.rstrip()[-1:] + target[:1])
        ):
            text = text.rstrip()
        spans.append((len(text), len(text) + len(target)))
        text += target
        cursor = found.end()
        after = hypothesis[cursor:]
        gap = len(after) - len(after.lstrip())
        if not spaced and gap and _needs_no_space(target[-1:] + after[gap : gap + 1]):
            cursor += gap
    text += hypothesis[cursor:]
    return agree_particles(text, spans) if lang == "ko" else text


def _needs_no_space(pair: str) -> bool:
    """Whether either of two touching characters is written without spaces around it."""
    return len(pair) == 2 and any(_unspaced_char(char) for char in pair)


def _unspaced_char(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "IDEOGRAPHIC")) or (
        "\u3000" <= char <= "\u303f"
    )


def _token_order(token: str) -> int:
    return int(token[len(PLACEHOLDER_PREFIX) :])
