"""Korean particles that agree with the glossary term in front of them.

A Korean particle has two forms, chosen by the last sound of the word it
attaches to: 강경화는 but 대법원은, 모테기를 but 외무상을. A translation
model writes the particle after a placeholder such as ``ZXQ1`` without
knowing which term will stand there, so after restoring a term the particle
must be chosen again (`agree_particles`).

The last sound of a term (`has_final_consonant`, `ends_in_rieul`) is read
from its end:

* a Hangul syllable: its final consonant (batchim), ㄹ counted apart because
  으로/로 treats it as a vowel (서울로, 대법원으로);
* a trailing group in brackets is skipped, and so are trailing quotes and
  periods: 군사정보보호협정(GSOMIA) ends in 정, U.S. in S;
* digits are read the Sino-Korean way, as news readers do: 2020 is
  이천이십 (ends in 십, ㅂ), 2019 이천십구, 100 백, 10000 만, 0 영; a
  number with leading zeros is read digit by digit (007 공공칠), and so
  are decimals (3.5 ends in 오);
* capital letters by their Korean names (M 엠, O 오, L 엘, R 알), except
  a short table of acronyms that Korean says as words (NATO 나토, APEC
  에이펙, NASDAQ 나스닥);
* a Latin word ending in lower case by a few plain loanword rules: -m, -n,
  -ng and -me, -ne close on a consonant (Samsung, iPhone), -l and -le on ㄹ
  (Google), vowels and -r, -s, -x, -f, -h, -b, -d, -g and other silent -e on
  a vowel (Twitter, Netflix, Nike), -ck and a vowel + c on a consonant;
  -c, -k, -p, -t, -q after a consonant take 으, a vowel (Trump 트럼프),
  while -k, -p, -t, -q after a vowel depend on the vowel's length
  (Facebook 북 but Kuwait 트) and are left undecided.

When the sound cannot be told (kanji, kana, symbols, the cases above), the
particle the model wrote is kept.

Which forms alternate. The case particles always do, in both directions:
은/는, 이/가, 을/를, 과/와, 으로/로, 이나/나, 이랑/랑, 아/야, 이여/여,
이든/든, 이라도/라도, 이야말로/야말로. So do the copula forms whose 이
standard writing drops after a vowel: 이라/라, 이란/란, 이라고/라고,
이라는/라는, 이라며/라며, 이라면/라면, 이라서/라서, 이야/야, 이에요/예요
and the past 이었다/였다, 이었던/였던 and the like. In 이다/다, 이고/고,
이며/며, 이지만/지만, 이죠/죠, 이니까/니까 and 이던/던 the 이 is required
after a consonant but may stay after a vowel (의사이다 and 의사다 are both
standard), so only a short form after a consonant is corrected. 인, 입니다,
일 and 임 attach to both, as do 의, 에, 에서, 도, 만 and the other
particles without a pair. A bare 야 after a consonant becomes the copula
이야, far likelier in news than the vocative 아 (which a model that wrote
아 gets back after a vowel as 야).

Not corrected on purpose: 이지/지 and 이면/면, because Korean news writes
지 and 면 as suffixes after names (뉴욕타임스지 'the paper', 구례군
산동면 'the township').

What counts as the particle after a term. The run of Hangul written joined
to it, if that run is nothing but particles: one that meets the term, then
possibly more, each of a kind Korean lets follow the one before it (과의,
으로부터, 으로서는, 에서는, 만으로도). 장관은, 이번 or 이에 (이 does not take another particle)
are not particles and are left alone, and neither are chains Korean does
not have (로에서, 으로가, 과에서): 세종로에서 after the term 세종 is a street name, not 세종
with 로 and 에서. Closing quotes and brackets may stand between the term and
its particle (“도쿄”가, 강 장관(아베 총리)은), and so may a bracketed group opened
right after the term (서울(한국)은); the particle then agrees with what is said
before them, as in `attach`. A word after a space is never taken for a
particle, even when a model wrote ``ZXQ1 는``: Korean writes particles
joined to their word, and 이 ('this'), 은 ('silver'), 다 ('all'), 만 ('ten
thousand') and many more are words of their own, so correcting a detached
one could change the sentence.

>>> attach("강경화", "은")
'강경화는'
>>> attach("서울", "으로")
'서울로'
>>> agree_particles("대법원는 “서울”를 찾았다", [(0, 3), (6, 8)])
'대법원은 “서울”을 찾았다'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal


class _Final(Enum):
    """The last sound of a word, as far as particles care."""

    VOWEL = "vowel"
    RIEUL = "ㄹ"
    CONSONANT = "consonant"


#: How a pair chooses: ``strict`` by consonant or vowel, ``rieul`` likewise but
#: with ㄹ taking the vowel form (으로/로), ``copula`` keeps either form after a vowel.
_Kind = Literal["strict", "rieul", "copula"]


@dataclass(frozen=True)
class _Pair:
    after_consonant: str
    after_vowel: str
    kind: _Kind = "strict"


_PAIRS = (
    _Pair("은", "는"),
    _Pair("이", "가"),
    _Pair("을", "를"),
    _Pair("과", "와"),
    _Pair("으로", "로", "rieul"),
    _Pair("이랑", "랑"),
    _Pair("이나", "나"),
    _Pair("이나마", "나마"),
    _Pair("이든", "든"),
    _Pair("이든지", "든지"),
    _Pair("이라도", "라도"),
    _Pair("이야말로", "야말로"),
    _Pair("아", "야"),
    _Pair("이여", "여"),
    # Listed after the vocative 아/야 so that a bare 야 maps to this pair.
    _Pair("이야", "야"),
    _Pair("이라", "라"),
    _Pair("이란", "란"),
    _Pair("이라고", "라고"),
    _Pair("이라는", "라는"),
    _Pair("이라며", "라며"),
    _Pair("이라면", "라면"),
    _Pair("이라서", "라서"),
    _Pair("이에요", "예요"),
    _Pair("이었다", "였다"),
    _Pair("이었고", "였고"),
    _Pair("이었던", "였던"),
    _Pair("이었으며", "였으며"),
    _Pair("이었지만", "였지만"),
    _Pair("이었으나", "였으나"),
    _Pair("이었는데", "였는데"),
    _Pair("이었습니다", "였습니다"),
    _Pair("이었을", "였을"),
    _Pair("이다", "다", "copula"),
    _Pair("이고", "고", "copula"),
    _Pair("이며", "며", "copula"),
    _Pair("이지만", "지만", "copula"),
    _Pair("이죠", "죠", "copula"),
    _Pair("이니까", "니까", "copula"),
    _Pair("이던", "던", "copula"),
)

_FORMS: dict[str, _Pair] = {form: p for p in _PAIRS for form in (p.after_consonant, p.after_vowel)}

#: Particles that attach to any word.
_NEUTRAL = frozenset(
    {"에", "에서", "에게", "에게서", "께", "께서", "한테", "한테서", "까지", "부터", "만"}
    | {"처럼", "보다", "조차", "마저", "마다", "의", "도", "인", "입니다", "일", "임"}
)

_OR_EVEN = ("나", "라도")
#: The particles that may follow each particle directly, as Korean chains them:
#: 과의, 으로부터, 으로서는, 에서도, 에게는, 만으로 are real, 으로에서, 으로가 and
#: 과에서 are not. A particle not listed takes none after it (은, 이다, 의, 도).
_FOLLOWERS: dict[str, frozenset[str]] = {
    form: frozenset(followers)
    for forms, followers in (
        (("과", "와"), ("의", "는", "도", "만")),
        (("으로", "로"), ("는", "도", "만", "부터", "서", "써", "의", "까지", *_OR_EVEN)),
        (("이랑", "랑"), ("은", "는", "도", "의", "만")),
        (("서",), ("는", "도", "의", "만")),
        (("써",), ("는", "도")),
        (("에",), ("는", "도", "만", "의", "까지", *_OR_EVEN)),
        (("에서",), ("는", "도", "의", "만", "부터", "까지", *_OR_EVEN)),
        (("에게", "한테", "께"), ("는", "도", "만", "서", *_OR_EVEN)),
        (("에게서", "한테서"), ("는", "도")),
        (("께서",), ("는", "도", "만")),
        (("까지",), ("는", "도", "의", "만", "가", *_OR_EVEN)),
        (("부터",), ("는", "도", "의", "가", *_OR_EVEN)),
        (("만",), ("은", "을", "이", "의", "도", "으로", "에", "이라도", "이나")),
        (("처럼",), ("은", "도", "만")),
        (("보다",), ("는", "도")),
        (("조차", "마저"), ("도",)),
        (("마다",), ("의",)),
    )
    for form in forms
}

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL_INDEX = 8

_DIGITS = "영일이삼사오육칠팔구"
_PLACES = {1: "십", 2: "백", 3: "천"}
_MYRIADS = {1: "만", 2: "억", 3: "조", 4: "경", 5: "해"}

#: The Korean names of the Latin capitals.
_LETTERS = {
    "A": "에이",
    "B": "비",
    "C": "씨",
    "D": "디",
    "E": "이",
    "F": "에프",
    "G": "지",
    "H": "에이치",
    "I": "아이",
    "J": "제이",
    "K": "케이",
    "L": "엘",
    "M": "엠",
    "N": "엔",
    "O": "오",
    "P": "피",
    "Q": "큐",
    "R": "알",
    "S": "에스",
    "T": "티",
    "U": "유",
    "V": "브이",
    "W": "더블유",
    "X": "엑스",
    "Y": "와이",
    "Z": "제트",
}

#: Acronyms Korean says as words; all others are spelled out letter by letter.
_ACRONYMS = {
    "NATO": "나토",
    "UNESCO": "유네스코",
    "UNICEF": "유니세프",
    "ASEAN": "아세안",
    "APEC": "에이펙",
    "OPEC": "오펙",
    "RCEP": "알셉",
    "NASA": "나사",
    "FIFA": "피파",
    "AUKUS": "오커스",
    "QUAD": "쿼드",
    "THAAD": "사드",
    "GSOMIA": "지소미아",
    "NASDAQ": "나스닥",
    "KOSDAQ": "코스닥",
    "KOSPI": "코스피",
    "MERS": "메르스",
    "SARS": "사스",
}

# Fullwidth brackets as escapes: they look like the ASCII ones.
_OPENERS, _CLOSERS = "([\uff08\uff3b", ")]\uff09\uff3d"
_OPEN, _CLOSE = re.escape(_OPENERS), re.escape(_CLOSERS)
_BRACKETED = re.compile(rf"\s*[{_OPEN}][^{_OPEN}{_CLOSE}]*[{_CLOSE}]$")
_TRAILING_MARKS = ".,!?…'\"\u2019”»」』〉》" + _CLOSERS
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?$")
_LATIN = re.compile(r"[A-Za-z]+$")
#: Quotes and brackets that may close around a term before its particle (“도쿄”가).
_CLOSING_MARKS = re.escape("'\"\u2019\u201d\u00bb\u300d\u300f\u3009\u300b") + _CLOSE
#: What may follow a term: a bracketed group opened right after it, closing marks, a word.
_FOLLOWING = re.compile(
    rf"(?P<group>[{_OPEN}][^{_OPEN}{_CLOSE}\n]*[{_CLOSE}])?"
    rf"(?P<marks>[{_CLOSING_MARKS}]*)(?P<word>[가-힣]+)"
)


def attach(term: str, particle: str) -> str:
    """`term` followed by `particle` in the form that agrees with the term's last sound.

    Either form of a pair may be given; a particle without a pair, or one
    not known at all, is appended unchanged, and so is any particle when the
    term's last sound cannot be told. Only the particle that meets the term
    changes (과는 becomes 와는).

    >>> attach("강경화", "은"), attach("대법원", "와"), attach("서울", "으로")
    ('강경화는', '대법원과', '서울로')
    >>> attach("군사정보보호협정(GSOMIA)", "를"), attach("2020", "는")
    ('군사정보보호협정(GSOMIA)을', '2020은')
    >>> attach("모테기", "과는"), attach("서울", "에서")
    ('모테기와는', '서울에서')
    """
    first = _first_particle(particle)
    if first is None:
        return term + particle
    return term + _agreeing(first, _final(term)) + particle[len(first) :]


def has_final_consonant(term: str) -> bool | None:
    """Whether `term` is said ending in a consonant; None when that cannot be told.

    >>> has_final_consonant("대법원"), has_final_consonant("NHK"), has_final_consonant("UN")
    (True, False, True)
    >>> has_final_consonant("2019"), has_final_consonant("100"), has_final_consonant("康京和")
    (False, True, None)
    """
    final = _final(term)
    return None if final is None else final is not _Final.VOWEL


def ends_in_rieul(term: str) -> bool:
    """Whether `term` is said ending in ㄹ, after which 으로 becomes 로.

    >>> ends_in_rieul("서울"), ends_in_rieul("APL"), ends_in_rieul("7"), ends_in_rieul("대법원")
    (True, True, True, False)
    """
    return _final(term) is _Final.RIEUL


def agree_particles(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Make the particle joined to each ``(start, end)`` span of `text` agree with it.

    The spans are inserted terms and must not overlap. Only a particle
    written joined to the term, or to quotes and brackets closing right
    after it, changes; a word after a space is left alone, and so is
    everything else in `text`.

    >>> agree_particles("강경화은 서울으로 갔다", [(0, 3), (5, 7)])
    '강경화는 서울로 갔다'
    >>> agree_particles("강경화 이 문제를 제기했다", [(0, 3)])
    '강경화 이 문제를 제기했다'
    >>> agree_particles("강 장관(아베 총리)는", [(0, 4), (5, 10)])
    '강 장관(아베 총리)은'
    """
    ordered = sorted(spans)
    # From the last span back; each change is made in a list of pieces, not in
    # the text (rebuilding the text at each term was quadratic in the number of
    # terms). Everything read lies before the change made after it, so it is
    # read from `text` as it was.
    pieces: list[str] = []
    cursor = len(text)
    for index in reversed(range(len(ordered))):
        start, end = ordered[index]
        limit = ordered[index + 1][0] if index + 1 < len(ordered) else len(text)
        found = _FOLLOWING.match(text, end, max(end, limit))
        if found is None:
            continue
        word = found["word"]
        first = _first_particle(word)
        if first is None:
            continue
        # A closing mark may end a group opened before the term, as in 강 장관(아베 총리)은:
        # then what is said before that group decides, so read from the start of the line.
        said_from = text.rfind("\n", 0, start) + 1 if found["marks"] else start
        final = _final(text[said_from : found.start("word")])
        agreeing = _agreeing(first, final) + word[len(first) :]
        pieces += [text[found.end() : cursor], agreeing]
        cursor = found.start("word")
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))


