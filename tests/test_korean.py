from __future__ import annotations

import pytest

from workflow.korean import agree_particles, attach, ends_in_rieul, has_final_consonant

# (term, particle as the model wrote it, expected); ids name what is checked.
ATTACH_CASES = [
    # 은/는
    ("강경화", "은", "강경화는", "eun-after-vowel"),
    ("대법원", "는", "대법원은", "neun-after-consonant"),
    ("서울", "는", "서울은", "neun-after-rieul"),
    # 이/가
    ("강경화", "이", "강경화가", "i-after-vowel"),
    ("대법원", "가", "대법원이", "ga-after-consonant"),
    # 을/를
    ("모테기", "을", "모테기를", "eul-after-vowel"),
    ("외무상", "를", "외무상을", "reul-after-consonant"),
    # 과/와
    ("대법원", "와", "대법원과", "wa-after-consonant"),
    ("모테기", "과", "모테기와", "gwa-after-vowel"),
    # 으로/로, with ㄹ taking 로
    ("서울", "으로", "서울로", "euro-after-rieul"),
    ("대법원", "로", "대법원으로", "ro-after-consonant"),
    ("도쿄", "으로", "도쿄로", "euro-after-vowel"),
    ("평양", "로", "평양으로", "ro-after-ieung"),
    ("여덟", "로", "여덟으로", "ro-after-double-final-with-rieul"),
    ("대법원", "로서", "대법원으로서", "roseo-after-consonant"),
    ("서울", "으로부터", "서울로부터", "eurobuteo-after-rieul"),
    # 이나/나, 이랑/랑, 이든/든, 이라도/라도
    ("서울", "나", "서울이나", "na-after-consonant"),
    ("도쿄", "이나", "도쿄나", "ina-after-vowel"),
    ("청와대", "이랑", "청와대랑", "irang-after-vowel"),
    ("대법원", "랑", "대법원이랑", "rang-after-consonant"),
    ("도쿄", "이든", "도쿄든", "ideun-after-vowel"),
    ("서울", "라도", "서울이라도", "rado-after-consonant"),
    # 아/야 (vocative) and a bare 야 after a consonant as the copula 이야
    ("도쿄", "아", "도쿄야", "a-after-vowel"),
    ("서울", "야", "서울이야", "ya-after-consonant-is-copula"),
    ("도쿄", "이야", "도쿄야", "iya-after-vowel"),
    # Copula forms that contract after a vowel
    ("도쿄", "이라고", "도쿄라고", "irago-after-vowel"),
    ("서울", "라고", "서울이라고", "rago-after-consonant"),
    ("도쿄", "이라는", "도쿄라는", "iraneun-after-vowel"),
    ("외무상", "라는", "외무상이라는", "raneun-after-consonant"),
    ("모테기", "이라며", "모테기라며", "iramyeo-after-vowel"),
    ("도쿄", "이었다", "도쿄였다", "ieotda-after-vowel"),
    ("서울", "였다", "서울이었다", "yeotda-after-consonant"),
    ("서울", "였던", "서울이었던", "yeotdeon-after-consonant"),
    ("모테기", "이에요", "모테기예요", "ieyo-after-vowel"),
    ("대법원", "예요", "대법원이에요", "yeyo-after-consonant"),
    # Copula forms whose 이 may stay after a vowel: only the short form after a consonant changes
    ("서울", "다", "서울이다", "da-after-consonant"),
    ("도쿄", "이다", "도쿄이다", "ida-after-vowel-stays"),
    ("도쿄", "다", "도쿄다", "da-after-vowel-stays"),
    ("대법원", "고", "대법원이고", "go-after-consonant"),
    ("대법원", "며", "대법원이며", "myeo-after-consonant"),
    ("도쿄", "이며", "도쿄이며", "imyeo-after-vowel-stays"),
    ("대법원", "지만", "대법원이지만", "jiman-after-consonant"),
    ("서울", "죠", "서울이죠", "jyo-after-consonant"),
    # Forms that attach to both, and particles without a pair
    ("서울", "인", "서울인", "in-both"),
    ("도쿄", "인", "도쿄인", "in-both-vowel"),
    ("서울", "입니다", "서울입니다", "imnida-both"),
    ("도쿄", "입니다", "도쿄입니다", "imnida-both-vowel"),
    ("서울", "에서", "서울에서", "eseo-unchanged"),
    ("모테기", "의", "모테기의", "ui-unchanged"),
    ("모테기", "에게는", "모테기에게는", "ege-neun-unchanged"),
    # Only the particle that meets the term changes
    ("모테기", "과는", "모테기와는", "gwa-neun"),
    ("대법원", "와의", "대법원과의", "wa-ui"),
    ("서울", "만으로", "서울만으로", "man-euro-unchanged"),
    # Not particles: appended as they are
    ("서울", "지", "서울지", "ji-suffix-untouched"),
    ("강경화", "장관은", "강경화장관은", "word-untouched"),
    ("서울", "이에", "서울이에", "i-takes-no-more"),
    # Brackets, quotes and periods are not said
    ("군사정보보호협정(GSOMIA)", "를", "군사정보보호협정(GSOMIA)을", "parenthesis"),
    ("나토(NATO)", "을", "나토(NATO)를", "parenthesis-after-vowel"),
    ("협정\uff08GSOMIA\uff09", "를", "협정\uff08GSOMIA\uff09을", "fullwidth-parenthesis"),
    ('"평화"', "을", '"평화"를', "quotes"),
    ("U.S.", "은", "U.S.는", "periods"),
    # Digits, read the Sino-Korean way
    ("2020", "는", "2020은", "2020-sip"),
    ("2019", "은", "2019는", "2019-gu"),
    ("1", "가", "1이", "1-il"),
    ("3", "가", "3이", "3-sam"),
    ("2", "이", "2가", "2-i"),
    ("7", "으로", "7로", "7-chil-rieul"),
    ("10", "는", "10은", "10-sip"),
    ("100", "는", "100은", "100-baek"),
    ("1000", "를", "1000을", "1000-cheon"),
    ("10000", "가", "10000이", "10000-man"),
    ("120000", "는", "120000은", "120000-sibiman"),
    ("100000000", "와", "100000000과", "eok"),
    ("1,000", "를", "1,000을", "thousands-separator"),
    ("0", "를", "0을", "0-yeong"),
    ("007", "으로", "007로", "leading-zeros-digit-by-digit"),
    ("3.5", "은", "3.5는", "decimal"),
    ("G20", "는", "G20은", "letter-and-number"),
    ("코로나19", "은", "코로나19는", "hangul-and-number"),
    # Latin capitals by their Korean names
    ("M", "는", "M은", "M-em"),
    ("O", "은", "O는", "O-o"),
    ("L", "으로", "L로", "L-el-rieul"),
    ("R", "으로", "R로", "R-al-rieul"),
    ("S", "은", "S는", "S-eseu"),
    ("UN", "는", "UN은", "UN-en"),
    ("NHK", "은", "NHK는", "NHK-kei"),
    ("UPI", "을", "UPI를", "UPI-ai"),
    ("GSOMIA", "은", "GSOMIA는", "GSOMIA"),
    ("APEC", "는", "APEC은", "acronym-said-as-word"),
    ("NATO", "이", "NATO가", "NATO"),
    # Mixed Hangul and Latin: the end decides
    ("UPI통신", "는", "UPI통신은", "latin-then-hangul"),
    ("LG전자", "은", "LG전자는", "latin-then-hangul-vowel"),
    ("삼성SDS", "은", "삼성SDS는", "hangul-then-latin"),
    ("OpenAI", "을", "OpenAI를", "word-ending-in-capital"),
    # Latin words in lower case, by loanword rules
    ("Samsung", "는", "Samsung은", "word-ng"),
    ("iPhone", "를", "iPhone을", "word-silent-e-after-n"),
    ("Google", "으로", "Google로", "word-le-rieul"),
    ("Twitter", "은", "Twitter는", "word-r"),
    ("Trump", "은", "Trump는", "word-consonant-cluster"),
    ("Facebook", "은", "Facebook은", "word-undecided-kept"),
    # Nothing to go by: the model's particle stays
    ("康京和", "은", "康京和은", "kanji-kept"),
    ("", "는", "는", "empty-term"),
]


