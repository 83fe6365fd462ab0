from __future__ import annotations

import polib
import pytest

from workflow.checks import CheckContext, check_catalog
from workflow.glossary import Glossary, Term
from workflow.masking import mask, placeholder_traces, problems, restore
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
        ("AZXQ1 met ZXQ2 in ZXQ3.", [
            "placeholder ZXQ1 (Kang Kyung-wha) is missing",
            "'AZXQ1' looks like a garbled placeholder",
        ]),
        ("ZXQ1 met ZXQ2 in 7ZXQ3.", [
            "placeholder ZXQ3 (Seoul) is missing",
            "'7ZXQ3' looks like a garbled placeholder",
        ]),
        ("ZXQ1 met ZXQ2 in ZXQ3 ZXQ.", ["'ZXQ' looks like a garbled placeholder"]),
        ("ZXQ1 ZXQ2 ZXQ3 zxq3", ["'zxq3' looks like a garbled placeholder"]),
        ("ZXQ1 ZXQ2 ZXQ3 ZXQ 3", ["'ZXQ 3' looks like a garbled placeholder"]),
        ("ZXQ1 ZXQ2 ZXQ3 Zxq", ["'Zxq' looks like a garbled placeholder"]),
        ("ZXQ1 ZXQ2 \uff3a\uff38\uff31\uff13", [
            "placeholder ZXQ3 (Seoul) is missing",
            "'ZXQ3' looks like a garbled placeholder",
        ]),
        # A particle after a placeholder, Hangul or another placeholder before it: fine.
        ("ZXQ1은 ZXQ2와 ZXQ3에서", []),
        ("ZXQ1は ZXQ2とZXQ3で", []),
        ("ZXQ1ZXQ2ZXQ3", []),
        ("외교부ZXQ1 ZXQ2 (ZXQ3)", []),
        ("ZXQ1's ZXQ2, ZXQ3.", []),
    ],
    ids=[
        "kept", "lost", "duplicated", "invented", "mangled", "glued-to-letter",
        "glued-to-digit", "bare-prefix", "lower-case", "split", "mixed-case", "fullwidth",
        "korean-particles", "japanese-particles", "adjacent", "after-hangul", "possessive",
    ],
)  # fmt: skip
def test_problems(hypothesis: str, expected: list[str]) -> None:
    assert problems(hypothesis, masked("Kang Kyung-wha met Motegi in Seoul.")) == expected


def test_garbled_placeholders_in_the_source_may_come_back() -> None:
    source = masked("Code zxq and AZXQ1 are not terms, Seoul is.")
    assert source.text == "Code zxq and AZXQ1 are not terms, ZXQ2 is."
    assert problems("코드 zxq와 AZXQ1은 용어가 아니고 ZXQ2가 용어다.", source) == []
    garbled = ["'zxq' looks like a garbled placeholder"]
    assert problems("코드 zxq와 zxq는 ZXQ2다.", source) == garbled


def test_placeholder_traces_count_garbled_ones_too() -> None:
    assert placeholder_traces("ZXQ1은 ZXQ1 AZXQ2와 zxq3, ZXQ 4를") == {
        "ZXQ1": 2,
        "AZXQ2": 1,
        "zxq3": 1,
        "ZXQ 4": 1,
    }
    assert placeholder_traces("강경화는 서울에서 XQ 회담을 열었다.") == {}


@pytest.mark.parametrize(
    "translation", ["zxq1 장관은 기자들을 만났다.", "ZXQ 1 장관은 기자들을 만났다.",
                    "강경화ZXQ 장관은 기자들을 만났다.", "AZXQ1 장관은 기자들을 만났다."],
)  # fmt: skip
def test_the_leftover_placeholder_check_finds_garbled_placeholders(translation: str) -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Kang met reporters.", msgstr=translation))
    findings = check_catalog(catalog, CheckContext("ko", Glossary(()), "ko/a.po"))
    assert [f.check for f in findings] == ["leftover-placeholder"]


def test_korean_restore_keeps_the_model_spacing_after_a_term() -> None:
    source = masked("Kang Kyung-wha met Motegi in Seoul.")
    # A word after a space may be a word of its own: neither joined nor changed.
    assert restore("ZXQ1 장관은 ZXQ3 에서 ZXQ2 와 만났다.", source, "ko") == (
        "강경화 장관은 서울 에서 모테기 와 만났다."
    )


@pytest.mark.parametrize(
    ("hypothesis", "expected"),
    [
        ("ZXQ1ZXQ2와 ZXQ3에서", "강경화 모테기와 서울에서"),
        ("일본ZXQ2와 한국ZXQ1은", "일본 모테기와 한국 강경화는"),
        ("2020년ZXQ3 회담", "2020년 서울 회담"),
        ("(ZXQ1) “ZXQ2”와 ZXQ3", "(강경화) “모테기”와 서울"),
        ("ZXQ1, ZXQ2", "강경화, 모테기"),
    ],
    ids=["after-term", "after-hangul", "after-digit", "after-punctuation", "after-space"],
)
def test_korean_restore_spaces_a_term_from_the_word_before_it(
    hypothesis: str, expected: str
) -> None:
    source = masked("Kang Kyung-wha met Motegi in Seoul.")
    assert restore(hypothesis, source, "ko") == expected


def test_japanese_restore_drops_spaces_next_to_cjk() -> None:
    source = masked("Kang Kyung-wha signed GSOMIA in Seoul.", "ja")
    assert restore("ZXQ1 は ZXQ3 で ZXQ2 に署名した。", source, "ja") == (
        "康京和はソウルでGSOMIAに署名した。"
    )
    # Between two Latin words the space stays.
    assert restore("ZXQ1 signed ZXQ2 in ZXQ3.", source, "ja") == "康京和signed GSOMIA inソウル."
    # Terms written together stay together.
    assert restore("ZXQ1ZXQ3でZXQ2に", source, "ja") == "康京和ソウルでGSOMIAに"


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
