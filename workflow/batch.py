"""A batch run: many articles, one engine, and one article's failure never stops the rest.

`run_batch` wires the stages of `workflow.runner` for a whole batch: it reads
every article (an unreadable one is reported and skipped), gets the engine's
`EngineSpec`, takes the output folder's lock, reads the existing PO files (a
broken one stops only its own article, and is never overwritten), then plans
and recalls from the translation memory, has a `Decoder` decode every
language in one batch, and remembers and merges article by article. The
translation memory is read and written here, on the driver: decoding touches
only the engine. Right before an article's files are written, its PO files
are compared with what was read: a reviewer who saved one meanwhile has
their version merged (and any segment it now lacks decoded), never
overwritten. What it does is told to a `Reporter`, which the command line
turns into progress bars and a JSON event log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import polib

from workflow.article import Article, read_article
from workflow.decoder import Decoded, DecodeProgress, Decoder, LocalDecoder, recall, remember
from workflow.engines import engine_fingerprint, engine_label
from workflow.engines.spec import EngineSpec
from workflow.errors import InputError, ModelError, WorkflowError
from workflow.glossary import load_glossaries
from workflow.lock import LOCK_NAME, output_lock
from workflow.masking import MaskedText, Translation
from workflow.pofile import parse_catalog
from workflow.runner import ArticleJob, Plan, WrittenFile, merge, plan
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
        return 2 if len(self.failed) == len(self.outcomes) else 1

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
    reporter.stage_started("reading glossaries", len(options.glossaries))
    glossary = load_glossaries(options.glossaries)
    reporter.stage_advanced("reading glossaries", len(options.glossaries))
    for warning in glossary.warnings:
        reporter.warning(warning)
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
    if not articles:
        return BatchResult(tuple(failures))
    reporter.articles_read(len(articles))

    spec = engine(options.languages)
    decoding = decoder(spec)
    store = Store.at(options.out)
    state = options.out / STATE_FOLDER
    with (
        _undone_if_failed(options.out),
        output_lock(state, on_wait=lambda: reporter.waiting_for_lock(options.out)),
    ):
        _remove_stale_temporary_files(options.out, options.languages)
        existing: dict[tuple[str, str], polib.POFile | None] = {}
        snapshots: dict[tuple[str, str], _Snapshot | None] = {}
        readable = []
        reporter.stage_started("reading PO files", len(articles))
        for article in _counted(articles, reporter, "reading PO files"):
            try:
                for lang in options.languages:
                    po = options.out / lang / f"{article.id}.po"
                    key = article.id, lang
                    existing[key], snapshots[key] = _read_existing(po, lang)
            except InputError as error:
                failures.append(_failed(Path(article.path), error, reporter))
                continue
            readable.append(article)
        on_record = store.exists()
        fingerprints = {lang: engine_fingerprint(spec, lang) for lang in options.languages}
        counts = _Counts()

        def decode(requests: Mapping[str, Sequence[MaskedText]], progress: bool) -> None:
            """Decode `requests` (by language) into `translations`, recalling what is known."""
            decoded = decoding.decode(
                [
                    recall(store, fingerprints[lang], lang, segments)
                    for lang, segments in requests.items()
                ],
                reporter.progress if progress else None,
            )
            for lang, result in decoded.items():
                translations.setdefault(lang, {}).update(result.translations)
                failed.setdefault(lang, {}).update(result.failed)
                counts.add(result)
            fresh.extend(decoded.values())

        def remember_fresh() -> None:
            """Keep the engine output decoded so far in the translation memory."""
            for result in fresh:
                remember(store, fingerprints[result.lang], result)
            fresh.clear()

        def plan_articles(chosen: Iterable[Article]) -> Plan:
            return plan(
                chosen,
                glossary,
                options.languages,
                existing=lambda article, lang: existing[article.id, lang],
                is_machine_output=store.is_machine_output,
                fingerprints=fingerprints,
                made_from=store.is_current_output,
            )

        reporter.stage_started("segmenting", len(readable))
        run_plan = plan_articles(_counted(readable, reporter, "segmenting"))
        if not on_record:
            kept = sum(
                catalog.count_fuzzy_reviewed()
                for job in run_plan.jobs
                for catalog in job.catalogs.values()
            )
            if kept:
                # Never destroyed, since they may be a reviewer's, but never
                # silent either: nothing of them will be translated again.
                reporter.warning(
                    f"{store.path} not found: {_count(kept, 'fuzzy entry', 'fuzzy entries')} "
                    "without a record of machine output kept as if reviewed "
                    "(not translated again)"
                )
        translations: dict[str, dict[str, Translation]] = {}
        fresh: list[Decoded] = []
        failed: dict[str, dict[str, str]] = {}
        decode({lang: run_plan.requests(lang) for lang in options.languages}, progress=True)
        # Remembered once decoded, before anything is written: an article that
        # fails to be written keeps what the engine did for it.
        remember_fresh()

        def replan_if_changed(job: ArticleJob) -> ArticleJob:
            """`job`, planned again if a reviewer saved one of its PO files meanwhile."""
            for attempt in range(_REPLANS + 1):
                changed = [
                    lang
                    for lang in options.languages
                    if not _unchanged(
                        options.out / lang / f"{job.article.id}.po",
                        snapshots[job.article.id, lang],
                    )
                ]
                if not changed:
                    return job
                if attempt == _REPLANS:
                    break
                for lang in changed:
                    key = job.article.id, lang
                    po = options.out / lang / f"{job.article.id}.po"
                    existing[key], snapshots[key] = _read_existing(po, lang)
                [job] = plan_articles([job.article]).jobs
                # Segments the reviewer's version no longer covers; the
                # translation memory answers those decoded before.
                missing = {
                    lang: [
                        m
                        for m in Plan((job,), options.languages).requests(lang)
                        if m.source not in translations.get(lang, {})
                    ]
                    for lang in options.languages
                }
                decode({lang: m for lang, m in missing.items() if m}, progress=False)
                remember_fresh()
            raise InputError(
                "saved again and again while this run merged it; left as it is, run again",
                path=options.out / changed[0] / f"{job.article.id}.po",
            )

        labels = {lang: engine_label(spec, lang) for lang in options.languages}
        done: list[ArticleOutcome] = []
        for job in run_plan.jobs:
            path = Path(job.article.path)
            try:
                # A reviewer may have saved a PO file while the engine worked:
                # their version is what this run merges into, never the one
                # read at the start.
                job = replan_if_changed(job)
                _check_decoded(job, options.languages, failed)
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


@dataclass(frozen=True)
class _Snapshot:
    """A PO file as this run read it, to tell whether someone saved it since."""

    size: int
    mtime_ns: int
    digest: bytes


def _read_existing(path: Path, lang: str) -> tuple[polib.POFile | None, _Snapshot | None]:
    """The PO file at `path` (None if there is none) and its snapshot."""
    try:
        with path.open("rb") as handle:
            data = handle.read()
            stat = os.fstat(handle.fileno())
    except FileNotFoundError:
        return None, None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    catalog = parse_catalog(data, path=path, language=lang)
    return catalog, _Snapshot(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).digest())


def _unchanged(path: Path, snapshot: _Snapshot | None) -> bool:
    """Whether `path` is still what `snapshot` recorded (still missing when it is None)."""
    try:
        stat = path.stat()
        if snapshot is None or (stat.st_size, stat.st_mtime_ns) != (
            snapshot.size,
            snapshot.mtime_ns,
        ):
            return False
        # Size and time can stay the same through a quick edit; the bytes cannot.
        return hashlib.sha256(path.read_bytes()).digest() == snapshot.digest
    except FileNotFoundError:
        return snapshot is None
    except OSError:
        return False  # read again, which names the problem


def _remove_stale_temporary_files(out: Path, languages: Sequence[str]) -> None:
    # Left by a run that was killed mid-write; with the lock held, no live run owns them.
    for folder in ("templates", *languages):
        for stale in (out / folder).glob(".*.tmp"):
            stale.unlink(missing_ok=True)


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
    return ArticleOutcome(path, path.stem, error=str(error))


@contextlib.contextmanager
def _undone_if_failed(out: Path) -> Iterator[None]:
    """Remove the output folder this run created if the run fails before writing in it.

    A model that cannot be loaded is found only after the lock (in the new
    folder) was taken; the promise is that such a run writes nothing.
    """
    created = not out.exists()
    try:
        yield
    except BaseException:
        left = set(out.rglob("*")) if created else set()
        if created and left <= {out / STATE_FOLDER, out / STATE_FOLDER / LOCK_NAME}:
            shutil.rmtree(out, ignore_errors=True)
        raise
