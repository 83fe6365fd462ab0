"""Restoring glossary terms into Korean hypotheses makes the particle after each term agree."""

from __future__ import annotations

import pytest
from support import DEFAULT_GLOSSARY

from workflow.glossary import Term, read_glossary
from workflow.masking import MaskedText, mask, problems, restore
from workflow.matcher import TermMatcher

KANG = Term("Kang Kyung-wha", {"ko": "강경화"}, "person")
MOTEGI = Term("Foreign Minister Toshimitsu Motegi", {"ko": "모테기 도시미쓰 외무상"}, "person")


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(read_glossary(DEFAULT_GLOSSARY))


def masked(source: str, matcher: TermMatcher) -> MaskedText:
    result = mask(source, matcher.find(source), "ko")
    assert result.slots, "the source must hold glossary terms"
    return result


# (English source, hypothesis as a model writes it, expected Korean)
CASES = [
    (
        "Kang Kyung-wha met Foreign Minister Toshimitsu Motegi.",
        "ZXQ1은 ZXQ2를 만났다.",
        "강경화는 모테기 도시미쓰 외무상을 만났다.",
    ),
    (
        "Kang Kyung-wha met Foreign Minister Toshimitsu Motegi.",
        "ZXQ1는 ZXQ2을 만났다.",
        "강경화는 모테기 도시미쓰 외무상을 만났다.",
    ),
    (
        "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu Motegi,"
        " near San Francisco.",
        "ZXQ1는 ZXQ3 인근에서 일본 측 카운터파트인 ZXQ2과 만났다.",
        "강경화 외교부 장관은 샌프란시스코 인근에서"
        " 일본 측 카운터파트인 모테기 도시미쓰와 만났다.",
    ),
    (
        "Kang reiterated Seoul's call for Japan to retract the export controls.",
        "ZXQ1는 ZXQ3가 수출 규제를 철회해야 한다는 ZXQ2의 요구를 거듭 밝혔다.",
        "강 장관은 일본이 수출 규제를 철회해야 한다는 서울의 요구를 거듭 밝혔다.",
    ),
    (
        "The South decided to terminate the General Security of Military Information Agreement.",
        "한국은 ZXQ1를 종료하기로 결정했다.",
        "한국은 군사정보보호협정(GSOMIA)을 종료하기로 결정했다.",
    ),
    (
        "The South Korean Supreme Court ordered Japanese firms to compensate victims.",
        "ZXQ1가 일본 기업들에 피해자 배상을 명령했다.",
        "한국 대법원이 일본 기업들에 피해자 배상을 명령했다.",
    ),
    (
        "Kang and Motegi agreed to continue close communication.",
        "ZXQ1와 ZXQ2는 긴밀한 소통을 계속하기로 합의했다.",
        "강 장관과 모테기 외무상은 긴밀한 소통을 계속하기로 합의했다.",
    ),
    (
        "The talks between President Moon Jae-in and Japanese Prime Minister Shinzo Abe in China.",
        "ZXQ3 에서 열린 ZXQ1와 ZXQ2 간의 회담.",
        "중국에서 열린 문재인 대통령과 아베 신조 일본 총리 간의 회담.",
    ),
    (
        "UPI and NHK reported that GSOMIA was extended.",
        "ZXQ1와 ZXQ2은 ZXQ3이 연장됐다고 보도했다.",
        "UPI통신과 NHK는 지소미아가 연장됐다고 보도했다.",
    ),
    (
        "Motegi flew to Seoul from Tokyo.",
        "ZXQ1는 ZXQ3에서 ZXQ2으로 날아갔다.",
        "모테기 외무상은 도쿄에서 서울로 날아갔다.",
    ),
    (
        "It was Seoul, not Tokyo.",
        "그것은 ZXQ2이 아니라 ZXQ1였다.",
        "그것은 도쿄가 아니라 서울이었다.",
    ),
    (
        "Yonhap said the venue was San Francisco.",
        "ZXQ1은 회담 장소가 ZXQ2이라고 전했다.",
        "연합뉴스는 회담 장소가 샌프란시스코라고 전했다.",
    ),
    (
        "Yonhap said Kyodo was wrong.",
        "ZXQ1 은 ZXQ2 가 틀렸다고 말했다.",
        "연합뉴스는 교도통신이 틀렸다고 말했다.",
    ),
    (
        "Seoul is the capital, and Pyongyang too.",
        "수도는 ZXQ1다. ZXQ2 도 마찬가지다.",
        "수도는 서울이다. 평양도 마찬가지다.",
    ),
    (
        "Washington and Pyongyang resumed dialogue.",
        "ZXQ1과 ZXQ2 사이의 대화가 재개됐다.",
        "워싱턴과 평양 사이의 대화가 재개됐다.",
    ),
]


@pytest.mark.parametrize(
    ("source", "hypothesis", "expected"),
    CASES,
    ids=[
        "subject-and-object",
        "already-agreeing",
        "with-and-near",
        "subject-and-possessive",
        "object-after-parenthesis",
        "subject-i-ga",
        "gwa-wa-and-topic",
        "spaced-particles",
        "latin-terms",
        "euro-ro-after-rieul",
        "copula-past",
        "copula-quote",
        "spaced-wrong-particles",
        "short-copula-after-consonant",
        "words-after-terms-untouched",
    ],
)
def test_particles_after_restored_terms_agree(
    source: str, hypothesis: str, expected: str, matcher: TermMatcher
) -> None:
    masked_source = masked(source, matcher)
    assert problems(hypothesis, masked_source) == []
    assert restore(hypothesis, masked_source, "ko") == expected


def test_particles_not_after_a_term_are_left_as_the_model_wrote_them() -> None:
    source = "Kang Kyung-wha met Foreign Minister Toshimitsu Motegi."
    masked_source = mask(source, TermMatcher([KANG, MOTEGI]).find(source), "ko")
    # 상대을 is wrong, but it is the model's own word, not a restored term.
    hypothesis = "ZXQ1은 일본 측 상대을 만났다. 그 상대는 ZXQ2였다."
    assert restore(hypothesis, masked_source, "ko") == (
        "강경화는 일본 측 상대을 만났다. 그 상대는 모테기 도시미쓰 외무상이었다."
    )


def test_other_languages_keep_what_follows_a_term() -> None:
    source = "Kang Kyung-wha met reporters."
    kang = Term("Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person")
    masked_source = mask(source, TermMatcher([kang]).find(source), "ja")
    assert restore("ZXQ1은 기자들을 만났다.", masked_source, "ja") == "康京和은 기자들을 만났다."
