"""Checks of an entry's review state: untranslated, fuzzy, machine output accepted unchanged.

>>> from workflow.glossary import Glossary
>>> context = CheckContext("ko", Glossary(()), "ko/a.po")
>>> list(fuzzy(polib.POEntry(msgid="Hi.", msgstr="안녕.", flags=["fuzzy"]), context))
['fuzzy (machine translation not reviewed)']
"""

from __future__ import annotations

from collections.abc import Iterator

import polib

from workflow.checks.context import CheckContext, translation_of


def untranslated(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Entry not translated yet."""
    if not translation_of(entry):
        yield "untranslated"


def fuzzy(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Machine translation not reviewed yet (marked fuzzy)."""
    if entry.fuzzy:
        yield "fuzzy (machine translation not reviewed)"


def machine_accepted(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Machine translation accepted unchanged (not fuzzy, yet the engine's very output)."""
    if not entry.fuzzy and context.is_machine_output(entry.msgid, entry.msgstr):
        yield (
            "the engine's output, unchanged, but not fuzzy: reviewed as it is, or its flag "
            "cleared by a tool"
        )
