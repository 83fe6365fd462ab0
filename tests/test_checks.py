"""QA checks over small PO files written with polib, and over a real pseudo run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import ROOT

from workflow.checks import CHECKS, CheckContext, Finding, check_catalog, check_file
from workflow.errors import InputError, UsageError
from workflow.glossary import Glossary, Term, load_glossaries

Run = Callable[..., tuple[int, str, str]]

GLOSSARY = Glossary(
    (
        Term(
            "Foreign Minister Kang Kyung-wha",
            {"ko": "강경화 외교부 장관", "ja": "康京和外相"},
            "person",
        ),
        Term("Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person"),
        Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place"),
        Term(
            "General Security of Military Information Agreement",
            {"ko": "군사정보보호협정(GSOMIA)", "ja": "軍事情報包括保護協定(GSOMIA)"},
            "agreement",
        ),
        Term("GSOMIA", {"ko": "지소미아", "ja": "GSOMIA"}, "agreement"),
        Term("NHK", {"ko": "NHK", "ja": "NHK"}, "organization"),
        Term("Japan Times", {"ko": "Japan Times", "ja": "ジャパンタイムズ"}, "organization"),
    )
)
CAPTION = (
    "Foreign Minister Kang Kyung-wha (R) shakes hands with her Japanese counterpart, "
    "Toshimitsu Motegi, ahead of their bilateral talks near San Francisco on Jan. 14, 2020 "
    "(U.S. time), in this photo provided by Seoul's foreign ministry."
)


def write_po(folder: Path, lang: str | None, *entries: polib.POEntry) -> Path:
    """A PO file with a Language header (unless `lang` is None) and `entries`."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    if lang is not None:
        catalog.metadata["Language"] = lang
    for entry in entries:
        catalog.append(entry)
    path = folder / f"{lang or 'none'}.po"
    catalog.save(str(path))
    return path


def entry(msgid: str, msgstr: str, *, fuzzy: bool = False) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [])


def findings(
    tmp_path: Path,
    lang: str,
    msgid: str,
    msgstr: str,
    *,
    fuzzy: bool = False,
    glossary: Glossary = GLOSSARY,
) -> list[Finding]:
    """The findings of a one-entry catalog, except the fuzzy reminder."""
    path = write_po(tmp_path, lang, entry(msgid, msgstr, fuzzy=fuzzy))
    return check_file(path, glossary, disabled=["fuzzy"])


def found(tmp_path: Path, lang: str, msgid: str, msgstr: str) -> set[str]:
    """The ids of the checks that fire on a one-entry catalog, except the fuzzy reminder."""
    return {f.check for f in findings(tmp_path, lang, msgid, msgstr)}


# --- the table ------------------------------------------------------------------


def test_the_table_has_unique_ids_severities_and_titles() -> None:
    ids = [check.id for check in CHECKS]
    assert len(ids) == len(set(ids))
    for check in CHECKS:
        assert check.severity in ("error", "warning", "info")
        assert check.title and check.title.endswith(".")


def test_a_human_translation_passes_every_check(tmp_path: Path, default_glossary: Path) -> None:
    glossary = load_glossaries([default_glossary])
    korean = (
        "강경화 외교부 장관(오른쪽)이 2020년 1월 14일(미국 시간) 샌프란시스코 인근에서 양자 "
        "회담에 앞서 일본 측 카운터파트인 모테기 도시미쓰 외무상과 악수하고 있다. 외교부 제공."
    )
    japanese = (
        "康京和外相(右)は2020年1月14日(米国時間)、サンフランシスコ近郊で茂木敏充外相との"
        "二国間会談を前に握手した。韓国外務省提供。"
    )
    assert findings(tmp_path, "ko", CAPTION, korean, glossary=glossary) == []
    assert findings(tmp_path, "ja", CAPTION, japanese, glossary=glossary) == []


# --- status -----------------------------------------------------------------------


def test_untranslated_entries_get_only_the_untranslated_warning(tmp_path: Path) -> None:
    result = findings(tmp_path, "ja", "Kang Kyung-wha met NHK on Jan. 14.", "")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("untranslated", "warning", "untranslated")
    ]


