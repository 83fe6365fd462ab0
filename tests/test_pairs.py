"""Country pairs and capitals standing for governments, as desks write them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import DEFAULT_GLOSSARY, ROOT

from workflow.errors import InputError
from workflow.evaluate import evaluate
from workflow.glossary import Glossary, Term, load_glossaries, parse_glossary
from workflow.glossary_show import explain
from workflow.masking import mask, restore
from workflow.pairs import ReadingMatcher, renderings

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossaries([DEFAULT_GLOSSARY])


def readings(glossary: Glossary, text: str, lang: str) -> list[tuple[str, str, str]]:
    """(English as written, type, target) of each match a run makes in ``lang``."""
    matcher = ReadingMatcher(glossary.for_language(lang), lang=lang)
    return [
        (text[m.start : m.end], m.term.type, m.term.target(lang) or "") for m in matcher.find(text)
    ]


# (English, Korean, Japanese, id): the whole sentence is one pair.
PAIRS = [
    ("South Korea-Japan", "한일", "日韓", "korea-first"),
    ("Japan-South Korea", "한일", "日韓", "japan-first"),
    ("Seoul-Tokyo", "한일", "日韓", "capitals"),
    ("Tokyo-Seoul", "한일", "日韓", "capitals-reversed"),
    ("Korea-Japan", "한일", "日韓", "bare-korea"),
    ("S. Korea-Japan", "한일", "日韓", "headline-abbreviation"),
    ("U.S.-North Korea", "북미", "米朝", "us-first"),
    ("North Korea-U.S.", "북미", "米朝", "north-korea-first"),
    ("South Korea-U.S.", "한미", "米韓", "korea-us"),
    ("U.S.-China", "미중", "米中", "us-china"),
    ("China-Japan", "중일", "日中", "china-japan"),
    ("South Korea\u2013China", "한중", "中韓", "en-dash"),
    ("South Korea and Japan", "한일", "日韓", "coordinated"),
    ("Japan and South Korea", "한일", "日韓", "coordinated-reversed"),
    ("Washington and Pyongyang", "북미", "米朝", "coordinated-capitals"),
    ("South Korea and North Korea", "남북", "南北", "two-koreas"),
    # Three countries.
    ("South Korea, the U.S. and Japan", "한미일", "日米韓", "triple-korea-first"),
    ("Japan, the United States and South Korea", "한미일", "日米韓", "triple-japan-first"),
    ("U.S., Japan, and South Korea", "한미일", "日米韓", "triple-oxford-comma"),
    ("South Korea-U.S.-Japan", "한미일", "日米韓", "triple-hyphenated"),
    ("China, Japan and South Korea", "한중일", "日中韓", "korea-china-japan"),
    ("Seoul, Washington and Tokyo", "한미일", "日米韓", "triple-capitals"),
]


@pytest.mark.parametrize(
    ("english", "ko", "ja"), [case[:3] for case in PAIRS], ids=[case[3] for case in PAIRS]
)
def test_pairs_follow_each_language_order(
    glossary: Glossary, english: str, ko: str, ja: str
) -> None:
    sentence = f"{english} talks resumed."
    for lang, target in (("ko", ko), ("ja", ja)):
        assert readings(glossary, sentence, lang) == [(english, "pair", target)], lang


# (English, Korean, Japanese, id): "between A and B", with a noun of relations taken in.
BETWEEN = [
    ("relations between Seoul and Tokyo", "한일 관계", "日韓関係", "relations"),
    ("ties between Tokyo and Seoul", "한일 관계", "日韓関係", "ties"),
    ("dialogue between Washington and Pyongyang", "북미 대화", "米朝対話", "dialogue"),
    ("summit between South Korea and Japan", "한일 정상회담", "日韓首脳会談", "summit"),
    ("between Seoul and Tokyo", "한일 간", "日韓間", "no-noun"),
    ("gap between the U.S. and China", "미중 간", "米中間", "other-noun-left-out"),
]


@pytest.mark.parametrize(
    ("english", "ko", "ja"), [case[:3] for case in BETWEEN], ids=[case[3] for case in BETWEEN]
)
def test_between_makes_a_pair(glossary: Glossary, english: str, ko: str, ja: str) -> None:
    sentence = f"The {english} matters."
    for lang, target in (("ko", ko), ("ja", ja)):
        (hit,) = readings(glossary, sentence, lang)
        assert hit[1:] == ("pair", target)
        assert english.endswith(hit[0]) and hit[0].split()[-1] == english.split()[-1]
    assert readings(glossary, sentence, "ko")[0][0] == english.removeprefix("gap ")


# (English, capital, Korean, Japanese, id): capitals standing for their governments.
METONYMS = [
    ("Seoul's demand was clear.", "Seoul", "한국 정부", "韓国政府", "possessive-noun"),
    ("It rejected Tokyo's latest move.", "Tokyo", "일본 정부", "日本政府", "possessive-adjective"),
    ("Tokyo says the matter is settled.", "Tokyo", "일본 정부", "日本政府", "subject-says"),
    ("Seoul has asked for talks.", "Seoul", "한국 정부", "韓国政府", "subject-has-asked"),
    ("Pyongyang rejected the offer.", "Pyongyang", "북한", "北朝鮮", "subject-rejected"),
    ("Beijing has also urged restraint.", "Beijing", "중국 정부", "中国政府", "subject-aux"),
    ("Washington wants a deal.", "Washington", "미국 정부", "米政府", "subject-wants"),
    ("They kept up pressure on Pyongyang.", "Pyongyang", "북한", "北朝鮮", "pressure-on"),
    ("Tokyo imposed export restrictions on Seoul.", "Seoul", "한국 정부", "韓国政府", "on-seoul"),
    ("Seoul urged Tokyo to act.", "Tokyo", "일본 정부", "日本政府", "object-of-urged"),
    ("Seoul's top nuclear envoy left.", "Seoul", "한국 정부", "韓国政府", "two-adjectives"),
]


@pytest.mark.parametrize(
    ("english", "capital", "ko", "ja"),
    [case[:4] for case in METONYMS],
    ids=[case[4] for case in METONYMS],
)
def test_capitals_standing_for_governments(
    glossary: Glossary, english: str, capital: str, ko: str, ja: str
) -> None:
    for lang, target in (("ko", ko), ("ja", ja)):
        hits = [hit for hit in readings(glossary, english, lang) if hit[0] == capital]
        assert hits[-1] == (capital, "metonym", target), lang


# (English, capital, Korean, Japanese, id): capitals that stay the city.
PLACES = [
    ("The talks were held in Seoul.", "Seoul", "서울", "ソウル", "in"),
    ("Kang flew to Tokyo on Monday.", "Tokyo", "도쿄", "東京", "flew-to"),
    ("Officials in Tokyo said no.", "Tokyo", "도쿄", "東京", "in-before-verb"),
    ("She arrived in Seoul's Gangnam district.", "Seoul", "서울", "ソウル", "possessive-place"),
    ("Seoul is a large city.", "Seoul", "서울", "ソウル", "no-political-verb"),
    ("She toured Seoul's old palaces.", "Seoul", "서울", "ソウル", "possessive-other-noun"),
    ("Flights between Seoul and Tokyo resumed.", "Seoul", "서울", "ソウル", "flights-between"),
    ("She visited Seoul and Tokyo.", "Tokyo", "도쿄", "東京", "visited-two-cities"),
    ("SEOUL, Jan. 15 (Yonhap) -- Officials met.", "SEOUL", "서울", "ソウル", "dateline"),
]


@pytest.mark.parametrize(
    ("english", "capital", "ko", "ja"),
    [case[:4] for case in PLACES],
    ids=[case[4] for case in PLACES],
)
def test_capitals_as_places_stay_cities(
    glossary: Glossary, english: str, capital: str, ko: str, ja: str
) -> None:
    for lang, target in (("ko", ko), ("ja", ja)):
        hits = [hit for hit in readings(glossary, english, lang) if hit[0] == capital]
        assert hits == [(capital, "place", target)], lang


def test_countries_after_a_preposition_of_place_stay_apart(glossary: Glossary) -> None:
    hits = readings(glossary, "Exports to South Korea and Japan fell.", "ko")
    assert hits == [("South Korea", "place", "한국"), ("Japan", "place", "일본")]


def test_a_repeated_short_form_is_no_pair(glossary: Glossary) -> None:
    hits = readings(glossary, "Seoul and South Korea agreed.", "ja")
    assert hits == [("Seoul", "place", "ソウル"), ("South Korea", "place", "韓国")]


def test_a_language_without_short_forms_keeps_the_countries() -> None:
    terms = parse_glossary(
        "en\tko\tja\tko-short\nSouth Korea\t한국\t韓国\t한\nJapan\t일본\t日本\t일\n".encode(),
        path="g.tsv",
    )
    text = "South Korea-Japan ties"
    ko = ReadingMatcher(terms, lang="ko").find(text)
    ja = ReadingMatcher(terms, lang="ja").find(text)
    assert [(m.term.en, m.term.target("ko")) for m in ko] == [("South Korea-Japan", "한일")]
    assert [m.term.en for m in ja] == ["South Korea", "Japan"]
    # Without a language, the pair is read where any language has it.
    assert [m.term.type for m in ReadingMatcher(terms).find(text)] == ["pair"]


def test_short_forms_a_language_does_not_order_keep_the_english_order() -> None:
    terms = [
        Term("Alpha", {"ko": "알파"}, "place", short={"ko": "알"}),
        Term("Beta", {"ko": "베타"}, "place", short={"ko": "베"}),
        Term("Japan", {"ko": "일본"}, "place", short={"ko": "일"}),
    ]
    found = ReadingMatcher(terms).find("Beta-Japan-Alpha")
    # 일 is ordered (last in Korean); 베 and 알 follow the listed forms in English order.
    assert [m.term.target("ko") for m in found] == ["일베알"]


def test_glossary_columns_for_short_and_government_forms() -> None:
    data = (
        "en\tko\tja\tko-short\tja-short\tko-gov\tja-gov\n"
        "Seoul\t서울\tソウル\t한\t韓\t한국 정부\t韓国政府\n"
    )
    (seoul,) = parse_glossary(data.encode(), path="g.tsv")
    assert dict(seoul.short) == {"ko": "한", "ja": "韓"}
    assert dict(seoul.government) == {"ko": "한국 정부", "ja": "韓国政府"}
    assert dict(seoul.targets) == {"ko": "서울", "ja": "ソウル"}
    again = data + "Seoul\t서울\tソウル\t서\t韓\t한국 정부\t韓国政府\n"
    with pytest.raises(InputError, match=r"g\.tsv:3: .* different short or government forms"):
        parse_glossary(again.encode(), path="g.tsv")


def test_restored_pair_takes_the_agreeing_particle(glossary: Glossary) -> None:
    text = "Relations between Seoul and Tokyo have been strained."
    matcher = ReadingMatcher(glossary.for_language("ko"), lang="ko")
    masked = mask(text, matcher.find(text), "ko")
    assert masked.text == "ZXQ1 have been strained."
    assert restore("ZXQ1이 경색됐다.", masked, "ko") == "한일 관계가 경색됐다."
    ja = mask(text, ReadingMatcher(glossary.for_language("ja"), lang="ja").find(text), "ja")
    assert restore("ZXQ1 が冷え込んだ。", ja, "ja") == "日韓関係が冷え込んだ。"


def test_a_metonym_may_be_rendered_by_its_country(glossary: Glossary) -> None:
    matcher = ReadingMatcher(glossary.for_language("ko"), lang="ko")
    (tokyo,) = matcher.find("Tokyo says no.")
    assert renderings(tokyo.term, "ko") == ("일본 정부", "일본")
    (pair,) = matcher.find("Seoul-Tokyo ties")
    assert renderings(pair.term, "ko") == ("한일",)


# l10n glossary show, the examples.
SHOWN = [
    ("South Korea-Japan talks", "한일", "日韓"),
    ("Japan-South Korea relations", "한일", "日韓"),
    ("relations between Seoul and Tokyo", "한일 관계", "日韓関係"),
    ("U.S.-North Korea talks", "북미", "米朝"),
    ("the Blue House said", "청와대", "韓国大統領府"),
    ("in Seoul", "서울", "ソウル"),
]


@pytest.mark.parametrize(("sentence", "ko", "ja"), SHOWN)
def test_glossary_show_gives_the_desk_forms(l10n: Run, sentence: str, ko: str, ja: str) -> None:
    code, out, err = l10n("glossary", "show", sentence)
    assert code == 0, err
    lines = out.splitlines()
    for lang, target in (("ko", ko), ("ja", ja)):
        start = lines.index(next(line for line in lines if line.startswith(f"{lang}: ")))
        block = "\n".join(lines[start : start + 3])
        assert f"]: {target} (target)" in block, block


def test_glossary_show_says_which_reading(glossary: Glossary) -> None:
    ko, ja = explain(
        "Seoul's call for talks between Washington and Pyongyang", glossary, ["ko", "ja"]
    )
    assert [(hit.written, hit.type, hit.target) for hit in ko.hits] == [
        ("Seoul", "metonym", "한국 정부"),
        ("talks between Washington and Pyongyang", "pair", "북미 회담"),
    ]
    assert (
        ko.hits[0].reading
        == "Seoul standing for its government (possessive before a political noun)"
    )
    assert "Washington + Pyongyang as a pair" in ja.hits[1].reading
    assert ja.masked == "ZXQ1's call for ZXQ2"
    assert "    reading: Seoul standing for its government" in "\n".join(ko.lines())


def test_eval_credits_pairs_and_not_the_literal_cities(glossary: Glossary) -> None:
    english = "The meeting came as relations between Seoul and Tokyo have been strained."

    def usage(text: str) -> tuple[int, int]:
        catalog = polib.POFile()
        catalog.metadata = {"Language": "ko"}
        catalog.append(polib.POEntry(msgid=english, msgstr=text))
        result = evaluate(catalog, glossary)
        return result.term_hits, result.term_kept

    assert usage("이번 회담은 한일 관계가 경색된 가운데 이뤄졌다.") == (1, 1)
    assert usage("이번 회담은 서울과 도쿄의 관계가 경색된 가운데 이뤄졌다.") == (1, 0)


def test_a_run_notes_the_reading_applied(
    l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    article = tmp_path / "pairs.txt"
    article.write_text(
        "SEOUL, Jan. 15 (Yonhap) -- Relations between Seoul and Tokyo have been strained "
        "since Tokyo's imposition of export controls.\n",
        encoding="utf-8",
    )
    code, _, err = l10n("run", article, "--engine", "pseudo", "--out", tmp_path / "out")
    assert code == 0, err
    ko = polib.pofile(str(tmp_path / "out" / "ko" / "pairs.po"))
    notes = "\n".join(entry.comment for entry in ko)
    assert "glossary: Relations between Seoul and Tokyo → 한일 관계 (pair)" in notes
    assert "glossary: Tokyo → 일본 정부 (metonym)" in notes
    assert "glossary: SEOUL → 서울 (place)" in notes
    assert any("한일 관계" in entry.msgstr for entry in ko)
