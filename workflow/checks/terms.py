"""Glossary checks: a term of the source rendered as the glossary requires, and nothing it forbids.

>>> from workflow.glossary import Glossary, Term
>>> context = CheckContext("ko", Glossary((Term("Seoul", {"ko": "서울"}),)), "ko/a.po")
>>> list(glossary_missing(polib.POEntry(msgid="Seoul said.", msgstr="한국이 말했다."), context))
["glossary: 'Seoul' should be '서울'"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import polib

from workflow.checks.context import (
    LATIN,
    CheckContext,
    nfkc,
    translation_of,
    without_expected_english,
)
from workflow.pairs import renderings

_SPACES = re.compile(r"\s+")
# An aside such as a reading, 康京和(カンギョンファ)外相, which Japanese papers
# insert into a name on first mention.
_ASIDE = re.compile(r"\([^()]*\)")
# Hangul, kana, CJK ideographs and punctuation, half-width kana: scripts that
# attach particles straight to a Latin word (GSOMIA를), hiding its word end.
_CJK = re.compile("[\u1100-\u11ff\u2e80-\ud7ff\uf900-\ufaff\uff66-\uffdc]")


def glossary_missing(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Glossary term of the source not rendered as the glossary requires.

    The target may carry particles (서울에서) and is compared ignoring spaces
    and character width (full-width brackets are plain ones); an aside in
    parentheses inside the target's rendering is allowed. A capital read as
    its government may be rendered by its country's name too (일본 for 일본 정부).
    """
    translation = nfkc(translation_of(entry))
    have = _SPACES.sub("", translation)
    bare = _SPACES.sub("", _ASIDE.sub("", translation))
    seen: set[str] = set()
    for match in context.matcher.find(entry.msgid):
        term = match.term
        target = term.target(context.language)
        if target is None or term.en in seen:
            continue
        seen.add(term.en)
        wanted = [_SPACES.sub("", nfkc(r)) for r in renderings(term, context.language)]
        if any(want in have or want in bare for want in wanted):
            continue
        if term.keeps_english(context.language):
            yield f"glossary: keep {term.en!r} in English"
        else:
            yield f"glossary: {term.en!r} should be {target!r}"


def glossary_forbidden(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """English glossary term left in the translation instead of its target."""
    text = without_expected_english(translation_of(entry), context)
    seen: set[str] = set()
    for match in context.matcher.find(_CJK.sub(" ", text)):
        term = match.term
        target = term.targets[context.language]
        if term.en in target or term.en in seen:
            continue
        seen.add(term.en)
        yield f"glossary: {term.en!r} left in English, the glossary says {target!r}"


def glossary_variant(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Variant the glossary forbids (a LANG-forbidden column) used in the translation.

    Looked for when the source has the term, as the required target is:
    spaces and character width aside, particles may follow (서울시는). The
    required renderings of the source's terms that hold the variant are
    struck out first, so a forbidden 大法院 is not found inside a required
    韓国大法院 (a forbidden 서울시 is still found beside a required 서울); a
    variant in Latin letters must stand as a word of its own.
    """
    if context.variant_matcher is None:
        return
    lang = context.language
    matched = {match.term.en: match.term for match in context.variant_matcher.find(entry.msgid)}
    forbidding = [term for term in matched.values() if lang in term.forbidden]
    if not forbidding:
        return
    translation = nfkc(translation_of(entry))
    required = sorted(
        {term.targets[lang] for term in matched.values() if lang in term.targets},
        key=len,
        reverse=True,
    )
    for term in forbidding:
        target = term.target(lang)
        for variant in term.forbidden[lang]:
            text = translation
            bare = _SPACES.sub("", nfkc(variant))
            for rendering in required:
                if bare in _SPACES.sub("", nfkc(rendering)):
                    text = _loose(rendering).sub(lambda found: "|" * len(found.group()), text)
            if _loose(variant).search(text):
                said = f", the glossary says {target!r}" if target else ""
                yield f"glossary: {variant!r} is forbidden for {term.en!r}{said}"


@cache
def _loose(text: str) -> re.Pattern[str]:
    """A pattern for ``text`` in a normalized translation: spaced in any way, whole Latin words.

    >>> bool(_loose("서울 시").search("서울시는")), bool(_loose("US").search("USB"))
    (True, False)
    """
    chars = [char for char in nfkc(text) if not char.isspace()]
    pattern = r"\s*".join(re.escape(char) for char in chars)
    if chars and chars[0].isascii() and chars[0].isalnum():
        pattern = f"(?<![{LATIN}])" + pattern
    if chars and chars[-1].isascii() and chars[-1].isalnum():
        pattern += f"(?![{LATIN}])"
    return re.compile(pattern)
