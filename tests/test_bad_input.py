"""``l10n run`` on hostile input: a clear error or correct output, never a traceback.

The contract for every article and glossary below: either exit code 2 with
exactly one line on stderr naming the file (and the line when there is one)
and nothing written, or exit code 0 with a template and one catalog per
language that GNU msgfmt accepts and whose msgids, in order, are the
article's text.
"""

from __future__ import annotations

import codecs
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polib
import pytest
from support import msgfmt_check

Run = Callable[..., tuple[int, str, str]]
Result = tuple[int, str, str]

GLOSSARY = """\
en\tko\tja\ttype
Seoul\t서울\tソウル\tplace
Tokyo\t도쿄\t東京\tplace
Kang Kyung-wha\t강경화\t康京和\tperson
Foreign Minister Kang Kyung-wha\t강경화 외교부 장관\t康京和外相\tperson
"""
STORY = "Talks in Seoul\n\nKang Kyung-wha met her counterpart in Tokyo on Monday. They agreed.\n"


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.tsv"
    path.write_text(GLOSSARY, "utf-8")
    return path


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two runs over the same input must write the same bytes.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1579046400")


def run_pseudo(l10n: Run, article: Path, glossary: Path | list[Path], out: Path) -> Result:
    """``l10n run --engine pseudo`` on one article into `out`."""
    glossaries = glossary if isinstance(glossary, list) else [glossary]
    options: list[str | Path] = []
    for path in glossaries:
        options += ["--glossary", path]
    return l10n("run", article, "--engine", "pseudo", "--quiet", "--out", out, *options)


def assert_refused(result: Result, out: Path, path: Path, line: int | None = None) -> str:
    """Exit 2, one line on stderr naming `path` (and `line`), nothing written; the message."""
    code, _, stderr = result
    assert "Traceback" not in stderr
    assert code == 2, stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    where = f"{path}:{line}: " if line is not None else f"{path}:"
    assert stderr.startswith(f"l10n: error: {where}"), stderr
    assert not out.exists()
    return stderr


def refused_glossary(l10n: Run, tmp_path: Path, story: Path, text: str, line: int) -> str:
    """Run `story` with a glossary holding `text`: refused at `line`; the message."""
    glossary = tmp_path / "g.tsv"
    glossary.write_text(text, "utf-8")
    out = tmp_path / "out"
    return assert_refused(run_pseudo(l10n, story, glossary, out), out, glossary, line=line)


def assert_translated(
    result: Result, out: Path, article_id: str, text: str
) -> dict[str, polib.POFile]:
    """Exit 0, valid files, and msgids that are `text` segment by segment; the catalogs."""
    code, _, stderr = result
    assert "Traceback" not in stderr
    assert code == 0, stderr
    names = {f"templates/{article_id}.pot", f"ko/{article_id}.po", f"ja/{article_id}.po"}
    written = {p.relative_to(out).as_posix(): p for p in out.rglob("*.po*")}
    assert set(written) == names
    catalogs = {}
    for name, path in written.items():
        assert b"\x00" not in path.read_bytes(), f"NUL byte in {name}"
        msgfmt_check(path)
        catalogs[name.split("/")[0]] = polib.pofile(str(path), wrapwidth=0)
    msgids = [entry.msgid for entry in catalogs["templates"]]
    assert all(m == m.strip() and m for m in msgids)
    assert "".join("".join(m.split()) for m in msgids) == "".join(text.split())
    for lang in ("ko", "ja"):
        assert [entry.msgid for entry in catalogs[lang]] == msgids
        assert all(entry.msgstr.startswith(f"⟦{lang}⟧") for entry in catalogs[lang])
    return catalogs


# -- encodings and binary files -----------------------------------------------


def test_random_bytes(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "noise.txt"
    noise = random.Random(1).randbytes(4096)
    assert b"\x00" in noise
    article.write_bytes(noise)
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article)
    assert re.match(rf"l10n: error: {re.escape(str(article))}:\d+: ", stderr)


def test_random_bytes_without_nul(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "noise.txt"
    article.write_bytes(random.Random(2).randbytes(4096).replace(b"\x00", b"\x01"))
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article)
    assert "not valid UTF-8" in stderr


