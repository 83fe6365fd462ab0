"""How a run shows itself: rich progress bars, the summary table, a JSON event log.

`ConsoleReporter` is the `workflow.batch.Reporter` of the command line. With
``quiet`` it shows nothing but warnings and errors (for cron); with a log
file it also writes one JSON object per line for every article started,
finished or failed, for monitoring: every article started ends with
``finished`` or ``failed``, and a run that stops as a whole (bad glossary,
missing model, full disk) ends with ``aborted`` and its reason.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
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

from workflow.batch import ArticleOutcome, BatchResult, Stage
from workflow.decoder import DecodeProgress
from workflow.runner import WrittenFile
from workflow.units import format_size


class ConsoleReporter:
    """Progress bars over articles and over each language's segments, and an event log."""

    def __init__(
        self,
        console: Console,
        *,
        quiet: bool = False,
        log: IO[str] | None = None,
        output: Console | None = None,
    ):
        self.console = console
        #: Where the run's report goes (stdout); `say` prints on it.
        self.output = output or Console(markup=False, soft_wrap=True)
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
            # A plain print to stdout during the run goes above the bars only
            # when stdout is their terminal; a file or pipe gets it directly
            # (rich's default would send it to the bars' terminal).
            redirect_stdout=_is_terminal(sys.stdout),
        )
        self._tasks: dict[str, TaskID] = {}
        #: Articles to write; their bar comes after decoding's, in the order things happen.
        self._to_write = 0
        #: Articles started and not yet finished or failed, for the event log.
        self._open: dict[str, Path] = {}
        self.progress = DecodeProgress(on_start=self._decode_started, on_advance=self._advanced)

    def __enter__(self) -> ConsoleReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        # Stopping a bar that never showed would still print an empty line.
        if self._tasks:
            self._bar.stop()

    def _add_task(self, name: str, description: str, total: int) -> None:
        if name in self._tasks:
            # Told again as the waves of a batch make the total known.
            self._bar.update(self._tasks[name], total=total)
            return
        if not self._tasks:
            self._bar.start()
        self._tasks[name] = self._bar.add_task(description, total=total)

    def warning(self, message: str) -> None:
        self.console.print(Text.assemble(("warning:", "yellow"), " ", message))

    def stage_started(self, stage: Stage, total: int) -> None:
        self._add_task(stage, stage, total)

    def stage_advanced(self, stage: Stage, done: int) -> None:
        self._advanced(stage, done)

    def articles_read(self, total: int) -> None:
        self._to_write = total
        if "articles" in self._tasks:
            self._add_task("articles", "articles written", total)

    def say(self, line: str) -> None:
        """Print `line` on the report's output: above the bars when they share its terminal.

        A rich console writes past the live display's stdout redirection, so
        at a terminal the line goes through the bars' own console.
        """
        if self._tasks and self._bar.live.is_started and _is_terminal(sys.stdout):
            self._bar.console.print(line, highlight=False)
        else:
            self.output.print(line, highlight=False)

    def waiting_for_lock(self, folder: Path) -> None:
        self.console.print(f"Another run is writing to {folder}; waiting for it to finish.")

    def article_failed(self, path: Path, reason: str) -> None:
        self.console.print(Text.assemble(("failed:", "red"), " ", reason))
        self._open.pop(str(path), None)
        self._event("failed", path, reason=reason)

    def article_finished(self, outcome: ArticleOutcome) -> None:
        if "articles" not in self._tasks and self._to_write:
            self._add_task("articles", "articles written", self._to_write)
        self._advanced("articles", 1)
        counts = {
            file.language: {
                "new": file.new,
                "changed": file.changed,
                "unchanged": file.unchanged,
                "reviewed_kept": file.reviewed_kept,
                "obsolete": file.obsolete,
                "retranslated": file.retranslated,
            }
            for file in outcome.files
            if file.language
        }
        self._open.pop(str(outcome.path), None)
        self._event("finished", outcome.path, article=outcome.article_id, counts=counts)

    def _decode_started(self, lang: str, total: int) -> None:
        self._add_task(lang, f"segments into {lang}", total)

    def _advanced(self, name: str, done: int) -> None:
        if name in self._tasks:
            self._bar.advance(self._tasks[name], done)

    def _event(self, event: str, path: Path | None, **fields: Any) -> None:
        if self._log is None:
            return
        record = {"time": datetime.now(UTC).isoformat(), "event": event}
        if path is not None:
            record["path"] = str(path)
        self._log.write(json.dumps(record | fields, ensure_ascii=False) + "\n")
        self._log.flush()

    def started(self, paths: list[Path]) -> None:
        """Log that the batch's articles are started."""
        for path in paths:
            self._open[str(path)] = path
            self._event("started", path)

    def aborted(self, reason: str, *, path: str | None = None) -> None:
        """Log that the run stopped as a whole, for `reason` (about file `path`, if any).

        Every article started and not yet ended is logged as failed. When the
        run was a single article and `reason` is about it, that is the whole
        story; otherwise an ``aborted`` event follows.
        """
        unfinished = list(self._open.values())
        self._open.clear()
        for article in unfinished:
            self._event("failed", article, reason=reason)
        if not (len(unfinished) == 1 and path == str(unfinished[0])):
            self._event("aborted", None, reason=reason)

    def summary(self, result: BatchResult) -> Table:
        """The table that ends a run: one row per PO file written, one per article failed.

        A failure's reason was printed when it happened (see `article_failed`);
        the table says only which articles failed, so it is never told twice.
        """
        files = [f for outcome in result.outcomes for f in outcome.files if f.language]
        # (header, figure): "retranslated" only when a file has some, as in `WrittenFile.summary`.
        figures: list[tuple[str, Callable[[WrittenFile], int]]] = [
            ("new", lambda f: f.new),
            ("changed", lambda f: f.changed),
            ("retranslated", lambda f: f.retranslated),
            ("unchanged", lambda f: f.unchanged),
            ("reviewed kept", lambda f: f.reviewed_kept),
            ("obsolete", lambda f: f.obsolete),
        ]
        figures = [
            (header, figure)
            for header, figure in figures
            if header != "retranslated" or any(f.retranslated for f in files)
        ]
        table = Table(title="l10n run")
        # A name cut short with "…" names no article; folded over lines it stays whole.
        table.add_column("article", overflow="fold")
        table.add_column("lang", no_wrap=True)
        for header, _ in figures:
            table.add_column(header, justify="right", no_wrap=True)
        for outcome in result.outcomes:
            # A failed article may have written some files first: they are complete and shown.
            written = [f for f in outcome.files if f.language]
            for index, file in enumerate(written):
                table.add_row(
                    Text(outcome.article_id if index == 0 else ""),
                    file.language,
                    *(str(figure(file)) for _, figure in figures),
                )
            if not outcome.ok:
                table.add_row(Text("" if written else outcome.article_id), Text("failed", "red"))
        return table


