"""Quality evaluation against the reference translations, and the extra test articles."""

from __future__ import annotations

import re

import polib
import pytest
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY, ROOT, msgfmt_check

from workflow.article import read_article
from workflow.errors import InputError, UsageError
from workflow.evaluate import Evaluation, evaluate
from workflow.glossary import Glossary, load_glossaries
from workflow.matcher import TermMatcher
from workflow.pofile import message_contexts
from workflow.segment import segment_article

DATA = ROOT / "tests" / "data"
REFERENCE = {
    lang: DATA / "reference" / lang / f"{BUNDLED_ARTICLE.stem}.po" for lang in ("ko", "ja")
}
LANGS = sorted(REFERENCE)

#: Glossary matches in the bundled article's English, the same for both languages.
TERM_HITS = 39
#: Korean renderings in the reference followed directly by a particle whose form they decide.
KO_PARTICLES = 14

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
    assert "@" in header["Last-Translator"]
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
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_HITS)
    assert result.term_usage_rate == 1.0
    if lang == "ko":
        assert (result.particle_checked, result.particle_agreeing) == (KO_PARTICLES, KO_PARTICLES)
        assert result.particle_agreement_rate == 1.0
    else:
        assert (result.particle_checked, result.particle_agreement_rate) == (0, None)


def test_degraded_korean_scores_lower_with_exact_counts(glossary: Glossary) -> None:
    # The full name of Kang appears in two entries (text and caption); in the
    # text it carried the particle 은, which is then no longer checked. 강 장관과
    # becomes the wrong 강 장관와 and 서울과 (ㄹ takes 과) the wrong 서울와.
    degraded = degrade(
        reference("ko"),
        {
            "강경화 외교부 장관": "Foreign Minister Kang Kyung-wha",
            "강 장관과": "강 장관와",
            "서울과": "서울와",
        },
    )
    result = evaluate(degraded, glossary, reference=reference("ko"))
    assert result.chrf is not None and 80 < result.chrf < 99.5
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_HITS - 2)
    assert (result.particle_checked, result.particle_agreeing) == (KO_PARTICLES - 1, 11)
    assert result.term_usage_rate == pytest.approx(37 / 39)
    assert result.particle_agreement_rate == pytest.approx(11 / 13)


def test_degraded_japanese_scores_lower_with_exact_counts(glossary: Glossary) -> None:
    # 茂木敏充 stands for two hits (text and caption), 康氏 for two (Kang alone, twice).
    degraded = degrade(reference("ja"), {"茂木敏充": "Toshimitsu Motegi", "康氏": "Kang"})
    result = evaluate(degraded, glossary, reference=reference("ja"))
    assert result.chrf is not None and 80 < result.chrf < 99.5
    assert (result.term_hits, result.term_kept) == (TERM_HITS, TERM_HITS - 4)
    assert result.particle_agreement_rate is None


def test_japanese_ignores_spacing_and_character_width(glossary: Glossary) -> None:
    # A model's English-style spaces and fullwidth brackets are typography, not errors.
    fullwidth = {"(": " \uff08", ")": "\uff09 "}
    spaced = degrade(reference("ja"), fullwidth | {"、": " 、 ", "会談": " 会談 "})
    result = evaluate(spaced, glossary, reference=reference("ja"))
    assert result.chrf == pytest.approx(100.0)
    assert result.term_kept == TERM_HITS


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
        "term_kept": TERM_HITS,
        "term_usage_rate": 1.0,
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
    assert evaluate(catalog, glossary, language="ko").term_kept == TERM_HITS


def test_reference_in_another_language_is_refused(glossary: Glossary) -> None:
    with pytest.raises(InputError, match="reference is in 'ja' but the catalog is in 'ko'"):
        evaluate(reference("ko"), glossary, reference=reference("ja"))


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
