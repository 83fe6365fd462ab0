"""Reading, checking and merging glossary files, and the bundled default glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.errors import InputError
from workflow.glossary import TERM_TYPES, Glossary, Term, load_glossaries, read_glossary

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT / "glossaries" / "news.tsv"
ARTICLE = ROOT / "articles" / "yonhap-2020-01-15-kang-motegi.txt"


def write(folder: Path, text: str | bytes, name: str = "glossary.tsv") -> Path:
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def test_reads_rows_comments_and_blank_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# default glossary\n"
        "\n"
        "en\tko\tja\ttype\tnote\n"
        "# people\n"
        "Kang Kyung-wha\t강경화\t康京和\tperson\tforeign minister\n"
        "\n"
        "GSOMIA\t지소미아\tGSOMIA\tagreement\t\n"
        "Yonhap\t연합뉴스\t\t\t\n",
    )
    kang, gsomia, yonhap = read_glossary(path)
    assert kang == Term(
        "Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person", "foreign minister"
    )
    assert (kang.path, kang.line) == (str(path), 5)
    assert (gsomia.line, gsomia.type, gsomia.note) == (7, "agreement", "")
    assert gsomia.keeps_english("ja") and not gsomia.keeps_english("ko")
    # An empty cell is "no rule", an empty type is a plain term.
    assert yonhap.target("ja") is None and dict(yonhap.targets) == {"ko": "연합뉴스"}
    assert not yonhap.keeps_english("ja")
    assert yonhap.type == "term"


def test_columns_may_come_in_any_order_and_any_language(tmp_path: Path) -> None:
    path = write(tmp_path, "note\tzh\ten\nthe capital\t首尔\tSeoul\n")
    (seoul,) = read_glossary(path)
    assert seoul.en == "Seoul" and seoul.target("zh") == "首尔" and seoul.note == "the capital"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "# c\r\nen\tko\tja\r\nSeoul\t서울\tソウル\r\n\r\nTokyo\t도쿄\t東京\r\n"
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode())
    seoul, tokyo = read_glossary(path)
    assert seoul.targets == {"ko": "서울", "ja": "ソウル"}
    assert (tokyo.en, tokyo.target("ja"), tokyo.line) == ("Tokyo", "東京", 5)


def test_lone_cr_line_ends_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\r# c\rSeoul\t서울\rTokyo\t도쿄\r")
    seoul, tokyo = read_glossary(path)
    assert (seoul.line, tokyo.line, tokyo.target("ko")) == (3, 4, "도쿄")
    bad = write(tmp_path, b"en\tko\r# c\rSeoul\t\xc0\r", "bad.tsv")
    with pytest.raises(InputError, match=r"bad\.tsv:3: not UTF-8"):
        read_glossary(bad)


def test_forbidden_variants_are_read_per_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "en\tko\tja\tko-forbidden\tja-forbidden\ttype\n"
        "Seoul\t서울\tソウル\t서울시; 경성 ;;서울시\t\tplace\n"
        "Dokdo\t\t\t독도섬\t竹島\tplace\n",
    )
    seoul, dokdo = read_glossary(path)
    assert seoul.forbidden == {"ko": ("서울시", "경성")}
    assert dict(seoul.targets) == {"ko": "서울", "ja": "ソウル"}
    # Forbidden variants need no target: nothing required, something refused.
    assert dokdo.targets == {} and dokdo.forbidden == {"ko": ("독도섬",), "ja": ("竹島",)}
    assert Glossary((seoul, dokdo)).for_language("ko") == (seoul,)


def test_a_forbidden_variant_may_not_be_the_target(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tja\tja-forbidden\nSeoul\tソウル\t京城;ソ ウル\n")
    with pytest.raises(InputError) as caught:
        read_glossary(path)
    assert str(caught.value) == f"{path}:2: 'ja-forbidden' lists the required ja target 'ソ ウル'"


def test_rows_differing_only_in_forbidden_variants_conflict(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\tko-forbidden\nSeoul\t서울\t서울시\nSeoul\t서울\t\n")
    with pytest.raises(InputError, match="on line 2 with different forbidden variants"):
        read_glossary(path)
    first = write(tmp_path, "en\tko\tko-forbidden\nSeoul\t서울\t서울시\n", "first.tsv")
    later = write(tmp_path, "en\tko\nSeoul\t서울\n", "later.tsv")
    assert load_glossaries([first, later]).warnings == (
        f"{later}:2: 'Seoul' overrides {first}:2 (ko-forbidden: 서울시 -> (none))",
    )


def test_same_en_with_same_targets_is_deduplicated(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\ttype\nSeoul\t서울\tplace\nSeoul\t서울\tterm\n")
    (seoul,) = read_glossary(path)
    assert (seoul.line, seoul.type) == (2, "place")


def test_spelling_variants_are_separate_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\nCheong Wa Dae\t청와대\nBlue House\t청와대\n")
    assert [term.en for term in read_glossary(path)] == ["Cheong Wa Dae", "Blue House"]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"en\tko\nSeoul\t\xec\x84\x9c\nTokyo\t\xff\n", 3, "not UTF-8"),
        (b"", 1, "missing header row"),
        (b"# only a comment\n\n", 3, "missing header row"),
        (b"# comment\nko\tja\n", 2, "no 'en' column"),
        (b"en\tkorean\n", 1, "unknown column 'korean'"),
        (b"en\tKO\n", 1, "unknown column 'KO'"),
        (b"en\tko\tko\n", 1, "column 'ko' appears twice"),
        (b"en\tko\tko-banned\n", 1, "unknown column 'ko-banned'"),
        (b"en\tko\tko-forbidden\tko-forbidden\n", 1, "'ko-forbidden' appears twice"),
        (b"en\tko\tko-forbidden\nSeoul\tx\t y\n", 2, "'ko-forbidden' cell has leading"),
        (b"en\tko\t\n", 1, "empty column name"),
        (b"en\tko\tja\nSeoul\tx\tx\nTokyo\tx\n", 3, "row has 2 cells, the header has 3"),
        (b"en\tko\nSeoul\tx\tx\n", 2, "is there a tab inside a cell?"),
        (b"en\tko\n\t\xec\x84\x9c\n", 2, "empty 'en' term"),
        (b"en\tko\n  \t\xec\x84\x9c\n", 2, "empty 'en' term"),
        (b"en\tko\nSeoul \tx\n", 2, "'en' cell has leading or trailing whitespace"),
        (b"en\tko\ttype\nSeoul\tx\tcity\n", 2, "unknown type 'city'"),
        (b"en\tko\nSeoul\t x\n", 2, "'ko' cell has leading or trailing whitespace"),
        (b"en\tko\nSeoul\tx \n", 2, "'ko' cell has leading or trailing whitespace"),
        (b"en\tko\nSeoul\tx\ry\n", 2, "'ko' cell contains a tab or line break"),
        ("en\tja\nSeoul\tソ\u2028ウル\n".encode(), 2, "'ja' cell contains a tab or line break"),
        (b"en\tko\nSeoul\tx\nTokyo\ty\nSeoul\tz\n", 4, "'Seoul' is already defined on line 2"),
        (b"en\tko\tja\nSeoul\tx\t\nSeoul\tx\ty\n", 3, "with different targets"),
    ],
)
def test_errors_name_file_and_line(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        read_glossary(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_unknown_type_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\ttype\nSeoul\t서울\tcity\n")
    with pytest.raises(InputError, match="choose from: person, ministry, organization"):
        read_glossary(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read glossary") as caught:
        read_glossary(tmp_path / "absent.tsv")
    assert caught.value.path == str(tmp_path / "absent.tsv")


def test_a_later_file_overrides_and_warns(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "en\tko\tja\nSeoul\t서울\tソウル\nKang\t강 장관\t康氏\nTokyo\t도쿄\t東京\n",
        "news.tsv",
    )
    second = write(
        tmp_path,
        "en\tko\ttype\nKang\t강 교수\tperson\nTokyo\t도쿄\tplace\nOsaka\t오사카\tplace\n",
        "mine.tsv",
    )
    glossary = load_glossaries([first, second])
    assert [term.en for term in glossary.terms] == ["Seoul", "Kang", "Tokyo", "Osaka"]
    kang = glossary.terms[1]
    # The later row replaces the earlier one as a whole, ja rule included.
    assert (kang.targets, kang.type, kang.path, kang.line) == (
        {"ko": "강 교수"},
        "person",
        str(second),
        2,
    )
    assert glossary.warnings == (
        f"{second}:2: 'Kang' overrides {first}:3 (ja: 康氏 -> (none); ko: 강 장관 -> 강 교수)",
        f"{second}:3: 'Tokyo' overrides {first}:4 (ja: 東京 -> (none))",
    )
    # The same targets in a later file replace silently.
    assert load_glossaries([first, first]).warnings == ()


def test_load_reports_the_failing_file(tmp_path: Path) -> None:
    good = write(tmp_path, "en\tko\nSeoul\t서울\n", "good.tsv")
    bad = write(tmp_path, "en\tko\nSeoul\n", "bad.tsv")
    with pytest.raises(InputError) as caught:
        load_glossaries([good, bad])
    assert (caught.value.path, caught.value.line) == (str(bad), 2)


def test_glossary_languages_and_per_language_terms() -> None:
    seoul = Term("Seoul", {"ko": "서울", "ja": "ソウル"})
    yonhap = Term("Yonhap", {"ko": "연합뉴스"})
    shanghai = Term("Shanghai", {"zh": "上海"})
    glossary = Glossary((seoul, yonhap, shanghai))
    assert glossary.languages == ("ja", "ko", "zh")
    assert glossary.for_language("ko") == (seoul, yonhap)
    assert glossary.for_language("ja") == (seoul,)
    assert glossary.for_language("fr") == ()


def test_terms_are_frozen_and_hashable() -> None:
    source = {"ko": "서울"}
    seoul = Term("Seoul", source, "place", path="a.tsv", line=3)
    source["ko"] = "changed"
    assert seoul.target("ko") == "서울"
    with pytest.raises(TypeError):
        seoul.targets["ko"] = "x"  # type: ignore[index]
    # Where a row came from is not part of its identity.
    assert seoul == Term("Seoul", {"ko": "서울"}, "place")
    assert len({seoul, Term("Seoul", {"ko": "서울"}, "place", line=9)}) == 1
    assert seoul != Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place")
    assert seoul.where == "a.tsv:3" and Term("x", {}).where == ""
    banned = Term("Seoul", {"ko": "서울"}, "place", forbidden={"ko": ["서울시"]})
    same = Term("Seoul", {"ko": "서울"}, "place", forbidden={"ko": ("서울시",)})
    assert banned != seoul and banned == same and hash(banned) == hash(same)
    with pytest.raises(TypeError):
        banned.forbidden["ko"] = ("x",)  # type: ignore[index]


def test_default_glossary_loads_clean_with_korean_and_japanese() -> None:
    glossary = load_glossaries([NEWS])
    assert glossary.warnings == ()
    assert len(glossary.terms) >= 40
    assert glossary.languages == ("ja", "ko")
    for term in glossary.terms:
        assert term.target("ko") and term.target("ja"), term.where
        assert term.type in TERM_TYPES
    # The file's header names exactly the documented columns.
    header = next(
        line for line in NEWS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
    assert header.split("\t") == [
        *("en", "ko", "ja", "type", "note"),
        *("ko-forbidden", "ja-forbidden", "ko-short", "ja-short", "ko-gov", "ja-gov"),
    ]


def test_default_glossary_spells_the_article_people_as_newsrooms_do() -> None:
    terms = {term.en: term for term in read_glossary(NEWS)}
    kang = terms["Foreign Minister Kang Kyung-wha"]
    assert (kang.target("ko"), kang.target("ja")) == ("강경화 외교부 장관", "康京和外相")
    motegi = terms["Toshimitsu Motegi"]
    assert (motegi.target("ko"), motegi.target("ja")) == ("모테기 도시미쓰", "茂木敏充")
    assert terms["GSOMIA"].keeps_english("ja") and not terms["GSOMIA"].keeps_english("ko")
    assert terms["NHK"].keeps_english("ko") and terms["NHK"].keeps_english("ja")
    assert all(term.type == "person" for en, term in terms.items() if en.endswith("Pompeo"))


def test_default_glossary_covers_the_article_proper_nouns() -> None:
    terms = {term.en for term in read_glossary(NEWS)}
    article = ARTICLE.read_text(encoding="utf-8")
    expected = {
        "S. Korea",
        "Japan",
        "WASHINGTON",
        "SEOUL",
        "Yonhap",
        "South Korea",
        "United States",
        "U.S.",
        "Foreign Minister Kang Kyung-wha",
        "Toshimitsu Motegi",
        "San Francisco",
        "U.S. Secretary of State Mike Pompeo",
        "Seoul's foreign ministry",
        "Seoul",
        "Tokyo",
        "South Korean Supreme Court",
        "General Security of Military Information Agreement",
        "Kang",
        "Motegi",
        "President Moon Jae-in",
        "Japanese Prime Minister Shinzo Abe",
        "China",
        "North Korea",
        "Washington",
        "Pyongyang",
    }
    assert expected <= terms
    assert all(en in article for en in expected)
