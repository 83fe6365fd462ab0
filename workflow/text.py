"""Normalizing English sentences so that cosmetic edits do not count as changes.

An editor who re-wraps a paragraph, doubles a space or switches to curly
quotes has not changed the sentence; `source_key` maps all such variants to
one key.

>>> source_key("He said “yes”  and\\r\\nleft.") == source_key('He said "yes" and left.')
True
"""

from __future__ import annotations

import unicodedata

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u00a0": " ",
    }
)


def source_key(text: str) -> str:
    """`text` with quotes made straight and whitespace runs made one space."""
    return " ".join(text.translate(_QUOTES).split())


def compact(text: str) -> str:
    """``text`` as a glossary target is compared with it: NFKC, without whitespace.

    Compatibility forms fold (fullwidth letters, a non-breaking space), and
    spacing does not count, as a model spaces a term however it likes.

    >>> compact("\\uff27\\uff33\\uff2f\\uff2d\\uff29\\uff21 협정"), compact("강경화\\u00a0장관")
    ('GSOMIA협정', '강경화장관')
    """
    return "".join(unicodedata.normalize("NFKC", text).split())
