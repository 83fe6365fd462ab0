"""What a person at a terminal sees: pipes that close early, the line a run starts with,
one summary table, every file of a folder reported, and help for every command."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import polib
import pytest
from rich.console import Console
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY

from workflow.batch import ArticleOutcome, RunOptions, Stage, run_batch
from workflow.cli import BROKEN_PIPE_EXIT, _build_parser, main
from workflow.decoder import DecodeProgress
from workflow.engines.spec import EngineSpec
from workflow.report import ConsoleReporter

Run = Callable[..., tuple[int, str, str]]
STEM = BUNDLED_ARTICLE.stem
#: Lines enough to overflow the test's pipe (shrunk to one page), so the
#: command is still writing when the reader goes away.
SENTENCES = 300


# -- a pipe that closes early -------------------------------------------------


@pytest.fixture(scope="module")
def long_inputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A long article, its pseudo-translated PO file, and a glossary full of duplicates."""
    folder = tmp_path_factory.mktemp("long")
    article = folder / "long.txt"
    sentences = (f"The minister met official number {n} in Seoul.\n" for n in range(SENTENCES))
    article.write_text("Long story\n\n" + "\n".join(sentences), "utf-8")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert (
            main(["run", str(article), "--engine", "pseudo", "--langs", "ko", "--out", "out"]) == 0
        )
        brief = folder / "brief.txt"
        brief.write_text("Talks resume\n\nThe talks resumed.\n", "utf-8")
        assert main(["run", str(brief), "--engine", "pseudo", "--out", "many", "--quiet"]) == 0
        for copy in range(SENTENCES):
            shutil.copy(folder / "many" / "ko" / "brief.po", folder / "many" / "ko" / f"{copy}.po")
    glossary = folder / "doubled.tsv"
    rows = [f"Official {n}\t관리 {n}\t役人 {n}" for n in range(SENTENCES)]
    glossary.write_text("en\tko\tja\n" + "\n".join(rows * 2) + "\n", "utf-8")
    yield {
        "article": article,
        "po": out / "ko" / "long.po",
        "many": folder / "many",
        "glossary": glossary,
    }


PIPED = {
    "segment": ["segment", "{article}"],
    "segment --json": ["segment", "{article}", "--json"],
    "check": ["check", "{po}"],
    "check --json": ["check", "{po}", "--json"],
    "glossary lint": ["glossary", "lint", "{glossary}"],
    "status": ["status", "{many}"],
    "status --json": ["status", "{many}", "--json"],
}