@pytest.mark.parametrize(
    ("term", "particle", "expected"),
    [case[:3] for case in ATTACH_CASES],
    ids=[case[3] for case in ATTACH_CASES],
)
def test_attach(term: str, particle: str, expected: str) -> None:
    assert attach(term, particle) == expected


@pytest.mark.parametrize(
    ("term", "final", "rieul"),
    [
        ("강경화", False, False),
        ("대법원", True, False),
        ("서울", True, True),
        ("2020", True, False),
        ("2019", False, False),
        ("8", True, True),
        ("L", True, True),
        ("GSOMIA", False, False),
        ("康京和", None, False),
        ("@", None, False),
    ],
    ids=["vowel", "consonant", "rieul", "sip", "gu", "pal", "el", "acronym", "kanji", "symbol"],
)
def test_final_sound(term: str, final: bool | None, rieul: bool) -> None:
    assert has_final_consonant(term) is final
    assert ends_in_rieul(term) is rieul


# (text, inserted term spans, expected, id)
AGREE_CASES = [
    ("강경화은 만났다", [(0, 3)], "강경화는 만났다", "joined"),
    ("서울으로 갔다", [(0, 2)], "서울로 갔다", "rieul-joined"),
    ("강경화 장관은 말했다", [(0, 3)], "강경화 장관은 말했다", "word-after-space-kept"),
    # A detached word is never changed: it may be a word of its own.
    ("아베 총리 이 문제를 제기했다", [(0, 5)], "아베 총리 이 문제를 제기했다", "this-kept"),
    ("강경화 은 만났다", [(0, 3)], "강경화 은 만났다", "detached-particle-kept"),
    ("서울 에서 만났다", [(0, 2)], "서울 에서 만났다", "detached-unpaired-kept"),
    ("서울 다 모였다", [(0, 2)], "서울 다 모였다", "da-all-kept"),
    ("서울 일 정상회담", [(0, 2)], "서울 일 정상회담", "il-work-kept"),
    ("강경화, 은퇴", [(0, 3)], "강경화, 은퇴", "punctuation-stops"),
    # Closing quotes and brackets between a term and its particle
    ("\u2018도쿄\u2019이 나섰다", [(1, 3)], "\u2018도쿄\u2019가 나섰다", "single-quotes"),
    ("“서울”는 답했다", [(1, 3)], "“서울”은 답했다", "double-quotes"),
    ('"도쿄"을 비판했다', [(1, 3)], '"도쿄"를 비판했다', "ascii-quotes"),
    ("「평양」와 대화", [(1, 3)], "「평양」과 대화", "corner-brackets"),
    ("『도쿄』으로 갔다", [(1, 3)], "『도쿄』로 갔다", "white-corner-brackets"),
    ("\u2018도쿄\u2019 이 문제", [(1, 3)], "\u2018도쿄\u2019 이 문제", "quote-then-space-kept"),
    ("강 장관(아베 총리)는", [(0, 4), (5, 10)], "강 장관(아베 총리)은", "word-before-parenthesis"),
    ("한국(아베 총리)는", [(3, 8)], "한국(아베 총리)은", "model-word-before-parenthesis"),
    ("(아베 총리)을 만났다", [(1, 6)], "(아베 총리)를 만났다", "parenthesis-opens-the-line"),
    ("서울(한국)는 답했다", [(0, 2)], "서울(한국)은 답했다", "group-after-term"),
    ("도쿄(일본)을 찾았다", [(0, 2)], "도쿄(일본)를 찾았다", "group-after-term-vowel"),
    ("서울 (한국)는", [(0, 2)], "서울 (한국)는", "group-after-space-kept"),
    ("서울는 도쿄을 찾았다", [(0, 2), (4, 6)], "서울은 도쿄를 찾았다", "two-spans"),
    ("도쿄을 서울는", [(4, 6), (0, 2)], "도쿄를 서울은", "unsorted-spans"),
    ("서울\n은", [(0, 2)], "서울\n은", "line-break-kept"),
    ("서울은", [], "서울은", "no-spans"),
]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [case[:3] for case in AGREE_CASES],
    ids=[case[3] for case in AGREE_CASES],
)
def test_agree_particles(text: str, spans: list[tuple[int, int]], expected: str) -> None:
    assert agree_particles(text, spans) == expected


