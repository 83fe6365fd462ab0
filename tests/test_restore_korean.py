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


# (English source, hypothesis as a model writes it, expected Korean, id). Each hypothesis
# has a placeholder followed by a particle in the form that does not fit the term; the
# restored sentence differs from the hypothesis only in the terms and that particle.
PARTICLE_CASES = [
    # 은/는
    ("Kang Kyung-wha met reporters.", "ZXQ1은 기자들을 만났다.",
     "강경화는 기자들을 만났다.", "eun-after-vowel"),
    ("The Supreme Court ruled in 2018.", "ZXQ1는 2018년 판결했다.",
     "대법원은 2018년 판결했다.", "neun-after-consonant"),
    ("Seoul rejected the claim.", "ZXQ1는 그 주장을 일축했다.",
     "서울은 그 주장을 일축했다.", "neun-after-rieul"),
    # 이/가
    ("Tokyo tightened export controls.", "ZXQ1이 ZXQ2를 강화했다.",
     "도쿄가 수출 규제를 강화했다.", "i-after-vowel"),
    ("North Korea fired a missile.", "ZXQ1가 미사일을 발사했다.",
     "북한이 미사일을 발사했다.", "ga-after-consonant"),
    # 을/를
    ("Moon Jae-in met Shinzo Abe.", "ZXQ1은 ZXQ2을 만났다.",
     "문재인은 아베 신조를 만났다.", "eul-after-vowel"),
    ("Pompeo visited Japan.", "ZXQ1은 ZXQ2를 방문했다.",
     "폼페이오 장관은 일본을 방문했다.", "reul-after-consonant"),
    # 과/와
    ("Seoul and Tokyo agreed to talk.", "ZXQ1와 ZXQ2는 대화하기로 합의했다.",
     "서울과 도쿄는 대화하기로 합의했다.", "wa-after-rieul"),
    ("Yonhap and Kyodo reported it.", "ZXQ1과 ZXQ2은 이를 보도했다.",
     "연합뉴스와 교도통신은 이를 보도했다.", "gwa-after-vowel"),
    # 으로/로: ㄹ and vowels take 로, other consonants 으로
    ("Motegi flew to Seoul.", "ZXQ1은 ZXQ2으로 향했다.",
     "모테기 외무상은 서울로 향했다.", "euro-after-rieul"),
    ("Kang flew to Tokyo.", "ZXQ1은 ZXQ2으로 향했다.",
     "강 장관은 도쿄로 향했다.", "euro-after-vowel"),
    ("Pompeo flew to Pyongyang.", "ZXQ1은 ZXQ2로 향했다.",
     "폼페이오 장관은 평양으로 향했다.", "ro-after-consonant"),
    ("The request came from Washington.", "요청은 ZXQ1로부터 왔다.",
     "요청은 워싱턴으로부터 왔다.", "robuteo-after-consonant"),
    # 이나/나
    ("The talks could be held in Seoul or Tokyo.", "회담은 ZXQ1나 ZXQ2에서 열릴 수 있다.",
     "회담은 서울이나 도쿄에서 열릴 수 있다.", "na-after-consonant"),
    ("The talks could be held in Tokyo or Seoul.", "회담은 ZXQ1이나 ZXQ2에서 열릴 수 있다.",
     "회담은 도쿄나 서울에서 열릴 수 있다.", "ina-after-vowel"),
    # 이랑/랑, spoken, in quotes
    ('"I talked with Pyongyang," he said.', '"ZXQ1랑 얘기했어요"라고 그는 말했다.',
     '"평양이랑 얘기했어요"라고 그는 말했다.', "rang-after-consonant"),
    ('"Seoul is different from Tokyo," he said.', '"ZXQ1은 ZXQ2이랑 달라요"라고 그는 말했다.',
     '"서울은 도쿄랑 달라요"라고 그는 말했다.', "irang-after-vowel"),
    # 이며/며: the 이 may stay after a vowel
    ("The venue is Seoul, and the talks start on Jan. 14.",
     "회담 장소는 ZXQ1며, 회담은 1월 14일 시작된다.",
     "회담 장소는 서울이며, 회담은 1월 14일 시작된다.", "myeo-after-consonant"),
    ("The venue is Tokyo, and the talks start on Jan. 14.",
     "회담 장소는 ZXQ1이며, 회담은 1월 14일 시작된다.",
     "회담 장소는 도쿄이며, 회담은 1월 14일 시작된다.", "imyeo-after-vowel-kept"),
    # 아/야: the vocative after a vowel; a bare 야 after a consonant is the copula 이야
    ('"Tokyo, we are back," the fans shouted.', '"ZXQ1아, 우리가 돌아왔다"라고 팬들이 외쳤다.',
     '"도쿄야, 우리가 돌아왔다"라고 팬들이 외쳤다.', "a-after-vowel"),
    ('"Seoul, we are back," the fans shouted.', '"ZXQ1아, 우리가 돌아왔다"라고 팬들이 외쳤다.',
     '"서울아, 우리가 돌아왔다"라고 팬들이 외쳤다.', "a-after-consonant-kept"),
    ('"The key is Pyongyang," he said.', '"열쇠는 ZXQ1야"라고 그는 말했다.',
     '"열쇠는 평양이야"라고 그는 말했다.', "ya-after-consonant-copula"),
    # The copula 이다/다 and its common forms
    ("The capital is Seoul.", "수도는 ZXQ1다.", "수도는 서울이다.", "da-after-consonant"),
    ("It was Seoul that acted first.", "먼저 움직인 것은 ZXQ1였다.",
     "먼저 움직인 것은 서울이었다.", "yeotda-after-consonant"),
    ("The host city was Tokyo.", "개최 도시는 ZXQ1이었다.",
     "개최 도시는 도쿄였다.", "ieotda-after-vowel"),
    ("Yonhap said the venue was Pyongyang.", "ZXQ1는 회담 장소가 ZXQ2라고 전했다.",
     "연합뉴스는 회담 장소가 평양이라고 전했다.", "rago-after-consonant"),
    ("Yonhap said the venue was San Francisco.", "ZXQ1은 회담 장소가 ZXQ2이라고 전했다.",
     "연합뉴스는 회담 장소가 샌프란시스코라고 전했다.", "irago-after-vowel"),
    ("It is a country called Japan.", "ZXQ1라는 나라다.",
     "일본이라는 나라다.", "raneun-after-consonant"),
    ("It is a place called the Korean Peninsula.", "ZXQ1이라는 곳이다.",
     "한반도라는 곳이다.", "iraneun-after-vowel"),
    ("The capital is Seoul and the administrative capital is Sejong.",
     "수도는 ZXQ1고 행정수도는 ZXQ2다.",
     "수도는 서울이고 행정수도는 세종이다.", "go-and-da-after-consonant"),
    ("The venue is Seoul, but the date is not set.", "장소는 ZXQ1지만 날짜는 정해지지 않았다.",
     "장소는 서울이지만 날짜는 정해지지 않았다.", "jiman-after-consonant"),
    ('"It is Seoul," he said.', '"ZXQ1예요"라고 그는 말했다.',
     '"서울이에요"라고 그는 말했다.', "yeyo-after-consonant"),
    ('"It is Tokyo," he said.', '"ZXQ1이에요"라고 그는 말했다.',
     '"도쿄예요"라고 그는 말했다.', "ieyo-after-vowel"),
]  # fmt: skip