@pytest.mark.parametrize("command", PIPED.values(), ids=PIPED.keys())
def test_a_pipe_closed_early_ends_quietly(
    command: list[str], long_inputs: dict[str, Path]
) -> None:
    """As ``l10n ... | head -1``: no traceback, the exit code of a tool the pipe stopped."""
    arguments = [part.format(**long_inputs) for part in command]
    read_end, write_end = os.pipe()
    # One page instead of 64 KiB: a few kilobytes of output fill it.
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    with os.fdopen(read_end, "rb", buffering=0) as reader:
        process = subprocess.Popen(
            [sys.executable, "-m", "workflow", *arguments],
            stdout=write_end,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        assert process.stderr is not None
        # A line, or the start of one: `status --json` prints a single long line.
        first = reader.readline(4096)
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert first.strip()
    assert stderr == ""
    if command[0] == "status" and "--json" not in command:
        # rich writes the whole table in one call; a reader gone during that
        # call cuts it short without an error (the write reports bytes written).
        assert code in (0, BROKEN_PIPE_EXIT)
    else:
        assert code == BROKEN_PIPE_EXIT == 141


def test_a_run_whose_reader_is_gone_still_writes_its_files(tmp_path: Path) -> None:
    """As ``l10n run | true``: the files are what a run is for; it finishes them quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # gone before the run prints anything
    out = tmp_path / "out"
    arguments = ["run", str(BUNDLED_ARTICLE), "--engine", "pseudo", "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "workflow", *arguments],
        stdout=write_end,
        stderr=subprocess.PIPE,
        check=False,
    )
    os.close(write_end)
    assert (result.returncode, result.stderr) == (0, b"")
    for lang in ("ko", "ja"):
        assert len(polib.pofile(str(out / lang / f"{STEM}.po"))) == 16


def test_output_read_to_the_end_is_unchanged(long_inputs: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workflow", "segment", str(long_inputs["article"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == SENTENCES + 1


# -- l10n run: what it uses, one table, a failure told once -------------------


def test_a_run_names_its_articles_glossaries_and_engine_first(
    l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "articles").mkdir()
    for name in ("one", "two"):
        (tmp_path / "articles" / f"{name}.txt").write_text(
            "Talks resume\n\nThe talks resumed in Seoul.\n", "utf-8"
        )
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "ours.tsv").write_text("en\tko\tja\nSeoul\t서울\tソウル\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = l10n("run", "--engine", "pseudo", "--out", "out")
    assert code == 0, stderr
    first = stdout.splitlines()[0]
    assert first.startswith(
        "Translating 2 articles in articles/ into ko, ja with the pseudo engine"
    )
    # A ./glossaries folder replaces the bundled glossary: the line says so.
    assert "glossary: glossaries/ours.tsv (from ./glossaries, not the bundled glossary)" in first
    assert first.endswith("output: out/")
    assert "news.tsv" not in stdout

    code, stdout, _ = l10n(
        "run", "articles/one.txt", "--engine", "pseudo", "--glossary", DEFAULT_GLOSSARY
    )
    assert code == 0
    first = stdout.splitlines()[0]
    assert first.startswith("Translating articles/one.txt into ko, ja with the pseudo engine")
    assert f"glossary: {DEFAULT_GLOSSARY}; output: locales/" in first


def test_a_run_prints_one_table_and_per_file_lines_only_when_verbose(
    l10n: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", out)
    assert code == 0, stderr
    assert ".po:" not in stdout and "16 new" not in stdout
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in stdout.splitlines()]
    assert [STEM, "ko", "16", "0", "0", "0", "0"] in rows
    assert ["", "ja", "16", "0", "0", "0", "0"] in rows
    assert stdout.splitlines()[-1] == "engine: 32 segment(s) decoded, 0 from translation memory"

    code, stdout, _ = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", out, "--verbose")
    assert code == 0
    assert (
        f"{out / 'ko' / STEM}.po: 0 new, 0 changed, 16 unchanged, 0 reviewed kept, 0 obsolete"
        in (stdout.splitlines())
    )
    assert f"{out / 'templates' / STEM}.pot: 16 entries" in stdout.splitlines()
    assert "│" in stdout  # and the table all the same


def test_a_failure_is_told_once(l10n: Run, tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    shutil.copy(BUNDLED_ARTICLE, news)
    (news / "latin1.txt").write_bytes("Caf\xe9 talks\n\nThey met.\n".encode("latin-1"))
    code, stdout, stderr = l10n("run", news, "--engine", "pseudo", "--out", tmp_path / "out")
    assert code == 1
    reason = "not valid UTF-8"
    assert (stdout + stderr).count(reason) == 1
    assert f"{news / 'latin1.txt'}:1: {reason}" in stderr
    assert ["latin1", "failed"] in [
        [cell.strip() for cell in line.split("│")[1:3]] for line in stdout.splitlines()
    ]
    assert "Translating 2 articles in" in stdout.splitlines()[0]


def test_quiet_and_verbose_exclude_each_other(l10n: Run) -> None:
    with pytest.raises(SystemExit) as exit_:
        l10n("run", "--quiet", "--verbose")
    assert exit_.value.code == 2


# -- progress from the first second -------------------------------------------


class Events:
    """A `workflow.batch.Reporter` that keeps what it is told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.progress = DecodeProgress(on_start=lambda lang, total: self.add("decode", lang))

    def add(self, event: str, detail: object) -> None:
        self.events.append((event, detail))

    def warning(self, message: str) -> None:
        self.add("warning", message)

    def stage_started(self, stage: Stage, total: int) -> None:
        self.add("start", (stage, total))

    def stage_advanced(self, stage: Stage, done: int) -> None:
        self.add("advance", (stage, done))

    def articles_read(self, total: int) -> None:
        self.add("read", total)

    def waiting_for_lock(self, folder: Path) -> None:
        self.add("wait", folder)

    def article_failed(self, path: Path, reason: str) -> None:
        self.add("failed", path.name)

    def article_finished(self, outcome: ArticleOutcome) -> None:
        self.add("finished", outcome.article_id)


def test_reading_and_segmenting_advance_before_anything_is_decoded(tmp_path: Path) -> None:
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"Story {name}\n\nThe ministers met in {name}.\n", "utf-8")
        paths.append(path)
    paths[1].write_bytes("Caf\xe9 talks\n\nThey met.\n".encode("latin-1"))
    opened: list[int] = []

    def open_engine(langs: Sequence[str]) -> EngineSpec:
        opened.append(len(reporter.events))
        return EngineSpec("pseudo", tuple(langs))

    reporter = Events()
    options = RunOptions(tuple(paths), (), ("ko", "ja"), tmp_path / "out")
    result = run_batch(options, engine=open_engine, reporter=reporter, now=datetime.now(UTC))
    assert result.exit_code == 1
    before_decoding = reporter.events[: reporter.events.index(("decode", "ko"))]
    assert before_decoding[:2] == [
        ("start", ("reading glossaries", 0)),
        ("advance", ("reading glossaries", 0)),
    ]
    before_decoding = before_decoding[2:]
    assert before_decoding[0] == ("start", ("reading articles", 3))
    assert before_decoding[1:5] == [
        ("advance", ("reading articles", 1)),
        ("failed", "b.txt"),
        ("advance", ("reading articles", 1)),
        ("advance", ("reading articles", 1)),
    ]
    assert before_decoding[5] == ("read", 2)
    assert opened == [2 + 6]  # the engine opens once the glossaries and articles are read
    for stage in ("reading PO files", "segmenting"):
        assert ("start", (stage, 2)) in before_decoding
        assert before_decoding.count(("advance", (stage, 1))) == 2
    segmenting = before_decoding.index(("start", ("segmenting", 2)))
    assert before_decoding.index(("start", ("reading PO files", 2))) < segmenting


