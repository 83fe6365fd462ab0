"""Explaining what the glossary does to a sentence, per language."""

from __future__ import annotations

import json
from pathlib import Path

from workflow.glossary import Glossary, Term, load_glossaries
from workflow.glossary_show import explain
from workflow.masking import mask
from workflow.pairs import ReadingMatcher

SENTENCE = "Foreign Minister Kang Kyung-wha met Japan's Motegi on GSOMIA, Yonhap said."


def test_default_glossary_matches_what_a_run_masks(default_glossary: Path) -> None:
    glossary = load_glossaries([default_glossary])
    ko, ja = explain(SENTENCE, glossary, ["ko", "ja"])
    for explanation in (ko, ja):
        lang = explanation.lang
        matches = ReadingMatcher(glossary.for_language(lang), lang=lang).find(SENTENCE)
        assert explanation.masked == mask(SENTENCE, matches, lang).text
        assert [hit.en for hit in explanation.hits] == [m.term.en for m in matches]
    first = ja.hits[0]
    assert (first.start, first.end, first.written) == (0, 31, "Foreign Minister Kang Kyung-wha")
    assert first.where.startswith(f"{default_glossary}:")
    assert (first.type, first.outcome, first.placeholder) == ("person", "target", "ZXQ1")
    assert first.target == {t.en: t for t in glossary.terms}[first.en].target("ja")
    japan = next(hit for hit in ja.hits if hit.en == "Japan")
    assert japan.possessive == "'s"
    gsomia = next(hit for hit in ja.hits if hit.en == "GSOMIA")
    assert (gsomia.outcome, gsomia.target) == ("kept in English", "GSOMIA")
    assert next(hit for hit in ko.hits if hit.en == "GSOMIA").outcome == "target"


def test_rows_without_a_rule_are_shown_with_what_matches_inside_them() -> None:
    glossary = Glossary(
        (
            Term("Kang Kyung-wha", {"ko": "강경화"}, "person", path="g.tsv", line=2),
            Term("Kang", {"ko": "강 장관", "ja": "康氏"}, "person", path="g.tsv", line=3),
            Term("Yonhap", {"ko": "연합뉴스"}, "organization", path="g.tsv", line=4),
        )
    )
    ko, ja = explain("Kang Kyung-wha told Yonhap.", glossary, ["ko", "ja"])
    assert ko.masked == "ZXQ1 told ZXQ2."
    assert [(h.en, h.outcome) for h in ko.hits] == [
        ("Kang Kyung-wha", "target"),
        ("Yonhap", "target"),
    ]
    # In Japanese the full name has no rule, so the bare surname's row applies.
    assert ja.masked == "ZXQ1 Kyung-wha told Yonhap."
    assert [(h.en, h.outcome, h.target, h.placeholder, h.where) for h in ja.hits] == [
        ("Kang Kyung-wha", "no rule", None, None, "g.tsv:2"),
        ("Kang", "target", "康氏", "ZXQ1", "g.tsv:3"),
        ("Yonhap", "no rule", None, None, "g.tsv:4"),
    ]
    assert list(ja.lines()) == [
        "ja: ZXQ1 Kyung-wha told Yonhap.",
        "  0-14 'Kang Kyung-wha' g.tsv:2 [person]: no rule",
        "  0-4 'Kang' g.tsv:3 [person]: 康氏 (target) as ZXQ1",
        "  20-26 'Yonhap' g.tsv:4 [organization]: no rule",
    ]


def test_nothing_found() -> None:
    (ko,) = explain("Nothing here.", Glossary((Term("Seoul", {"ko": "서울"}),)), ["ko"])
    assert (ko.masked, ko.hits) == ("Nothing here.", ())


def test_to_json_is_plain_data() -> None:
    glossary = Glossary((Term("Seoul", {"ko": "서울"}, "place"),))
    (ko,) = explain("Seoul's mayor", glossary, ["ko"])
    data = json.loads(json.dumps(ko.to_json()))
    assert data == {
        "lang": "ko",
        "sentence": "Seoul's mayor",
        "masked": "ZXQ1's mayor",
        "hits": [
            {
                "start": 0,
                "end": 5,
                "written": "Seoul",
                "possessive": "'s",
                "en": "Seoul",
                "type": "place",
                "where": "",
                "outcome": "target",
                "target": "서울",
                "placeholder": "ZXQ1",
                "reading": "",
            }
        ],
    }