# (English source, hypothesis, expected Korean, id): whole sentences and harder cases.
SENTENCE_CASES = [
    ("Kang Kyung-wha met Foreign Minister Toshimitsu Motegi.", "ZXQ1는 ZXQ2을 만났다.",
     "강경화는 모테기 도시미쓰 외무상을 만났다.", "already-agreeing"),
    ("Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu Motegi,"
     " near San Francisco.",
     "ZXQ1는 ZXQ3 인근에서 일본 측 카운터파트인 ZXQ2과 만났다.",
     "강경화 외교부 장관은 샌프란시스코 인근에서 일본 측 카운터파트인 모테기 도시미쓰와 만났다.",
     "with-and-near"),
    ("Kang reiterated Seoul's call for Japan to retract the export controls.",
     "ZXQ1는 ZXQ3가 ZXQ4를 철회해야 한다는 ZXQ2의 요구를 거듭 밝혔다.",
     "강 장관은 일본이 수출 규제를 철회해야 한다는 서울의 요구를 거듭 밝혔다.",
     "subject-and-possessive"),
    ("The South decided to terminate the General Security of Military Information Agreement.",
     "한국은 ZXQ1를 종료하기로 결정했다.",
     "한국은 군사정보보호협정(GSOMIA)을 종료하기로 결정했다.", "object-after-parenthesis"),
    ("The South Korean Supreme Court ordered Japanese firms to compensate victims.",
     "ZXQ1가 일본 기업들에 피해자 배상을 명령했다.",
     "한국 대법원이 일본 기업들에 피해자 배상을 명령했다.", "subject-i-ga"),
    ("UPI and NHK reported that GSOMIA was extended.",
     "ZXQ1와 ZXQ2은 ZXQ3이 연장됐다고 보도했다.",
     "UPI통신과 NHK는 지소미아가 연장됐다고 보도했다.", "latin-terms"),
    ("It was Seoul, not Tokyo.", "그것은 ZXQ2이 아니라 ZXQ1였다.",
     "그것은 도쿄가 아니라 서울이었다.", "copula-past"),
    ("Washington and Pyongyang resumed dialogue.", "ZXQ1과 ZXQ2 사이의 대화가 재개됐다.",
     "워싱턴과 평양 사이의 대화가 재개됐다.", "words-after-terms-untouched"),
    # Quotes and brackets closing after a term: the particle agrees with what is said.
    ('Kang said "Tokyo" had to act.', "ZXQ1은 \u2018ZXQ2\u2019이 나서야 한다고 말했다.",
     "강 장관은 \u2018도쿄\u2019가 나서야 한다고 말했다.", "after-closing-quote"),
    ('Kang said "Tokyo" had to act.', "ZXQ1은 「ZXQ2」이 나서야 한다고 말했다.",
     "강 장관은 「도쿄」가 나서야 한다고 말했다.", "after-corner-bracket"),
    ("Motegi (Japan) said the talks were useful.", "ZXQ1(ZXQ2)는 회담이 유익했다고 말했다.",
     "모테기 외무상(일본)은 회담이 유익했다고 말했다.", "after-parenthesis-word-before-it"),
    # A word after a space is not a particle, whatever it looks like.
    ("Abe raised this issue.", "ZXQ1 이 문제를 제기했다.",
     "아베 총리 이 문제를 제기했다.", "demonstrative-i-kept"),
    ("Yonhap said Kyodo was wrong.", "ZXQ1 은 ZXQ2 가 틀렸다고 말했다.",
     "연합뉴스 은 교도통신 가 틀렸다고 말했다.", "detached-particles-kept"),
    ("The talks between President Moon Jae-in and Japanese Prime Minister Shinzo Abe in China.",
     "ZXQ3 에서 열린 ZXQ1와 ZXQ2 간의 회담.",
     "중국 에서 열린 문재인 대통령과 아베 신조 일본 총리 간의 회담.", "detached-eseo-kept"),
    # A term is a word of its own: spaced from a word or term before it, particle joined.
    ("Foreign Minister Kang Kyung-wha and Toshimitsu Motegi met.", "ZXQ1ZXQ2와 만났다.",
     "강경화 외교부 장관 모테기 도시미쓰와 만났다.", "term-after-term"),
    ("Seoul's foreign ministry said Foreign Minister Kang Kyung-wha met Motegi.",
     "ZXQ1는 외교부ZXQ2은 ZXQ3를 만났다고 밝혔다.",
     "외교부는 외교부 강경화 외교부 장관은 모테기 외무상을 만났다고 밝혔다.",
     "term-after-hangul"),
    ("The General Security of Military Information Agreement and GSOMIA.",
     "ZXQ1ZXQ2는 같다.",
     "군사정보보호협정(GSOMIA) 지소미아는 같다.", "term-after-term-ending-in-bracket"),
    ("It was Seoul in 2020.", "2020년ZXQ1이었다.", "2020년 서울이었다.", "term-after-digit-word"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "hypothesis", "expected"),
    [case[:3] for case in PARTICLE_CASES + SENTENCE_CASES],
    ids=[case[3] for case in PARTICLE_CASES + SENTENCE_CASES],
)
def test_particles_after_restored_terms_agree(
    source: str, hypothesis: str, expected: str, matcher: TermMatcher
) -> None:
    masked_source = masked(source, matcher)
    assert problems(hypothesis, masked_source) == []
    assert restore(hypothesis, masked_source, "ko") == expected


def test_the_table_covers_every_particle_pair() -> None:
    # Every alternating pair keeps a case for each direction it is corrected in.
    ids = {case[3] for case in PARTICLE_CASES}
    pairs = "eun neun i ga eul reul wa gwa euro ro na ina rang irang myeo a ya da ieotda irago"
    assert [p for p in pairs.split() if not any(i.startswith(f"{p}-after") for i in ids)] == []


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
