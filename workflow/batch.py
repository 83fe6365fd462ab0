"""A batch run: many articles, one engine, and one article's failure never stops the rest.

`run_batch` wires the stages of `workflow.runner` for a whole batch, as a
short sequence: read the articles (an unreadable one is reported and
skipped), get the engine's `EngineSpec`, open the `OutputFolder` (its lock
held), read the existing PO files (a broken one stops only its own article,
and is never overwritten), plan and recall from the translation memory, have
a `Decoder` decode every language in one batch, then remember and write
article by article. The translation memory is read and written here, on the
driver: decoding touches only the engine. Right before an article's files
are written, the output folder tells whether a reviewer saved one of them
meanwhile: the run starts again from their version (and decodes any segment
it now lacks), never overwriting it. What it does is told to a `Reporter`, which the command
line turns into progress bars and a JSON event log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import polib

from workflow.article import Article, read_article
from workflow.decoder import Decoded, DecodeProgress, Decoder, LocalDecoder, recall, remember
from workflow.engines import engine_fingerprint, engine_label
from workflow.engines.spec import EngineSpec
from workflow.errors import InputError, ModelError, WorkflowError
from workflow.glossary import Glossary, load_glossaries
from workflow.masking import MaskedText, Translation
from workflow.output import OutputFolder
from workflow.runner import (
    ArticleJob,
    PartialWriteError,
    Plan,
    WrittenFile,
    plan,
    write_article_files,
)
from workflow.store import Store


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
    #: Per language, the "glossary term not enforced" comments in the PO
    #: files written (one per term and entry, as the reviewer sees them).
    unenforced: dict[str, int] = field(default_factory=dict)
    #: Per language, the entries holding such comments.
    unenforced_entries: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> list[ArticleOutcome]:
        """The articles that failed."""
        return [outcome for outcome in self.outcomes if not outcome.ok]

    @property
    def exit_code(self) -> int:
        """0 when all went well, 1 when some articles failed, 2 when nothing was written."""
        if not self.failed:
            return 0
        written = any(outcome.files for outcome in self.outcomes)
        return 2 if len(self.failed) == len(self.outcomes) and not written else 1

    def unenforced_warnings(self) -> list[str]:
        """One line per language whose PO files name glossary terms the translation lacks.

        >>> result = BatchResult((), unenforced={"ko": 37}, unenforced_entries={"ko": 21})
        >>> print(*result.unenforced_warnings()[0].split("; "), sep="\\n")
        ko: 37 glossary terms in 21 segments could not be enforced
        see the '#. glossary term not enforced' comments
        """
        return [
            f"{lang}: {_count(terms, 'glossary term')} in "
            f"{_count(self.unenforced_entries.get(lang, 0), 'segment')} could not be enforced; "
            "see the '#. glossary term not enforced' comments"
            for lang, terms in self.unenforced.items()
            if terms
        ]


#: The steps before decoding, counted in glossary files, then in articles,
#: so that a batch shows progress from its first second.
Stage = Literal["reading glossaries", "reading articles", "reading PO files", "segmenting"]


class Reporter(Protocol):
    """What a batch tells the person (or the monitoring) watching it."""

    progress: DecodeProgress

    def warning(self, message: str) -> None:
        """Something the user should know; the run goes on."""

    def stage_started(self, stage: Stage, total: int) -> None:
        """A step of `total` files or articles begins."""

    def stage_advanced(self, stage: Stage, done: int) -> None:
        """`done` more files or articles went through `stage`."""

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
    engine: Callable[[Sequence[str]], EngineSpec],
    reporter: Reporter,
    now: datetime,
    decoder: Callable[[EngineSpec], Decoder] = LocalDecoder,
) -> BatchResult:
    """Translate every article of `options` into every language and write the files.

    `engine(languages)` gives the spec of the engine to use, once the
    articles are read (the command line installs missing models then);
    `decoder(spec)` what decodes with it.

    A glossary, language or engine problem concerns every article and is
    raised before anything is written. When the batch is a single article,
    its own problem is raised the same way.
    """
    glossary = _read_glossaries(options.glossaries, reporter)
    articles, failures = _read_articles(options, reporter)
    if not articles:
        return BatchResult(tuple(failures))
    reporter.articles_read(len(articles))
    spec = engine(options.languages)
    decoding = decoder(spec)
    folder = OutputFolder(options.out)
    on_wait = partial(reporter.waiting_for_lock, options.out)
    with folder.opened(options.languages, on_wait=on_wait):
        run = _Run(options, glossary, spec, decoding, folder, reporter)
        readable = run.read_catalogs(articles, failures)
        run_plan = run.plan_all(readable)
        run.decode({lang: run_plan.requests(lang) for lang in options.languages}, progress=True)
        done = run.write(run_plan.jobs, failures, now)
        run.store.close()
    return _result(options, done, failures, run.counts)


def _read_glossaries(paths: Sequence[Path], reporter: Reporter) -> Glossary:
    reporter.stage_started("reading glossaries", len(paths))
    glossary = load_glossaries(paths)
    reporter.stage_advanced("reading glossaries", len(paths))
    for warning in glossary.warnings:
        reporter.warning(warning)
    return glossary


def _read_articles(
    options: RunOptions, reporter: Reporter
) -> tuple[list[Article], list[ArticleOutcome]]:
    """The batch's readable articles, and the failures of the others."""
    failures: list[ArticleOutcome] = []
    articles: list[Article] = []
    seen: dict[str, Path] = {}
    reporter.stage_started("reading articles", len(options.articles))
    for path in _counted(options.articles, reporter, "reading articles"):
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
        for note in article.notes:
            reporter.warning(note)
        seen[article.id] = path
        articles.append(article)
    return articles, failures


