"""HTML input: saved news pages read into the same segments as their hand-cleaned text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import msgfmt_check

from workflow.article import read_article
from workflow.errors import InputError
from workflow.html_input import decode_html, looks_like_html
from workflow.segment import segment_article

PAGES = Path(__file__).resolve().parent / "data" / "html"
NAMES = sorted(path.stem for path in PAGES.glob("*.html"))

# Text of the pages' chrome: none of it may reach a segment.
CHROME = [
    "Go to Contents", "Go to Navigation", "Facebook", "Twitter", "Copy URL", "Send Feedback",
    "How can we improve", "Related News", "Busan port workers walk out", "Most Viewed",
    "uses cookies", "Accept all", "prohibits its content", "Yulgok-ro", "(END)", "yna.co.kr",
    "Cookie", "Donate", "MARI YAMAGUCHI", "Updated", "ADVERTISEMENT", "___", "Related Stories",
    "Toyota posts record profit", "Terms of Use", "Associated Press", "Register",
    "By Joyce Lee", "Reporting by", "Trust Principles", "Read Next", "Won weakens",
    "quotes delayed", "Advertisement", "KYODO NEWS", "Tweet", "Related coverage",
    "stockpiled rice", "Kyodo News. All", "Log in", "Sign up", "Published", "kakao",
    "Related Article", "Cold wave", "BY LEE HO-JEONG", "joongang.co.kr", "window.", "gtag",
    "Subscribe", "Login", "link copy", "Most Popular", "K-pop star", "heraldcorp", "Herald Corp",
    "NHK WORLD", "On Demand", "Language", "Heavy snow warning issued", "Japan Broadcasting",
    "{", "<", "&quot;", "&copy;",
]  # fmt: skip


def test_there_are_pages_of_at_least_five_outlets() -> None:
    assert len({name.split("-")[0] for name in NAMES}) >= 5


@pytest.mark.parametrize("name", NAMES)
def test_a_page_segments_like_its_hand_cleaned_text(name: str) -> None:
    page = read_article(PAGES / f"{name}.html")
    text = read_article(PAGES / f"{name}.txt")
    from_page = [(s.kind, s.text) for s in segment_article(page)]
    from_text = [(s.kind, s.text) for s in segment_article(text)]
    # At least 95% of the body sentences are identical (a caption without a credit
    # is a caption in the page, by its <figcaption>, and body text in the text file).
    page_texts = {text for kind, text in from_page if kind in ("body", "caption")}
    body = [text for kind, text in from_text if kind == "body"]
    same = [text for text in body if text in page_texts]
    assert len(same) >= 0.95 * len(body), set(body) - set(same)
    # Nothing else reaches a segment: every segment of the page is one of the text's.
    extra = [segment for segment in from_page if segment[1] not in {t for _, t in from_text}]
    assert not extra
    assert page.title == text.title
    heads = [s for s in from_page if s[0] in ("title", "dateline")]
    assert heads == [s for s in from_text if s[0] in ("title", "dateline")]
    assert {t for k, t in from_text if k == "caption"} <= {
        t for k, t in from_page if k == "caption"
    }
    leaked = [(chrome, s) for s in from_page for chrome in CHROME if chrome in s[1]]
    assert not leaked
    assert not [s for s in segment_article(page) if s.possible_boilerplate]


@pytest.mark.parametrize("name", NAMES)
def test_references_name_the_page_and_its_lines(name: str) -> None:
    path = PAGES / f"{name}.html"
    article = read_article(path)
    assert article.path == str(path)
    lines = decode_html(path.read_bytes(), path=path).split("\n")
    for segment in segment_article(article):
        # The segment's first word is on its line of the page (entities aside).
        word = segment.text.split()[0].strip('"“(')[:6]
        assert word in lines[segment.line - 1], (segment.line, segment.text)


def test_the_extractor_leaving_out_prose_is_caught(tmp_path: Path) -> None:
    # trafilatura skips the text loose in the <div> after the photo on this page.
    article = read_article(PAGES / "joongang-2026-12-16-snowfall.html")
    assert any(p.text.startswith("Heavy snow and strong winds") for p in article.paragraphs)
    assert any("left out were kept" in note for note in article.notes)


def test_encodings_declared_in_meta_charset() -> None:
    kyodo = read_article(PAGES / "kyodo-2026-12-17-rice-prices.html")
    assert "(コシヒカリ)" in " ".join(p.text for p in kyodo.paragraphs)
    joongang = read_article(PAGES / "joongang-2026-12-16-snowfall.html")
    assert '"결항"' in " ".join(p.text for p in joongang.paragraphs)


def test_a_page_that_lies_about_its_encoding_names_the_line(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(b'<html><head><meta charset="euc-kr"></head>\n<body>\n<p>\xff\xff</p>')
    with pytest.raises(InputError, match=r"bad.html:3: not valid euc-kr"):
        read_article(page)


def test_a_text_file_that_is_html_is_read_as_html(tmp_path: Path) -> None:
    source = PAGES / "yonhap-2026-12-16-port-strike.html"
    disguised = tmp_path / "story.txt"
    disguised.write_bytes(source.read_bytes())
    article = read_article(disguised)
    assert [n.endswith("reading it as one") for n in article.notes] == [True]
    texts = [s.text for s in segment_article(article)]
    assert texts == [s.text for s in segment_article(read_article(source))]
    assert not any("<" in text for text in texts)


def test_looks_like_html() -> None:
    assert looks_like_html("<html>\n<body><div><p>Hi.</p></div></body></html>")
    assert not looks_like_html("Title\n\nThe <b> tag is bold. 3 < 4 and 5 > 2.\n")


def test_broken_markup_still_gives_the_article(tmp_path: Path) -> None:
    source = (PAGES / "ap-2026-12-17-boj-rates.html").read_text("utf-8")
    # Cut off in the middle of the story, and unclosed tags along the way.
    broken = source[: source.index("The Nikkei 225")].replace("</p>", "", 3)
    page = tmp_path / "broken.html"
    page.write_text(broken, "utf-8")
    texts = [s.text for s in segment_article(read_article(page))]
    assert "She did not say whether Tokyo would step into the market." in texts
    assert not any("Cookie" in text or "<" in text for text in texts)


def test_a_page_without_an_article_is_one_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Home</title><script>var a = 1;</script></head>"
        "<body><nav><a href='/'>Home</a><a href='/world'>World</a></nav></body></html>",
        "utf-8",
    )
    with pytest.raises(InputError, match=r"empty.html: no article found in this page"):
        read_article(page)


def test_a_huge_page_is_read_in_reasonable_time(tmp_path: Path) -> None:
    source = (PAGES / "reuters-2026-12-16-chip-exports.html").read_text("utf-8")
    filler = "<li><a href='#'>Another headline in the list of the day</a></li>\n" * 30_000
    huge = source.replace("<section class", f"<ul>{filler}</ul><section class", 1)
    page = tmp_path / "huge.html"
    page.write_text(huge, "utf-8")
    assert page.stat().st_size > 1_900_000
    started = time.perf_counter()
    texts = [s.text for s in segment_article(read_article(page))]
    assert time.perf_counter() - started < 20
    assert (
        "Exports of cars fell 9.7%, hurt by fewer working days and a strike at a parts "
        "supplier." in texts
    )
    assert not any("Another headline" in text for text in texts)


def test_run_on_a_page_without_article_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "nothing.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "workflow", "run", str(page), "--engine", "pseudo",
         "--out", str(out), "--quiet"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "nothing.html: no article found in this page" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*.po*"))


def test_trafilatura_is_not_imported_at_start_up() -> None:
    code = "import sys, workflow.cli, workflow.article; print('trafilatura' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_run_on_a_folder_mixing_text_and_pages(
    l10n: Callable[..., tuple[int, str, str]], tmp_path: Path, default_glossary: Path
) -> None:
    news = tmp_path / "news"
    news.mkdir()
    for name in ("ap-2026-12-17-boj-rates.html", "kyodo-2026-12-17-rice-prices.html"):
        shutil.copy(PAGES / name, news / name)
    shutil.copy(PAGES / "reuters-2026-12-16-chip-exports.txt", news / "reuters.txt")
    shutil.copy(PAGES / "yonhap-2026-12-16-port-strike.html", news / "yonhap.htm")
    out = tmp_path / "out"
    code, _, err = l10n(
        "run", news, "--engine", "pseudo", "--out", out, "--langs", "ko",
        "--glossary", default_glossary, "--quiet",
    )  # fmt: skip
    assert code == 0, err
    written = sorted(p.name for p in (out / "ko").glob("*.po"))
    assert written == [
        "ap-2026-12-17-boj-rates.po", "kyodo-2026-12-17-rice-prices.po", "reuters.po", "yonhap.po",
    ]  # fmt: skip
    for po in (out / "ko").glob("*.po"):
        msgfmt_check(po)
    catalog = polib.pofile(str(out / "ko" / "kyodo-2026-12-17-rice-prices.po"))
    entry = next(e for e in catalog if e.msgid.startswith("“Prices are coming down"))
    [(reference, line)] = entry.occurrences
    assert (reference.endswith("news/kyodo-2026-12-17-rice-prices.html"), line) == (True, "24")
    assert not [e for e in catalog if "<" in e.msgid or "Related coverage" in e.msgid]


def test_run_notes_a_text_file_that_is_a_page(
    l10n: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_bytes((PAGES / "reuters-2026-12-16-chip-exports.html").read_bytes())
    code, _, err = l10n("run", story, "--engine", "pseudo", "--out", tmp_path / "out", "--langs",
                        "ja", "--quiet")  # fmt: skip
    assert code == 0, err
    assert "story.txt: this text file is a web page (HTML); reading it as one" in err
    catalog = polib.pofile(str(tmp_path / "out" / "ja" / "story.po"))
    assert catalog[0].msgid == "South Korea's chip exports jump 21% in early December"


def test_segment_explain_reports_every_removed_or_marked_line(
    l10n: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, _ = l10n("segment", "--explain", PAGES / "reuters-2026-12-16-chip-exports.html")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("reuters-2026-12-16-chip-exports.html: profile reuters")
    assert "line 11    title    [last headline before the body] South Korea's chip" in out
    assert "removed  [general: byline] By Joyce Lee" in out
    assert "line 17    dateline [general: dateline] SEOUL, Dec 16 (Reuters) -" in out
    assert "line 24    removed  [profile reuters] Reporting by Joyce Lee; Editing by Sam" in out


def test_segment_explain_on_text_names_marks_and_captions(
    l10n: Callable[..., tuple[int, str, str]],
) -> None:
    layout = Path(__file__).resolve().parent / "data" / "layouts" / "yonhap.txt"
    code, out, _ = l10n("segment", "--explain", layout)
    assert code == 0
    assert out.splitlines()[1:] == [
        "line 1     removed  [profile yonhap] Go to Contents Go to Navigation",
        "line 2     marked   [above the title] Economy",
        "line 3     title    [last headline before the body] Dockworkers in Busan end three-day "
        "strike after wage deal",
        "line 4     removed  [profile yonhap] All News 14:27 December 16, 2026",
        "line 5     dateline [general: dateline] BUSAN, Dec. 16 (Yonhap) --",
        "line 7     caption  [profile yonhap: caption pattern] Cranes load containers onto a "
        "cargo ship at Busan's Sinseondae terminal on Dec. 16, 2026. (Yonhap)",
        "line 9     removed  [general: e-mail address] jdk@yna.co.kr",
        "line 10    removed  [profile yonhap] (END)",
        "line 11    marked   [short line without sentence punctuation] Related News",
        "line 12    marked   [in a list of related articles] Busan port workers walk out over pay",
        "line 13    removed  [general: copyright notice] Copyright (c) Yonhap News Agency "
        "prohibits its content from being redistributed or reprinted without consent, and "
        "forbids the content from being learned and used by artificial intelligence systems.",
    ]


def test_deeply_nested_broken_markup(tmp_path: Path) -> None:
    source = (PAGES / "nhkworld-2026-12-17-snow.html").read_text("utf-8")
    nested = "<div><span>" * 3000 + "Menu" + "</b>" * 10
    page = tmp_path / "nested.html"
    page.write_text(source.replace("<main", nested + "<main", 1), "utf-8")
    # The parser gives up past 256 levels: an error names the line, no text is lost silently.
    with pytest.raises(
        InputError, match=r"nested.html:(\d+): the page's markup is too broken"
    ) as caught:
        read_article(page)
    # The line named is the last one read, before the nesting starts.
    line = int(str(caught.value).split("nested.html:")[1].split(":")[0])
    assert line <= source[: source.index("<main")].count("\n") + 1
