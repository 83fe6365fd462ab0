"""Target languages the workflow knows how to write PO files for.

Adding a language means adding one row here: its gettext plural rule, and how
its sentences are joined and its inserted terms spaced.

>>> get_language("ja").plural_forms
'nplurals=1; plural=0;'
>>> get_language("ko").sentence_separator
' '
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.errors import UsageError


@dataclass(frozen=True)
class Language:
    """A target language and the conventions its text follows."""

    code: str
    name: str
    plural_forms: str
    #: What goes between two sentences of one paragraph.
    sentence_separator: str
    #: Whether words are separated by spaces (Korean) or not (Japanese, Chinese).
    spaced: bool


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("ko", "Korean", "nplurals=1; plural=0;", " ", spaced=True),
        Language("ja", "Japanese", "nplurals=1; plural=0;", "", spaced=False),
        Language("zh", "Chinese", "nplurals=1; plural=0;", "", spaced=False),
    )
}


def get_language(code: str) -> Language:
    """The language with this code, or a `UsageError` naming the known ones."""
    try:
        return LANGUAGES[code]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise UsageError(f"unknown language code {code!r} (known: {known})") from None


def parse_language_list(spec: str) -> tuple[Language, ...]:
    """Languages from a comma-separated list such as ``"ko,ja"``.

    >>> [lang.code for lang in parse_language_list("ko, ja")]
    ['ko', 'ja']
    """
    codes = [code.strip() for code in spec.split(",") if code.strip()]
    if not codes:
        raise UsageError("no target language given (e.g. --langs ko,ja)")
    return tuple(dict.fromkeys(get_language(code) for code in codes))
