"""Assembling the finished article from PO files made by real pseudo runs and edited by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from workflow.article import read_article
from workflow.build import BuiltArticle, build_article, find_source_article
from workflow.cli import main
from workflow.errors import InputError
from workflow.segment import segment_article

ARTICLE_ID = "yonhap-2020-01-15-kang-motegi"
CREDIT = "(PHOTO NOT FOR SALE) (Yonhap)"
SMALL = """\
Talks resume

SEOUL, Jan. 15 (Yonhap) -- The talks resumed. Both sides spoke.

No deal was reached.

Both sides spoke.
"""


def pseudo_run(folder: Path, *articles: Path) -> Path:
    """Translate `articles` (paths relative to `folder`) with the pseudo engine into folder/out."""
    out = folder / "out"
    code = main(["run", "--engine", "pseudo", "--out", str(out), *map(str, articles)])
    assert code == 0
    return out


@pytest.fixture
def project(tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the bundled article in articles/, translated into out/; the current folder."""
    (tmp_path / "articles").mkdir()
    shutil.copy(bundled_article, tmp_path / "articles")
    monkeypatch.chdir(tmp_path)
    pseudo_run(tmp_path, Path("articles", f"{ARTICLE_ID}.txt"))
    return tmp_path


def load(project: Path, language: str, article_id: str = ARTICLE_ID) -> polib.POFile:
    return polib.pofile(str(project / "out" / language / f"{article_id}.po"))


def entry_for(catalog: polib.POFile, english: str) -> polib.POEntry:
    entry = catalog.find(english)
    assert entry is not None, english
    return entry


def translation_of(catalog: polib.POFile, english: str) -> str:
    text: str = entry_for(catalog, english).msgstr
    return text


def build(project: Path, language: str) -> tuple[BuiltArticle, polib.POFile]:
    catalog = load(project, language)
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    return build_article(catalog, article), catalog


def test_paragraphs_follow_the_english_article(project: Path) -> None:
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    by_paragraph: dict[int, list[str]] = {}
    for segment in segment_article(article):
        by_paragraph.setdefault(segment.paragraph, []).append(segment.text)
    for language in ("ko", "ja"):
        built, catalog = build(project, language)
        assert built.article_id == ARTICLE_ID
        assert built.language == language
        assert built.text.endswith("\n")
        assert not built.text.endswith("\n\n")
        paragraphs = built.text.rstrip("\n").split("\n\n")
        assert len(paragraphs) == len(article.paragraphs)
        assert paragraphs[0] == translation_of(catalog, article.title)
        for index, english in by_paragraph.items():
            assert paragraphs[index].startswith(translation_of(catalog, english[0]))
            assert paragraphs[index].endswith(translation_of(catalog, english[-1]))


def test_fresh_machine_translation_is_all_unreviewed(project: Path) -> None:
    built, catalog = build(project, "ko")
    assert built.fallbacks == ()
    assert built.missing == ()
    assert list(built.unreviewed) == [entry.msgid for entry in catalog]
    assert not built.is_complete


def test_korean_sentences_are_joined_with_a_space_japanese_without(project: Path) -> None:
    first = "In response, the South decided to terminate a military information sharing pact"
    second = "But the planned termination was suspended at the last minute in November"
    for language, separator in (("ko", " "), ("ja", "")):
        built, catalog = build(project, language)
        one = next(e.msgstr for e in catalog if e.msgid.startswith(first))
        two = next(e.msgstr for e in catalog if e.msgid.startswith(second))
        assert f"\n\n{one}{separator}{two}\n\n" in built.text


def test_dateline_is_joined_to_the_first_sentence_with_a_space(project: Path) -> None:
    for language in ("ko", "ja"):
        built, catalog = build(project, language)
        dateline = translation_of(catalog, "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --")
        first = next(e.msgstr for e in catalog if e.msgid.startswith("The top diplomats"))
        assert built.text.split("\n\n")[1] == f"{dateline} {first}"