def test_png_file(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "photo.txt"
    article.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(64))
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article)
    assert "binary" in stderr or "UTF-8" in stderr


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read(l10n: Run, tmp_path: Path, glossary: Path, codec: str) -> None:
    article = tmp_path / "wide.txt"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    article.write_bytes(bom + STORY.replace("\n", "\r\n").encode(codec))
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "wide", STORY)
    assert catalogs["templates"][0].msgid == "Talks in Seoul"
    assert "강경화" in catalogs["ko"][1].msgstr


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_refused(
    l10n: Run, tmp_path: Path, glossary: Path, codec: str
) -> None:
    article = tmp_path / "wide.txt"
    article.write_bytes(STORY.encode(codec))
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=1)
    assert "UTF-16" in stderr


def test_truncated_utf16_is_refused(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "cut.txt"
    article.write_bytes(STORY.encode("utf-16")[:-1])
    out = tmp_path / "out"
    assert_refused(run_pseudo(l10n, article, glossary, out), out, article)


def test_utf16_with_a_lone_surrogate_is_refused(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "broken.txt"
    article.write_bytes(
        codecs.BOM_UTF16_LE
        + "Title\n\nA".encode("utf-16-le")
        + b"\x00\xd8"  # a high surrogate with no low one after it
        + " b.\n".encode("utf-16-le")
    )
    out = tmp_path / "out"
    assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=3)


def test_utf32_is_refused_or_read(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    # The UTF-32-LE BOM starts with the UTF-16-LE one.
    article = tmp_path / "wider.txt"
    article.write_bytes(STORY.encode("utf-32"))
    out = tmp_path / "out"
    result = run_pseudo(l10n, article, glossary, out)
    if result[0] == 0:
        assert_translated(result, out, "wider", STORY)
    else:
        assert_refused(result, out, article)


def test_nul_character_in_utf16_is_refused(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "wide.txt"
    article.write_bytes("Title\n\nSeoul\x00 and Tokyo met.\n".encode("utf-16"))
    out = tmp_path / "out"
    assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=3)


def test_utf8_bom_is_dropped(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "bom.txt"
    article.write_bytes(codecs.BOM_UTF8 + STORY.encode())
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "bom", STORY)
    assert catalogs["templates"][0].msgid == "Talks in Seoul"


def test_only_a_bom_is_an_empty_article(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "blank.txt"
    article.write_bytes(codecs.BOM_UTF8 + b"\r\n \r\n")
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article)
    assert "empty article" in stderr


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n\r\n"], ids=["crlf", "cr", "mixed"])
def test_line_ends(l10n: Run, tmp_path: Path, glossary: Path, newline: str) -> None:
    lines = ["Talks in Seoul", "", "Kang Kyung-wha met reporters.", "They left.", "", "Bye."]
    article = tmp_path / "ends.txt"
    if newline == "\n\r\n":  # every style in one file
        article.write_bytes(
            b"Talks in Seoul\r\n\rKang Kyung-wha met reporters.\nThey left.\r\rBye.\n"
        )
    else:
        article.write_bytes(newline.join(lines).encode() + newline.encode())
    out = tmp_path / "out"
    text = "\n".join(lines)
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "ends", text)
    assert [int(e.occurrences[0][1]) for e in catalogs["ko"]] == [1, 3, 4, 6]
    assert not any("\r" in e.msgid or "\r" in e.msgstr for e in catalogs["ko"])


def test_nul_byte_in_utf8(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "nul.txt"
    article.write_bytes(b"Title\n\nSeoul and\n Tokyo\x00 met.\n")
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=4)
    assert "NUL" in stderr


def test_bad_utf8_line_is_named(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    article = tmp_path / "latin.txt"
    article.write_bytes(b"Title\r\n\r\nCaf\xe9 talks.\r\n")
    out = tmp_path / "out"
    assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=3)


def test_bad_utf8_line_is_named_with_lone_cr_line_ends(
    l10n: Run, tmp_path: Path, glossary: Path
) -> None:
    article = tmp_path / "latin.txt"
    article.write_bytes(b"Title\r\rCaf\xe9 talks.\r")
    out = tmp_path / "out"
    assert_refused(run_pseudo(l10n, article, glossary, out), out, article, line=3)


# -- size -----------------------------------------------------------------------

SUBJECTS = [
    "Foreign Minister Kang Kyung-wha", "Officials in Seoul", "The delegation from Tokyo",
    "Lawmakers", "The ministry", "Kang Kyung-wha", "A spokesperson", "Negotiators",
]  # fmt: skip
VERBS = ["met", "criticized", "praised", "called", "visited", "thanked", "briefed", "warned"]
OBJECTS = [
    "their counterparts", "the press in Seoul", "reporters", "the committee in Tokyo",
    "about 3.5 percent of voters", 'the envoy, saying "we are ready"', "the allies",
]  # fmt: skip
ENDS = [".", "!", "?", " on Tuesday.", ", officials said."]


def news_article(size: int, seed: int = 5) -> tuple[str, int]:
    """A generated article of about `size` characters: varied sentences, six a paragraph."""
    rng = random.Random(seed)
    paragraphs = ["A very long article"]
    sentences: list[str] = []
    total = count = 0
    while total < size:
        subject, verb, obj = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
        sentences.append(f"{subject} {verb} {obj} {count}{rng.choice(ENDS)}")
        total += len(sentences[-1]) + 1
        count += 1
        if len(sentences) == 6:
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n", count


def test_half_megabyte_article(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    # 500 KB, a tenth of the 5 MB below, as a check that the cost stays linear.
    text, count = news_article(500_000)
    article = tmp_path / "long.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "long", text)
    assert len(catalogs["templates"]) == count + 1


def test_five_megabyte_article(tmp_path: Path, glossary: Path) -> None:
    # In a child process, so that a hang is killed rather than stalling the suite.
    # (Speed is measured by the benchmark; this checks the output.)
    text, count = news_article(5_000_000)
    article = tmp_path / "huge.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "workflow", "run", str(article), "--engine", "pseudo"]
    command += ["--quiet", "--glossary", str(glossary), "--out", str(out)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"5 MB article not done after {time.perf_counter() - started:.0f} s")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    template = out / "templates" / "huge.pot"
    # msgfmt reads the three files at once, each in a process of its own.
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(msgfmt_check, (template, out / "ko" / "huge.po", out / "ja" / "huge.po")))
    lines = template.read_text("utf-8").splitlines()
    assert sum(line.startswith('msgid "') for line in lines) == count + 2  # title, header


def test_20000_characters_without_a_full_stop(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    words = ["and", "the", "talks", "in", "Seoul", "went", "on,", "with", "Tokyo", "(again)"]
    paragraph = " ".join(words[i % len(words)] for i in range(4000))[:20_000].rstrip(", ")
    assert len(paragraph) >= 19_990 and "." not in paragraph
    text = f"Endless\n\n{paragraph}\n"
    article = tmp_path / "endless.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "endless", text)
    assert [e.msgid for e in catalogs["templates"]] == ["Endless", paragraph]
    assert catalogs["ko"][1].msgstr.count("서울") == paragraph.count("Seoul")


def test_sentence_of_3000_tokens(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    tokens = [
        "Seoul," if i % 50 == 7 else "Kang Kyung-wha" if i % 97 == 3 else f"w{i}"
        for i in range(3000)
    ]
    sentence = "The list: " + " ".join(tokens) + "."
    text = f"Long sentence\n\n{sentence}\n"
    article = tmp_path / "tokens.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "tokens", text)
    assert [e.msgid for e in catalogs["templates"]] == ["Long sentence", sentence]
    assert catalogs["ja"][1].msgstr.count("康京和") == sentence.count("Kang Kyung-wha")


# -- unusual characters -----------------------------------------------------------


def test_emoji_and_zero_width_characters(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    text = (
        "Talks \U0001f91d in Seoul\n\n"
        "Kang Kyung-wha\u200b met \U0001f44d\U0001f3fd reporters in To\u200dkyo. "
        "The family emoji \U0001f468\u200d\U0001f469\u200d\U0001f467 went\ufeff viral. "
        "Zero\u200bwidth\u200dlinks\ufeffeverywhere.\n\n"
        "\u200b\n"
    )
    article = tmp_path / "emoji.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "emoji", text)
    msgids = [e.msgid for e in catalogs["templates"]]
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert msgids[2] == f"The family emoji {family} went\ufeff viral."
    ko = catalogs["ko"]
    # Invisible characters survive translation where they were.
    assert family in ko[2].msgstr
    assert "\ufeff" in ko[2].msgstr and "\u200b" in ko[3].msgstr
    assert "강경화\u200b" in ko[1].msgstr
    # "To\u200dkyo" is not the word Tokyo.
    assert "도쿄" not in ko[1].msgstr


def test_a_term_is_not_found_in_front_of_a_combining_mark(l10n: Run, tmp_path: Path) -> None:
    # "José" in decomposed form (NFD), as macOS and some editors save it.
    glossary = tmp_path / "names.tsv"
    glossary.write_text("en\tko\tja\nJose\t호세\tホセ\n", "utf-8")
    text = "Names\n\nJose\u0301 Rizal met Jose in Seoul.\n"
    article = tmp_path / "nfd.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "nfd", text)
    assert catalogs["ko"][1].msgstr.count("호세") == 1
    assert "호세\u0301" not in catalogs["ko"][1].msgstr


def test_right_to_left_text(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    arabic = "التقى وزير الخارجية بنظيره في سيول. وقالت الوزارة إن المحادثات كانت مفيدة."
    hebrew = "שרת החוץ נפגשה עם עמיתה בטוקיו. השיחות נמשכו שעה."
    mixed = "Seoul said \u202bمرحبا\u202c to Tokyo \u200fעברית\u200f today."  # noqa: RUF001
    text = f"\u0639\u0646\u0648\u0627\u0646 Title\n\n{arabic}\n\n{hebrew}\n\n{mixed}\n"
    article = tmp_path / "rtl.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "rtl", text)
    ko = {e.msgid: e.msgstr for e in catalogs["ko"]}
    for sentence in ("التقى وزير الخارجية بنظيره في سيول.", "השיחות נמשכו שעה."):
        assert ko[sentence] == f"⟦ko⟧ {sentence}"
    assert "서울" in ko[mixed] and "도쿄" in ko[mixed]
    assert "\u202bمرحبا\u202c" in ko[mixed]  # noqa: RUF001


def test_po_metacharacters_in_the_article(l10n: Run, tmp_path: Path) -> None:
    glossary = tmp_path / "meta.tsv"
    glossary.write_text('en\tko\tja\nC:\\temp\t"C 드라이브"\tC:\\temp\n', "utf-8")
    lines = [
        'msgid "Title" \\ "quoted"',
        'He said "50%s" and C:\\temp {0} %d %(name)s fell.',
        "#, fuzzy, c-format starts this line.",
        'msgstr "" is the next line.',
        '#~ msgid "obsolete"',
        '"',
        "\\",
        '# A hash, then \\n and \\t and \\" written out.',
    ]
    text = "\n\n".join(lines) + "\n"
    article = tmp_path / "meta.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "meta", text)
    assert [e.msgid for e in catalogs["templates"]] == lines
    assert '"C 드라이브"' in catalogs["ko"][1].msgstr
    assert "%s" in catalogs["ko"][1].msgstr and "{0}" in catalogs["ko"][1].msgstr
    # The merge step reads these files back: nothing may change.
    before = {p: p.read_bytes() for p in out.rglob("*.po*")}
    code, _, stderr = run_pseudo(l10n, article, glossary, out)
    assert code == 0, stderr
    assert {p: p.read_bytes() for p in out.rglob("*.po*")} == before


# -- glossaries ----------------------------------------------------------------------


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, "utf-8")
    return path


def test_glossary_of_50000_rows(l10n: Run, tmp_path: Path, story: Path) -> None:
    rng = random.Random(7)
    rows = ["en\tko\tja\ttype"]
    for i in range(50_000):
        rows.append(f"Name{i} Person{rng.randrange(10**6)}\t이름{i}\t名前{i}\tperson")
    rows.append("Seoul\t서울\tソウル\tplace")
    glossary = tmp_path / "big.tsv"
    glossary.write_text("\n".join(rows) + "\n", "utf-8")
    name = rows[40_001].split("\t")[0]
    text = f"Talks in Seoul\n\n{name} met Name17 in Seoul.\n"
    story.write_text(text, "utf-8")
    out = tmp_path / "out"
    started = time.perf_counter()
    result = run_pseudo(l10n, story, glossary, out)
    elapsed = time.perf_counter() - started
    catalogs = assert_translated(result, out, "story", text)
    assert catalogs["ko"][1].msgstr == "⟦ko⟧ 이름40000 ɱéţ Ñåɱé17 îñ 서울."
    assert elapsed < 20, f"{elapsed:.1f} s with 50,000 glossary rows"  # about 2 s


def test_empty_english_term(l10n: Run, tmp_path: Path, story: Path) -> None:
    stderr = refused_glossary(
        l10n, tmp_path, story, "en\tko\tja\nSeoul\t서울\tソウル\n\t빈칸\t空\n", line=3
    )
    assert "empty 'en' term" in stderr


def test_blank_english_term(l10n: Run, tmp_path: Path, story: Path) -> None:
    refused_glossary(l10n, tmp_path, story, "en\tko\tja\n   \t빈칸\t空\n", line=2)


def test_duplicate_rows_with_the_same_targets(l10n: Run, tmp_path: Path, story: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tko\tja\nSeoul\t서울\tソウル\nSeoul\t서울\tソウル\n", "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, story, glossary, out), out, "story", STORY)
    assert catalogs["ko"][0].msgstr == "⟦ko⟧ Ţåļķš îñ 서울"
    assert catalogs["ko"][0].comment.count("glossary: Seoul") == 1


def test_duplicate_rows_with_different_targets(l10n: Run, tmp_path: Path, story: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "en\tko\tja\nSeoul\t서울\tソウル\nTokyo\t도쿄\t東京\nSeoul\t서울시\tソウル\n", "utf-8"
    )
    out = tmp_path / "out"
    stderr = assert_refused(run_pseudo(l10n, story, glossary, out), out, glossary, line=4)
    assert "line 2" in stderr


def test_duplicate_rows_across_files_warn_and_the_later_wins(
    l10n: Run, tmp_path: Path, story: Path
) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    first.write_text("en\tko\tja\nSeoul\t서울\tソウル\n", "utf-8")
    second.write_text("en\tko\tja\n# desk style\nSeoul\t서울시\tソウル\n", "utf-8")
    out = tmp_path / "out"
    result = run_pseudo(l10n, story, [first, second], out)
    catalogs = assert_translated(result, out, "story", STORY)
    assert catalogs["ko"][0].msgstr == "⟦ko⟧ Ţåļķš îñ 서울시"
    assert f"{second}:3: 'Seoul' overrides {first}:2" in result[2]


def test_target_with_a_tab(l10n: Run, tmp_path: Path, story: Path) -> None:
    stderr = refused_glossary(
        l10n, tmp_path, story, "en\tko\tja\nSeoul\t서울\tソウル\nTokyo\t도\t쿄\t東京\n", line=3
    )
    assert "tab inside a cell" in stderr


def test_target_quoted_over_two_lines(l10n: Run, tmp_path: Path, story: Path) -> None:
    # A spreadsheet's CSV-style quoting of a cell holding a line break.
    refused_glossary(l10n, tmp_path, story, 'en\tko\tja\nSeoul\t"서울\n특별시"\tソウル\n', line=2)


@pytest.mark.parametrize("char", ["\r", "\v", "\f", "\x85", "\u2028", "\u2029"])
def test_target_with_another_line_break(l10n: Run, tmp_path: Path, story: Path, char: str) -> None:
    stderr = refused_glossary(
        l10n, tmp_path, story, f"en\tko\tja\nSeoul\t서울{char}특별시\tソウル\n", line=2
    )
    assert "line break" in stderr


def test_nul_in_a_glossary_target(l10n: Run, tmp_path: Path, story: Path) -> None:
    refused_glossary(
        l10n, tmp_path, story, "en\tko\tja\nTokyo\t도쿄\t東京\nSeoul\t서\x00울\tソウル\n", line=3
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(GLOSSARY.encode("utf-16"), id="utf-16"),
        pytest.param(random.Random(3).randbytes(512), id="random-bytes"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png"),
        pytest.param(GLOSSARY.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(codecs.BOM_UTF8 + GLOSSARY.encode(), id="utf-8-bom"),
    ],
)
def test_glossary_encodings(l10n: Run, tmp_path: Path, story: Path, data: bytes) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_bytes(data)
    out = tmp_path / "out"
    result = run_pseudo(l10n, story, glossary, out)
    if result[0] == 0:
        catalogs = assert_translated(result, out, "story", STORY)
        assert "서울" in catalogs["ko"][0].msgstr
    else:
        assert_refused(result, out, glossary)


def test_glossary_with_lone_cr_line_ends(l10n: Run, tmp_path: Path, story: Path) -> None:
    # What older spreadsheet programs on macOS save as "tab-delimited text".
    glossary = tmp_path / "g.tsv"
    glossary.write_bytes(GLOSSARY.replace("\n", "\r").encode())
    out = tmp_path / "out"
    result = run_pseudo(l10n, story, glossary, out)
    if result[0] == 0:
        catalogs = assert_translated(result, out, "story", STORY)
        assert "서울" in catalogs["ko"][0].msgstr
    else:
        assert "line end" in assert_refused(result, out, glossary)


def test_overlapping_and_nested_terms(l10n: Run, tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "en\tko\tja\n"
        "Seoul\t서울\tソウル\n"
        "Seoul National University\t서울대\tソウル大\n"
        "National University\t국립대\t国立大\n"
        "Foreign Minister Kang\t강 장관\t康外相\n"
        "Kang Kyung-wha\t강경화\t康京和\n"
        "Minister Kang Kyung\t장관 강경\t相康京\n"
        "Kyung-wha\t경화\t京和\n",
        "utf-8",
    )
    text = (
        "Nested\n\n"
        "Seoul National University and National University in Seoul.\n\n"
        "Foreign Minister Kang Kyung-wha met Kang Kyung-wha.\n"
    )
    article = tmp_path / "nested.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "nested", text)
    ko = catalogs["ko"]
    assert ko[1].msgstr == "⟦ko⟧ 서울대 åñð 국립대 îñ 서울."
    # The leftmost term wins over a longer one starting later ("Kang Kyung-wha",
    # "Minister Kang Kyung"); what it leaves of them is matched afresh.
    assert ko[2].msgstr == "⟦ko⟧ 강 장관 경화 ɱéţ 강경화."
    assert [line for line in ko[2].comment.splitlines() if line.startswith("glossary:")] == [
        "glossary: Foreign Minister Kang → 강 장관 (term)",
        "glossary: Kyung-wha → 경화 (term)",
        "glossary: Kang Kyung-wha → 강경화 (term)",
    ]


def test_article_and_glossary_using_the_placeholder_syntax(l10n: Run, tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tko\tja\nZXQ1\t지큐원\tジーキュー\nSeoul\t서울\tソウル\n", "utf-8")
    text = "ZXQ1 and ZXQ2\n\nZXQ1 met ZXQ2 and ZXQ12 in Seoul, ZXQ3 said.\n"
    article = tmp_path / "zxq.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "zxq", text)
    assert catalogs["ko"][1].msgstr == "⟦ko⟧ 지큐원 ɱéţ ZXQ2 åñð ZXQ12 îñ 서울, ZXQ3 šåîð."
    assert catalogs["ja"][0].msgstr == "⟦ja⟧ジーキューåñð ZXQ2"


def test_article_using_the_placeholder_syntax_without_such_a_term(
    l10n: Run, tmp_path: Path, glossary: Path
) -> None:
    text = "ZXQ1\n\nSeoul and ZXQ1 met ZXQ2 in Tokyo.\n"
    article = tmp_path / "zxq.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    catalogs = assert_translated(run_pseudo(l10n, article, glossary, out), out, "zxq", text)
    assert catalogs["ko"][1].msgstr == "⟦ko⟧ 서울 åñð ZXQ1 ɱéţ ZXQ2 îñ 도쿄."


def test_glossary_target_using_the_placeholder_syntax(l10n: Run, tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tko\tja\nAcme\tZXQ2\tZXQ2\nBeta\t베타\tベータ\n", "utf-8")
    text = "Acme\n\nAcme and Beta met.\n"
    article = tmp_path / "acme.txt"
    article.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run_pseudo(l10n, article, glossary, out)
    if result[0] != 0:
        assert_refused(result, out, glossary, line=2)
        return
    catalogs = assert_translated(result, out, "acme", text)
    assert catalogs["ko"][1].msgstr == "⟦ko⟧ ZXQ2 åñð 베타 ɱéţ."


def test_brackets_in_text_are_printed_not_read_as_markup(
    l10n: Run, tmp_path: Path, glossary: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    text = "Talks in Seoul\n\nOfficials said [/x] the talks [bold]resumed in Seoul.\n"
    (batch / "good[x].txt").write_text(text, "utf-8")
    (batch / "empty[bold].txt").write_text("", "utf-8")
    out = tmp_path / "out"
    run = ("run", batch, "--engine", "pseudo", "--glossary", glossary, "--out", out)
    code, stdout, stderr = l10n(*run)
    assert code == 1
    assert "Traceback" not in stderr
    assert "empty[bold].txt" in stderr
    assert "empty[bold]" in stdout and "good[x]" in stdout
    po = out / "ko" / "good[x].po"
    code, stdout, stderr = l10n("check", po, "--glossary", glossary)
    assert "Traceback" not in stderr
    assert "[/x]" in stdout or "no findings" in stdout


def test_messages_stay_on_one_line_in_logs(l10n: Run, tmp_path: Path, glossary: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    long_name = "story-with-a-rather-long-name-that-goes-on-and-on-beyond-eighty-columns.txt"
    (batch / long_name).write_text("", "utf-8")
    (batch / "fine.txt").write_text(STORY, "utf-8")
    code, _, stderr = run_pseudo(l10n, batch, glossary, tmp_path / "out")
    assert code == 1
    [line] = [line for line in stderr.splitlines() if "failed:" in line]
    assert long_name in line and "empty" in line
