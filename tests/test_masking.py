from __future__ import annotations

import pytest

from workflow.glossary import Term
from workflow.masking import mask, problems, restore
from workflow.matcher import TermMatcher

KANG = Term("Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person")
SEOUL = Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place")
GSOMIA = Term("GSOMIA", {"ko": "GSOMIA", "ja": "GSOMIA"}, "agreement")
ONLY_KO = Term("Motegi", {"ko": "모테기"}, "person")
TERMS = [KANG, SEOUL, GSOMIA, ONLY_KO]


def masked(text: str, lang: str = "ko"):  # type: ignore[no-untyped-def]
    return mask(text, TermMatcher(TERMS).find(text), lang)


def test_terms_become_numbered_placeholders() -> None:
    result = masked("Kang Kyung-wha met Motegi in Seoul.")
    assert result.text == "ZXQ1 met ZXQ2 in ZXQ3."
    assert [(s.token, s.target) for s in result.slots] == [
        ("ZXQ1", "강경화"),
        ("ZXQ2", "모테기"),
        ("ZXQ3", "서울"),
    ]


def test_a_term_without_a_rule_for_the_language_is_left_to_the_engine() -> None:
    result = masked("Kang Kyung-wha met Motegi.", "ja")
    assert result.text == "ZXQ1 met Motegi."


def test_placeholder_numbers_already_in_the_text_are_skipped() -> None:
    result = masked("Code ZXQ1 and ZXQ2 are not terms, Seoul is.")
    assert result.text == "Code ZXQ1 and ZXQ2 are not terms, ZXQ3 is."
    assert problems("ZXQ1, ZXQ2, ZXQ3", result) == []
    assert problems("ZXQ2, ZXQ3", result) == ["placeholder ZXQ1 is missing"]


@pytest.mark.parametrize(
    ("hypothesis", "expected"),
    [
        ("ZXQ1 은 ZXQ2 와 ZXQ3 에서", []),
        ("ZXQ1 은 ZXQ3 에서", ["placeholder ZXQ2 (Motegi) is missing"]),
        ("ZXQ1 ZXQ1 ZXQ2 ZXQ3", ["placeholder ZXQ1 (Kang Kyung-wha) appears 2 times"]),
        ("ZXQ1 ZXQ2 ZXQ3 ZXQ4", ["placeholder ZXQ4 was not in the source"]),
        (
            "ZXQ12 ZXQ2 ZXQ3",
            [
                "placeholder ZXQ1 (Kang Kyung-wha) is missing",
                "placeholder ZXQ12 was not in the source",
            ],
        ),
    ],
    ids=["kept", "lost", "duplicated", "invented", "mangled"],
)
def test_problems(hypothesis: str, expected: list[str]) -> None:
    assert problems(hypothesis, masked("Kang Kyung-wha met Motegi in Seoul.")) == expected


def test_korean_restore_keeps_the_model_spacing_between_words() -> None:
    source = masked("Kang Kyung-wha met Motegi in Seoul.")
    # A particle is joined to its term; the space before a word stays.
    assert restore("ZXQ1 장관은 ZXQ3 에서 ZXQ2 와 만났다.", source, "ko") == (
        "강경화 장관은 서울에서 모테기와 만났다."
    )


def test_japanese_restore_drops_spaces_next_to_cjk() -> None:
    source = masked("Kang Kyung-wha signed GSOMIA in Seoul.", "ja")
    assert restore("ZXQ1 は ZXQ3 で ZXQ2 に署名した。", source, "ja") == (
        "康京和はソウルでGSOMIAに署名した。"
    )
    # Between two Latin words the space stays.
    assert restore("ZXQ1 signed ZXQ2 in ZXQ3.", source, "ja") == "康京和signed GSOMIA inソウル."


def test_restoring_an_identity_hypothesis_replaces_exactly_the_terms() -> None:
    text = "Seoul's envoy Kang Kyung-wha and GSOMIA, again Seoul."
    source = masked(text)
    assert restore(source.text, source, "ko") == "서울's envoy 강경화 and GSOMIA, again 서울."


def test_placeholder_ten_is_not_mistaken_for_one() -> None:
    text = " ".join(["Seoul"] * 10) + " Kang Kyung-wha"
    source = masked(text)
    assert source.slots[-1].token == "ZXQ11"
    assert restore(source.text, source, "ko") == " ".join(["서울"] * 10) + " 강경화"


def test_a_target_that_looks_like_a_placeholder_is_inserted_verbatim() -> None:
    odd = Term("Code", {"ko": "ZXQ2 코드"}, "term")
    text = "Code and Seoul."
    source = mask(text, TermMatcher([odd, SEOUL]).find(text), "ko")
    assert source.text == "ZXQ1 and ZXQ2."
    assert restore("ZXQ1 and ZXQ2.", source, "ko") == "ZXQ2 코드 and 서울."
