"""Exporting the translation memory as TMX 1.4, so it moves to other tools.

A reviewed translation in a PO file wins over the engine's output for the
same English sentence; machine translations are exported with a
``x-origin`` property of ``mt`` so that tools can weigh them down.

>>> units = collect_units([("ko", "Talks resumed.", "회담 재개", "mt")])
>>> print(write_tmx(units, created="20261127T000000Z").splitlines()[0])
<?xml version="1.0" encoding="UTF-8"?>
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
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


def collect_units(pairs: Iterable[tuple[str, str, str, Origin]]) -> list[TranslationUnit]:
    """One unit per (language, English), a reviewed translation beating machine output.

    `pairs` holds (lang, English, translation, origin) in any order.
    """
    chosen: dict[tuple[str, str], TranslationUnit] = {}
    for lang, english, text, origin in pairs:
        if not text:
            continue
        key = (lang, english)
        current = chosen.get(key)
        if current is None or (current.origin == "mt" and origin == "reviewed"):
            chosen[key] = TranslationUnit(english, lang, text, origin)
    return sorted(chosen.values(), key=lambda u: (u.english, u.lang))


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
    by_english: dict[str, list[TranslationUnit]] = {}
    for unit in units:
        by_english.setdefault(unit.english, []).append(unit)
    lang_attribute = "{http://www.w3.org/XML/1998/namespace}lang"
    for english, translations in by_english.items():
        tu = ET.SubElement(body, "tu")
        source = ET.SubElement(tu, "tuv", {lang_attribute: "en"})
        ET.SubElement(source, "seg").text = english
        for unit in translations:
            tuv = ET.SubElement(tu, "tuv", {lang_attribute: unit.lang})
            ET.SubElement(tuv, "prop", type="x-origin").text = unit.origin
            ET.SubElement(tuv, "seg").text = unit.text
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    )