def test_fuzzy_entries_are_reported_as_info(tmp_path: Path) -> None:
    path = write_po(
        tmp_path,
        "ko",
        entry("Seoul replied.", "서울이 답했다.", fuzzy=True),
        entry("Seoul agreed.", "서울이 동의했다."),
    )
    result = check_file(path, GLOSSARY)
    assert [(f.msgid, f.check, f.severity, f.message) for f in result] == [
        ("Seoul replied.", "fuzzy", "info", "fuzzy (machine translation not reviewed)")
    ]


# --- glossary ---------------------------------------------------------------------


def test_korean_targets_may_carry_particles(tmp_path: Path) -> None:
    source = "Kang Kyung-wha met reporters in Seoul."
    assert found(tmp_path, "ko", source, "강경화는 서울에서 기자들을 만났다.") == set()
    result = findings(tmp_path, "ko", source, "강 장관은 서울에서 기자들을 만났다.")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("glossary-missing", "error", "glossary: 'Kang Kyung-wha' should be '강경화'")
    ]


def test_a_missing_target_in_a_fuzzy_entry_is_a_warning(tmp_path: Path) -> None:
    result = findings(tmp_path, "ko", "Seoul agreed.", "한국이 동의했다.", fuzzy=True)
    assert [(f.check, f.severity) for f in result] == [("glossary-missing", "warning")]


def test_japanese_targets_are_compared_without_spaces_widths_or_readings(
    tmp_path: Path,
) -> None:
    source = (
        "Foreign Minister Kang Kyung-wha mentioned "
        "the General Security of Military Information Agreement."
    )
    for good in (
        "康京和 外相は軍事情報包括保護協定(GSOMIA)に言及した。",
        "康京和(カンギョンファ)外相は軍事情報包括保護協定\uff08GSOMIA\uff09に言及した。",
    ):
        assert found(tmp_path, "ja", source, good) == set(), good
    result = findings(tmp_path, "ja", source, "康外相は軍事情報包括保護協定(GSOMIA)に言及した。")
    assert [f.message for f in result] == [
        "glossary: 'Foreign Minister Kang Kyung-wha' should be '康京和外相'"
    ]


def test_do_not_translate_terms_must_stay_in_english(tmp_path: Path) -> None:
    assert found(tmp_path, "ja", "NHK reported it.", "NHKが報じた。") == set()
    result = findings(tmp_path, "ja", "NHK reported it.", "日本放送協会が報じた。")
    assert [(f.check, f.message) for f in result] == [
        ("glossary-missing", "glossary: keep 'NHK' in English")
    ]


def test_an_english_term_left_in_the_translation_is_forbidden(tmp_path: Path) -> None:
    source = "Kang Kyung-wha met reporters."
    result = findings(tmp_path, "ko", source, "Kang Kyung-wha는 기자들을 만났다.")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("glossary-missing", "error", "glossary: 'Kang Kyung-wha' should be '강경화'"),
        (
            "glossary-forbidden",
            "error",
            "glossary: 'Kang Kyung-wha' left in English, the glossary says '강경화'",
        ),
    ]
    result = findings(tmp_path, "ja", "Seoul agreed.", "Seoulは同意した。", fuzzy=True)
    assert {(f.check, f.severity) for f in result} == {
        ("glossary-missing", "warning"),
        ("glossary-forbidden", "warning"),
    }


def test_english_inside_a_required_target_is_not_forbidden(tmp_path: Path) -> None:
    source = "Seoul ended the General Security of Military Information Agreement."
    assert found(tmp_path, "ko", source, "서울은 군사정보보호협정(GSOMIA)을 종료했다.") == set()
    assert found(tmp_path, "ko", source, "서울은 군사정보보호협정 (GSOMIA)을 종료했다.") == set()
    assert found(tmp_path, "ja", "GSOMIA ended.", "GSOMIAは終了した。") == set()
    assert "glossary-forbidden" in found(
        tmp_path, "ko", "GSOMIA ended.", "지소미아(GSOMIA)가 종료됐다."
    )


