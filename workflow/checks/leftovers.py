"""Leftover checks: placeholders, pseudo-translation and English words left in a translation.

>>> from workflow.glossary import Glossary
>>> context = CheckContext("ko", Glossary(()), "ko/a.po")
>>> entry = polib.POEntry(msgid="Talks resumed.", msgstr="ZXQ1 회담이 재개됐다.")
>>> list(leftover_placeholder(entry, context))
['placeholder ZXQ1 left in the translation']
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache

import polib

from workflow.checks.context import (
    LATIN,
    LATIN_LETTERS,
    CheckContext,
    translation_of,
    without_expected_english,
)
from workflow.masking import placeholder_traces
from workflow.pseudo_alphabet import accent

_PSEUDO_MARK = re.compile(r"⟦[^⟦⟧\s]{1,16}⟧")
_LATIN_RUN = re.compile(f"[{LATIN_LETTERS}]+")
_APOSTROPHES = "'\u2019"
_ENGLISH_WORD = re.compile(rf"(?<![{LATIN}])[A-Za-z]+(?:[{_APOSTROPHES}-][A-Za-z]+)*(?![{LATIN}])")
_WORD_GAP = re.compile(r",?\s+")
_ENGLISH_RUN = 3


def leftover_placeholder(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Masking placeholder left in the translation."""
    # Garbled ones too (zxq3, ZXQ 3, AZXQ1): the same traces that make a hypothesis unusable.
    source = placeholder_traces(entry.msgid)
    found = placeholder_traces(translation_of(entry))
    for token in sorted(found - source):
        yield f"placeholder {token} left in the translation"


def leftover_pseudo(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Pseudo-translation left in the translation.

    Found by the engine's mark (⟦ko⟧) or by words of two letters or more
    spelled only with its accented look-alikes; a name such as Pokémon keeps
    plain letters and is not one.
    """
    signs = _pseudo_signs(translation_of(entry))
    if signs:
        yield f"pseudo-translation left: {', '.join(signs)}"


def _pseudo_signs(text: str) -> list[str]:
    """The engine's marks and the accented words of a pseudo-translation in ``text``."""
    letters = _pseudo_letters()
    signs = list(dict.fromkeys(_PSEUDO_MARK.findall(text)))
    words = [
        word
        for word in _LATIN_RUN.findall(text)
        if len(word) > 1 and all(char in letters for char in word)
    ]
    if words:
        signs.append(f"{len(words)} accented word{'s' if len(words) > 1 else ''} ({words[0]})")
    return signs


def looks_pseudo(text: str) -> bool:
    """Whether `text` holds pseudo-translation, as the ``leftover-pseudo`` check finds it.

    >>> looks_pseudo("⟦ko⟧ Ţåļķš"), looks_pseudo("회담 재개")
    (True, False)
    """
    return bool(_pseudo_signs(text))


def leftover_english(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """English words left untranslated.

    Reported from three words in a row; acronyms (all capitals) and glossary
    targets written in Latin letters are expected and break a run.
    """
    text = without_expected_english(translation_of(entry), context)
    runs: list[list[re.Match[str]]] = [[]]
    for word in _ENGLISH_WORD.finditer(text):
        run = runs[-1]
        if run and not _WORD_GAP.fullmatch(text[run[-1].end() : word.start()]):
            run = []
            runs.append(run)
        if word.group().isupper():
            runs.append([])
            continue
        run.append(word)
    for run in runs:
        if len(run) >= _ENGLISH_RUN:
            words = text[run[0].start() : run[-1].end()]
            shown = words if len(words) <= 60 else words[:57] + "..."
            yield f"English left untranslated: {shown!r}"


@cache
def _pseudo_letters() -> frozenset[str]:
    return frozenset(accent(letter) for letter in string.ascii_letters)
