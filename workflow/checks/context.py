"""What the PO checks share: the context of a file, the row of the table, and text helpers.

>>> entry = polib.POEntry(msgid="Seoul.", msgstr="서울.", flags=["fuzzy"])
>>> row = EntryCheck("glossary-missing", "error", lambda e, c: (), fuzzy_severity="warning")
>>> row.severity_for(entry), translation_of(entry)
('warning', '서울.')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polib

from workflow.findings import Check, Severity
from workflow.glossary import Glossary, Term
from workflow.matcher import TermMatcher
from workflow.pairs import ReadingMatcher

# Latin letters, accented ones included (the pseudo engine's come from all these blocks).
LATIN_LETTERS = "A-Za-z\u00c0-\u024f\u0250-\u02af\u1e00-\u1eff"
#: A character class body: what counts as part of a Latin word.
LATIN = f"{LATIN_LETTERS}0-9"
_LATIN_LETTER = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class CheckContext:
    """What the checks know about the file an entry comes from.

    The glossary's terms for ``language`` and a matcher over them are
    derived once here, so that a long glossary is not re-read per entry.

    >>> CheckContext("ko", Glossary(()), "ko/a.po").expected_english is None
    True
    """

    language: str
    glossary: Glossary
    path: str
    #: Whether an engine produced this translation of this English (the
    #: run's record of machine output); nothing is, without a record.
    is_machine_output: Callable[[str, str], bool] = field(
        default=lambda english, text: False, repr=False, compare=False
    )
    terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)
    matcher: TermMatcher = field(init=False, repr=False, compare=False)
    #: A matcher over the terms with a target or forbidden variants for the
    #: language; None when no term forbids anything in it.
    variant_matcher: TermMatcher | None = field(init=False, repr=False, compare=False)
    #: Targets written with Latin letters (NHK, 군사정보보호협정(GSOMIA)), spaced
    #: in any way: English that is expected in a translation. None if no target is.
    expected_english: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = self.glossary.for_language(self.language)
        targets = {nfkc(term.targets[self.language]) for term in terms}
        latin = sorted((t for t in targets if _has_latin(t)), key=len, reverse=True)
        spaced = (r"\s*".join(re.escape(c) for c in t if not c.isspace()) for t in latin)
        expected = re.compile("|".join(spaced)) if latin else None
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "matcher", ReadingMatcher(terms, lang=self.language))
        object.__setattr__(self, "expected_english", expected)
        lang = self.language
        ruled = [t for t in self.glossary.terms if lang in t.targets or lang in t.forbidden]
        forbidding = any(lang in term.forbidden for term in ruled)
        object.__setattr__(self, "variant_matcher", TermMatcher(ruled) if forbidding else None)


#: A PO check: one entry and its file's context in, one short sentence per problem out.
CheckFunction = Callable[[polib.POEntry, CheckContext], Iterable[str]]


@dataclass(frozen=True)
class EntryCheck(Check[CheckFunction]):
    """One row of the PO check table: a `Check` whose function looks at one entry."""

    #: The severity in an entry still marked fuzzy, when it is not ``severity``.
    fuzzy_severity: Severity | None = None
    #: Whether the check reads the translation (and so skips untranslated entries).
    needs_translation: bool = True

    def severity_for(self, entry: polib.POEntry) -> Severity:
        """The severity of this check's findings in ``entry``."""
        if entry.fuzzy and self.fuzzy_severity is not None:
            return self.fuzzy_severity
        return self.severity


def translation_of(entry: polib.POEntry) -> str:
    """The entry's translation (``msgstr[0]`` of a plural entry)."""
    # Korean, Japanese and Chinese have one plural form: msgstr[0] is all of it.
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


def without_expected_english(text: str, context: CheckContext) -> str:
    """The translation, normalized, with the glossary targets in Latin letters struck out.

    >>> without_expected_english("\uff2e\uff28\uff2b", CheckContext("ko", Glossary(()), "a.po"))
    'NHK'
    """
    text = nfkc(text)
    if context.expected_english is None:
        return text
    return context.expected_english.sub(lambda found: "|" * len(found.group()), text)


def nfkc(text: str) -> str:
    """``text`` in Unicode normalization form NFKC (full-width letters read as plain ones)."""
    return unicodedata.normalize("NFKC", text)


def _has_latin(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None
