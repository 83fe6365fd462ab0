"""How a run shows itself: rich progress bars, the summary table, a JSON event log.

`ConsoleReporter` is the `workflow.batch.Reporter` of the command line. With
``quiet`` it shows nothing but warnings and errors (for cron); with a log
file it also writes one JSON object per line for every article started,
finished or failed, for monitoring.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from workflow.batch import ArticleOutcome, BatchResult
from workflow.runner import DecodeProgress


class ConsoleReporter:
    """Progress bars over articles and over each language's segments, and an event log."""

    def __init__(self, console: Console, *, quiet: bool = False, log: IO[str] | None = None):
        self.console = console
        self.quiet = quiet
        self._log = log
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            # Bars are for people at a terminal, not for cron mail or CI logs.
            disable=quiet or not console.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}
        self.progress = DecodeProgress(on_start=self._decode_started, on_advance=self._advanced)

    def __enter__(self) -> ConsoleReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        # Stopping a bar that never showed would still print an empty line.
        if self._tasks:
            self._bar.stop()

    def _add_task(self, name: str, description: str, total: int) -> None:
        if not self._tasks:
            self._bar.start()
        self._tasks[name] = self._bar.add_task(description, total=total)

    def warning(self, message: str) -> None:
        self.console.print(Text.assemble(("warning:", "yellow"), " ", message))

    def articles_read(self, total: int) -> None:
        self._add_task("articles", "articles written", total)

    def waiting_for_lock(self, folder: Path) -> None:
        self.console.print(f"Another run is writing to {folder}; waiting for it to finish.")

    def article_failed(self, path: Path, reason: str) -> None:
        self.console.print(Text.assemble(("failed:", "red"), " ", reason))
        self._event("failed", path, reason=reason)

    def article_finished(self, outcome: ArticleOutcome) -> None:
        self._advanced("articles", 1)
        counts = {
            file.language: {
                "new": file.new,
                "changed": file.changed,
                "unchanged": file.unchanged,
                "reviewed_kept": file.reviewed_kept,
                "obsolete": file.obsolete,
            }
            for file in outcome.files
            if file.language
        }
        self._event("finished", outcome.path, article=outcome.article_id, counts=counts)

    def _decode_started(self, lang: str, total: int) -> None:
        self._add_task(lang, f"segments into {lang}", total)

    def _advanced(self, name: str, done: int) -> None:
        if name in self._tasks:
            self._bar.advance(self._tasks[name], done)

    def _event(self, event: str, path: Path, **fields: Any) -> None:
        if self._log is None:
            return
        record = {"time": datetime.now(UTC).isoformat(), "event": event, "path": str(path)}
        self._log.write(json.dumps(record | fields, ensure_ascii=False) + "\n")
        self._log.flush()

    def started(self, paths: list[Path]) -> None:
        """Log that the batch's articles are started."""
        for path in paths:
            self._event("started", path)

    def summary(self, result: BatchResult) -> Table:
        """The table that ends a run: every article with its outcome."""
        table = Table(title="l10n run")
        table.add_column("article")
        table.add_column("outcome")
        for outcome in result.outcomes:
            if not outcome.ok:
                failed = Text.assemble(("failed", "red"), ": ", outcome.error)
                table.add_row(Text(outcome.article_id), failed)
                continue
            lines = [file.summary().split(": ", 1)[1] for file in outcome.files if file.language]
            langs = [file.language for file in outcome.files if file.language]
            table.add_row(
                Text(outcome.article_id),
                "\n".join(f"{lang}: {line}" for lang, line in zip(langs, lines, strict=True)),
            )
        return table


class DownloadBar:
    """A rich progress bar with size and speed, for `workflow.models` downloads."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self._task: TaskID | None = None

    def start(self, total_bytes: int | None, description: str) -> None:
        self._bar.start()
        self._task = self._bar.add_task(f"downloading {description}", total=total_bytes)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def finish(self) -> None:
        self._bar.stop()
