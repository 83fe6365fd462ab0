"""Exporting the translation memory as TMX 1.4, so it moves to other tools.

The reviewed translations of the PO files are exported, all of them: a
sentence two reviewers translated differently gets a ``<tu>`` for each
(`conflicts` names them). Machine output is exported only on request, for
sentences no reviewer translated, with an ``x-origin`` property of ``mt``
so that tools can weigh it down (reviewed ones have ``reviewed``).
Pseudo-translations from dry runs are never exported.

>>> units = collect_units([("ko", "Talks resumed.", "회담 재개", "mt")])
>>> print(write_tmx(units, created="20261127T000000Z").splitlines()[0])
<?xml version="1.0" encoding="UTF-8"?>
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from workflow import __version__

Origin = Literal["reviewed", "mt"]


@dataclass(frozen=True)
class TranslationUnit:
    """One English sentence and its translation into one language."""

    english: str
    lang: str
    text: str
    origin: Origin


def collect_units(
    pairs: Iterable[tuple[str, str, str, Origin]], *, machine: bool = True
) -> list[TranslationUnit]:
    """The units to export: every reviewed translation, and machine output only if asked.

    `pairs` holds (lang, English, translation, origin) in any order. Every
    distinct reviewed translation of a sentence is kept (two reviewers may
    have chosen differently; `conflicts` lists those); with `machine`, a
    sentence no reviewer translated gets the engine's first translation.
    Pseudo-translations (dry runs) are never exported.

    >>> pairs = [("ko", "Hi.", "안녕.", "reviewed"), ("ko", "Hi.", "안녕하세요.", "reviewed"),
    ...          ("ko", "Hi.", "MT", "mt"), ("ko", "Bye.", "MT", "mt"),
    ...          ("ko", "Go.", "⟦ko⟧ Ĝö.", "mt")]
    >>> [(u.english, u.text) for u in collect_units(pairs, machine=False)]
    [('Hi.', '안녕.'), ('Hi.', '안녕하세요.')]
    >>> [(u.english, u.text, u.origin) for u in collect_units(pairs) if u.english != "Hi."]
    [('Bye.', 'MT', 'mt')]
    """
    from workflow.checks import looks_pseudo

    reviewed: dict[tuple[str, str], dict[str, None]] = {}
    engine: dict[tuple[str, str], str] = {}
    for lang, english, text, origin in pairs:
        if not text or looks_pseudo(text):
            continue
        key = (lang, english)
        if origin == "reviewed":
            reviewed.setdefault(key, {})[text] = None
        else:
            engine.setdefault(key, text)
    units = [
        TranslationUnit(english, lang, text, "reviewed")
        for (lang, english), texts in reviewed.items()
        for text in texts
    ]
    if machine:
        units += [
            TranslationUnit(english, lang, text, "mt")
            for (lang, english), text in engine.items()
            if (lang, english) not in reviewed
        ]
    return sorted(units, key=lambda u: (u.english, u.lang, u.text))


def conflicts(units: Sequence[TranslationUnit]) -> list[tuple[str, str, int]]:
    """(lang, English, how many) for each sentence with several reviewed translations."""
    counts = Counter((u.lang, u.english) for u in units if u.origin == "reviewed")
    return [(lang, english, n) for (lang, english), n in sorted(counts.items()) if n > 1]


def write_tmx(units: Sequence[TranslationUnit], *, created: str) -> str:
    """A TMX 1.4 document: one ``<tu>`` per English sentence, one ``<tuv>`` per language."""
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "l10n-workflow",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "l10n-workflow",
        "adminlang": "en",
        "srclang": "en",
        "datatype": "plaintext",
        "creationdate": created,
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    # One <tu> per English sentence and alternative: the first translation
    # of each language in the first, a second reviewed one in a second <tu>
    # (tools expect one <tuv> per language in a unit).
    by_english: dict[str, dict[str, list[TranslationUnit]]] = {}
    for unit in units:
        by_english.setdefault(unit.english, {}).setdefault(unit.lang, []).append(unit)
    lang_attribute = "{http://www.w3.org/XML/1998/namespace}lang"
    for english, languages in by_english.items():
        for alternative in range(max(len(found) for found in languages.values())):
            tu = ET.SubElement(body, "tu")
            source = ET.SubElement(tu, "tuv", {lang_attribute: "en"})
            ET.SubElement(source, "seg").text = english
            for found in languages.values():
                if alternative >= len(found):
                    continue
                unit = found[alternative]
                tuv = ET.SubElement(tu, "tuv", {lang_attribute: unit.lang})
                ET.SubElement(tuv, "prop", type="x-origin").text = unit.origin
                ET.SubElement(tuv, "seg").text = unit.text
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    )