BANNED = Glossary(
    (
        Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place", forbidden={"ko": ["서울시"]}),
        Term(
            "South Korean Supreme Court",
            {"ko": "한국 대법원", "ja": "韓国大法院"},
            "organization",
            forbidden={"ja": ["大法院", "最高裁判所"]},
        ),
        Term("Seoul City Hall", {"ko": "서울시청", "ja": "ソウル市庁"}, "organization"),
        Term("Dokdo", {}, "place", forbidden={"ja": ["竹島"]}),
        Term("U.S.", {"ko": "미국", "ja": "米国"}, "place", forbidden={"ja": ["US"]}),
    )
)


def variants(tmp_path: Path, lang: str, msgid: str, msgstr: str, *, fuzzy: bool = False) -> list:
    result = findings(tmp_path, lang, msgid, msgstr, fuzzy=fuzzy, glossary=BANNED)
    return [(f.severity, f.message) for f in result if f.check == "glossary-variant"]


def test_a_forbidden_variant_is_an_error(tmp_path: Path) -> None:
    # Particles may follow, as after a required target.
    assert variants(tmp_path, "ko", "Seoul said no.", "서울시는 서울의 뜻을 밝혔다.") == [
        ("error", "glossary: '서울시' is forbidden for 'Seoul', the glossary says '서울'")
    ]
    # Japanese, with the spaces of a model that writes it like English.
    assert variants(
        tmp_path, "ja", "The South Korean Supreme Court ruled.", "韓国の 大 法院 が判断した。"
    ) == [
        (
            "error",
            "glossary: '大法院' is forbidden for 'South Korean Supreme Court', "
            "the glossary says '韓国大法院'",
        )
    ]
    # A term with forbidden variants and no target.
    assert variants(tmp_path, "ja", "Dokdo is an islet.", "竹島は小島だ。") == [
        ("error", "glossary: '竹島' is forbidden for 'Dokdo'")
    ]
    # Machine output nobody has reviewed yet: a warning.
    assert variants(tmp_path, "ko", "Seoul said no.", "서울시는 거부했다.", fuzzy=True) == [
        ("warning", "glossary: '서울시' is forbidden for 'Seoul', the glossary says '서울'")
    ]


def test_a_forbidden_variant_counts_only_where_the_term_is_and_not_inside_a_target(
    tmp_path: Path,
) -> None:
    # The English has no Seoul: the variant is someone else's business.
    assert variants(tmp_path, "ko", "The city said no.", "서울시는 거부했다.") == []
    # Inside a required target of the same entry (韓国大法院), or of a longer
    # term the matcher chose (서울시청 for Seoul City Hall), it is no variant.
    assert (
        variants(tmp_path, "ja", "The South Korean Supreme Court ruled.", "韓国大法院が判断した。")
        == []
    )
    assert (
        variants(
            tmp_path, "ko", "Seoul City Hall and Seoul agreed.", "서울시청과 서울이 합의했다."
        )
        == []
    )
    assert (
        len(
            variants(
                tmp_path,
                "ko",
                "Seoul City Hall and Seoul agreed.",
                "서울시청과 서울시가 합의했다.",
            )
        )
        == 1
    )
    # In Latin letters a variant is a whole word (US, not the US of USB).
    assert variants(tmp_path, "ja", "U.S. firms sell USB drives.", "米国企業はUSBを売る。") == []
    assert len(variants(tmp_path, "ja", "U.S. firms sell drives.", "米国 (US) 企業が売る。")) == 1


def test_the_variant_check_can_be_skipped(tmp_path: Path) -> None:
    path = write_po(tmp_path, "ko", entry("Seoul said no.", "서울시는 서울의 뜻을 밝혔다."))
    assert [f.check for f in check_file(path, BANNED)] == ["glossary-variant"]
    assert check_file(path, BANNED, disabled=["glossary-variant"]) == []


