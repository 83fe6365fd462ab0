"""Golden tests: one article in the text layout of each outlet (our own text).

Each ``tests/data/layouts/NAME.txt`` has a ``NAME.expected.json`` beside it:
the segments (key, kind, line, text, possible boilerplate) and the removed
lines (line, rule, text). To accept a deliberate change, regenerate them with
``python tests/test_layouts.py`` and review the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from workflow.article import read_article
from workflow.segment import segment_article

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
NAMES = sorted(path.stem for path in LAYOUTS.glob("*.txt"))


def described(path: Path) -> dict[str, object]:
    article = read_article(path)
    return {
        "profile": article.profile,
        "segments": [
            [s.key, s.kind, s.line, s.text, s.possible_boilerplate]
            for s in segment_article(article)
        ],
        "removed": [[r.line, r.rule, r.text] for r in article.removed],
    }


@pytest.mark.parametrize("name", NAMES)
def test_layout(name: str) -> None:
    expected = json.loads((LAYOUTS / f"{name}.expected.json").read_text("utf-8"))
    assert described(LAYOUTS / f"{name}.txt") == expected


def test_every_outlet_of_the_issue_has_a_layout() -> None:
    outlets = {"yonhap", "koreaherald", "koreatimes", "joongang", "kyodo", "japantimes", "ap"}
    assert outlets | {"reuters", "afp", "upi"} <= set(NAMES)


@pytest.mark.parametrize(
    ("name", "dateline"),
    [
        ("yonhap", "BUSAN, Dec. 16 (Yonhap) --"),
        ("ap", "TOKYO (AP) \u2014"),
        ("japantimes", "TOKYO:"),
        ("nna", "Tokyo, Dec 17 (NNA) -"),
        ("reuters", "SEOUL, Dec 16 (Reuters) -"),
        ("afp", "Tokyo (AFP) -"),
        ("kyodo", "TOKYO, Kyodo -"),
        ("upi", "SEOUL, Dec. 16 (UPI) --"),
    ],
)
def test_every_dateline_style(name: str, dateline: str) -> None:
    segments = segment_article(read_article(LAYOUTS / f"{name}.txt"))
    assert [s.text for s in segments if s.kind == "dateline"] == [dateline]


@pytest.mark.parametrize("name", NAMES)
def test_no_chrome_is_translated_as_a_sentence(name: str) -> None:
    unmarked = [
        s.text for s in segment_article(read_article(LAYOUTS / f"{name}.txt"))
        if not s.possible_boilerplate
    ]  # fmt: skip
    chrome_starts = ("Copyright", "prohibits its content", "By ", "BY ", "Updated", "Published")
    chrome_starts += ("Related", "Read more", "Reporting by", "@", "2026-12-16", "All News")
    for chrome in chrome_starts:
        assert not [text for text in unmarked if text.startswith(chrome)], chrome


@pytest.mark.parametrize(
    ("name", "credit"),
    [
        ("ap", "(AP Photo/Eugene Hoshiko)"),
        ("yonhap", "(Yonhap)"),
        ("joongang", "[YONHAP]"),
        ("koreaherald", "Photo: Yonhap"),
        ("koreatimes", "/ Courtesy of Seoul Metropolitan Government"),
        ("japantimes", "| KYODO"),
        ("upi", "Photo by Thomas Maresca/UPI"),
        ("kyodo", "(Kyodo)"),
    ],
)
def test_photo_captions_and_their_credits(name: str, credit: str) -> None:
    segments = segment_article(read_article(LAYOUTS / f"{name}.txt"))
    captions = [s for s in segments if s.kind == "caption"]
    assert captions, name
    assert captions[-1].text == credit
    assert {s.paragraph for s in captions} == {captions[0].paragraph}


if __name__ == "__main__":
    for name in sys.argv[1:] or NAMES:
        found = described(LAYOUTS / f"{name}.txt")
        rows = {
            key: ",\n".join(f"  {json.dumps(row, ensure_ascii=False)}" for row in table)
            for key in ("segments", "removed")
            if isinstance(table := found[key], list)
        }
        document = (
            f'{{"profile": {json.dumps(found["profile"])},\n'
            f' "segments": [\n{rows["segments"]}\n ],\n'
            f' "removed": [\n{rows["removed"]}\n ]}}\n'
        )
        (LAYOUTS / f"{name}.expected.json").write_text(document, "utf-8")
