"""The pseudo-translation alphabet: accented look-alikes of the ASCII letters.

Its one home, shared by the ``pseudo`` engine, which writes with it, and the
QA check that finds pseudo-translation left in a reviewed file.
"""

from __future__ import annotations

import re

from workflow.masking import PLACEHOLDER

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_ACCENT = str.maketrans(_PLAIN, _ACCENTED)
# What a translator must leave alone: our placeholders and the common format codes.
_PROTECTED = re.compile(
    "|".join((PLACEHOLDER.pattern, r"%(?:\([^)]*\))?[-+ #0-9.]*[a-zA-Z]", r"\{[^{}\s]*\}"))
)


def accent(text: str) -> str:
    """Swap ASCII letters for accented ones, outside placeholders and format codes.

    >>> accent("Send %s to {0} ZXQ2")
    'Šéñð %s ţö {0} ZXQ2'
    """
    pieces = []
    cursor = 0
    for protected in _PROTECTED.finditer(text):
        pieces.append(text[cursor : protected.start()].translate(_ACCENT))
        pieces.append(protected.group(0))
        cursor = protected.end()
    pieces.append(text[cursor:].translate(_ACCENT))
    return "".join(pieces)