# --- numbers and dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "source", "translation"),
    [
        ("ko", "Talks were held on Jan. 14, 2020.", "회담은 2020년 1월 14일 열렸다."),
        ("ja", "Talks were held on Jan. 14, 2020.", "会談は2020年1月14日に開かれた。"),
        ("ko", "It was suspended in November.", "11월에 유예됐다."),
        ("ko", "Exports fell to 1,032 units.", "수출은 1032대로 줄었다."),
        ("ja", "Exports fell to 1032 units.", "輸出は1,032台に減った。"),
        ("ja", "Exports fell to 1,032 units.", "輸出は１０３２台に減った。"),
        ("ko", "Trade reached US$45.6 billion.", "교역액은 456억 달러에 달했다."),
        ("ja", "Trade reached US$45.6 billion.", "貿易額は456億ドルに達した。"),
        ("ko", "Debt is $1.2 trillion.", "부채는 1조2천억 달러다."),
        ("ja", "Debt is $1.2 trillion.", "債務は1兆2000億ドルだ。"),
        ("ko", "About 3 million people came.", "약 300만 명이 왔다."),
        ("ko", "About 5,000 people came.", "약 5천 명이 왔다."),
        ("ko", "Theresa May met Kang.", "테리사 메이 총리가 강 장관을 만났다."),
    ],
)
def test_numbers_in_the_usual_korean_and_japanese_forms_pass(
    tmp_path: Path, lang: str, source: str, translation: str
) -> None:
    assert "numbers" not in found(tmp_path, lang, source, translation)


def test_a_missing_number_or_month_is_a_warning(tmp_path: Path) -> None:
    source = "Talks were held on Jan. 14, 2020."
    result = findings(tmp_path, "ko", source, "회담은 2020년 1월 15일 열렸다.")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("numbers", "warning", "number missing in the translation: 14")
    ]
    result = findings(tmp_path, "ja", source, "会談は14日に開かれた。")
    assert [f.message for f in result] == ["numbers missing in the translation: 1 (Jan.), 2020"]
    result = findings(
        tmp_path, "ja", "Trade reached US$45.6 billion.", "貿易額は45億ドルに達した。"
    )
    assert [f.message for f in result] == ["number missing in the translation: 45.6 billion"]


# --- leftovers --------------------------------------------------------------------


def test_a_leaked_placeholder_is_an_error(tmp_path: Path) -> None:
    result = findings(tmp_path, "ko", "Kang met reporters.", "ZXQ1 장관은 기자들을 만났다.")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("leftover-placeholder", "error", "placeholder ZXQ1 left in the translation")
    ]
    quoted = "The code ZXQ1 was shown."
    assert found(tmp_path, "ja", quoted, "コードZXQ1が示された。") == set()


def test_pseudo_translation_is_an_error(tmp_path: Path) -> None:
    result = findings(tmp_path, "ja", "Kang met reporters.", "⟦ja⟧ Ķåñĝ ɱéţ ŕéþöŕţéŕš。")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("leftover-pseudo", "error", "pseudo-translation left: ⟦ja⟧, 3 accented words (Ķåñĝ)")
    ]
    assert (
        found(tmp_path, "ko", "Kids love Pokémon.", "아이들은 포켓몬(Pokémon)을 좋아한다.")
        == set()
    )


def test_three_english_words_in_a_row_are_a_warning(tmp_path: Path) -> None:
    source = "Japan eased the export controls."
    result = findings(tmp_path, "ko", source, "일본은 the export controls를 완화했다.")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("leftover-english", "warning", "English left untranslated: 'the export controls'")
    ]
    for fine in (
        "일본은 export controls를 완화했다.",  # two words
        "일본은 IMF WTO G20 규정을 완화했다.",  # acronyms
    ):
        assert found(tmp_path, "ko", source, fine) == set(), fine
    japan_times = "The Japan Times said so."
    assert found(tmp_path, "ko", japan_times, "Japan Times가 그렇게 보도했다.") == set()


# --- punctuation -----------------------------------------------------------------


def test_final_punctuation_follows_the_target_language(tmp_path: Path) -> None:
    source = "Seoul agreed."
    assert found(tmp_path, "ja", source, "ソウルは同意した。") == set()
    assert found(tmp_path, "ko", source, "서울은 동의했다.") == set()
    for lang, bad, message in (
        ("ja", "ソウルは同意した.", "ends with '.'; Japanese ends a sentence with '。'"),
        ("ko", "서울은 동의했다。", "ends with '。'; Korean ends a sentence with '.'"),
        (
            "ko",
            "서울은 동의했다",
            "the source ends with '.' but the translation has no final punctuation",
        ),
    ):
        result = findings(tmp_path, lang, source, bad)
        assert [(f.check, f.severity, f.message) for f in result] == [
            ("punctuation-final", "warning", message)
        ]


