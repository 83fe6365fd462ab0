"""Glossary lint: every check on small files, the default glossary, agreement with the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.errors import InputError, UsageError
from workflow.glossary import load_glossaries
from workflow.glossary_lint import CHECKS, LintFinding, has_errors, lint_glossaries

HEADER = "en\tko\tja\ttype\tnote\n"


def write(folder: Path, text: str | bytes, name: str = "glossary.tsv") -> Path:
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def found(*paths: Path) -> list[tuple[str, str, int]]:
    """(check, file name, line) of each finding."""
    return [(f.check, Path(f.path).name, f.line) for f in lint_glossaries(paths)]


def test_default_glossary_has_no_errors_or_warnings(default_glossary: Path) -> None:
    findings = lint_glossaries([default_glossary])
    assert not has_errors(findings), "\n".join(map(str, findings))
    kept = [f.message for f in findings if f.check == "keep-english"]
    assert "'NHK' is kept in English in ja, ko" in kept
    # Nothing but notes on terms kept in English.
    assert {f.check for f in findings} == {"keep-english"}, "\n".join(map(str, findings))


def test_check_table_is_well_formed() -> None:
    ids = [check.id for check in CHECKS]
    assert len(ids) == len(set(ids))
    for check in CHECKS:
        assert check.severity in ("error", "warning", "info")
        assert check.title and "\n" not in check.title


def test_clean_file_has_no_findings(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Seoul\t서울\tソウル\tplace\t\nTokyo\t도쿄\t東京\tplace\t\n")
    assert lint_glossaries([path]) == []
    text = "# c\r\n" + HEADER.replace("\n", "\r\n") + "Seoul\t서울\tソウル\tplace\t\r\n"
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode(), "bom.tsv")
    assert lint_glossaries([path]) == []


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"en\tko\nSeoul\t\xc0\n", "not UTF-8 text (byte 0xc0)", 2),
        ("# only a comment\n\n", "missing header row", 3),
        ("en\tkorean\nSeoul\t서울\n", "unknown column 'korean'", 1),
        ("# c\nko\tja\n서울\tソウル\n", "no 'en' column", 2),
    ],
)
def test_unreadable_files(tmp_path: Path, data: str | bytes, message: str, line: int) -> None:
    path = write(tmp_path, data)
    (finding,) = lint_glossaries([path])
    assert (finding.check, finding.severity, finding.line) == ("unreadable", "error", line)
    assert message in finding.message


def test_lone_cr_line_ends_are_read_as_the_reader_reads_them(tmp_path: Path) -> None:
    # What old spreadsheet programs save as tab-delimited text.
    path = write(tmp_path, "en\tko\tja\rSeoul\t서울\tソウル\rSeoul\t서울시\tソウル\r", "cr.tsv")
    (finding,) = lint_glossaries([path])
    assert (finding.check, finding.line) == ("conflict", 3)
    assert finding.message.startswith("'Seoul' is already on line 2")
    with pytest.raises(InputError, match=r"cr\.tsv:3: 'Seoul' is already defined on line 2"):
        load_glossaries([path])
    bad = write(tmp_path, b"en\tko\tja\r# c\rSeoul\t\xc0\tx\r", "bad.tsv")
    (finding,) = lint_glossaries([bad])
    assert (finding.check, finding.line) == ("unreadable", 3)


def test_missing_file_is_one_finding_and_others_are_still_checked(tmp_path: Path) -> None:
    good = write(tmp_path, HEADER + "NHK\tNHK\tNHK\torganization\t\n")
    findings = lint_glossaries([tmp_path / "none.tsv", good])
    assert [(f.check, f.line) for f in findings] == [("unreadable", 0), ("keep-english", 2)]
    assert str(findings[0]).startswith(f"{tmp_path / 'none.tsv'}: error: cannot read")


def test_every_bad_row_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "Seoul\t서울\tソウル\tplace\n"  # one cell short
        + "Tokyo\t도쿄\t東京\tcity\t\n"  # unknown type
        + "\t빈칸\t空\tterm\t\n"  # empty English
        + "Japan\t일\u2028본\t日本\tplace\t\n"  # a line separator inside a cell
        + "Korea\t한국\t韓国\tplace\t\n",
    )
    findings = lint_glossaries([path])
    assert [(f.check, f.line) for f in findings] == [
        ("malformed-row", 2),
        ("malformed-row", 3),
        ("malformed-row", 4),
        ("malformed-row", 5),
    ]
    assert "row has 4 cells, the header has 5" in findings[0].message
    assert "unknown type 'city'" in findings[1].message
    assert "empty 'en' term" in findings[2].message
    assert "line break" in findings[3].message
    with pytest.raises(InputError):
        load_glossaries([path])


def test_stray_and_odd_whitespace(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + " Seoul\t서울 \tソウル\tplace\t  a note with spaces  \n"
        + "Kang  Kyung-wha\t강경화\t康京和\tperson\t\n"
        + "Tokyo\t도쿄\t東京\u3000都\tplace\t\n"
        + "Japan\t일\u200b본\t日本\tplace\t\n",
    )
    findings = lint_glossaries([path])
    assert [(f.check, f.severity, f.line) for f in findings] == [
        ("stray-whitespace", "error", 2),
        ("stray-whitespace", "error", 2),
        ("odd-whitespace", "warning", 3),
        ("odd-whitespace", "warning", 4),
        ("odd-whitespace", "warning", 5),
    ]
    assert "'en' cell ' Seoul'" in findings[0].message
    assert "'ko' cell '서울 '" in findings[1].message
    assert "double space" in findings[2].message
    assert "U+3000" in findings[3].message
    assert "U+200B" in findings[4].message


def test_a_trimmed_row_still_takes_part_in_the_other_checks(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "Seoul \t서울\tソウル\tplace\t\nSeoul\t서울시\tソウル\tplace\t\n"
    )
    assert found(path) == [
        ("stray-whitespace", "glossary.tsv", 2),
        ("conflict", "glossary.tsv", 3),
    ]


def test_duplicates_conflicts_and_overrides(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        HEADER
        + "Seoul\t서울\tソウル\tplace\t\n"
        + "Seoul\t서울\tソウル\tplace\tsame targets\n"
        + "Tokyo\t도쿄\t東京\tplace\t\n"
        + "Tokyo\t동경\t東京\tplace\t\n",
        "a.tsv",
    )
    second = write(
        tmp_path,
        HEADER + "Seoul\t서울\tソウル\tplace\t\n" + "Tokyo\t도쿄도\t東京都\tplace\t\n",
        "b.tsv",
    )
    findings = lint_glossaries([first, second])
    assert [(f.check, f.severity, Path(f.path).name, f.line) for f in findings] == [
        ("duplicate", "warning", "a.tsv", 3),
        ("conflict", "error", "a.tsv", 5),
        ("duplicate", "warning", "b.tsv", 2),
        ("override", "warning", "b.tsv", 3),
    ]
    assert findings[0].message == "'Seoul' repeats line 2"
    assert findings[1].message == (
        "'Tokyo' is already on line 4 with different targets (ko: 도쿄 -> 동경)"
    )
    assert findings[2].message == f"'Seoul' repeats {first}:2"
    assert (
        findings[3].message
        == f"'Tokyo' overrides {first}:4 (ja: 東京 -> 東京都; ko: 도쿄 -> 도쿄도)"
    )


def test_override_warnings_match_what_loading_reports(tmp_path: Path) -> None:
    first = write(
        tmp_path, HEADER + "Seoul\t서울\tソウル\tplace\t\nTokyo\t도쿄\t東京\tplace\t\n", "a"
    )
    second = write(tmp_path, "en\tko\nTokyo\t동경\nSeoul\t서울\n", "b")
    overrides = [f for f in lint_glossaries([first, second]) if f.check == "override"]
    loaded = load_glossaries([first, second]).warnings
    assert len(overrides) == len(loaded) == 2
    assert [f"{f.path}:{f.line}" for f in overrides] == [w.split(": ")[0] for w in loaded]


def test_missing_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "en\tko\tja\tzh\ttype\n"
        "Seoul\t서울\tソウル\t首尔\tplace\n"
        "Tokyo\t도쿄\t\t\tplace\n"
        "Korea\t한국\t韓国\t\tplace\n",
    )
    findings = lint_glossaries([path])
    # An empty cell is "no rule": worth a look, not an error.
    assert [(f.check, f.severity, f.line) for f in findings] == [
        ("missing-language", "warning", 3),
        ("missing-language", "warning", 4),
    ]
    assert findings[0].message == (
        "'Tokyo' has no target for ja, zh; the engine translates it freely"
    )
    assert findings[1].message.startswith("'Korea' has no target for zh;")


def test_a_sparse_column_is_reported_row_by_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "Seoul\t서울\tソウル\tplace\t\n"
        + "Tokyo\t도쿄\t\tplace\t\n"
        + "Korea\t한국\t\tplace\t\n"
        + "Japan\t일본\t\tplace\t\n",
    )
    assert found(path) == [("missing-language", "glossary.tsv", n) for n in (3, 4, 5)]


def test_a_file_without_a_default_language_column_says_so_once(tmp_path: Path) -> None:
    path = write(tmp_path, "en\tko\ttype\nSeoul\t서울\tplace\nTokyo\t도쿄\tplace\n", "ko.tsv")
    (finding,) = lint_glossaries([path])
    assert (finding.check, finding.severity, finding.line) == ("missing-column", "info", 0)
    assert str(finding) == (
        f"{path}: info: no 'ja' column: the file has no rules for ja "
        "(runs translate into ko, ja by default) [missing-column]"
    )
    # A forbidden-variants column is no rule for the language.
    path = write(tmp_path, "en\tja-forbidden\tko\nSeoul\t京城\t서울\n", "banned.tsv")
    assert [(f.check, f.line) for f in lint_glossaries([path])] == [("missing-column", 0)]


def test_nested_terms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "Japan\t일본\t日本\tplace\t\n"
        + "Japan's foreign ministry\t일본 외무성\t外務省\tministry\t\n"
        + "Supreme Court\t대법원\t大法院\torganization\t\n"
        + "South Korean Supreme Court\t한국 최고법원\t韓国大法院\torganization\t\n"
        + "Kang Kyung-wha\t강경화\t康京和\tperson\t\n"
        + "Foreign Minister Kang Kyung-wha\t강경화 외교부 장관\t康京和外相\tperson\t\n"
        + "Secretary of State Mike Pompeo\t마이크 폼페이오 국무장관\tポンペオ国務長官\tperson\t\n"
        + "U.S. Secretary of State Mike Pompeo\t마이크 폼페이오 미국 국무장관"
        + "\tポンペオ米国務長官\tperson\t\n"
        + "U.S.\t미국\t米国\tplace\t\n"
        + "U.S. President Donald Trump\t도널드 트럼프 미국 대통령\tトランプ米大統領\tperson\t\n"
        + "Korea\t한국\t韓国\tplace\t\n"
        + "North Korea\t북한\t北朝鮮\tplace\t\n"
        + "envoy for North Korea\t대북특별대표\t北朝鮮担当特別代表\ttitle\t\n"
        + "Japanese Embassy\t일본대사관\t日本大使館\torganization\t\n",
    )
    findings = lint_glossaries([path])
    # Not flagged: a target contained in the longer one (강경화), one whose
    # pieces the longer one keeps in order (ポンペオ|国務長官 in ポンペオ米国務長官),
    # a name shortened to its first character in a compound (米), a term that
    # is not whole words of the longer one (Japan in Japanese), the inner
    # term of an inner term (Korea in North Korea in envoy for North Korea).
    assert [(f.check, f.line) for f in findings] == [("nested", 3), ("nested", 5), ("nested", 13)]
    assert findings[0].message == (
        "'Japan' (line 2) is not rendered inside \"Japan's foreign ministry\": ja 日本 / 外務省 "
        "(if meant, write (deliberate) in either row's note)"
    )
    # Terms of the same type are compared too.
    assert findings[1].message.startswith(
        "'Supreme Court' (line 4) is not rendered inside 'South Korean Supreme Court': "
        "ko 대법원 / 한국 최고법원 ("
    )
    assert "'Korea' (line 12) is not rendered inside 'North Korea': ja 韓国 / 北朝鮮" in (
        findings[2].message
    )


def test_a_deliberate_difference_is_marked_in_either_note(tmp_path: Path) -> None:
    rows = (
        "Seoul\t서울\tソウル\tplace\t\n"
        "Seoul's foreign ministry\t외교부\t韓国外務省\tministry\tThe ministry (deliberate)\n"
        "Pompeo\t폼페이오 장관\tポンペオ氏\tperson\tLater bare mention (deliberate)\n"
        "Mike Pompeo\t마이크 폼페이오\tマイク・ポンペオ\tperson\t\n"
    )
    path = write(tmp_path, HEADER + rows)
    assert lint_glossaries([path]) == []
    unmarked = write(tmp_path, HEADER + rows.replace(" (deliberate)", ""), "unmarked.tsv")
    assert [(f.check, f.line) for f in lint_glossaries([unmarked])] == [
        ("nested", 3),
        ("nested", 5),
    ]


def test_nested_terms_across_files_use_the_overriding_rows(tmp_path: Path) -> None:
    first = write(tmp_path, HEADER + "Japan\t일본\t日本\tplace\t\n", "a.tsv")
    second = write(
        tmp_path, HEADER + "Japan Times\t재팬타임스\tジャパンタイムズ\torganization\t\n", "b"
    )
    (finding,) = lint_glossaries([first, second])
    assert (finding.check, Path(finding.path).name, finding.line) == ("nested", "b", 2)
    assert f"'Japan' ({first}:2)" in finding.message


def test_forbidden_variants(tmp_path: Path) -> None:
    header = "en\tko\tja\tko-forbidden\tja-forbidden\n"
    good = write(tmp_path, header + "Seoul\t서울\tソウル\t서울시; 경성\t京城\n", "good.tsv")
    assert lint_glossaries([good]) == []
    same = write(tmp_path, header + "Seoul\t서울\tソウル\t서울시;서 울\t\n", "same.tsv")
    (finding,) = lint_glossaries([same])
    assert (finding.check, finding.severity, finding.line) == ("malformed-row", "error", 2)
    assert finding.message == "'ko-forbidden' lists the required ko target '서 울'"
    changed = write(
        tmp_path,
        header + "Seoul\t서울\tソウル\t서울시\t\nSeoul\t서울\tソウル\t\t\n",
        "changed.tsv",
    )
    (finding,) = lint_glossaries([changed])
    assert (finding.check, finding.line) == ("conflict", 3)
    assert "(ko-forbidden: 서울시 -> (none))" in finding.message


def test_short_and_government_forms_without_a_target(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "en\tko\tja\tko-short\tja-short\tja-gov\n"
        "Seoul\t서울\tソウル\t한\t韓\t韓国政府\n"
        "Tokyo\t도쿄\t\t일\t日\t日本政府\n",
    )
    findings = [f for f in lint_glossaries([path]) if f.check == "unused-reading"]
    assert [(f.severity, f.line, f.message) for f in findings] == [
        ("warning", 3, "'Tokyo' has a ja-short form but no ja target, so the form is never used"),
        ("warning", 3, "'Tokyo' has a ja-gov form but no ja target, so the form is never used"),
    ]


def test_keep_english_is_information(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "GSOMIA\t지소미아\tGSOMIA\tagreement\t\n")
    findings = lint_glossaries([path])
    assert [(f.check, f.severity, f.message) for f in findings] == [
        ("keep-english", "info", "'GSOMIA' is kept in English in ja")
    ]
    assert not has_errors(findings)


def test_checks_can_be_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "NHK\tNHK\tNHK\torganization\t\nNHK\tNHK\tNHK\tterm\t\n")
    assert found(path) == [
        ("keep-english", "glossary.tsv", 2),
        ("duplicate", "glossary.tsv", 3),
        ("keep-english", "glossary.tsv", 3),
    ]
    assert found_skipping(path, "keep-english") == [("duplicate", 3)]
    with pytest.raises(UsageError, match="unknown lint check nestd"):
        lint_glossaries([path], skip=["nestd"])


def found_skipping(path: Path, *skip: str) -> list[tuple[str, int]]:
    return [(f.check, f.line) for f in lint_glossaries([path], skip=skip)]


def test_finding_text_and_has_errors() -> None:
    finding = LintFinding("conflict", "error", "g.tsv", 3, "'Seoul' is already on line 2")
    assert str(finding) == "g.tsv:3: error: 'Seoul' is already on line 2 [conflict]"
    assert has_errors([finding])
    assert not has_errors([])


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "Seoul\t서울\tソウル\tplace\t\n",
        HEADER + "Seoul\t서울\tソウル\tplace\t\nSeoul\t서울\tソウル\tplace\t\n",
        HEADER + "Seoul\t서울\tソウル\tplace\t\nSeoul\t서울시\tソウル\tplace\t\n",
        HEADER + "Seoul \t서울\tソウル\tplace\t\n",
        HEADER + "Seoul\t서울\tソウル\n",
        HEADER + "Seoul\t서울\tソウル\tcity\t\n",
        "en\tko\ten\nSeoul\t서울\tSeoul\n",
        "# nothing\n",
        HEADER + "Seoul\t서 울\tソ ウ ル\tplace\tnote\t\n",
        HEADER + "Seoul\t서\x85울\tソウル\tplace\t\n",
        HEADER + "Seoul\t서울\tソウル\tplace\t note \n",
        HEADER + " #Seoul\t서울\tソウル\tplace\t\n",
        "en\tko\tko-forbidden\nSeoul\t서울\t서울시\n",
        "en\tko\tko-forbidden\nSeoul\t서울\t서울시;서울\n",
        "en\tko\tko-forbidden\nSeoul\t서울\t서울시\nSeoul\t서울\t경성\n",
        "en\tko\tfr-forbidden\nSeoul\t서울\tSéoul-ville\n",
        "en\tko\tko-forbid\nSeoul\t서울\t서울시\n",
        "en\tko\rSeoul\t서울\rSeoul\t서울시\r",
    ],
)
def test_lint_errors_exactly_when_the_reader_refuses(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    try:
        load_glossaries([path])
    except InputError:
        refused = True
    else:
        refused = False
    assert has_errors(lint_glossaries([path])) == refused