class _Run:
    """One batch's work inside the locked output folder: plan, decode, write.

    The translation memory is read (recall, before decoding) and written
    (remember, once decoded) here, on the driver; the decoder touches only
    the engine.
    """

    def __init__(
        self,
        options: RunOptions,
        glossary: Glossary,
        spec: EngineSpec,
        decoding: Decoder,
        folder: OutputFolder,
        reporter: Reporter,
    ) -> None:
        self.options = options
        self.languages = options.languages
        self.glossary = glossary
        self.spec = spec
        self.decoding = decoding
        self.folder = folder
        self.reporter = reporter
        self.store = Store.at(options.out)
        #: The engine's, per language; asked once the PO files are read.
        self.fingerprints: dict[str, str] = {}
        self.existing: dict[tuple[str, str], polib.POFile | None] = {}
        self.translations: dict[str, dict[str, Translation]] = {}
        #: Per language, the English of segments the engine failed on, with the reason.
        self.failed: dict[str, dict[str, str]] = {}
        self.counts = _Counts()

    def read_catalogs(
        self, articles: Sequence[Article], failures: list[ArticleOutcome]
    ) -> list[Article]:
        """`articles` whose PO files can be read; a broken one fails its own article only."""
        readable = []
        self.reporter.stage_started("reading PO files", len(articles))
        for article in _counted(articles, self.reporter, "reading PO files"):
            try:
                for lang in self.languages:
                    self._read_catalog(article.id, lang)
            except InputError as error:
                failures.append(_failed(Path(article.path), error, self.reporter))
                continue
            readable.append(article)
        return readable

    def _read_catalog(self, article_id: str, lang: str) -> None:
        found = self.folder.read_catalog(article_id, lang)
        self.existing[article_id, lang] = found.catalog
        if found.byte_order_mark:
            self.reporter.warning(
                f"{found.path}: starts with a UTF-8 byte-order mark, which msgfmt refuses; "
                "written back without it"
            )

    def plan_all(self, articles: Sequence[Article]) -> Plan:
        """The plan of every readable article, said of when the state was lost."""
        on_record = self.store.exists()
        self.fingerprints = {lang: engine_fingerprint(self.spec, lang) for lang in self.languages}
        self.reporter.stage_started("segmenting", len(articles))
        run_plan = self._plan(_counted(articles, self.reporter, "segmenting"))
        if not on_record or self.store.incomplete() is not None:
            self._warn_state_lost(run_plan, on_record=on_record)
        return run_plan

    def _plan(self, articles: Iterable[Article]) -> Plan:
        return plan(
            articles,
            self.glossary,
            self.languages,
            existing=lambda article, lang: self.existing[article.id, lang],
            is_machine_output=self.store.is_machine_output,
            fingerprints=self.fingerprints,
            made_from=self.store.is_current_output,
        )

    def _warn_state_lost(self, run_plan: Plan, *, on_record: bool) -> None:
        kept = sum(
            catalog.count_fuzzy_reviewed()
            for job in run_plan.jobs
            for catalog in job.catalogs.values()
        )
        if kept and not on_record:
            # Never destroyed, since they may be a reviewer's, but never
            # silent either: nothing of them will be translated again.
            self.reporter.warning(
                f"{self.store.path} not found: {_count(kept, 'fuzzy entry', 'fuzzy entries')} "
                "without a record of machine output kept as if reviewed "
                "(not translated again)"
            )
            # Said on every later run too, once this one has created the
            # state, until `l10n tm rebuild`.
            self.store.note_incomplete_when_created("state lost")
        elif kept:
            self.reporter.warning(
                f"{self.store.path} was lost by an earlier run: "
                f"{_count(kept, 'fuzzy entry', 'fuzzy entries')} without a record of "
                "machine output kept as if reviewed (not translated again); if every "
                f"fuzzy entry is machine output, run `l10n tm rebuild --out {self.options.out}`"
            )

    def decode(self, requests: Mapping[str, Sequence[MaskedText]], *, progress: bool) -> None:
        """Decode `requests` (by language), recalling what is known, remembering the rest.

        Remembered once decoded, before anything is written: an article that
        fails to be written keeps what the engine did for it.
        """
        decoded = self.decoding.decode(
            [
                recall(self.store, self.fingerprints[lang], lang, segments)
                for lang, segments in requests.items()
            ],
            self.reporter.progress if progress else None,
        )
        for lang, result in decoded.items():
            self.translations.setdefault(lang, {}).update(result.translations)
            self.failed.setdefault(lang, {}).update(result.failed)
            self.counts.add(result)
        for result in decoded.values():
            remember(self.store, self.fingerprints[result.lang], result)

    def write(
        self, jobs: Sequence[ArticleJob], failures: list[ArticleOutcome], now: datetime
    ) -> list[ArticleOutcome]:
        """Write each job's files; a failed article is added to `failures`, the others returned."""
        labels = {lang: engine_label(self.spec, lang) for lang in self.languages}
        done: list[ArticleOutcome] = []
        for job in jobs:
            path = Path(job.article.path)
            try:
                # A reviewer may have saved a PO file while the engine worked:
                # their version is what this run starts from, never the one
                # read at the start.
                job = self._replanned_if_saved(job)
                _check_decoded(job, self.languages, self.failed)
                files = write_article_files(
                    job,
                    self.languages,
                    self.translations,
                    self.folder,
                    engine_labels=labels,
                    now=now,
                    record=self.store.record_many,
                    notes_on_record=self.store.notes,
                    record_notes=self.store.record_notes,
                )
            except WorkflowError as error:
                failures.append(_failed(path, error, self.reporter))
                continue
            outcome = ArticleOutcome(path, job.article.id, files=tuple(files))
            self.reporter.article_finished(outcome)
            done.append(outcome)
        return done

    def _replanned_if_saved(self, job: ArticleJob) -> ArticleJob:
        """`job`, planned again if a reviewer saved one of its PO files meanwhile."""
        article_id = job.article.id
        for attempt in range(_REPLANS + 1):
            changed = [
                lang for lang in self.languages if self.folder.saved_since_read(article_id, lang)
            ]
            if not changed:
                return job
            if attempt == _REPLANS:
                break
            for lang in changed:
                self._read_catalog(article_id, lang)
            [job] = self._plan([job.article]).jobs
            # Segments the reviewer's version no longer covers; the
            # translation memory answers those decoded before.
            missing = {
                lang: [
                    m
                    for m in Plan((job,), self.languages).requests(lang)
                    if m.source not in self.translations.get(lang, {})
                ]
                for lang in self.languages
            }
            self.decode({lang: m for lang, m in missing.items() if m}, progress=False)
        raise InputError(
            "saved again and again while this run merged it; left as it is, run again",
            path=self.folder.catalog_path(article_id, changed[0]),
        )


