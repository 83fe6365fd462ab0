"""Upper-case place names in datelines match their glossary terms; prose stays case-sensitive."""

from __future__ import annotations

from workflow.article import parse_article
from workflow.glossary import Glossary, Term
from workflow.matcher import TermMatcher, find_in_dateline
from workflow.runner import plan

GLOSSARY = Glossary(
    (
        Term("Tokyo", {"ko": "도쿄", "ja": "東京"}),
        Term("Seoul", {"ko": "서울", "ja": "ソウル"}),
        Term("NEW YORK FASHION WEEK", {"ko": "뉴욕 패션위크"}),
    )
)


def masked_texts(text: str, lang: str = "ko") -> list[tuple[str, str, list[str]]]:
    article = parse_article(text, article_id="a", path="a.txt")
    job = plan([article], GLOSSARY, [lang]).jobs[0]
    return [
        (segment.kind, masked.text, [slot.target for slot in masked.slots])
        for segment, masked in zip(job.segments, job.masked[lang], strict=True)
    ]


def test_an_upper_case_dateline_place_takes_its_glossary_term() -> None:
    text = (
        "Rice prices ease\n\nTOKYO/SEOUL, Dec. 17 (Kyodo) - Prices eased in Tokyo.\n\n"
        "SHOPPERS IN TOKYO said prices were too high.\n"
    )
    segments = masked_texts(text)
    assert segments[1] == ("dateline", "ZXQ1/ZXQ2, Dec. 17 (Kyodo) -", ["도쿄", "서울"])
    assert segments[2] == ("body", "Prices eased in ZXQ1.", ["도쿄"])
    # Prose keeps case-sensitive matching: "TOKYO" in a sentence is not the term.
    assert segments[3] == ("body", "SHOPPERS IN TOKYO said prices were too high.", [])


def test_colon_and_agency_datelines_are_matched_too() -> None:
    for dateline in ("TOKYO:", "TOKYO (AP) \u2014", "Tokyo (AFP) -"):
        segments = masked_texts(f"Title\n\n{dateline} Japan's prices eased.\n", "ja")
        assert segments[1][0] == "dateline"
        assert segments[1][2] == ["東京"], dateline


def test_exact_case_wins_and_mixed_case_words_are_not_folded() -> None:
    matcher = TermMatcher(GLOSSARY.terms)
    text = "SEOUL, Dec. 16 (Yonhap) --"
    assert [text[m.start : m.end] for m in find_in_dateline(matcher, text)] == ["SEOUL"]
    assert find_in_dateline(matcher, "ToKyo, Dec. 16 (Yonhap) --") == []
