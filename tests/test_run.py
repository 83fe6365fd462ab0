"""``l10n run`` end to end with the pseudo engine, checked with GNU gettext."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import ROOT, msgfmt_check

from workflow.article import read_article
from workflow.segment import segment_article

Run = Callable[..., tuple[int, str, str]]
CHROME = ("Go to Contents", "All News 10:53", "Send Feedback", "How can we improve", "Thanks for")


@pytest.fixture
def pseudo_run(
    l10n: Run, tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    # References are relative to the current folder.
    monkeypatch.chdir(ROOT)
    code, _, err = l10n("run", bundled_article, "--engine", "pseudo", "--out", tmp_path)
    assert code == 0, err
    return tmp_path


def test_run_writes_a_template_and_one_catalog_per_language(pseudo_run: Path) -> None:
    files = sorted(p.relative_to(pseudo_run).as_posix() for p in pseudo_run.rglob("*.po*"))
    assert files == [
        "ja/yonhap-2020-01-15-kang-motegi.po",
        "ko/yonhap-2020-01-15-kang-motegi.po",
        "templates/yonhap-2020-01-15-kang-motegi.pot",
    ]
    for path in pseudo_run.rglob("*.po*"):
        msgfmt_check(path)


def test_one_entry_per_segment_in_article_order(pseudo_run: Path, bundled_article: Path) -> None:
    segments = segment_article(read_article(bundled_article))
    for name in (
        "templates/yonhap-2020-01-15-kang-motegi.pot",
        "ko/yonhap-2020-01-15-kang-motegi.po",
    ):
        catalog = polib.pofile(str(pseudo_run / name))
        assert [e.msgid for e in catalog] == [s.text for s in segments]
        assert [e.occurrences for e in catalog] == [
            [("articles/yonhap-2020-01-15-kang-motegi.txt", str(s.line))] for s in segments
        ]
        assert not any(chrome in e.msgid for e in catalog for chrome in CHROME)


def test_machine_translations_are_fuzzy_and_carry_glossary_targets(pseudo_run: Path) -> None:
    catalog = polib.pofile(str(pseudo_run / "ko/yonhap-2020-01-15-kang-motegi.po"))
    assert all("fuzzy" in entry.flags for entry in catalog)
    assert all(entry.msgstr.startswith("⟦ko⟧ ") for entry in catalog)
    meeting = next(e for e in catalog if e.msgid.startswith("Foreign Minister Kang Kyung-wha met"))
    assert "glossary: Foreign Minister Kang Kyung-wha → 강경화 외교부 장관 (person)" in (
        meeting.comment.splitlines()
    )
    assert "강경화 외교부 장관" in meeting.msgstr
    japanese = polib.pofile(str(pseudo_run / "ja/yonhap-2020-01-15-kang-motegi.po"))
    meeting_ja = next(e for e in japanese if e.msgid == meeting.msgid)
    assert "康京和外相" in meeting_ja.msgstr


def test_glossary_comments_only_on_entries_that_use_the_term(pseudo_run: Path) -> None:
    catalog = polib.pofile(str(pseudo_run / "ko/yonhap-2020-01-15-kang-motegi.po"))
    for entry in catalog:
        for line in entry.comment.splitlines():
            if line.startswith("glossary: "):
                english = line.removeprefix("glossary: ").split(" → ")[0]
                assert english in entry.msgid


def test_kinds_are_noted(pseudo_run: Path) -> None:
    catalog = polib.pofile(str(pseudo_run / "templates/yonhap-2020-01-15-kang-motegi.pot"))
    assert catalog[0].comment.splitlines()[0] == "kind: title"
    assert catalog[1].msgid == "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --"
    assert catalog[1].comment.splitlines()[0] == "kind: dateline"
    captions = [e for e in catalog if "kind: caption" in e.comment]
    assert captions[-1].msgid == "(PHOTO NOT FOR SALE) (Yonhap)"
    assert all(e.msgstr == "" for e in catalog)


def test_header(pseudo_run: Path) -> None:
    catalog = polib.pofile(str(pseudo_run / "ja/yonhap-2020-01-15-kang-motegi.po"))
    header = catalog.metadata
    assert header["Language"] == "ja"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Content-Transfer-Encoding"] == "8bit"
    assert header["Project-Id-Version"] == "yonhap-2020-01-15-kang-motegi"
    assert header["X-Generator"].startswith("l10n-workflow ")
    assert header["X-Machine-Translation"] == "pseudo-translation into ja"
    assert header["POT-Creation-Date"]


def test_identical_sentences_are_told_apart_by_context(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "repeat.txt"
    article.write_text("Title\n\nThe talks ended. They met.\n\nThe talks ended.\n", "utf-8")
    code, _, err = l10n(
        "run",
        article,
        "--engine",
        "pseudo",
        "--out",
        tmp_path / "out",
        "--glossary",
        ROOT / "glossaries" / "news.tsv",
    )
    assert code == 0, err
    catalog = polib.pofile(str(tmp_path / "out/ko/repeat.po"))
    assert [(e.msgctxt, e.msgid) for e in catalog] == [
        (None, "Title"),
        (None, "The talks ended."),
        (None, "They met."),
        ("2.0", "The talks ended."),
    ]
    msgfmt_check(tmp_path / "out/ko/repeat.po")


def test_po_metacharacters_survive(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "meta.txt"
    article.write_text('Title\n\nHe said "50%s" and C:\\temp {0} fell.\n', "utf-8")
    code, _, err = l10n("run", article, "--engine", "pseudo", "--out", tmp_path / "out")
    assert code == 0, err
    catalog = polib.pofile(str(tmp_path / "out/ja/meta.po"))
    assert catalog[1].msgid == 'He said "50%s" and C:\\temp {0} fell.'
    msgfmt_check(tmp_path / "out/ja/meta.po")


# -- errors: one line, exit code 2, nothing written ---------------------------


def _assert_refused(result: tuple[int, str, str], out: Path, message: str) -> None:
    code, _, stderr = result
    assert code == 2
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("l10n: error: ")
    assert message in stderr
    assert not out.exists()


def test_non_utf8_article(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Title\n\nCaf\xe9 talks.\n".encode("latin-1"))
    out = tmp_path / "out"
    result = l10n("run", article, "--engine", "pseudo", "--out", out)
    _assert_refused(result, out, f"{article}:3: not valid UTF-8")


def test_empty_article(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "empty.txt"
    article.write_text("\n \n", "utf-8")
    out = tmp_path / "out"
    _assert_refused(l10n("run", article, "--engine", "pseudo", "--out", out), out, "empty article")


def test_malformed_glossary_row(l10n: Run, tmp_path: Path, bundled_article: Path) -> None:
    glossary = tmp_path / "bad.tsv"
    glossary.write_text("en\tko\tja\nSeoul\t서울\tソウル\nTokyo\t도쿄\n", "utf-8")
    out = tmp_path / "out"
    result = l10n(
        "run", bundled_article, "--engine", "pseudo", "--glossary", glossary, "--out", out
    )
    _assert_refused(result, out, f"{glossary}:3:")


def test_unknown_language(l10n: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = l10n("run", "--engine", "pseudo", "--langs", "ko,xx", "--out", out)
    _assert_refused(result, out, "unknown language code 'xx'")


def test_unknown_engine(l10n: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = l10n("run", "--engine", "deepl", "--out", out)
    _assert_refused(result, out, "unknown engine 'deepl' (choose from: argos, pseudo)")


def test_missing_article(l10n: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = l10n("run", tmp_path / "nope.txt", "--engine", "pseudo", "--out", out)
    _assert_refused(result, out, "no such article")


# -- segment ------------------------------------------------------------------


def test_segment_json(l10n: Run, bundled_article: Path) -> None:
    import json

    code, out, _ = l10n("segment", bundled_article, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["article"] == "yonhap-2020-01-15-kang-motegi"
    first = document["segments"][0]
    assert first == {
        "key": "0.0",
        "kind": "title",
        "paragraph": 0,
        "line": 3,
        "text": "Top diplomats of S. Korea, Japan discuss row over history, trade",
    }
    assert {s["kind"] for s in document["segments"]} == {"title", "dateline", "body", "caption"}


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workflow", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "usage: l10n" in result.stdout


@pytest.mark.parametrize("command", [["--help"], ["status", "."], ["run", "--help"]])
def test_light_commands_import_nothing_heavy(command: list[str], tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from workflow.cli import main\n"
        "try:\n"
        f"    main({command!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('ctranslate2', 'argostranslate', 'sentencepiece', 'torch', 'sacrebleu')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "[]", result.stderr


def test_a_quoted_glob_is_expanded(l10n: Run, tmp_path: Path, bundled_article: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.txt", "b.txt", "notes.md"):
        (inbox / name).write_text(bundled_article.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    code, _, err = l10n("run", f"{inbox}/*.txt", "--engine", "pseudo", "--out", out)
    assert code == 0, err
    assert sorted(p.name for p in (out / "ko").iterdir()) == ["a.po", "b.po"]
    code, _, err = l10n("run", f"{inbox}/*.text", "--engine", "pseudo", "--out", out)
    assert code == 2
    assert "no article matches this pattern" in err


def test_empty_default_folders_fall_back_to_the_bundled_files(
    l10n: Run, tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "news.tsv.bak").write_text("en\tko\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = l10n("run", "--engine", "pseudo", "--langs", "ko", "--out", "out")
    assert code == 0, err
    [po] = (tmp_path / "out" / "ko").iterdir()
    assert po.stem == bundled_article.stem
    assert "glossary: " in po.read_text("utf-8")


def test_the_default_articles_folder_takes_saved_web_pages_too(
    l10n: Run, tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = Path(__file__).parent / "data" / "html"
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(bundled_article, articles / "story.txt")
    shutil.copy(pages / "ap-2026-12-17-boj-rates.html", articles / "page.html")
    shutil.copy(pages / "ap-2026-12-17-boj-rates.html", articles / "other.htm")
    (articles / "notes.md").write_text("not an article", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = l10n("run", "--engine", "pseudo", "--langs", "ko", "--out", "out")
    assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "out" / "ko").iterdir())
    assert written == ["other.po", "page.po", "story.po"]