def _agreeing(particle: str, final: _Final | None) -> str:
    pair = _FORMS.get(particle)
    if pair is None or final is None:
        return particle
    if final is _Final.CONSONANT or (final is _Final.RIEUL and pair.kind != "rieul"):
        return pair.after_consonant
    return particle if pair.kind == "copula" else pair.after_vowel


def _first_particle(word: str) -> str | None:
    """The particle at the start of `word` if the whole word is particles, else None."""
    for size in range(len(word), 0, -1):
        first, rest = word[:size], word[size:]
        if (first in _FORMS or first in _NEUTRAL) and (not rest or _chains(first, rest)):
            return first
    return None


def _chains(particle: str, rest: str) -> bool:
    """Whether ``rest`` is particles that may follow ``particle``, one after another.

    >>> _chains("으로", "부터는"), _chains("으로", "에서"), _chains("과", "에서")
    (True, False, False)
    """
    return any(
        rest.startswith(follower)
        and (rest == follower or _chains(follower, rest[len(follower) :]))
        for follower in _FOLLOWERS.get(particle, ())
    )


def _final(term: str) -> _Final | None:
    word = _spoken_end(term)
    if not word:
        return None
    last = word[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        final_index = (ord(last) - _HANGUL_FIRST) % 28
        if final_index == 0:
            return _Final.VOWEL
        return _Final.RIEUL if final_index == _RIEUL_INDEX else _Final.CONSONANT
    number = _NUMBER.search(word)
    if number is not None:
        return _final(_number_end(number.group()))
    latin = _LATIN.search(word)
    if latin is not None:
        return _latin_final(latin.group())
    return None


def _spoken_end(term: str) -> str:
    """`term` without what is not said at its end: a bracketed group, quotes, periods."""
    word = term.rstrip()
    while word:
        bracketed = _BRACKETED.search(word)
        if bracketed is not None and bracketed.start() > 0:
            word = word[: bracketed.start()]
        elif word[-1] in _TRAILING_MARKS:
            word = word[:-1].rstrip()
        else:
            break
    return word


def _number_end(number: str) -> str:
    """The last syllable of `number` as said in Sino-Korean (2020 → 십)."""
    whole, _, decimals = number.replace(",", "").partition(".")
    if decimals:
        return _DIGITS[int(decimals[-1])]
    if len(whole) > 1 and whole.startswith("0"):
        # Codes with leading zeros are said digit by digit, 0 as 공.
        return "공" if whole[-1] == "0" else _DIGITS[int(whole[-1])]
    stripped = whole.rstrip("0")
    if not stripped:
        return "영"
    zeros = len(whole) - len(stripped)
    if zeros >= 4:
        # The lowest non-zero digit is in a higher myriad: 120000 is 십이만.
        return _MYRIADS.get(zeros // 4, "")
    return _DIGITS[int(stripped[-1])] if zeros == 0 else _PLACES[zeros]


def _latin_final(latin: str) -> _Final | None:
    if latin in _ACRONYMS:
        return _final(_ACRONYMS[latin])
    if latin[-1].isupper():
        return _final(_LETTERS[latin[-1]])
    return _english_final(latin.lower())


def _english_final(word: str) -> _Final | None:
    """The last sound of an English word as Korean loanwords say it, when plain rules tell."""
    last, before = word[-1], word[-2:-1]
    if word.endswith(("m", "n", "ng", "me", "ne")):
        return _Final.CONSONANT
    if word.endswith(("l", "le")):
        return _Final.RIEUL
    if word.endswith("ck") or (last == "c" and before in tuple("aeiouy")):
        return _Final.CONSONANT
    if last in "kptcq":
        # After a consonant Korean adds 으 (Trump 트럼프, Post 포스트).
        return _Final.VOWEL if before and before not in "aeiouy" else None
    return _Final.VOWEL