def _is_terminal(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def run_description(
    articles: Sequence[Path],
    *,
    languages: Sequence[str],
    engine: str,
    glossaries: Sequence[Path],
    glossary_origin: str,
    out: Path,
) -> str:
    """The line a run starts with: which articles, glossaries, engine and models, and where to.

    `engine` names the engine and its models; `glossary_origin` says where
    the glossaries come from when they were not given (empty when they were).

    >>> line = run_description(
    ...     [Path("news/a.txt"), Path("news/b.txt"), Path("inbox/c.txt")],
    ...     languages=["ko"],
    ...     engine="argos (translate-en_ko 1.1)",
    ...     glossaries=[Path("glossaries/news.tsv")],
    ...     glossary_origin="./glossaries, not the bundled glossary",
    ...     out=Path("locales"),
    ... )
    >>> print(*line.split("; "), sep="\\n")
    Translating 3 articles in news/, inbox/ into ko with argos (translate-en_ko 1.1)
    glossary: glossaries/news.tsv (./glossaries, not the bundled glossary)
    output: locales/
    """
    if len(articles) == 1:
        what = str(articles[0])
    else:
        folders = list(dict.fromkeys(f"{path.parent}/" for path in articles))
        shown = ", ".join(folders[:3])
        if len(folders) > 3:
            shown += f" and {len(folders) - 3} more folders"
        what = f"{len(articles)} articles in {shown}"
    named = ", ".join(str(path) for path in glossaries) or "none"
    origin = f" ({glossary_origin})" if glossary_origin else ""
    kind = "glossary" if len(glossaries) == 1 else "glossaries"
    return (
        f"Translating {what} into {', '.join(languages)} with {engine}; "
        f"{kind}: {named}{origin}; output: {out}/"
    )


class DownloadBar:
    """Shows a `workflow.models` download: a live bar at a terminal, else one line at its end.

    At a terminal: a rich bar with size, speed and time left. Elsewhere (a
    pipe, cron mail, a CI log) a bar would be noise, so `finish` prints one
    summary line instead. With `quiet`, nothing at all: errors reach the user
    as exceptions anyway. `clock` (seconds) times the download.

    >>> from io import StringIO
    >>> console = Console(file=StringIO(), force_terminal=False)
    >>> ticks = iter([10.0, 12.5])
    >>> bar = DownloadBar(console, clock=lambda: next(ticks))
    >>> bar.start(3 * 1024**2, "translate-en_ko 1.1")
    >>> bar.advance(3 * 1024**2)
    >>> bar.finish()
    >>> console.file.getvalue().splitlines()
    ['downloaded translate-en_ko 1.1: 3.0 MiB in 2.5 s']
    """

    def __init__(
        self,
        console: Console,
        *,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._console = console
        self._quiet = quiet
        self._live = not quiet and console.is_terminal
        self._clock = clock
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not self._live,
        )
        self._task: TaskID | None = None
        self._description = ""
        self._total: int | None = None
        self._done = 0
        self._started = 0.0

    def start(self, total_bytes: int | None, description: str) -> None:
        """A download of `total_bytes` (``None``: unknown) begins."""
        self._description, self._total, self._done = description, total_bytes, 0
        self._started = self._clock()
        if self._live:
            self._bar.start()
            self._task = self._bar.add_task(f"downloading {description}", total=total_bytes)

    def advance(self, n: int) -> None:
        """`n` more bytes arrived."""
        self._done += n
        if self._task is not None:
            self._bar.advance(self._task, n)

    def finish(self) -> None:
        """The download is over, complete or not."""
        if self._live:
            self._bar.stop()
            self._task = None
        elif not self._quiet:
            self._console.print(self.summary(), highlight=False)

    def summary(self) -> str:
        """One line on the last download: its size and time, or where it stopped."""
        size = format_size(self._done)
        if self._total is not None and self._done < self._total:
            return (
                f"download of {self._description} stopped after {size} "
                f"of {format_size(self._total)}"
            )
        seconds = self._clock() - self._started
        return f"downloaded {self._description}: {size} in {seconds:.1f} s"
