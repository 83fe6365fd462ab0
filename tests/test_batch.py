"""Batch runs: one article's failure never stops the others, and nothing is ever half-written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib
import pytest
from support import BUNDLED_ARTICLE, RecordingReporter, msgfmt_check

from workflow.batch import RunOptions, run_batch
from workflow.decoder import Decoded, DecodeProgress, DecodeRequest, LocalDecoder
from workflow.engines.pseudo import PseudoEngine
from workflow.engines.spec import EngineSpec
from workflow.lock import output_lock

Run = Callable[..., tuple[int, str, str]]
STEM = "yonhap-2020-01-15-kang-motegi"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder of three articles: the bundled one, a short one, and one in Latin-1."""
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(BUNDLED_ARTICLE, folder / f"{STEM}.txt")
    (folder / "short.txt").write_text("Short story\n\nThe ministers met. They agreed.\n", "utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 talks\n\nThey met.\n".encode("latin-1"))
    return folder


def test_one_bad_article_does_not_stop_the_batch(l10n: Run, batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    log = tmp_path / "events.jsonl"
    code, stdout, stderr = l10n(
        "run", batch, "--engine", "pseudo", "--out", out, "--log-json", log
    )
    assert code == 1
    assert f"{batch / 'latin1.txt'}:1: not valid UTF-8" in stderr
    for stem in (STEM, "short"):
        for lang in ("ko", "ja"):
            msgfmt_check(out / lang / f"{stem}.po")
    assert not (out / "ko" / "latin1.po").exists()
    assert "latin1" in stdout and "failed" in stdout  # the summary table
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [e["event"] for e in events].count("started") == 3
    assert {e["path"].rsplit("/", 1)[1] for e in events if e["event"] == "finished"} == {
        f"{STEM}.txt",
        "short.txt",
    }
    [failed] = [e for e in events if e["event"] == "failed"]
    assert "not valid UTF-8" in failed["reason"]
    finished = next(e for e in events if e["event"] == "finished" and "short" in e["path"])
    assert finished["counts"]["ko"]["new"] == 3


def test_quiet_prints_nothing_but_problems(l10n: Run, batch: Path, tmp_path: Path) -> None:
    (batch / "latin1.txt").unlink()
    code, stdout, stderr = l10n("run", batch, "--engine", "pseudo", "--out", tmp_path, "--quiet")
    assert code == 0
    assert stdout == "" and stderr == ""


BROKEN_PO = {
    "syntax": (lambda text: text.replace('msgstr "', "msgstr ", 1), ""),
    "language": (lambda text: text.replace("Language: ko", "Language: ja"), "Language header"),
    "charset": (lambda text: text.replace("charset=UTF-8", "charset=EUC-KR"), "charset is EUC-KR"),
    "duplicate": (lambda text: text + '\nmsgid "They agreed."\nmsgstr "x"\n', "duplicate"),
}


@pytest.mark.parametrize("damage", sorted(BROKEN_PO))
def test_a_po_file_a_reviewer_broke_is_never_overwritten(
    l10n: Run, batch: Path, tmp_path: Path, damage: str
) -> None:
    (batch / "latin1.txt").unlink()
    out = tmp_path / "out"
    assert l10n("run", batch, "--engine", "pseudo", "--out", out)[0] == 0
    broken = out / "ko" / "short.po"
    change, message = BROKEN_PO[damage]
    broken.write_text(change(broken.read_text("utf-8")), "utf-8")
    before = broken.read_bytes()
    (batch / "short.txt").write_text("Short story\n\nThe ministers met. They left.\n", "utf-8")
    code, _, stderr = l10n("run", batch, "--engine", "pseudo", "--out", out)
    assert code == 1
    assert broken.read_bytes() == before
    [line] = [line for line in stderr.splitlines() if str(broken) in line]
    assert message in line
    assert line.startswith(f"failed: {broken}:")
    assert line.split(":")[2].isdigit()  # names the line
    msgfmt_check(out / "ko" / f"{STEM}.po")


def test_a_second_run_waits_for_the_first(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (batch / "latin1.txt").unlink()
    with output_lock(out / ".l10n"):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workflow",
                "run",
                str(batch),
                "--engine",
                "pseudo",
                "--out",
                str(out),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not (out / "ko").exists() and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.2)
            # Still waiting while the lock is held: nothing written yet.
            if time.monotonic() > deadline - 27:
                break
        assert process.poll() is None
        assert not (out / "ko").exists()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Another run is writing to" in stderr
    msgfmt_check(out / "ko" / f"{STEM}.po")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KiB tmpfs, mounted for the test (needs root, as on CI)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_disk_full_is_a_clear_error_and_leaves_no_half_file(
    l10n: Run, small_disk: Path, tmp_path: Path
) -> None:
    articles = tmp_path / "many"
    articles.mkdir()
    text = BUNDLED_ARTICLE.read_text("utf-8")
    for number in range(40):
        (articles / f"story-{number:02}.txt").write_text(
            text.replace("five-minute", f"{number}-minute"), "utf-8"
        )
    code, _, stderr = l10n("run", articles, "--engine", "pseudo", "--out", small_disk)
    assert code in (1, 2)
    assert "No space left on device" in stderr
    for po in small_disk.rglob("*.po*"):
        msgfmt_check(po)
    assert not list(small_disk.rglob("*.tmp"))


def test_read_only_output_folder(l10n: Run, small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, _, stderr = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", small_disk)
    assert code == 2
    assert "Read-only file system" in stderr
    assert stderr.count("\n") == 1
    assert not any(small_disk.iterdir())


def test_articles_with_the_same_name_would_collide(l10n: Run, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text("Title\n\nText here.\n", "utf-8")
    out = tmp_path / "out"
    code, _, stderr = l10n(
        "run", tmp_path / "a", tmp_path / "b", "--engine", "pseudo", "--out", out
    )
    assert code == 1
    assert "same name" in stderr
    assert polib.pofile(str(out / "ko" / "story.po"))[1].occurrences[0][0].endswith("a/story.txt")


def test_environment_is_untouched() -> None:
    assert "ARGOS_PACKAGES_DIR" not in os.environ or os.environ["ARGOS_PACKAGES_DIR"]


def test_a_missing_state_file_is_said_once(l10n: Run, tmp_path: Path) -> None:
    # A long path: the warning must stay one line where stderr is no terminal.
    out = tmp_path / ("copied-from-another-checkout-" * 5) / "out"
    assert l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", out)[0] == 0
    before = (out / "ko" / f"{STEM}.po").read_text("utf-8")
    for state in (out / ".l10n").glob("state.sqlite3*"):
        state.unlink()
    code, _, stderr = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", out)
    assert code == 0, stderr
    warnings = [line for line in stderr.splitlines() if "warning" in line or "fuzzy" in line]
    assert warnings == [
        f"warning: {out / '.l10n' / 'state.sqlite3'} not found: 32 fuzzy entries without a "
        "record of machine output kept as if reviewed (not translated again)"
    ]
    after = (out / "ko" / f"{STEM}.po").read_text("utf-8")
    assert [e.msgstr for e in polib.pofile(after)] == [e.msgstr for e in polib.pofile(before)]
    # Nothing was decoded, so there is still no state file: every run says so.
    code, _, stderr = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", out)
    assert code == 0
    assert [line for line in stderr.splitlines() if "warning" in line] == warnings


def pseudo(langs: Sequence[str]) -> EngineSpec:
    """The pseudo engine's spec."""
    return EngineSpec("pseudo", tuple(langs))


class LosingPlaceholders(PseudoEngine):
    """The pseudo engine, but every placeholder is lost in every hypothesis."""

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        found = super().translate(texts, lang, n_best=n_best, min_beam=min_beam)
        return [[re.sub(r"ZXQ\d+ ?", "", h) for h in hyps] for hyps in found]


def test_unenforced_terms_are_counted_as_the_comments_show(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    # Japan twice in one sentence: one comment, one term for the reviewer.
    article.write_text(
        "Ministers meet\n\nJapan asked Japan's partners to wait. "
        "Kang Kyung-wha met Toshimitsu Motegi in Seoul.\n",
        "utf-8",
    )
    glossary = tmp_path / "terms.tsv"
    glossary.write_text(
        "en\tko\ttype\nJapan\t일본\tplace\nSeoul\t서울\tplace\n"
        "Kang Kyung-wha\t강경화\tperson\nToshimitsu Motegi\t모테기 도시미쓰\tperson\n",
        "utf-8",
    )
    out = tmp_path / "out"
    options = RunOptions((article,), (glossary,), ("ko",), out)
    result = run_batch(
        options,
        engine=pseudo,
        reporter=RecordingReporter(),
        decoder=lambda spec: LocalDecoder(spec, LosingPlaceholders()),
        now=datetime.now(UTC),
    )
    catalog = polib.pofile(str(out / "ko" / "talks.po"))
    comments = [
        line
        for entry in catalog
        for line in entry.comment.splitlines()
        if line.startswith("glossary term not enforced")
    ]
    assert len(comments) == 4
    assert result.unenforced == {"ko": 4}
    assert result.unenforced_warnings() == [
        "ko: 4 glossary terms in 2 segments could not be enforced; "
        "see the '#. glossary term not enforced' comments"
    ]
    # The command line says the same; a re-run keeps the comments, and the count.
    code, _, stderr = l10n(
        "run", article, "--glossary", glossary, "--langs", "ko", "--engine", "pseudo", "--out", out
    )
    assert code == 0, stderr
    assert "ko: 4 glossary term" in stderr


SHORT = "Short story\n\nThe ministers met. They agreed.\n"
# Each damage: (text appended to a good PO file, what the error says).
BROKEN_BY_A_REVIEWER = {
    "no msgstr": ('\nmsgid "Orphan."\n', "missing 'msgstr' section"),
    "msgstr[0] without msgid_plural": (
        '\nmsgid "One."\nmsgstr[0] "하나"\n',
        "missing 'msgid_plural' section",
    ),
    "invalid escape": ('\nmsgid "Odd."\nmsgstr "이상\\q"\n', "invalid escape sequence \\q"),
    "duplicate obsolete entries": (
        '\n#~ msgid "Gone."\n#~ msgstr "a"\n\n#~ msgid "Gone."\n#~ msgstr "b"\n',
        "duplicate entry",
    ),
    "duplicate wrapped msgid": (
        '\nmsgid ""\n"They "\n"agreed."\nmsgstr "x"\n',
        'duplicate entry: msgid "They agreed."',
    ),
    "duplicate msgctxt": (
        '\nmsgctxt "k"\nmsgid "The ministers met."\nmsgstr "a"\n\n'
        'msgctxt "k"\nmsgid "The ministers met."\nmsgstr "b"\n',
        'duplicate entry: msgctxt "k" msgid "The ministers met."',
    ),
}


def msgfmt_lines(path: Path) -> list[int]:
    """The line numbers GNU msgfmt names in its fatal errors, first definitions left out."""
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    return [
        int(line.split(":")[1])
        for line in result.stderr.splitlines()
        if line.startswith(str(path)) and "first definition" not in line
    ]


@pytest.mark.parametrize("damage", sorted(BROKEN_BY_A_REVIEWER))
def test_po_files_msgfmt_refuses_are_refused_at_its_line(
    l10n: Run, tmp_path: Path, damage: str
) -> None:
    article = tmp_path / "short.txt"
    article.write_text(SHORT, "utf-8")
    out = tmp_path / "out"
    assert l10n("run", article, "--engine", "pseudo", "--out", out)[0] == 0
    broken = out / "ko" / "short.po"
    added, message = BROKEN_BY_A_REVIEWER[damage]
    broken.write_text(broken.read_text("utf-8") + added, "utf-8")
    before = broken.read_bytes()
    [expected_line] = msgfmt_lines(broken)
    article.write_text(SHORT.replace("agreed", "left"), "utf-8")
    code, _, stderr = l10n("run", article, "--engine", "pseudo", "--out", out)
    assert code == 2
    assert broken.read_bytes() == before
    [line] = [line for line in stderr.splitlines() if str(broken) in line]
    assert line.startswith(f"failed: {broken}:{expected_line}: {message}")
    msgfmt_check(out / "ja" / "short.po")  # the other language's file is untouched too


def test_a_reviewer_saving_during_the_run_is_never_overwritten(tmp_path: Path) -> None:
    article = tmp_path / "short.txt"
    article.write_text(SHORT, "utf-8")
    out = tmp_path / "out"
    options = RunOptions((article,), (), ("ko", "ja"), out)

    def run(decoder: Callable[[EngineSpec], Any] = LocalDecoder) -> None:
        reporter = RecordingReporter()
        result = run_batch(options, engine=pseudo, reporter=reporter, now=NOW, decoder=decoder)
        assert result.exit_code == 0, result.outcomes

    run()
    po = out / "ko" / "short.po"
    saved: list[str] = []

    class ReviewerSavesMeanwhile(LocalDecoder):
        def decode(
            self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None = None
        ) -> dict[str, Decoded]:
            # While the engine decodes, a reviewer translates one sentence and
            # deletes another entry (which now needs decoding again).
            if not saved:
                catalog = polib.pofile(str(po))
                entry = catalog.find("The ministers met.")
                assert entry is not None
                entry.msgstr = "검토: 그들은 만났다."
                entry.flags.remove("fuzzy")
                catalog.remove(catalog.find("Short story"))
                catalog.save()
                saved.append(po.read_text("utf-8"))
            return super().decode(requests, progress)

    article.write_text(SHORT + "They left.\n", "utf-8")
    run(ReviewerSavesMeanwhile)
    assert saved
    catalog = polib.pofile(str(po))
    met = catalog.find("The ministers met.")
    assert met is not None and met.msgstr == "검토: 그들은 만났다."
    assert "fuzzy" not in met.flags
    title = catalog.find("Short story")
    assert title is not None and title.msgstr.startswith("⟦ko⟧") and "fuzzy" in title.flags
    left = catalog.find("They left.")
    assert left is not None and left.msgstr.startswith("⟦ko⟧")
    msgfmt_check(po)


def events(log: Path) -> list[tuple[str, str]]:
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    return [(e["event"], Path(e.get("path", "")).name) for e in lines]


def test_every_started_article_ends_in_the_event_log(l10n: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    log = tmp_path / "events.jsonl"
    code, _, _ = l10n("run", empty, "--engine", "pseudo", "--out", tmp_path, "--log-json", log)
    assert code == 2
    assert events(log) == [("started", "empty.txt"), ("failed", "empty.txt")]


def test_a_run_that_stops_as_a_whole_ends_the_log_with_aborted(l10n: Run, tmp_path: Path) -> None:
    glossary = tmp_path / "bad.tsv"
    glossary.write_text("en\tko\ttype\n\t서울\tplace\n", "utf-8")
    articles = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in articles:
        path.write_text(SHORT, "utf-8")
    log = tmp_path / "events.jsonl"
    code, _, stderr = l10n(
        "run", *articles, "--glossary", glossary, "--engine", "pseudo", "--log-json", log
    )
    assert code == 2
    assert events(log) == [
        ("started", "a.txt"),
        ("started", "b.txt"),
        ("failed", "a.txt"),
        ("failed", "b.txt"),
        ("aborted", ""),
    ]
    last = json.loads(log.read_text("utf-8").splitlines()[-1])
    assert str(glossary) in last["reason"] and last["reason"] in stderr


def test_an_event_log_in_a_missing_folder_is_one_line(l10n: Run, tmp_path: Path) -> None:
    article = tmp_path / "short.txt"
    article.write_text(SHORT, "utf-8")
    log = tmp_path / "nodir" / "x.jsonl"
    out = tmp_path / "out"
    code, _, stderr = l10n("run", article, "--engine", "pseudo", "--out", out, "--log-json", log)
    assert code == 2
    assert stderr == f"l10n: error: {log}: cannot open the event log: No such file or directory\n"
    assert not out.exists()
