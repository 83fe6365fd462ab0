"""Target languages the workflow knows how to write PO files for.

Everything the workflow does differently per target language is a field of
its `Language` row in `LANGUAGES`: the gettext plural rule, how sentences are
joined and words spaced, which marks may end a sentence, and what a restored
translation goes through last. Adding a language means adding one row there
(and a column for it to the glossary); `l10n run --langs CODE` then accepts
it, and every stage reads its conventions from the row.

>>> get_language("ja").plural_forms
'nplurals=1; plural=0;'
>>> get_language("ko").sentence_separator
' '
>>> primary_subtag("ko_KR"), primary_subtag("ja-JP"), primary_subtag("zh")
('ko', 'ja', 'zh')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NewType

from workflow.errors import UsageError
from workflow.korean import agree_particles

#: A language's primary subtag as the workflow uses it: lowercase, ``ko`` or ``ja``.
LanguageCode = NewType("LanguageCode", str)

#: What a restored translation goes through last, given the spans of the
#: glossary targets put into it (see `workflow.masking.restore`).
RestoreHook = Callable[[str, Sequence[tuple[int, int]]], str]

_QUESTION, _EXCLAMATION = "\N{FULLWIDTH QUESTION MARK}", "\N{FULLWIDTH EXCLAMATION MARK}"


@dataclass(frozen=True)
class Language:
    """A target language and the conventions its text follows."""

    code: LanguageCode
    name: str
    plural_forms: str
    #: What goes between two sentences of one paragraph.
    sentence_separator: str
    #: Whether words are separated by spaces (Korean) or not (Japanese, Chinese).
    spaced: bool
    #: The marks that may end a translated sentence.
    sentence_ends: str = ".?!"
    #: Marks of another script that end a sentence wrongly, each with the
    #: mark to use instead (pairs, so that the row stays hashable).
    wrong_ends: tuple[tuple[str, str], ...] = ()
    #: Run on every restored translation (Korean: particles agree with the term).
    after_restore: RestoreHook | None = None
    #: Whether a term's particles change form with its last sound (Korean), so
    #: that ``l10n eval`` measures their agreement.
    particles: bool = False

    @property
    def wrong_end_marks(self) -> Mapping[str, str]:
        """`wrong_ends` as a mapping.

        >>> get_language("ja").wrong_end_marks["."]
        '。'
        """
        return dict(self.wrong_ends)


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            LanguageCode("ko"),
            "Korean",
            "nplurals=1; plural=0;",
            " ",
            spaced=True,
            sentence_ends=".?!",
            wrong_ends=(("。", "."), (_QUESTION, "?"), (_EXCLAMATION, "!")),
            after_restore=agree_particles,
            particles=True,
        ),
        Language(
            LanguageCode("ja"),
            "Japanese",
            "nplurals=1; plural=0;",
            "",
            spaced=False,
            # Japanese news sets question and exclamation marks in either width.
            sentence_ends=f"。{_QUESTION}{_EXCLAMATION}?!",
            wrong_ends=((".", "。"), ("\N{FULLWIDTH FULL STOP}", "。")),
        ),
        Language(
            LanguageCode("zh"),
            "Chinese",
            "nplurals=1; plural=0;",
            "",
            spaced=False,
            sentence_ends=f"。{_QUESTION}{_EXCLAMATION}",
            wrong_ends=((".", "。"), ("?", _QUESTION), ("!", _EXCLAMATION)),
        ),
    )
}

#: The languages ``l10n run`` translates into when not told otherwise.
DEFAULT_LANGUAGES: tuple[LanguageCode, ...] = (LanguageCode("ko"), LanguageCode("ja"))
#: `DEFAULT_LANGUAGES` as ``--langs`` takes it.
DEFAULT_LANGS = ",".join(DEFAULT_LANGUAGES)


def get_language(code: str) -> Language:
    """The language with this code, or a `UsageError` naming the known ones."""
    try:
        return LANGUAGES[code]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise UsageError(f"unknown language code {code!r} (known: {known})") from None


def is_spaced(code: str) -> bool:
    """Whether ``code`` puts spaces between words (languages the workflow does not know do).

    >>> is_spaced("ko"), is_spaced("ja"), is_spaced("xx")
    (True, False, True)
    """
    known = LANGUAGES.get(code)
    return known is None or known.spaced


def sentence_end_marks(code: str) -> tuple[str, Mapping[str, str]]:
    """The marks that may end a sentence in ``code``, and the wrong ones with the mark
    to use instead (a language the workflow does not know: ``.?!``, none wrong).

    >>> sentence_end_marks("ko")[1]["。"], sentence_end_marks("xx")
    ('.', ('.?!', {}))
    """
    known = LANGUAGES.get(code)
    return (known.sentence_ends, known.wrong_end_marks) if known else (".?!", {})


def primary_subtag(tag: str) -> LanguageCode:
    """The primary subtag of a language tag or ``Language`` header, lowercase.

    ``ko_KR`` (gettext's spelling) and ``ko-KR`` (BCP 47's) are the ``ko``
    catalog; an empty tag gives ``""``.

    >>> primary_subtag(" ko_KR "), primary_subtag("JA-jp"), primary_subtag("")
    ('ko', 'ja', '')
    """
    return LanguageCode(tag.replace("-", "_").split("_")[0].strip().lower())


def parse_language_list(spec: str) -> tuple[Language, ...]:
    """Languages from a comma-separated list such as ``"ko,ja"``.

    >>> [lang.code for lang in parse_language_list("ko, ja")]
    ['ko', 'ja']
    """
    codes = [code.strip() for code in spec.split(",") if code.strip()]
    if not codes:
        raise UsageError("no target language given (e.g. --langs ko,ja)")
    return tuple(dict.fromkeys(get_language(code) for code in codes))