def test_quotes_around_the_final_mark_are_looked_through(tmp_path: Path) -> None:
    source = 'She said, "Seoul agreed."'
    assert found(tmp_path, "ja", source, "彼女は「ソウルは同意した。」と言った。") == set()
    assert found(tmp_path, "ja", source, "「ソウルは同意した。」") == set()


def test_a_title_gets_no_final_punctuation(tmp_path: Path) -> None:
    title = "Top diplomats of Seoul, Japan discuss row over history, trade"
    assert found(tmp_path, "ja", title, "ソウルと日本の外相、歴史・貿易問題を協議") == set()
    assert found(tmp_path, "ko", title, "서울·일본 외교장관, 역사·무역 갈등 논의") == set()
    result = findings(tmp_path, "ja", title, "ソウルと日本の外相、歴史・貿易問題を協議。")
    assert [(f.check, f.severity, f.message) for f in result] == [
        ("punctuation-added", "info", "ends with '。' but the source has no final punctuation")
    ]


# --- running the table ----------------------------------------------------------------


def test_checks_can_be_switched_off_by_id(tmp_path: Path) -> None:
    path = write_po(tmp_path, "ja", entry("Jan. 14", "ZXQ1"))
    everything = {f.check for f in check_file(path, GLOSSARY)}
    assert everything == {"numbers", "leftover-placeholder"}
    fewer = check_file(path, GLOSSARY, disabled=["numbers"])
    assert {f.check for f in fewer} == {"leftover-placeholder"}
    with pytest.raises(UsageError, match="unknown check 'number'"):
        check_file(path, GLOSSARY, disabled=["number"])


def test_findings_carry_the_line_of_their_entry(tmp_path: Path) -> None:
    path = tmp_path / "ja.po"
    path.write_text(
        'msgid ""\n'  # 1
        'msgstr ""\n'
        '"Language: ja\\n"\n'
        "\n"
        'msgid "Seoul agreed."\n'  # 5
        'msgstr "ソウルは同意した"\n'
        "\n"
        "#. kind: caption\n"  # 8
        'msgctxt "photo"\n'
        'msgid "Seoul, Jan. 14."\n'
        'msgstr "ソウル、1月15日。"\n'
        "\n"
        '#~ msgid "Old Seoul."\n'
        '#~ msgstr "ZXQ1"\n',
        encoding="utf-8",
    )
    result = check_file(path, GLOSSARY)
    assert [(f.line, f.msgctxt, f.msgid, f.check) for f in result] == [
        (5, None, "Seoul agreed.", "punctuation-final"),
        (8, "photo", "Seoul, Jan. 14.", "numbers"),
    ]
    assert str(result[1]) == (
        f"{path}:8: warning: number missing in the translation: 14 [numbers]"
    )


def test_check_catalog_runs_on_a_catalog_in_memory() -> None:
    catalog = polib.POFile()
    catalog.append(entry("Seoul agreed.", "ソウルは同意した."))
    context = CheckContext("ja", GLOSSARY, "memory.po")
    result = check_catalog(catalog, context)
    assert [(f.path, f.line, f.check) for f in result] == [("memory.po", 0, "punctuation-final")]


# --- unusable files ----------------------------------------------------------------------


def test_a_broken_po_file_is_an_input_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\nmsgid "a"\nmsgstr "b"\n\nthis is not po\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        check_file(path, GLOSSARY)
    assert (caught.value.path, caught.value.line) == (str(path), 8)
    assert str(caught.value) == f"{path}:8: PO syntax error: this is not po"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        # polib alone would read this as msgid "ord"; msgfmt refuses it.
        ('msgid Word"\nmsgstr "b"\n', 5, 'PO syntax error: msgid Word"'),
        (
            'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
            8,
            'duplicate entry: msgid "a" (first at line 5)',
        ),
    ],
)
def test_a_file_that_run_and_msgfmt_refuse_is_refused(
    tmp_path: Path, l10n: Run, body: str, line: int, message: str
) -> None:
    path = tmp_path / "ko.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n' + body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_file(path, GLOSSARY)
    assert str(caught.value) == f"{path}:{line}: {message}"
    code, out, err = l10n("check", path, "--glossary", ROOT / "glossaries" / "news.tsv")
    assert (code, out) == (2, "")
    assert err == f"l10n: error: {path}:{line}: {message}\n"


