"""Reviewers' files in the real world: repeated sentences, byte-stable re-runs,
every file GNU gettext reads, and what other tools do to notes and headers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support import msgfmt_check

from workflow.cli import main
from workflow.pofile import read_catalog

Run = Callable[..., tuple[int, str, str]]

COMMENT = "The ministry declined to comment."
CREDIT = "Photo by the picture desk."
REPEATS = (COMMENT, CREDIT)
TITLE = "Talks resume after a long pause"


def write_article(path: Path, paragraphs: list[str]) -> None:
    path.write_text(TITLE + "\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")


def paragraph_line(index: int) -> int:
    """The article line of body paragraph `index` (the title is line 1)."""
    return 3 + 2 * index


def run_ko(l10n: Run, article: Path, out: Path, *extra: str) -> str:
    code, stdout, stderr = l10n(
        "run", article, "--engine", "pseudo", "--langs", "ko", "--out", out, *extra
    )
    assert code == 0, stderr
    return stdout


def live(catalog: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalog if not e.obsolete and e.msgid]


def at_line(catalog: polib.POFile, line: int, msgid: str) -> polib.POEntry:
    found = [e for e in live(catalog) if e.msgid == msgid and (e.occurrences[0][1]) == str(line)]
    assert len(found) == 1, (line, msgid, [(e.msgid, e.occurrences) for e in live(catalog)])
    return found[0]


def review(entry: polib.POEntry, text: str) -> None:
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")


# 1. Repeated sentences


def test_a_deleted_occurrence_of_a_repeated_line_takes_only_its_own_review(
    tmp_path: Path, l10n: Run
) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out"
    paragraphs = [
        COMMENT,
        "Kang met Motegi in Seoul on Tuesday.",
        COMMENT,
        "They talked for an hour about trade.",
        COMMENT,
        "The next round is set for spring.",
    ]
    write_article(article, paragraphs)
    run_ko(l10n, article, out)
    po = out / "ko" / "a.po"
    catalog = polib.pofile(str(po))
    for number, index in enumerate((0, 2, 4)):
        review(at_line(catalog, paragraph_line(index), COMMENT), f"검토 {number}")
    catalog.save()
    # The editor deletes the second occurrence with the paragraph before it
    # and adds a paragraph further down.
    write_article(article, [*paragraphs[:1], *paragraphs[3:5], "A new paragraph.", paragraphs[5]])
    run_ko(l10n, article, out)
    msgfmt_check(po)
    catalog = polib.pofile(str(po))
    assert at_line(catalog, paragraph_line(0), COMMENT).msgstr == "검토 0"
    assert at_line(catalog, paragraph_line(2), COMMENT).msgstr == "검토 2"
    obsolete = [e for e in catalog if e.obsolete and e.msgid == COMMENT]
    assert [e.msgstr for e in obsolete] == ["검토 1"]
    # Running again changes nothing and is still accepted.
    run_ko(l10n, article, out)
    msgfmt_check(po)


def test_reversing_the_entries_swaps_no_reviewed_translation(tmp_path: Path, l10n: Run) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out"
    paragraphs = [f"Kang spoke first. {COMMENT}", "Then came the rest.", f"Abe spoke. {COMMENT}"]
    write_article(article, paragraphs)
    run_ko(l10n, article, out)
    po = out / "ko" / "a.po"
    catalog = polib.pofile(str(po))
    review(at_line(catalog, paragraph_line(0), COMMENT), "첫째")
    review(at_line(catalog, paragraph_line(2), COMMENT), "둘째")
    reordered = polib.POFile(wrapwidth=0)
    reordered.metadata = catalog.metadata
    for entry in reversed(live(catalog)):
        reordered.append(entry)
    reordered.save(str(po))
    run_ko(l10n, article, out)
    catalog = polib.pofile(str(po))
    assert at_line(catalog, paragraph_line(0), COMMENT).msgstr == "첫째"
    assert at_line(catalog, paragraph_line(2), COMMENT).msgstr == "둘째"
    msgfmt_check(po)


@pytest.mark.parametrize("variant", ["context", "spacing"])
def test_a_reviewers_copy_of_an_entry_does_not_take_its_place(
    tmp_path: Path, l10n: Run, variant: str
) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out"
    write_article(article, ["Kang met Motegi.", COMMENT, "They left."])
    run_ko(l10n, article, out)
    po = out / "ko" / "a.po"
    catalog = polib.pofile(str(po))
    original = at_line(catalog, paragraph_line(1), COMMENT)
    review(original, "원래 검토")
    copy = polib.POEntry(
        msgid=COMMENT.replace(" ", "  ", 1) if variant == "spacing" else COMMENT,
        msgctxt="my copy" if variant == "context" else None,
        msgstr="사본",
        occurrences=original.occurrences,
    )
    catalog.insert(catalog.index(original), copy)
    catalog.save()
    msgfmt_check(po)
    run_ko(l10n, article, out)
    msgfmt_check(po)
    catalog = polib.pofile(str(po))
    assert at_line(catalog, paragraph_line(1), COMMENT).msgstr == "원래 검토"
    assert [e.msgstr for e in catalog if e.obsolete] == ["사본"]


@dataclass
class Paragraph:
    """One paragraph of the generated article, with an identity that survives moves."""

    ident: int
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _paragraph(ident: int, kind: int) -> Paragraph:
    # Kinds 0 and 1: a repeated line on its own; 2 and 3: a sentence of its
    # own followed by a repeated line; 4: a sentence of its own.
    unique = f"Sentence number {ident} tells its own story."
    if kind < 2:
        return Paragraph(ident, (REPEATS[kind],))
    if kind < 4:
        return Paragraph(ident, (unique, REPEATS[kind - 2]))
    return Paragraph(ident, (unique,))


_ARTICLE_EDIT = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate", "swap"]),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 4),
)
_REVIEWER_EDIT = st.tuples(
    st.sampled_from(["review", "copy", "copy-spacing", "reverse", "context"]),
    st.integers(0, 60),
)


@settings(
    max_examples=50,
    deadline=None,
    # The explain phase reruns the slow example many times to elide parts of it.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    start=st.lists(st.integers(0, 4), min_size=2, max_size=7),
    rounds=st.lists(
        st.tuples(
            st.lists(_ARTICLE_EDIT, max_size=3), st.lists(_REVIEWER_EDIT, min_size=1, max_size=4)
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_random_edits_never_break_the_file_nor_move_a_review(
    start: list[int],
    rounds: list[tuple[list[tuple[str, int, int, int]], list[tuple[str, int]]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        article, out = root / "a.txt", root / "out"
        po = out / "ko" / "a.po"
        paragraphs = [_paragraph(i, kind) for i, kind in enumerate(start)]
        next_ident = len(paragraphs)
        reviews: dict[tuple[int, int], str] = {}
        copies: list[str] = []
        # Occurrences whose paragraph was ever not unique, or is a repeated
        # line alone: which of them is which cannot be told, only that no
        # review is lost.
        ambiguous: set[tuple[int, int]] = set()
        overwritten: set[str] = set()

        def run() -> polib.POFile:
            write_article(article, [p.text for p in paragraphs])
            texts = Counter(p.text for p in paragraphs)
            for p in paragraphs:
                if texts[p.text] > 1 or len(p.sentences) == 1:
                    ambiguous.update((p.ident, n) for n in range(len(p.sentences)))
            code = main(
                [
                    "run",
                    str(article),
                    "--engine",
                    "pseudo",
                    "--langs",
                    "ko",
                    "--out",
                    str(out),
                    "--quiet",
                ]
            )
            assert code == 0, capsys.readouterr().err
            msgfmt_check(po)
            catalog = polib.pofile(str(po))
            kept = {e.msgstr for e in catalog}
            assert (set(reviews.values()) | set(copies)) - overwritten <= kept
            for index, p in enumerate(paragraphs):
                for number, sentence in enumerate(p.sentences):
                    wanted = reviews.get((p.ident, number))
                    if wanted is None or (p.ident, number) in ambiguous:
                        continue
                    entry = at_line(catalog, paragraph_line(index), sentence)
                    assert entry.msgstr == wanted, (p.ident, number, sentence)
            return catalog

        catalog = run()
        for article_edits, reviewer_edits in rounds:
            copied: set[int] = set()
            for action, number in reviewer_edits:
                entries = live(catalog)
                entry = entries[number % len(entries)]
                line = int(entry.occurrences[0][1])
                p = paragraphs[(line - 3) // 2] if line >= 3 else None
                occurrence = (
                    (p.ident, p.sentences.index(entry.msgid))
                    if p is not None and entry.msgid in p.sentences
                    else None
                )
                if entry.msgctxt == "copy" or entry.msgid not in {
                    s for p in paragraphs for s in p.sentences
                }:
                    continue  # a reviewer's copy made in this round
                if action == "review" and occurrence is not None:
                    # Her new text replaces whatever the entry held, even a
                    # review of another, indistinguishable occurrence.
                    overwritten.add(entry.msgstr)
                    text = f"검토 {len(reviews) + len(copies) + len(overwritten)}"
                    review(entry, text)
                    reviews[occurrence] = text
                elif action.startswith("copy") and entry.msgctxt != "reviewer context":
                    text = f"사본 {len(reviews) + len(copies) + len(overwritten)}"
                    spaced = entry.msgid.replace(" ", "  ", 1)
                    copy = polib.POEntry(
                        msgid=spaced if action == "copy-spacing" else entry.msgid,
                        msgctxt=entry.msgctxt if action == "copy-spacing" else "copy",
                        msgstr=text,
                        occurrences=entry.occurrences,
                    )
                    if (copy.msgctxt, copy.msgid) not in {(e.msgctxt, e.msgid) for e in catalog}:
                        catalog.insert(catalog.index(entry), copy)
                        copies.append(text)
                        copied.add(id(entry))
                elif action == "reverse":
                    header, body = catalog.metadata, list(reversed(list(catalog)))
                    catalog = polib.POFile(wrapwidth=0)
                    catalog.metadata = header
                    catalog.extend(body)
                elif (
                    action == "context"
                    and occurrence is not None
                    and id(entry) not in copied
                    and ("reviewer context", entry.msgid)
                    not in {(e.msgctxt, e.msgid) for e in catalog}
                ):
                    entry.msgctxt = "reviewer context"
            catalog.save(str(po))
            msgfmt_check(po)
            for action, first, second, kind in article_edits:
                if action == "insert" or not paragraphs:
                    paragraphs.insert(first % (len(paragraphs) + 1), _paragraph(next_ident, kind))
                    next_ident += 1
                elif action == "delete" and len(paragraphs) > 1:
                    del paragraphs[first % len(paragraphs)]
                elif action == "duplicate":
                    source = paragraphs[first % len(paragraphs)]
                    copied = Paragraph(next_ident, source.sentences)
                    next_ident += 1
                    paragraphs.insert(second % (len(paragraphs) + 1), copied)
                    for number in range(len(source.sentences)):
                        ambiguous.add((source.ident, number))
                elif action == "swap":
                    i, j = first % len(paragraphs), second % len(paragraphs)
                    paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
            catalog = run()


# 2. Nothing changed, nothing rewritten


def _epoch(*when: int) -> str:
    return str(int(datetime(*when, tzinfo=UTC).timestamp()))


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".l10n" not in p.parts
    }


def test_a_rerun_that_changes_nothing_leaves_every_byte(
    tmp_path: Path, l10n: Run, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    article = tmp_path / "story.txt"
    shutil.copy(bundled_article, article)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(2026, 11, 20, 9))
    l10n("run", article, "--engine", "pseudo", "--langs", "ko,ja", "--out", out)
    first = _files(out)
    assert len(first) == 3
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(2026, 11, 21, 9))
    code, _, err = l10n("run", article, "--engine", "pseudo", "--langs", "ko,ja", "--out", out)
    assert code == 0, err
    assert _files(out) == first
    # A change to the article changes the dates of the files it changes.
    article.write_text(article.read_text("utf-8") + "\nOne more sentence at the end.\n", "utf-8")
    l10n("run", article, "--engine", "pseudo", "--langs", "ko,ja", "--out", out)
    assert "2026-11-21" in (out / "templates" / "story.pot").read_text("utf-8")


def test_a_scheduled_run_merges_with_an_editors_save_in_git(
    tmp_path: Path, l10n: Run, bundled_article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    article = tmp_path / "story.txt"
    shutil.copy(bundled_article, article)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(2026, 11, 20, 9))
    run_ko(l10n, article, out)
    po = out / "ko" / "story.po"
    base = tmp_path / "base.po"
    shutil.copy(po, base)
    # The editor (as Weblate or Poedit would) reviews an entry and signs the header.
    editor = polib.pofile(str(po), wrapwidth=0)
    review(live(editor)[3], "검토한 번역")
    editor.metadata["PO-Revision-Date"] = "2026-11-20 18:00+0900"
    editor.metadata["Last-Translator"] = "Kim Min-ji <minji@example.com>"
    theirs = tmp_path / "theirs.po"
    editor.save(str(theirs))
    # Meanwhile the scheduled run, a day later, on the unchanged article.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(2026, 11, 21, 9))
    run_ko(l10n, article, out)
    merged = subprocess.run(
        ["git", "merge-file", "-p", str(po), str(base), str(theirs)],
        capture_output=True,
        check=False,
    )
    assert merged.returncode == 0, merged.stdout.decode()
    assert merged.stdout == theirs.read_bytes()


# 3. Every PO file GNU gettext reads

CORPUS = Path(__file__).parent / "data" / "po-corpus"
ACCEPTED = sorted((CORPUS / "accepted").glob("*.po"))
REJECTED = sorted((CORPUS / "rejected").glob("*.po"))


def _msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the corpus's article, run from there."""
    shutil.copy(CORPUS / "story.txt", tmp_path / "story.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("corpus_file", ACCEPTED, ids=lambda p: p.stem)
def test_every_command_reads_what_msgfmt_accepts(corpus_file: Path, desk: Path, l10n: Run) -> None:
    assert _msgfmt(corpus_file).returncode == 0, "the corpus holds files msgfmt accepts"
    po = desk / "out" / "ko" / "story.po"
    po.parent.mkdir(parents=True)
    shutil.copy(corpus_file, po)
    commands: list[tuple[str | Path, ...]] = [
        ("check", po),
        ("status", "out"),
        ("status", "out", "--json"),
        ("build", po, "--out", "built"),
        ("eval", po, "--reference", po),
        ("tm", "export", "--tmx", "out.tmx", "--out", "out"),
    ]
    for command in commands:
        code, _, err = l10n(*command)
        assert code in (0, 1) and "error" not in err, (command, err)
    assert "외교부는 논평을 거부했다." in (desk / "built" / "ko" / "story.txt").read_text("utf-8")
    code, _, err = l10n("run", "story.txt", "--engine", "pseudo", "--langs", "ko", "--out", "out")
    assert code == 0, err
    msgfmt_check(po)
    catalog = polib.pofile(str(po))
    assert (
        at_line(catalog, 5, "The ministry declined to comment.").msgstr
        == "외교부는 논평을 거부했다."
    )
    assert at_line(catalog, 1, TITLE).msgstr == "오랜 공백 끝에 회담 재개"


def test_comments_of_obsolete_entries_are_kept(desk: Path, l10n: Run) -> None:
    po = desk / "out" / "ko" / "story.po"
    po.parent.mkdir(parents=True)
    shutil.copy(CORPUS / "accepted" / "obsolete-comments.po", po)
    code, _, err = l10n("run", "story.txt", "--engine", "pseudo", "--langs", "ko", "--out", "out")
    assert code == 0, err
    msgfmt_check(po)
    obsolete = {e.msgid: e for e in read_catalog(po, language="ko") if e.obsolete}
    assert obsolete["The talks were cut short."].flags == ["fuzzy"]
    assert obsolete["Both sides met once more."].previous_msgid == "Both sides met again."
    assert '#~| msgid "Both sides met again."' in po.read_text("utf-8")


@pytest.mark.parametrize("corpus_file", REJECTED, ids=lambda p: p.stem)
def test_what_msgfmt_rejects_is_refused_with_its_line(
    corpus_file: Path, desk: Path, l10n: Run
) -> None:
    result = _msgfmt(corpus_file)
    assert result.returncode != 0, "the corpus holds files msgfmt rejects"
    line = int(result.stderr.split(":")[1])
    po = desk / "out" / "ko" / "story.po"
    po.parent.mkdir(parents=True)
    shutil.copy(corpus_file, po)
    before = po.read_bytes()
    for command in (
        ("check", po),
        ("status", "out"),
        ("build", po),
        ("eval", po),
        ("run", "story.txt", "--engine", "pseudo", "--langs", "ko", "--out", "out"),
    ):
        code, _, err = l10n(*command)
        # status reports the files it can read and names the others: exit 1.
        assert code == (1 if command[0] == "status" else 2), (command, err)
        [message] = [m for m in err.splitlines() if "story.po:" in m]
        named = int(message.split("story.po:")[1].split(":")[0])
        # msgfmt names the line after an unterminated string; this names the string's.
        assert named in (line, line - 1), (message, result.stderr)
        assert len(message.split(": ", 2)[-1]) > 10, message
    assert po.read_bytes() == before


# 4. Notes and headers that survive other tools

NOT_ENFORCED = "glossary term not enforced"


@pytest.fixture
def losing_terms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An engine that drops every glossary placeholder, and a glossary it drops."""
    from workflow.engines.pseudo import PseudoEngine

    translate = PseudoEngine.translate

    def losing(
        self: PseudoEngine, texts: list[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        found = translate(self, texts, lang, n_best=n_best, min_beam=min_beam)
        return [[re.sub(r"ZXQ\d+ ?", "", h) for h in hyps] for hyps in found]

    monkeypatch.setattr(PseudoEngine, "translate", losing)
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("en\tko\ttype\nJapan\t일본\tplace\nSeoul\t서울\tplace\n", "utf-8")
    return glossary


def _notes(po: Path) -> list[str]:
    return [
        line
        for entry in polib.pofile(str(po))
        if not entry.obsolete
        for line in entry.comment.splitlines()
        if line.startswith(NOT_ENFORCED)
    ]


@pytest.mark.parametrize("tool", ["msgmerge", "pot2po"])
def test_notes_come_back_after_a_tool_merged_with_the_template(
    tmp_path: Path, l10n: Run, losing_terms: Path, tool: str
) -> None:
    article, out = tmp_path / "talks.txt", tmp_path / "out"
    article.write_text("Ministers meet\n\nJapan sent envoys to Seoul. They left.\n", "utf-8")
    po, pot = out / "ko" / "talks.po", out / "templates" / "talks.pot"
    args = ("run", article, "--glossary", losing_terms, "--langs", "ko", "--engine", "pseudo")
    code, _, err = l10n(*args, "--out", out)
    assert code == 0, err
    assert len(_notes(po)) == 2
    assert "ko: 2 glossary terms in 1 segment could not be enforced" in err
    if tool == "msgmerge":
        command = ["msgmerge", "--quiet", "--previous", "--no-wrap", "-o", po, po, pot]
    else:
        pot2po = Path(sys.executable).with_name("pot2po")
        command = [pot2po, "--progress=none", "-t", po, "-i", pot, "-o", po]
    subprocess.run([str(part) for part in command], check=True, capture_output=True)
    assert _notes(po) == [], f"{tool} keeps the notes: this test no longer tests anything"
    code, _, err = l10n(*args, "--out", out)
    assert code == 0, err
    assert len(_notes(po)) == 2
    assert "ko: 2 glossary terms in 1 segment could not be enforced" in err
    msgfmt_check(po)


def test_what_editors_put_in_the_header_is_kept(tmp_path: Path, l10n: Run) -> None:
    article, out = tmp_path / "talks.txt", tmp_path / "out"
    article.write_text("Ministers meet\n\nThe envoys left early.\n", "utf-8")
    run_ko(l10n, article, out)
    po = out / "ko" / "talks.po"
    pot_text = (out / "templates" / "talks.pot").read_text("utf-8")
    assert '#, fuzzy\nmsgid ""\nmsgstr ""\n' in pot_text
    catalog = polib.pofile(str(po), wrapwidth=0)
    catalog.header = (
        "Korean translation of the talks story.\nKim Min-ji <minji@example.com>, 2026."
    )
    editor_fields = {
        "Report-Msgid-Bugs-To": "desk@example.com",
        "X-Generator": "Poedit 3.4.2",
        "X-Poedit-Basepath": "../..",
        "X-Poedit-SourceCharset": "UTF-8",
        "X-Custom-Desk": "politics",
        "Language": "ko_KR",
        "Last-Translator": "Kim Min-ji <minji@example.com>",
    }
    catalog.metadata.update(editor_fields)
    catalog.save()
    article.write_text("Ministers meet\n\nThe envoys left early.\n\nTalks go on.\n", "utf-8")
    run_ko(l10n, article, out)
    catalog = polib.pofile(str(po))
    for field, value in editor_fields.items():
        assert catalog.metadata[field] == value, field
    assert catalog.metadata["X-Machine-Translation"] == "pseudo-translation into ko"
    assert po.read_text("utf-8").startswith(
        "# Korean translation of the talks story.\n# Kim Min-ji <minji@example.com>, 2026.\n"
    )
    msgfmt_check(po)


def test_a_byte_order_mark_is_read_and_removed_once(tmp_path: Path, l10n: Run) -> None:
    article, out = tmp_path / "talks.txt", tmp_path / "out"
    article.write_text("Ministers meet\n\nThe envoys left early.\n", "utf-8")
    run_ko(l10n, article, out)
    po = out / "ko" / "talks.po"
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes())
    assert _msgfmt(po).returncode != 0
    code, _, err = l10n("run", article, "--engine", "pseudo", "--langs", "ko", "--out", out)
    assert code == 0, err
    assert err.count("byte-order mark") == 1
    assert not po.read_bytes().startswith(b"\xef\xbb\xbf")
    msgfmt_check(po)
    code, _, err = l10n("run", article, "--engine", "pseudo", "--langs", "ko", "--out", out)
    assert "byte-order mark" not in err


# 5. Who reviewed what


def test_machine_output_whose_flag_a_tool_cleared_is_not_counted_as_reviewed(
    tmp_path: Path, l10n: Run, bundled_article: Path
) -> None:
    out = tmp_path / "out"
    run_ko(l10n, bundled_article, out)
    [po] = (out / "ko").glob("*.po")
    subprocess.run(["msgattrib", "--clear-fuzzy", "--no-wrap", "-o", po, po], check=True)
    total = len(live(polib.pofile(str(po))))
    code, stdout, _ = l10n("status", out, "--json")
    [status] = json.loads(stdout)["catalogs"]
    assert status["translated"] == total
    assert status["machine_accepted"] == total
    code, stdout, _ = l10n("status", out)
    assert "machine" in stdout
    skip = ("--skip", "leftover-pseudo", "--skip", "leftover-english", "--skip", "numbers")
    code, stdout, _ = l10n("check", po, *skip, "--json")
    accepted = [f for f in json.loads(stdout)["findings"] if f["check"] == "machine-accepted"]
    assert len(accepted) == total
    assert {f["severity"] for f in accepted} == {"warning"}
    code, stdout, _ = l10n("check", po, *skip, "--json", "--require-reviewed")
    assert code == 1
    accepted = [f for f in json.loads(stdout)["findings"] if f["check"] == "machine-accepted"]
    assert {f["severity"] for f in accepted} == {"error"}


def test_a_lost_state_is_said_on_every_run_until_it_is_rebuilt(
    tmp_path: Path, l10n: Run, bundled_article: Path
) -> None:
    out = tmp_path / "out"
    article = tmp_path / "story.txt"
    shutil.copy(bundled_article, article)
    run_ko(l10n, article, out)
    shutil.rmtree(out / ".l10n")
    # The article grows: this run decodes, and so creates a state again.
    article.write_text(article.read_text("utf-8") + "\nOne more sentence at the end.\n", "utf-8")
    args = ("run", article, "--engine", "pseudo", "--langs", "ko", "--out", out)
    code, _, err = l10n(*args)
    assert code == 0, err
    assert "not found" in err and "without a record of machine output" in err
    assert (out / ".l10n" / "state.sqlite3").exists()
    for _ in range(2):
        code, _, err = l10n(*args)
        assert code == 0, err
        assert "without a record of machine output" in err
        assert "l10n tm rebuild" in err
    code, stdout, err = l10n("tm", "rebuild", "--out", out)
    assert code == 0, err
    assert "recorded" in stdout
    code, _, err = l10n(*args)
    assert code == 0, err
    assert "without a record of machine output" not in err
    # The rebuilt record tells machine output again.
    [po] = (out / "ko").glob("*.po")
    subprocess.run(["msgattrib", "--clear-fuzzy", "--no-wrap", "-o", po, po], check=True)
    code, stdout, _ = l10n("status", out, "--json")
    [status] = json.loads(stdout)["catalogs"]
    assert status["machine_accepted"] == status["translated"] > 0


# 6. Exports other tools read correctly

#: TBX-Basic's picklist for administrativeStatus (TBX-Basic specification,
#: data category administrativeStatus); "forbiddenTerm-admn-sts" is not in it.
TBX_BASIC_STATUSES = {
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
}


def test_forbidden_variants_use_a_tbx_basic_status_the_translate_toolkit_honours() -> None:
    from translate.storage.tbx import tbxfile

    from workflow.glossary import Term
    from workflow.tbx import write_tbx

    document = write_tbx([Term("Seoul", {"ko": "서울"}, "place", forbidden={"ko": ["경성"]})])
    statuses = set(re.findall(r'type="administrativeStatus">([^<]+)<', document))
    assert statuses and statuses <= TBX_BASIC_STATUSES
    [unit] = tbxfile.parsestring(document.encode()).units
    terms = {term.text: term.deprecated for term in unit.get_target_terms("ko")}
    assert terms == {"서울": False, "경성": True}


def test_a_tbx_in_a_language_no_run_uses_imports_with_a_warning(tmp_path: Path, l10n: Run) -> None:
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en">'
        '<text><body><termEntry><langSet xml:lang="en"><tig><term>Seoul</term></tig></langSet>'
        '<langSet xml:lang="xx"><tig><term>서울</term></tig></langSet></termEntry>'
        "</body></text></martif>\n",
        "utf-8",
    )
    code, _, err = l10n("glossary", "import", tbx, "-o", tmp_path / "g.tsv")
    assert code == 0, err
    assert "language 'xx' is not one l10n translates into" in err
    assert f"{tbx}:2:" in err


def test_tmx_exports_every_reviewed_translation_and_machine_output_only_on_request(
    tmp_path: Path, l10n: Run
) -> None:
    import xml.etree.ElementTree as ET

    from workflow.store import Store

    out = tmp_path / "out"
    shared = "The two ministers agreed to meet again."
    for name, text in (("a", "검토 하나"), ("b", "검토 둘")):
        article = tmp_path / f"{name}.txt"
        write_article(article, [f"Story {name} begins here.", shared])
        run_ko(l10n, article, out)
        po = out / "ko" / f"{name}.po"
        catalog = polib.pofile(str(po))
        review(at_line(catalog, paragraph_line(1), shared), text)
        catalog.save()
    store = Store.at(out)
    store.record_machine_output("ko", "Only the engine saw this.", "엔진 번역")
    store.close()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"

    def export(*extra: str) -> tuple[list[tuple[str, str, str]], str]:
        tmx = tmp_path / "memory.tmx"
        code, _, err = l10n("tm", "export", "--tmx", tmx, "--out", out, *extra)
        assert code == 0, err
        assert "⟦" not in tmx.read_text("utf-8")
        found = []
        for tu in ET.parse(tmx).getroot().findall("body/tu"):
            english = tu.findtext("tuv/seg", "")
            for tuv in tu.findall("tuv"):
                if tuv.get(lang) != "en":
                    found.append((english, tuv.findtext("seg", ""), tuv.findtext("prop", "")))
        return sorted(found), err

    units, err = export()
    assert units == [(shared, "검토 둘", "reviewed"), (shared, "검토 하나", "reviewed")]
    assert "2 different reviewed ko translations" in err
    units, _ = export("--include-machine")
    assert ("Only the engine saw this.", "엔진 번역", "mt") in units
    assert len(units) == 3


def test_a_run_that_fails_after_writing_some_files_says_which_and_exits_1(
    tmp_path: Path, l10n: Run
) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out"
    write_article(article, ["Kang met Motegi in Seoul.", "They left."])
    args = ("run", article, "--engine", "pseudo", "--langs", "ko,ja", "--out", out, "--verbose")
    code, _, err = l10n(*args)
    assert code == 0, err
    japanese = out / "ja"
    mounted = subprocess.run(
        ["mount", "--bind", str(japanese), str(japanese)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root, as on CI)")
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(japanese)], capture_output=True, check=True
        )
        write_article(article, ["Kang met Motegi in Seoul.", "They left.", "Talks go on."])
        code, stdout, err = l10n(*args)
    finally:
        subprocess.run(["umount", "-l", str(japanese)], check=False)
    assert code == 1, err
    assert "Read-only file system" in err
    assert f"{out / 'ko' / 'a.po'}: 1 new" in stdout
    assert "Talks go on." in (out / "ko" / "a.po").read_text("utf-8")
    assert "Talks go on." not in (out / "ja" / "a.po").read_text("utf-8")