def test_agree_particles_stops_at_the_next_term() -> None:
    # Two terms written together: the second is not the first one's particle.
    assert agree_particles("서울이다", [(0, 2), (2, 4)]) == "서울이다"
    assert agree_particles("서울이다", [(0, 2)]) == "서울이다"


def test_particles_elsewhere_in_the_sentence_are_untouched() -> None:
    text = "도쿄을 방문한 강경화은 서울는 떠났다"
    assert agree_particles(text, [(8, 11)]) == "도쿄을 방문한 강경화는 서울는 떠났다"


# (text, inserted term spans, expected, id): only particles Korean chains are corrected.
CHAIN_CASES = [
    # 세종로 (a street) after the term 세종: 로에서 is no particle chain.
    ("세종로에서 집회가 열렸다", [(0, 2)], "세종로에서 집회가 열렸다", "street-name-roeseo"),
    ("서울으로에서", [(0, 2)], "서울으로에서", "euroeseo-not-a-chain"),
    ("세종로가 막혔다", [(0, 2)], "세종로가 막혔다", "roga-not-a-chain"),
    ("대법원와에서", [(0, 3)], "대법원와에서", "gwaeseo-not-a-chain"),
    # Real chains are still corrected in their first particle.
    ("대법원로부터는", [(0, 3)], "대법원으로부터는", "robuteoneun"),
    ("대법원로서의", [(0, 3)], "대법원으로서의", "roseoui"),
    ("모테기과의", [(0, 3)], "모테기와의", "gwaui"),
    ("도쿄으로만", [(0, 2)], "도쿄로만", "euroman"),
    ("서울에서도", [(0, 2)], "서울에서도", "eseodo-unpaired"),
    ("서울만으로도", [(0, 2)], "서울만으로도", "maneurodo-unpaired"),
]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [case[:3] for case in CHAIN_CASES],
    ids=[case[3] for case in CHAIN_CASES],
)
def test_only_real_particle_chains_are_corrected(
    text: str, spans: list[tuple[int, int]], expected: str
) -> None:
    assert agree_particles(text, spans) == expected