def test_caption_and_its_credit_stay_in_one_paragraph(project: Path) -> None:
    for language in ("ko", "ja"):
        built, catalog = build(project, language)
        caption = next(
            e.msgstr for e in catalog if e.msgid.startswith("Foreign Minister Kang Kyung-wha (R)")
        )
        credit = translation_of(catalog, CREDIT)
        [paragraph] = [p for p in built.text.split("\n\n") if caption in p]
        assert paragraph.startswith(caption)
        assert paragraph.endswith(credit)


def test_reviewed_catalog_builds_a_complete_article(project: Path) -> None:
    catalog = load(project, "ja")
    for entry in catalog:
        entry.flags.remove("fuzzy")
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    built = build_article(catalog, article)
    assert built.is_complete


def test_untranslated_entries_fall_back_to_english_and_fuzzy_ones_are_listed(
    project: Path,
) -> None:
    catalog = load(project, "ko")
    reviewed, emptied = catalog[0], catalog[5]
    reviewed.flags.remove("fuzzy")
    reviewed.msgstr = "한일 외교장관, 역사·무역 갈등 논의"
    emptied.msgstr = ""
    path = project / "out" / "ko" / f"{ARTICLE_ID}.po"
    catalog.save(str(path))
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")

    built = build_article(polib.pofile(str(path)), article)

    assert built.text.startswith("한일 외교장관, 역사·무역 갈등 논의\n\n")
    assert built.fallbacks == (emptied.msgid,)
    assert built.missing == ()
    assert emptied.msgid in built.text
    assert reviewed.msgid not in built.unreviewed
    assert emptied.msgid not in built.unreviewed
    assert len(built.unreviewed) == len(catalog) - 2
    assert not built.is_complete


def test_english_left_in_japanese_keeps_its_spaces(project: Path) -> None:
    catalog = load(project, "ja")
    caption = next(e for e in catalog if e.msgid.startswith("Foreign Minister Kang Kyung-wha (R)"))
    caption.msgstr = ""
    credit = entry_for(catalog, CREDIT)
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    built = build_article(catalog, article)
    assert f"\n\n{caption.msgid} {credit.msgstr}\n\n" in built.text
    assert built.fallbacks == (caption.msgid,)


def test_obsolete_entries_are_ignored(project: Path) -> None:
    catalog = load(project, "ko")
    entry = entry_for(catalog, CREDIT)
    entry.obsolete = True
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    built = build_article(catalog, article)
    assert built.fallbacks == built.missing == (CREDIT,)
    assert entry.msgstr not in built.text


def test_language_comes_from_the_header_or_the_caller(project: Path) -> None:
    catalog = load(project, "ko")
    article = read_article(project / "articles" / f"{ARTICLE_ID}.txt")
    del catalog.metadata["Language"]
    with pytest.raises(InputError, match="no Language header"):
        build_article(catalog, article)
    assert build_article(catalog, article, language="ko").language == "ko"
    japanese = build_article(catalog, article, language="ja")
    assert japanese.language == "ja"


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A short article with a repeated sentence, translated into out/."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "small.txt").write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    pseudo_run(tmp_path, Path("articles/small.txt"))
    return tmp_path


def review_repeats(small: Path, language: str) -> polib.POFile:
    """The catalog with its two "Both sides spoke." entries translated differently."""
    catalog = load(small, language, "small")
    repeats = [e for e in catalog if e.msgid == "Both sides spoke."]
    assert [e.msgctxt for e in repeats] == [None, "3.0"]
    repeats[0].msgstr, repeats[1].msgstr = "양측이 발언했다.", "양측이 다시 발언했다."
    return catalog


def test_repeated_sentences_are_told_apart_by_msgctxt(small: Path) -> None:
    catalog = review_repeats(small, "ko")
    built = build_article(catalog, read_article(small / "articles" / "small.txt"))
    paragraphs = built.text.rstrip("\n").split("\n\n")
    assert paragraphs[1].endswith(" 양측이 발언했다.")
    assert paragraphs[3] == "양측이 다시 발언했다."
    assert built.fallbacks == ()


