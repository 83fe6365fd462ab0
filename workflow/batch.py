"""A batch run: many articles, one engine, and one article's failure never stops the rest.

`run_batch` wires the stages of `workflow.runner` for a whole batch: it reads
every article (an unreadable one is reported and skipped), opens the engine,
takes the output folder's lock, reads the existing PO files (a broken one
stops only its own article, and is never overwritten), then plans, decodes
every language in one batch, and merges article by article. What it does is
told to a `Reporter`, which the command line turns into progress bars and a
JSON event log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import polib

from workflow.article import Article, read_article
from workflow.engines import Engine
from workflow.engines.memory import RememberingEngine
from workflow.errors import InputError, WorkflowError
from workflow.glossary import load_glossaries
from workflow.lock import output_lock
from workflow.masking import Translation
from workflow.pofile import read_catalog
from workflow.runner import DecodeProgress, WrittenFile, decode, merge, plan
from workflow.store import STATE_FOLDER, Store


@dataclass(frozen=True)
class RunOptions:
    """What to translate, with what, into which folder."""

    articles: tuple[Path, ...]
    glossaries: tuple[Path, ...]
    languages: tuple[str, ...]
    out: Path
    profile: str | None = None


@dataclass(frozen=True)
class ArticleOutcome:
    """How one article of the batch ended."""

    path: Path
    article_id: str
    #: Why the article failed; empty when it succeeded.
    error: str = ""
    files: tuple[WrittenFile, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the article's files were written."""
        return not self.error


@dataclass(frozen=True)
class BatchResult:
    """Every article's outcome and what the engine did."""

    outcomes: tuple[ArticleOutcome, ...]
    decoded: int = 0
    recalled: int = 0
    #: Glossary terms no hypothesis kept, per language.
    unenforced: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> list[ArticleOutcome]:
        """The articles that failed."""
        return [outcome for outcome in self.outcomes if not outcome.ok]

    @property
    def exit_code(self) -> int:
        """0 when all went well, 1 when some articles failed, 2 when nothing was written."""
        if not self.failed:
            return 0
        return 2 if len(self.failed) == len(self.outcomes) else 1


class Reporter(Protocol):
    """What a batch tells the person (or the monitoring) watching it."""

    progress: DecodeProgress

    def warning(self, message: str) -> None:
        """Something the user should know; the run goes on."""

    def articles_read(self, total: int) -> None:
        """The articles are read; `total` of them will be written."""

    def waiting_for_lock(self, folder: Path) -> None:
        """Another run holds the output folder; this one waits."""

    def article_failed(self, path: Path, reason: str) -> None:
        """One article cannot be translated; the others go on."""

    def article_finished(self, outcome: ArticleOutcome) -> None:
        """One article's files are written."""


def run_batch(
    options: RunOptions,
    *,
    open_engine: Callable[[Sequence[str]], Engine],
    reporter: Reporter,
    now: datetime,
) -> BatchResult:
    """Translate every article of `options` into every language and write the files.

    A glossary, language or engine problem concerns every article and is
    raised before anything is written. When the batch is a single article,
    its own problem is raised the same way.
    """
    glossary = load_glossaries(options.glossaries)
    for warning in glossary.warnings:
        reporter.warning(warning)
    failures: list[ArticleOutcome] = []
    articles: list[Article] = []
    seen: dict[str, Path] = {}
    for path in options.articles:
        try:
            article = read_article(path, profile=options.profile)
            if article.id in seen:
                raise InputError(
                    f"another article of this batch has the same name ({seen[article.id]}): "
                    "their PO files would collide",
                    path=path,
                )
        except InputError as error:
            if len(options.articles) == 1:
                raise
            failures.append(_failed(path, error, reporter))
            continue
        seen[article.id] = path
        articles.append(article)
    if not articles:
        return BatchResult(tuple(failures))
    reporter.articles_read(len(articles))

    engine = RememberingEngine(open_engine(options.languages), Store.at(options.out))
    state = options.out / STATE_FOLDER
    with output_lock(state, on_wait=lambda: reporter.waiting_for_lock(options.out)):
        _remove_stale_temporary_files(options.out, options.languages)
        existing: dict[tuple[str, str], polib.POFile | None] = {}
        readable = []
        for article in articles:
            try:
                for lang in options.languages:
                    po = options.out / lang / f"{article.id}.po"
                    existing[article.id, lang] = (
                        read_catalog(po, language=lang) if po.exists() else None
                    )
            except InputError as error:
                failures.append(_failed(Path(article.path), error, reporter))
                continue
            readable.append(article)
        store = engine.store
        run_plan = plan(
            readable,
            glossary,
            options.languages,
            existing=lambda article, lang: existing[article.id, lang],
            is_machine_output=store.is_machine_output,
        )
        translations: dict[str, dict[str, Translation]] = {}
        unenforced = {}

        def decode_language(lang: str) -> None:
            requests = run_plan.requests(lang)
            results = decode(engine, requests, lang, progress=reporter.progress)
            translations[lang] = {m.text: t for m, t in zip(requests, results, strict=True)}
            unenforced[lang] = sum(len(t.unenforced) for t in results)

        # Languages decode at once, each on one core: measured faster on two
        # cores than one language at a time with all of them (see README, Speed).
        with ThreadPoolExecutor(max_workers=len(options.languages)) as pool:
            for done_language in [
                pool.submit(decode_language, lang) for lang in options.languages
            ]:
                done_language.result()
        labels = {lang: engine.describe(lang) for lang in options.languages}
        done: list[ArticleOutcome] = []
        for job in run_plan.jobs:
            path = Path(job.article.path)
            try:
                files = merge(
                    job,
                    options.languages,
                    translations,
                    options.out,
                    engine_labels=labels,
                    now=now,
                    record=store.record_many,
                )
            except WorkflowError as error:
                failures.append(_failed(path, error, reporter))
                continue
            outcome = ArticleOutcome(path, job.article.id, files=tuple(files))
            reporter.article_finished(outcome)
            done.append(outcome)
        store.close()
    order = {path: index for index, path in enumerate(options.articles)}
    outcomes = sorted(done + failures, key=lambda o: order.get(o.path, len(order)))
    return BatchResult(tuple(outcomes), engine.decoded, engine.recalled, unenforced)


def _remove_stale_temporary_files(out: Path, languages: Sequence[str]) -> None:
    # Left by a run that was killed mid-write; with the lock held, no live run owns them.
    for folder in ("templates", *languages):
        for stale in (out / folder).glob(".*.tmp"):
            stale.unlink(missing_ok=True)


def _failed(path: Path, error: WorkflowError, reporter: Reporter) -> ArticleOutcome:
    reporter.article_failed(path, str(error))
    return ArticleOutcome(path, path.stem, error=str(error))