def _result(
    options: RunOptions,
    done: Sequence[ArticleOutcome],
    failures: Sequence[ArticleOutcome],
    counts: _Counts,
) -> BatchResult:
    """The batch's outcomes in the order of its articles, with the engine's and files' counts."""
    order = {path: index for index, path in enumerate(options.articles)}
    outcomes = sorted([*done, *failures], key=lambda o: order.get(o.path, len(order)))
    unenforced: dict[str, int] = {}
    unenforced_entries: dict[str, int] = {}
    for file in (file for outcome in done for file in outcome.files):
        language = file.language
        if language is None:
            continue
        unenforced[language] = unenforced.get(language, 0) + file.unenforced_terms
        unenforced_entries[language] = (
            unenforced_entries.get(language, 0) + file.unenforced_entries
        )
    return BatchResult(
        tuple(outcomes), counts.decoded, counts.recalled, unenforced, unenforced_entries
    )


@dataclass
class _Counts:
    """Engine inputs decoded, and answered from the translation memory, so far."""

    decoded: int = 0
    recalled: int = 0

    def add(self, result: Decoded) -> None:
        self.decoded += result.decoded
        self.recalled += result.recalled


def _check_decoded(
    job: ArticleJob, languages: Sequence[str], failed: Mapping[str, Mapping[str, str]]
) -> None:
    """Fail `job` if the engine failed on a segment it needs (see `decoder.isolating`)."""
    for lang in languages:
        for i in job.pending(lang):
            reason = failed.get(lang, {}).get(job.masked[lang][i].source)
            if reason is not None:
                raise ModelError(
                    f"the engine failed to translate this segment into {lang}: {reason}",
                    path=job.article.path,
                    line=job.segments[i].line,
                )


#: How often an article is planned again because a reviewer saved it during the run.
_REPLANS = 3


_Item = TypeVar("_Item")


def _counted(items: Iterable[_Item], reporter: Reporter, stage: Stage) -> Iterator[_Item]:
    """`items`, each told to `reporter` as done in `stage` once the loop asks for the next."""
    for item in items:
        yield item
        reporter.stage_advanced(stage, 1)


def _count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _failed(path: Path, error: WorkflowError, reporter: Reporter) -> ArticleOutcome:
    reporter.article_failed(path, str(error))
    # Files written before the failure are complete and stay: they are reported.
    files = error.written if isinstance(error, PartialWriteError) else ()
    return ArticleOutcome(path, path.stem, error=str(error), files=files)