def test_a_language_header_with_a_region_is_its_language(tmp_path: Path) -> None:
    path = write_po(tmp_path, "ko_KR", entry("Seoul agreed.", "서울은 동의했다."))
    assert check_file(path, GLOSSARY) == []


def test_a_po_file_without_language_is_an_input_error(tmp_path: Path) -> None:
    path = write_po(tmp_path, None, entry("Seoul agreed.", "서울은 동의했다."))
    with pytest.raises(InputError, match="no Language header") as caught:
        check_file(path, GLOSSARY)
    line = path.read_text(encoding="utf-8").splitlines().index('msgid ""') + 1
    assert (caught.value.path, caught.value.line) == (str(path), line)


def test_a_po_file_in_an_unknown_language_is_an_input_error(tmp_path: Path) -> None:
    path = write_po(tmp_path, "fr", entry("Seoul agreed.", "Séoul a accepté."))
    with pytest.raises(InputError, match="unknown language 'fr'") as caught:
        check_file(path, GLOSSARY)
    line = path.read_text(encoding="utf-8").splitlines().index('"Language: fr\\n"') + 1
    assert (caught.value.path, caught.value.line) == (str(path), line)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        check_file(tmp_path / "missing.po", GLOSSARY)


# --- a real pseudo run ---------------------------------------------------------------------


def test_a_pseudo_run_is_flagged_as_pseudo_and_fuzzy_but_keeps_its_glossary(
    l10n: Run,
    tmp_path: Path,
    bundled_article: Path,
    default_glossary: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = l10n("run", bundled_article, "--engine", "pseudo", "--out", tmp_path)
    assert code == 0, err
    glossary = load_glossaries([default_glossary])
    for lang in ("ko", "ja"):
        path = tmp_path / lang / f"{bundled_article.stem}.po"
        catalog = polib.pofile(str(path))
        result = check_file(path, glossary)
        by_check: dict[str, list[Finding]] = {}
        for finding in result:
            by_check.setdefault(finding.check, []).append(finding)
        assert [f.line for f in by_check["leftover-pseudo"]] == [e.linenum for e in catalog]
        assert all(f.severity == "error" for f in by_check["leftover-pseudo"])
        assert all(f"⟦{lang}⟧" in f.message for f in by_check["leftover-pseudo"])
        assert len(by_check["fuzzy"]) == len(catalog)
        # The pipeline restored every glossary target and translated no English.
        assert not {"glossary-missing", "glossary-forbidden", "leftover-english"} & set(by_check)
        # The month names were pseudo-accented, not turned into numbers.
        assert {f.message for f in by_check["numbers"]} == {
            "number missing in the translation: 1 (Jan.)",
            "number missing in the translation: 11 (November)",
        }
    japanese = check_file(tmp_path / "ja" / f"{bundled_article.stem}.po", glossary)
    assert "punctuation-final" in {f.check for f in japanese}


def test_require_reviewed_gates_on_unreviewed_entries(
    tmp_path: Path, l10n: Callable[..., tuple[int, str, str]]
) -> None:
    glossary = ROOT / "glossaries" / "news.tsv"
    fuzzy = write_po(tmp_path, "ko", entry("They met.", "그들은 만났다.", fuzzy=True))
    code, out, _ = l10n("check", fuzzy, "--glossary", glossary)
    assert code == 0 and "fuzzy" in out
    code, _, _ = l10n("check", fuzzy, "--glossary", glossary, "--require-reviewed")
    assert code == 1
    (tmp_path / "reviewed").mkdir()
    reviewed = write_po(tmp_path / "reviewed", "ko", entry("They met.", "그들은 만났다."))
    code, _, _ = l10n("check", reviewed, "--glossary", glossary, "--require-reviewed")
    assert code == 0