def test_paragraph_added_after_the_po_file_falls_back_to_english(small: Path) -> None:
    catalog = review_repeats(small, "ko")
    added = "A new paragraph was added."
    changed = SMALL.replace("\n\nNo deal", f"\n\n{added}\n\nNo deal")
    (small / "articles" / "small.txt").write_text(changed, encoding="utf-8")

    built = build_article(catalog, read_article(small / "articles" / "small.txt"))

    paragraphs = built.text.rstrip("\n").split("\n\n")
    assert paragraphs[2] == added
    assert built.fallbacks == built.missing == (added,)
    assert paragraphs[1].endswith(" 양측이 발언했다.")
    # The repeat is now segment 4.0, but its entry still says 3.0.
    assert paragraphs[4] == "양측이 다시 발언했다."


def test_source_article_is_found_from_the_references(project: Path) -> None:
    po_path = Path("out/ko", f"{ARTICLE_ID}.po")
    found = find_source_article(po_path, polib.pofile(str(po_path)))
    assert found == Path("articles", f"{ARTICLE_ID}.txt")


def test_source_article_is_found_from_above_the_po_file(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    po_path = project / "out" / "ko" / f"{ARTICLE_ID}.po"
    found = find_source_article(po_path, polib.pofile(str(po_path)))
    assert found.resolve() == (project / "articles" / f"{ARTICLE_ID}.txt").resolve()


def test_source_article_whose_name_has_a_space(
    tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my articles").mkdir()
    shutil.copy(bundled_article, tmp_path / "my articles" / "kang motegi.txt")
    monkeypatch.chdir(tmp_path)
    pseudo_run(tmp_path, Path("my articles/kang motegi.txt"))
    po_path = Path("out/ko/kang motegi.po")
    catalog = polib.pofile(str(po_path))
    assert find_source_article(po_path, catalog) == Path("my articles/kang motegi.txt")


def catalog_naming(*paths: str) -> polib.POFile:
    catalog = polib.POFile()
    for number, path in enumerate(paths):
        catalog.append(polib.POEntry(msgid=f"Sentence {number}.", occurrences=[(path, "3")]))
    return catalog


def test_source_article_errors(project: Path) -> None:
    po_path = Path("out/ko/demo.po")
    real = f"articles/{ARTICLE_ID}.txt"
    with pytest.raises(InputError, match="no '#:' reference") as missing:
        find_source_article(po_path, polib.POFile())
    assert missing.value.path == str(po_path)
    with pytest.raises(InputError, match="several articles"):
        find_source_article(po_path, catalog_naming(real, "articles/other.txt"))
    with pytest.raises(InputError, match=r"articles/gone\.txt it was made from does not exist"):
        find_source_article(po_path, catalog_naming("articles/gone.txt"))
    # Obsolete entries may still name an article the PO file was made from before.
    renamed = catalog_naming(real, "articles/old-name.txt")
    renamed[1].obsolete = True
    assert find_source_article(po_path, renamed) == Path(real)


def test_build_command_takes_the_language_from_the_header_not_the_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "review").mkdir()
    renamed = project / "review" / "art.ko.po"
    shutil.copy(project / "out" / "ko" / f"{ARTICLE_ID}.po", renamed)
    assert main(["build", str(renamed), "--out", "built"]) == 0
    expected = build(project, "ko")[0].text
    assert (project / "built" / "ko" / f"{ARTICLE_ID}.txt").read_text("utf-8") == expected
    # The usual LANG/ID.po layout keeps working.
    japanese = project / "out" / "ja" / f"{ARTICLE_ID}.po"
    assert main(["build", str(japanese), "--out", "built"]) == 0
    assert (project / "built" / "ja" / f"{ARTICLE_ID}.txt").is_file()
    capsys.readouterr()


def test_build_command_refuses_a_po_file_without_a_language_header(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = load(project, "ko")
    del catalog.metadata["Language"]
    path = project / "ko" / "nameless.po"
    path.parent.mkdir()
    catalog.save(str(path))
    assert main(["build", str(path), "--out", "built"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"l10n: error: {path}:") and "no Language header" in err
    assert err.count("\n") == 1
    assert not (project / "built").exists()


def test_build_command_warns_about_fuzzy_entries_it_publishes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "out" / "ko" / f"{ARTICLE_ID}.po"
    assert main(["build", str(po), "--out", "built"]) == 0
    err = capsys.readouterr().err
    [warning] = [line for line in err.splitlines() if "fuzzy entries built as they are" in line]
    assert warning.startswith(f"warning: {po}: ")
