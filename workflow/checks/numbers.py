"""The numbers check: every number or date of the source is in the translation.

>>> from workflow.glossary import Glossary
>>> context = CheckContext("ja", Glossary(()), "ja/a.po")
>>> entry = polib.POEntry(msgid="Talks resumed Jan. 14.", msgstr="協議は14日に再開した。")
>>> list(numbers(entry, context))
['number missing in the translation: 1 (Jan.)']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import polib

from workflow.checks.context import CheckContext, nfkc, translation_of
from workflow.masking import PLACEHOLDER

# Every number of the source must be in the translation; numbers only in the
# translation are never reported. What counts as the same number:
# * digit runs and decimals, thousands separators ignored and full-width
#   digits read as ASCII: 1,032 is 1032;
# * a month name (January ... December; May only right before a number, since
#   it is also a verb and a name) or a dotted abbreviation (Jan. ... Sept. ...
#   Dec.) is its number: Jan. 14, 2020 is 1, 14, 2020, as in 2020년 1월 14일
#   and 2020年1月14日;
# * an amount with million, billion or trillion (mln, bn, tn) may be the bare
#   number or the same value written with 만/억/조 or 万/億/兆, with 십/백/천 or
#   十/百/千 in front and in compounds: US$45.6 billion is 456억 달러 or 456億ドル,
#   $1.2 trillion is 1조2천억 달러; any translated number may be so written
#   (5,000 as 5천).
# Not recognised: numbers spelled out (five, 다섯, 五), rounded amounts (45.6
# billion as 약 460억), converted units, weekdays, era years (令和2年).

_MONTHS = {
    "January": 1, "Jan.": 1, "February": 2, "Feb.": 2, "March": 3, "Mar.": 3,
    "April": 4, "Apr.": 4, "May": 5, "June": 6, "Jun.": 6, "July": 7, "Jul.": 7,
    "August": 8, "Aug.": 8, "September": 9, "Sept.": 9, "Sep.": 9, "October": 10,
    "Oct.": 10, "November": 11, "Nov.": 11, "December": 12, "Dec.": 12,
}  # fmt: skip
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_SOURCE_NUMBER = re.compile(
    r"(?P<month>\b(?:January|February|March|April|June|July|August|September|October"
    r"|November|December)\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|\bMay(?=\s+\d))"
    rf"|(?P<number>{_NUMBER})(?:\s*(?P<scale>million|billion|trillion|mln|bn|tn)\b)?"
)
_SCALES = {"million": 10**6, "mln": 10**6, "billion": 10**9, "bn": 10**9}
_SCALES |= {"trillion": 10**12, "tn": 10**12}
_UNITS = {"십": 10, "十": 10, "백": 100, "百": 100, "천": 1000, "千": 1000}
_UNITS |= {"만": 10**4, "万": 10**4, "억": 10**8, "億": 10**8, "조": 10**12, "兆": 10**12}
_AMOUNT = re.compile(
    rf"(?P<number>{_NUMBER})(?:\s?(?P<unit>[십백천十百千]?[만억조万億兆]|[십백천十百千]))?"
)


def numbers(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Number or date of the source missing in the translation."""
    available = _translated_values(translation_of(entry))
    missing = []
    for label, accepted in _source_values(entry.msgid):
        value = next((v for v in accepted if available[v] > 0), None)
        if value is None:
            missing.append(label)
        else:
            available[value] -= 1
    if missing:
        noun = "number" if len(missing) == 1 else "numbers"
        yield f"{noun} missing in the translation: {', '.join(missing)}"


def _source_values(text: str) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Each number of an English text, labelled for a message, with the values it may take."""
    values: list[tuple[str, tuple[Decimal, ...]]] = []
    for found in _SOURCE_NUMBER.finditer(PLACEHOLDER.sub(" ", text)):
        if found["month"]:
            month = _MONTHS[found["month"]]
            values.append((f"{month} ({found['month']})", (Decimal(month),)))
            continue
        number = Decimal(found["number"].replace(",", ""))
        if found["scale"]:
            scaled = number * _SCALES[found["scale"]]
            values.append((found.group(0), (scaled, number)))
        else:
            values.append((found["number"], (number,)))
    return values


def _translated_values(text: str) -> Counter[Decimal]:
    """Every value a translation's numbers can be read as: plain, with their unit, and summed.

    >>> [str(value) for value in sorted(_translated_values("4억 5600만 달러"))]
    ['4', '5600', '56000000', '400000000', '456000000']
    """
    text = PLACEHOLDER.sub(" ", nfkc(text))
    values: Counter[Decimal] = Counter()
    total, last_unit, last_end = Decimal(0), 0, -1
    for found in _AMOUNT.finditer(text):
        number = Decimal(found["number"].replace(",", ""))
        unit = 1
        for char in found["unit"] or "":
            unit *= _UNITS[char]
        values[number] += 1
        if unit > 1:
            values[number * unit] += 1
        # 4억 5600만: a part continues a compound when its unit is smaller.
        follows = last_unit > unit and not text[last_end : found.start()].strip()
        if follows:
            total += number * unit
            values[total] += 1
        else:
            total = number * unit
        last_unit, last_end = unit, found.end()
    return values
