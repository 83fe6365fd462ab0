"""Quality evaluation against the reference translations, and the extra test articles."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY, ROOT, msgfmt_check

from workflow.article import read_article
from workflow.errors import InputError, UsageError
from workflow.evaluate import Evaluation, evaluate
from workflow.glossary import Glossary, Term, load_glossaries
from workflow.matcher import TermMatcher
from workflow.rerun import message_contexts
from workflow.segment import segment_article

DATA = ROOT / "tests" / "data"
REFERENCE = {
    lang: DATA / "reference" / lang / f"{BUNDLED_ARTICLE.stem}.po" for lang in ("ko", "ja")
}
LANGS = sorted(REFERENCE)

#: Glossary matches in the bundled article's English, the same for both languages, as a
#: run reads them: "South Korea and Japan", "relations between Seoul and Tokyo" and "the
#: dialogue between Washington and Pyongyang" are pairs (한일, 한일 관계, 북미 대화), and
#: "Seoul's call", "Tokyo's imposition" and "restrictions on Seoul" are the governments.
TERM_HITS = 42
#: Of those, the ones the reviewed references keep: all, since they write the desk forms
#: (for "Tokyo's imposition" the reviewers wrote 일본 / 日本, which a metonym allows).
TERM_KEPT = TERM_HITS
#: Korean renderings in the reference followed directly by a particle whose form they decide.
KO_PARTICLES = 17

#: Proper nouns of the extra articles, each of which the default glossary must match.
PROPER_NOUNS = {
    "yonhap-2020-12-03-sung-kajiyama.txt": (
        "SEJONG",
        "Industry Minister Sung Yun-mo",
        "Hiroshi Kajiyama",
        "Japanese Economy, Trade and Industry Minister Hiroshi Kajiyama",
        "Sung",
        "Kajiyama",
        "Trade Minister Yoo Myung-hee",
        "Japanese Prime Minister Yoshihide Suga",
        "Sejong",
        "Ministry of Trade, Industry and Energy",
        "Ministry of Economy, Trade and Industry",
        "Regional Comprehensive Economic Partnership",
        "World Trade Organization",
    ),
    "yonhap-2021-06-22-lee-sung-kim.txt": (
        "Unification Minister Lee In-young",
        "U.S. Special Representative for North Korea Sung Kim",
        "Defense Minister Suh Wook",
        "U.S. Defense Secretary Lloyd Austin",
        "President Moon Jae-in",
        "U.S. President Joe Biden",
        "White House",
        "unification ministry",
        "Ministry of Unification",
        "defense ministry",
        "New Southern Policy",
        "Indo-Pacific strategy",
        "Korea-U.S. free trade agreement",
    ),
}
YONHAP_CHROME = [
    "Go to Contents Go to Navigation",
    "Send Feedback",
    "How can we improve?",
    "Thanks for your feedback!",
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossaries([DEFAULT_GLOSSARY])


def reference(lang: str) -> polib.POFile:
    return polib.pofile(str(REFERENCE[lang]), wrapwidth=0)


def degrade(catalog: polib.POFile, replacements: dict[str, str]) -> polib.POFile:
    """A copy of `catalog` with each old text replaced by the new one in every msgstr."""
    copy = polib.pofile(str(catalog), wrapwidth=0)
    for entry in copy:
        for old, new in replacements.items():
            entry.msgstr = entry.msgstr.replace(old, new)
    return copy


# The reference files.


@pytest.mark.parametrize("lang", LANGS)
def test_reference_has_the_entries_of_a_run_in_order(lang: str) -> None:
    segments = segment_article(read_article(BUNDLED_ARTICLE))
    expected = list(zip(message_contexts(segments), [s.text for s in segments], strict=True))
    catalog = reference(lang)
    assert [(e.msgctxt, e.msgid) for e in catalog] == expected


@pytest.mark.parametrize("lang", LANGS)
def test_reference_is_reviewed_and_complete(lang: str) -> None:
    catalog = reference(lang)
    assert all(entry.msgstr.strip() for entry in catalog)
    assert not any("fuzzy" in entry.flags or entry.obsolete for entry in catalog)
    assert catalog.percent_translated() == 100
    header = catalog.metadata
    assert header["Language"] == lang
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "machine" not in header["Last-Translator"]
    # Translated text, not English left in place.
    assert not any(re.search(r"[a-z]{3,}", entry.msgstr) for entry in catalog)


@pytest.mark.parametrize("lang", LANGS)
def test_reference_passes_msgfmt(lang: str) -> None:
    msgfmt_check(REFERENCE[lang])


# evaluate()


@pytest.mark.parametrize("lang", LANGS)
def test_reference_against_itself_scores_full_marks(lang: str, glossary: Glossary) -> None:
    catalog = reference(lang)
    result = evaluate(catalog, glossary, reference=reference(lang), path=str(REFERENCE[lang]))
    assert result.language == lang
    assert result.segments == 16
    assert result.missing_in_reference == 0
    assert result.chrf == pytest.approx(100.0)
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_KEPT)
    assert result.term_usage_rate == 1.0
    if lang == "ko":
        assert (result.particle_checked, result.particle_agreeing) == (KO_PARTICLES, KO_PARTICLES)
        assert result.particle_agreement_rate == 1.0
    else:
        assert (result.particle_checked, result.particle_agreement_rate) == (0, None)


def test_degraded_korean_scores_lower_with_exact_counts(glossary: Glossary) -> None:
    # The full name of Kang appears in two entries (text and caption); in the
    # text it carried the particle 은, which is then no longer checked. 강 장관과
    # becomes the wrong 강 장관와 and 한일 관계가 (a vowel takes 가) the wrong 한일 관계이.
    degraded = degrade(
        reference("ko"),
        {
            "강경화 외교부 장관": "Foreign Minister Kang Kyung-wha",
            "강 장관과": "강 장관와",
            "한일 관계가": "한일 관계이",
        },
    )
    result = evaluate(degraded, glossary, reference=reference("ko"))
    assert result.chrf is not None and 80 < result.chrf < 99.5
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_KEPT - 2)
    checked = KO_PARTICLES - 1
    assert (result.particle_checked, result.particle_agreeing) == (checked, checked - 2)
    assert result.term_usage_rate == pytest.approx(40 / 42)
    assert result.particle_agreement_rate == pytest.approx(14 / 16)


def test_degraded_japanese_scores_lower_with_exact_counts(glossary: Glossary) -> None:
    # 茂木敏充 stands for two hits (text and caption), 康氏 for two (Kang alone, twice).
    degraded = degrade(reference("ja"), {"茂木敏充": "Toshimitsu Motegi", "康氏": "Kang"})
    result = evaluate(degraded, glossary, reference=reference("ja"))
    assert result.chrf is not None and 80 < result.chrf < 99.5
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_KEPT - 4)
    assert result.particle_agreement_rate is None


def test_japanese_ignores_spacing_and_character_width(glossary: Glossary) -> None:
    # A model's English-style spaces and fullwidth brackets are typography, not errors.
    fullwidth = {"(": " \uff08", ")": "\uff09 "}
    spaced = degrade(reference("ja"), fullwidth | {"、": " 、 ", "会談": " 会談 "})
    result = evaluate(spaced, glossary, reference=reference("ja"))
    assert result.chrf == pytest.approx(100.0)
    assert result.term_kept == TERM_KEPT


def test_segments_missing_from_the_reference_are_counted_and_skipped(glossary: Glossary) -> None:
    partial = reference("ko")
    partial[2].msgstr = ""  # untranslated in the reference
    partial.remove(partial[3])
    result = evaluate(reference("ko"), glossary, reference=partial)
    assert result.segments == 16
    assert result.missing_in_reference == 2
    assert result.chrf == pytest.approx(100.0)


def test_untranslated_entries_keep_no_term(glossary: Glossary) -> None:
    catalog = reference("ja")
    for entry in catalog:
        entry.msgstr = ""
    result = evaluate(catalog, glossary, reference=reference("ja"))
    assert result.chrf == 0.0
    assert (result.term_hits, result.term_kept) == (TERM_HITS, 0)


def test_without_reference_there_is_no_chrf(glossary: Glossary) -> None:
    result = evaluate(reference("ko"), glossary, path="ko.po")
    assert result.chrf is None
    assert result.to_json() == {
        "path": "ko.po",
        "language": "ko",
        "segments": 16,
        "missing_in_reference": 0,
        "chrf": None,
        "term_hits": TERM_HITS,
        "term_kept": TERM_KEPT,
        "term_usage_rate": TERM_KEPT / TERM_HITS,
        "particle_checked": KO_PARTICLES,
        "particle_agreeing": KO_PARTICLES,
        "particle_agreement_rate": 1.0,
    }


def test_language_comes_from_the_header_or_the_caller(glossary: Glossary) -> None:
    catalog = reference("ko")
    catalog.metadata["Language"] = "ko_KR"
    assert evaluate(catalog, glossary).language == "ko"
    del catalog.metadata["Language"]
    with pytest.raises(UsageError, match="no Language header"):
        evaluate(catalog, glossary, path="ko.po")
    assert evaluate(catalog, glossary, language="ko").term_kept == TERM_KEPT


def test_reference_in_another_language_is_refused(glossary: Glossary) -> None:
    with pytest.raises(InputError, match="reference is in 'ja' but the catalog is in 'ko'"):
        evaluate(reference("ko"), glossary, reference=reference("ja"))


def test_a_term_repeated_in_the_english_needs_as_many_renderings() -> None:
    glossary = Glossary(
        (
            Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place"),
            Term("Tokyo", {"ko": "도쿄", "ja": "東京"}, "place"),
        )
    )
    english = "Seoul and Tokyo met as Tokyo's curbs on Seoul went on."
    catalog = one_entry("ko", english, "서울과 도쿄는 일본의 대(對)한국 규제 속에 만났다.")
    result = evaluate(catalog, glossary)
    assert (result.term_hits, result.term_kept, result.term_usage_rate) == (4, 2, 0.5)
    twice = one_entry("ko", english, "서울과 도쿄는 도쿄의 서울 규제 속에 만났다.")
    assert evaluate(twice, glossary).term_kept == 4
    # Japanese, written without spaces: counted all the same.
    japanese = one_entry("ja", english, "ソウルと東京は、東京の 対韓 規制の中で会談した。")
    assert evaluate(japanese, glossary).term_kept == 3


def test_a_rendering_inside_a_longer_required_one_counts_for_that_one_only() -> None:
    glossary = Glossary(
        (
            Term("South Korea", {"ko": "한국"}, "place"),
            Term("South Korean Supreme Court", {"ko": "한국 대법원"}, "organization"),
        )
    )
    english = "South Korea's top court, the South Korean Supreme Court, ruled."
    inside = one_entry("ko", english, "한국 대법원이 판결했다.")
    result = evaluate(inside, glossary)
    assert (result.term_hits, result.term_kept) == (2, 1)
    both = one_entry("ko", english, "한국의 최고 법원인 한국 대법원이 판결했다.")
    assert evaluate(both, glossary).term_kept == 2


def one_entry(lang: str, msgid: str, msgstr: str) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {"Language": lang}
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return catalog


def test_rates_without_anything_to_count() -> None:
    empty = Evaluation("x.po", "ja", 0, None, 0, 0, 0, 0)
    assert (empty.term_usage_rate, empty.particle_agreement_rate) == (None, None)


# The extra test articles.


@pytest.mark.parametrize("name", sorted(PROPER_NOUNS))
def test_extra_article_reads_as_yonhap(name: str) -> None:
    article = read_article(DATA / "articles" / name)
    assert article.profile == "yonhap"
    removed = [line.text for line in article.removed]
    assert [text for text in removed if not text.startswith("All News ")] == YONHAP_CHROME
    assert re.fullmatch(r"All News \d\d:\d\d [A-Z][a-z]+ \d{1,2}, 202[01]", removed[1])
    kinds = [p.kind for p in article.paragraphs]
    assert kinds[0] == "title"
    assert kinds.count("caption") == 1
    caption = article.paragraphs[kinds.index("caption")]
    assert caption.text.endswith("(PHOTO NOT FOR SALE) (Yonhap)")
    assert re.fullmatch(
        r"[A-Z]+, [A-Z][a-z]+\.? \d{1,2} \(Yonhap\) --", article.paragraphs[1].dateline
    )
    assert 8 <= len(article.paragraphs) - 1 <= 12
    assert not any(p.possible_boilerplate for p in article.paragraphs)


@pytest.mark.parametrize("name", sorted(PROPER_NOUNS))
def test_extra_article_proper_nouns_are_in_the_default_glossary(
    name: str, glossary: Glossary
) -> None:
    article = read_article(DATA / "articles" / name)
    matcher = TermMatcher(glossary.terms)
    found = {m.term for p in article.paragraphs for m in matcher.find(p.text)}
    by_english = {term.en: term for term in found}
    for noun in PROPER_NOUNS[name]:
        assert noun in by_english, f"{noun!r} is not matched in {name}"
        assert by_english[noun].target("ko") and by_english[noun].target("ja"), noun


# The command.

Run = Callable[..., tuple[int, str, str]]


def test_eval_command_takes_the_language_from_the_header(l10n: Run, tmp_path: Path) -> None:
    anywhere = tmp_path / "kang-ko.po"
    shutil.copy(REFERENCE["ko"], anywhere)
    code, out, err = l10n(
        "eval", anywhere, "--reference", REFERENCE["ko"], "--glossary", DEFAULT_GLOSSARY, "--json"
    )
    assert (code, err) == (0, "")
    (result,) = json.loads(out)
    assert (result["language"], result["chrf"], result["term_kept"]) == ("ko", 100.0, TERM_KEPT)
    # A reference folder holds LANG/ID.po, LANG from the catalog's header.
    renamed = tmp_path / "review" / REFERENCE["ja"].name
    renamed.parent.mkdir()
    shutil.copy(REFERENCE["ja"], renamed)
    code, out, err = l10n(
        "eval",
        renamed,
        "--reference",
        DATA / "reference",
        "--glossary",
        DEFAULT_GLOSSARY,
        "--json",
    )
    assert (code, err) == (0, "")
    assert json.loads(out)[0]["language"] == "ja" and json.loads(out)[0]["chrf"] == 100.0


def test_eval_command_refuses_a_po_file_without_a_language_header(
    l10n: Run, tmp_path: Path
) -> None:
    catalog = reference("ko")
    del catalog.metadata["Language"]
    path = tmp_path / "ko" / "kang.po"
    path.parent.mkdir()
    catalog.save(str(path))
    code, out, err = l10n("eval", path, "--glossary", DEFAULT_GLOSSARY)
    assert (code, out) == (2, "")
    assert err.startswith(f"l10n: error: {path}:") and "no Language header" in err
    assert err.count("\n") == 1


def test_eval_table_keeps_whole_file_names_on_a_narrow_terminal(
    l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "a-rather-long-folder-name-for-the-review-output"
    folder.mkdir()
    paths = [folder / f"{REFERENCE[lang].stem}.{lang}.po" for lang in LANGS]
    for path, lang in zip(paths, LANGS, strict=True):
        shutil.copy(REFERENCE[lang], path)
    monkeypatch.setenv("COLUMNS", "80")
    code, table, _ = l10n("eval", *paths, "--glossary", DEFAULT_GLOSSARY)
    assert code == 0
    assert "…" not in table
    assert all(len(line) <= 80 for line in table.splitlines())
    # Folded over lines, each name is whole in the first column.
    column = "".join(
        line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")
    )
    assert column == "".join(str(path) for path in paths)
