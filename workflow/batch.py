"""A batch run: many articles, one engine, and one article's failure never stops the rest.

`run_batch` wires the stages of `workflow.runner` for a whole batch, in
waves of articles (see `workflow.waves`): read the articles (an unreadable
one is reported and skipped), get the engine's `EngineSpec`, open the
`OutputFolder` (its lock held), then per wave read the existing PO files (a
broken one stops only its own article, and is never overwritten), plan and
recall from the translation memory, have a `Decoder` decode every language,
then remember and write article by article. The translation memory is read
and written here, on the driver: decoding touches only the engine. Right
before an article's files are written, the output folder tells whether a
reviewer saved one of them meanwhile: the run starts again from their
version (and decodes any segment it now lacks), never overwriting it. What
it does is told to a `Reporter`, which the command line turns into progress
bars and a JSON event log.

The files written are the same whatever the wave size (tested). A wave is
planned against the record of machine output the waves before it left, so
a fuzzy entry equal to what the engine made for an earlier wave counts as
machine output where a run of one wave would have kept it as reviewed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import polib

from workflow.article import Article
from workflow.decoder import (
    Decoded,
    DecodeProgress,
    Decoder,
    DecodeRequest,
    LocalDecoder,
    recall,
    remember,
)
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
from workflow.store import MachineOutput, Store
from workflow.waves import DEFAULT_WAVE_ARTICLES, Background, Reader, Totals, schedule, waves


@dataclass(frozen=True)
class RunOptions:
    """What to translate, with what, into which folder."""

    articles: tuple[Path, ...]
    glossaries: tuple[Path, ...]
    languages: tuple[str, ...]
    out: Path
    profile: str | None = None
    #: Articles read, planned, decoded and written together (see `workflow.waves`).
    wave_articles: int = DEFAULT_WAVE_ARTICLES


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
        """A step of `total` files or articles begins; told again when a wave changes `total`."""

    def stage_advanced(self, stage: Stage, done: int) -> None:
        """`done` more files or articles went through `stage`."""

    def articles_read(self, total: int) -> None:
        """A wave of articles is read; `total` of the batch's will be written, as far as known."""

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

    `engine(languages)` gives the spec of the engine to use, once the first
    articles are read (the command line installs missing models then);
    `decoder(spec)` what decodes with it.

    A glossary, language or engine problem concerns every article and is
    raised before anything is written. When the batch is a single article,
    its own problem is raised the same way.
    """
    glossary = _read_glossaries(options.glossaries, reporter)
    reader = Reader(
        options.articles, reporter, partial(_failed, reporter=reporter), profile=options.profile
    )
    chunks = waves(options.articles, options.wave_articles)
    # The first wave with a readable article: the engine waits for it.
    first = next((articles for chunk in chunks if (articles := reader.read(chunk))), [])
    if not first:
        return BatchResult(tuple(reader.failures))
    spec = engine(options.languages)
    decoding = decoder(spec)
    folder = OutputFolder(options.out)
    on_wait = partial(reporter.waiting_for_lock, options.out)
    with folder.opened(options.languages, on_wait=on_wait):
        run = _Run(options, glossary, spec, decoding, folder, reporter, reader)
        # Here, on the run's own thread: the waves decode on another.
        decoding.open()
        read = chain([first], (reader.read(chunk) for chunk in chunks))
        schedule(
            run.planned(read),
            start=run.start,
            absorb=run.absorb,
            write=partial(run.write, now=now),
        )
        run.warn_state_lost()
        run.store.close()
    return _result(options, run.done, reader.failures, run.counts)


def _read_glossaries(paths: Sequence[Path], reporter: Reporter) -> Glossary:
    reporter.stage_started("reading glossaries", len(paths))
    glossary = load_glossaries(paths)
    reporter.stage_advanced("reading glossaries", len(paths))
    for warning in glossary.warnings:
        reporter.warning(warning)
    return glossary


@dataclass(frozen=True)
class _Wave:
    """One wave's plan, and what decoding gave for it (filled in by `_Run.absorb`)."""

    plan: Plan
    #: Articles of the batch read once this wave was, this wave's included.
    read_so_far: int
    translations: dict[str, dict[str, Translation]] = field(default_factory=dict)
    #: Per language, the English of segments the engine failed on, with the reason.
    failed: dict[str, dict[str, str]] = field(default_factory=dict)


