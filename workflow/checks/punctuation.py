"""Punctuation checks: a sentence's final mark kept, in the script of the language, and none added.

>>> from workflow.glossary import Glossary
>>> context = CheckContext("ja", Glossary(()), "ja/a.po")
>>> entry = polib.POEntry(msgid="Talks resumed.", msgstr="協議が再開した.")
>>> list(punctuation_final(entry, context))
["ends with '.'; Japanese ends a sentence with '。'"]
"""

from __future__ import annotations

from collections.abc import Iterator

import polib

from workflow.checks.context import CheckContext, translation_of
from workflow.languages import LANGUAGES, sentence_end_marks

_SENTENCE_END = ".?!"
_CLOSERS = "\"'\u201d\u2019)]}」』】〉》»\uff09"


def punctuation_final(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Sentence-final punctuation missing or of the wrong script."""
    source = _final_mark(entry.msgid)
    if not source or source not in _SENTENCE_END:
        return
    accepted, wrong = sentence_end_marks(context.language)
    mark = _final_mark(translation_of(entry))
    if mark in wrong:
        name = LANGUAGES[context.language].name if context.language in LANGUAGES else "it"
        yield f"ends with {mark!r}; {name} ends a sentence with {wrong[mark]!r}"
    elif not mark or mark not in accepted:
        yield f"the source ends with {source!r} but the translation has no final punctuation"


def punctuation_added(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Final punctuation added where the source (a title, a dateline) has none."""
    source = _final_mark(entry.msgid)
    if source and source in _SENTENCE_END:
        return
    accepted, wrong = sentence_end_marks(context.language)
    mark = _final_mark(translation_of(entry))
    if mark and (mark in accepted or mark in wrong):
        yield f"ends with {mark!r} but the source has no final punctuation"


def _final_mark(text: str) -> str:
    """The last character before any closing quotes and brackets."""
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1].rstrip()
    return text[-1:]
