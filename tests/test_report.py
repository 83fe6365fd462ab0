"""The console reporter: progress bars for people at a terminal, nothing for cron or pipes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from workflow.batch import RunOptions, run_batch
from workflow.engines.spec import EngineSpec
from workflow.report import ConsoleReporter

NOW = datetime(2026, 11, 27, tzinfo=UTC)
# Three distinct segments per article (title and two sentences), one shared.
ARTICLES = {
    "one.txt": "First story\n\nThe ministers met. They agreed.\n",
    "two.txt": "Second story\n\nThe ministers met. They left.\n",
}


def run(tmp_path: Path, console: Console, *, quiet: bool = False) -> str:
    paths = []
    for name, text in ARTICLES.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        paths.append(path)
    options = RunOptions(tuple(paths), (), ("ko", "ja"), tmp_path / "out")
    with ConsoleReporter(console, quiet=quiet) as reporter:
        result = run_batch(
            options,
            engine=lambda langs: EngineSpec("pseudo", tuple(langs)),
            reporter=reporter,
            now=NOW,
        )
    assert result.exit_code == 0
    assert isinstance(console.file, StringIO)
    return console.file.getvalue()


def plain(output: str) -> str:
    """`output` without terminal control sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)


def test_bars_show_articles_and_each_languages_segments(tmp_path: Path) -> None:
    console = Console(file=StringIO(), force_terminal=True, width=100, color_system=None)
    output = plain(run(tmp_path, console))
    # 2 articles; 5 distinct segments per language (the shared sentence once).
    assert re.search(r"articles written\s.*\s2/2\b", output)
    for lang in ("ko", "ja"):
        assert re.search(rf"segments into {lang}\s.*\s5/5\b", output)


@pytest.mark.parametrize(("terminal", "quiet"), [(False, False), (True, True)])
def test_no_bar_without_a_terminal_or_when_quiet(
    tmp_path: Path, terminal: bool, quiet: bool
) -> None:
    console = Console(file=StringIO(), force_terminal=terminal, width=100)
    assert run(tmp_path, console, quiet=quiet) == ""