class _Run:
    """One batch's work inside the locked output folder: plan, decode, write, wave by wave.

    The translation memory is read (recall, before decoding) and written
    (remember, once decoded) here, on the run's thread; the decoder touches
    only the engine, on a thread of its own (see `workflow.waves`).
    """

    def __init__(
        self,
        options: RunOptions,
        glossary: Glossary,
        spec: EngineSpec,
        decoding: Decoder,
        folder: OutputFolder,
        reporter: Reporter,
        reader: Reader,
    ) -> None:
        self.options = options
        self.languages = options.languages
        self.glossary = glossary
        self.spec = spec
        self.decoding = decoding
        self.folder = folder
        self.reporter = reporter
        self.reader = reader
        self.store = Store.at(options.out)
        # Asked before this run writes anything: it creates the state.
        self.on_record = self.store.exists()
        self.state_lost = not self.on_record or self.store.incomplete() is not None
        #: Fuzzy entries without a record kept as reviewed, over the waves.
        self.kept = 0
        #: The engine's, per language.
        self.fingerprints = {lang: engine_fingerprint(spec, lang) for lang in self.languages}
        self.labels = {lang: engine_label(spec, lang) for lang in self.languages}
        #: The PO files of the articles of the waves not yet written.
        self.existing: dict[tuple[str, str], polib.POFile | None] = {}
        self.done: list[ArticleOutcome] = []
        self.counts = _Counts()
        self.totals = Totals(len(options.articles), reporter.progress.on_start)
        self.background = Background()
        # One decode at a time: a replanned article's waits for the wave's.
        self._decoding = threading.Lock()
        #: What the stage bars were last told to count up to.
        self._stage_totals: dict[Stage, int] = {}

    def planned(self, read: Iterable[list[Article]]) -> Iterator[_Wave]:
        """Each wave of `read` (the readable articles of each), its PO files read and planned."""
        for articles in read:
            self._stage_total("reading PO files")
            readable = self.read_catalogs(articles)
            self._stage_total("segmenting")
            if readable:
                yield self.plan_wave(readable)

    def _stage_total(self, stage: Stage) -> None:
        """Start `stage`, or tell its total again when articles failed before it."""
        total = len(self.options.articles) - len(self.reader.failures)
        if self._stage_totals.get(stage) != total:
            self.reporter.stage_started(stage, total)
            self._stage_totals[stage] = total

    def read_catalogs(self, articles: Sequence[Article]) -> list[Article]:
        """`articles` whose PO files can be read; a broken one fails its own article only."""
        readable = []
        for article in _counted(articles, self.reporter, "reading PO files"):
            try:
                for lang in self.languages:
                    self._read_catalog(article.id, lang)
            except InputError as error:
                self.reader.failures.append(_failed(Path(article.path), error, self.reporter))
                self._forget(article.id)
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

    def _forget(self, article_id: str) -> None:
        """Drop what was read of an article's PO files: it is written, or failed."""
        for lang in self.languages:
            self.existing.pop((article_id, lang), None)
        self.folder.forget(article_id, self.languages)

    def plan_wave(self, articles: Sequence[Article]) -> _Wave:
        """The plan of a wave's readable articles, counting what the state's loss kept."""
        wave_plan = self._plan(_counted(articles, self.reporter, "segmenting"))
        if self.state_lost:
            self._count_kept(wave_plan)
        return _Wave(wave_plan, self.reader.read_so_far)

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

    def _count_kept(self, wave_plan: Plan) -> None:
        kept = sum(
            catalog.count_fuzzy_reviewed()
            for job in wave_plan.jobs
            for catalog in job.catalogs.values()
        )
        if kept and not self.on_record and not self.kept:
            # Said on every later run too, once this one has created the
            # state, until `l10n tm rebuild`; an earlier wave may have.
            if self.store.exists():
                self.store.mark_incomplete("state lost")
            else:
                self.store.note_incomplete_when_created("state lost")
        self.kept += kept

    def warn_state_lost(self) -> None:
        """Say how many fuzzy entries were kept as reviewed for want of a record."""
        kept = _count(self.kept, "fuzzy entry", "fuzzy entries")
        if self.kept and not self.on_record:
            # Never destroyed, since they may be a reviewer's, but never
            # silent either: nothing of them will be translated again.
            self.reporter.warning(
                f"{self.store.path} not found: {kept} "
                "without a record of machine output kept as if reviewed "
                "(not translated again)"
            )
        elif self.kept:
            self.reporter.warning(
                f"{self.store.path} was lost by an earlier run: "
                f"{kept} without a record of "
                "machine output kept as if reviewed (not translated again); if every "
                f"fuzzy entry is machine output, run `l10n tm rebuild --out {self.options.out}`"
            )

    def start(self, wave: _Wave) -> Future[dict[str, Decoded]]:
        """`wave` decoding in the background, with what the translation memory knows of it."""
        requests = self._recall({lang: wave.plan.requests(lang) for lang in self.languages})
        progress = DecodeProgress(
            self.totals.wave(wave.read_so_far), self.reporter.progress.on_advance
        )
        return self.background.submit(self._decode, requests, progress)

    def _recall(self, requests: Mapping[str, Sequence[MaskedText]]) -> list[DecodeRequest]:
        return [
            recall(self.store, self.fingerprints[lang], lang, segments)
            for lang, segments in requests.items()
        ]

    def _decode(
        self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None
    ) -> dict[str, Decoded]:
        with self._decoding:
            return self.decoding.decode(requests, progress)

    def absorb(self, wave: _Wave, decoded: Mapping[str, Decoded]) -> None:
        """Take `wave`'s translations, and remember the engine's output.

        Remembered once decoded, before anything is written: an article that
        fails to be written keeps what the engine did for it.
        """
        for lang, result in decoded.items():
            wave.translations.setdefault(lang, {}).update(result.translations)
            wave.failed.setdefault(lang, {}).update(result.failed)
            self.counts.add(result)
        for result in decoded.values():
            remember(self.store, self.fingerprints[result.lang], result)

    def write(self, wave: _Wave, *, now: datetime) -> None:
        """Write each article's files of `wave`; a failed article is added to the failures."""
        self._record(wave)
        for job in wave.plan.jobs:
            path = Path(job.article.path)
            try:
                # A reviewer may have saved a PO file while the engine worked:
                # their version is what this run starts from, never the one
                # read at the start.
                job = self._replanned_if_saved(job, wave)
                _check_decoded(job, self.languages, wave.failed)
                files = write_article_files(
                    job,
                    self.languages,
                    wave.translations,
                    self.folder,
                    engine_labels=self.labels,
                    now=now,
                    record=self.store.record_many,
                    notes_on_record=self.store.notes,
                    record_notes=self.store.record_notes,
                )
            except WorkflowError as error:
                self.reader.failures.append(_failed(path, error, self.reporter))
                continue
            finally:
                self._forget(job.article.id)
            outcome = ArticleOutcome(path, job.article.id, files=tuple(files))
            self.reporter.article_finished(outcome)
            self.done.append(outcome)

    def _record(self, wave: _Wave) -> None:
        """Put the machine output of `wave` on record, in one transaction per language.

        Each article's files put theirs on record again right before they
        are written, and find it there: a commit per wave, not per file
        (which for a wave of one article would only be done twice).
        """
        if len(wave.plan.jobs) < 2:
            return
        for lang in self.languages:
            by_text = wave.translations.get(lang, {})
            outputs: list[MachineOutput] = []
            for job in wave.plan.jobs:
                masked = job.masked[lang]
                new = {
                    i: t
                    for i in job.pending(lang)
                    if (t := by_text.get(masked[i].source)) is not None
                }
                outputs += job.machine_outputs(lang, new)
            self.store.record_many(lang, outputs)

    def _replanned_if_saved(self, job: ArticleJob, wave: _Wave) -> ArticleJob:
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
                    if m.source not in wave.translations.get(lang, {})
                ]
                for lang in self.languages
            }
            requests = self._recall({lang: m for lang, m in missing.items() if m})
            self.absorb(wave, self._decode(requests, None))
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