def test_the_bars_show_reading_and_segmenting(tmp_path: Path) -> None:
    paths = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"{name} story\n\nThe ministers met. They agreed.\n", "utf-8")
        paths.append(path)
    console = Console(file=StringIO(), force_terminal=True, width=100, color_system=None)
    options = RunOptions(tuple(paths), (DEFAULT_GLOSSARY,), ("ko",), tmp_path / "out")
    with ConsoleReporter(console) as reporter:
        run_batch(options, engine=pseudo, reporter=reporter, now=NOW)
    assert isinstance(console.file, StringIO)
    output = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", console.file.getvalue())
    for stage in ("reading articles", "reading PO files", "segmenting"):
        assert re.search(rf"{stage}\s.*\s2/2\b", output), stage
    assert re.search(r"reading glossaries\s.*\s1/1\b", output)


NOW = datetime(2026, 12, 3, tzinfo=UTC)


def pseudo(langs: Sequence[str]) -> EngineSpec:
    """The pseudo engine's spec."""
    return EngineSpec("pseudo", tuple(langs))


@pytest.mark.parametrize("stdout_is_the_terminal", [True, False])
def test_the_first_line_goes_above_the_bars_or_to_stdout(
    stdout_is_the_terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workflow.report._is_terminal", lambda stream: stdout_is_the_terminal)
    terminal = Console(file=StringIO(), force_terminal=True, width=100, color_system=None)
    stdout = Console(file=StringIO(), width=100)
    with ConsoleReporter(terminal, output=stdout) as reporter:
        reporter.stage_started("reading articles", 1)
        reporter.say("Translating story.txt into ko")
    assert isinstance(terminal.file, StringIO) and isinstance(stdout.file, StringIO)
    # At the terminal, through the bars' console: a print past it would tear them.
    assert ("Translating story.txt" in terminal.file.getvalue()) is stdout_is_the_terminal
    assert ("Translating story.txt" in stdout.file.getvalue()) is not stdout_is_the_terminal


# -- status and tm export: every readable file, the broken ones named ---------


@pytest.fixture
def folder_with_a_broken_file(l10n: Run, tmp_path: Path) -> tuple[Path, Path]:
    """A pseudo run's output folder over two articles, one Korean PO file then broken."""
    news = tmp_path / "news"
    news.mkdir()
    shutil.copy(BUNDLED_ARTICLE, news)
    (news / "brief.txt").write_text("Talks resume\n\nThe talks resumed. Both met.\n", "utf-8")
    out = tmp_path / "out"
    assert l10n("run", news, "--engine", "pseudo", "--out", out, "--quiet")[0] == 0
    broken = out / "ko" / "brief.po"
    lines = broken.read_text("utf-8").splitlines()
    broken.write_text("\n".join([*lines, "", "not PO syntax", ""]), "utf-8")
    return out, broken


def test_status_reports_every_readable_file_and_names_the_broken_one(
    l10n: Run, folder_with_a_broken_file: tuple[Path, Path]
) -> None:
    out, broken = folder_with_a_broken_file
    error = f"{broken}:{len(broken.read_text('utf-8').splitlines())}: PO syntax error"
    code, stdout, stderr = l10n("status", out)
    assert code == 1
    assert stderr.splitlines() == [f"l10n: error: {error}: not PO syntax"]
    rows = [[cell.strip() for cell in line.split("│")[1:3]] for line in stdout.splitlines()]
    assert [r for r in rows if r and r[0]] == [["brief", "ja"], [STEM, "ja"], [STEM, "ko"]]
    assert "1 of 4 PO files could not be read" in stdout

    code, stdout, stderr = l10n("status", out, "--json")
    assert code == 1
    document = json.loads(stdout)
    assert [(c["article_id"], c["language"]) for c in document["catalogs"]] == [
        ("brief", "ja"),
        (STEM, "ja"),
        (STEM, "ko"),
    ]
    [unreadable] = document["unreadable"]
    assert unreadable["path"] == str(broken)
    assert unreadable["line"] == len(broken.read_text("utf-8").splitlines())
    assert unreadable["error"] == f"{error}: not PO syntax"
    assert stderr.count("\n") == 1


def test_status_of_a_sound_folder_exits_0(
    l10n: Run, folder_with_a_broken_file: tuple[Path, Path]
) -> None:
    out, broken = folder_with_a_broken_file
    broken.unlink()
    code, stdout, stderr = l10n("status", out, "--json")
    assert (code, stderr) == (0, "")
    assert json.loads(stdout)["unreadable"] == []


def test_tm_export_keeps_every_readable_file_and_names_the_broken_one(
    l10n: Run, folder_with_a_broken_file: tuple[Path, Path], tmp_path: Path
) -> None:
    out, broken = folder_with_a_broken_file
    reviewed = out / "ja" / "brief.po"
    catalog = polib.pofile(str(reviewed))
    catalog[1].msgstr = "会談が再開された。"
    catalog[1].flags.remove("fuzzy")
    catalog.save()
    tmx = tmp_path / "memory.tmx"
    code, stdout, stderr = l10n("tm", "export", "--tmx", tmx, "--out", out)
    assert code == 1
    [line] = stderr.splitlines()
    assert line.startswith(f"l10n: error: {broken}:") and "PO syntax error" in line
    assert "1 unreadable PO file(s) left out" in stdout
    segments = [seg.text for seg in ET.parse(tmx).iter("seg")]
    assert "会談が再開された。" in segments


# -- help ---------------------------------------------------------------------


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    """Every subcommand and action: its words, its line in the parent's help, its parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*prefix, name), summaries.get(name) or "", sub
                yield from _commands(sub, (*prefix, name))


def test_every_command_has_a_summary_and_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = list(_commands(_build_parser()))
    assert len(commands) > 15
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    for words, summary, parser in commands:
        assert summary and "\n" not in summary, words
        if len(words) == 1:
            assert re.search(rf"^\s+{words[0]}\s+{re.escape(summary[:30])}", top, re.M), words
        with pytest.raises(SystemExit) as exit_:
            main([*words, "--help"])
        assert exit_.value.code == 0
        own = capsys.readouterr().out
        assert own.startswith(f"usage: l10n {' '.join(words)}")
        assert parser.description, words
        assert parser.description.split()[0] in own, words
