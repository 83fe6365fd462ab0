"""A batch in waves: the driver plans the next wave of articles while this one decodes.

A run of an archive cannot hold every article, segment, plan and parsed PO
file in memory at once. `workflow.batch.run_batch` therefore goes through
its articles in waves of `DEFAULT_WAVE_ARTICLES` (``--wave-articles``), and
`schedule` overlaps them: wave k decodes on a background thread (CTranslate2
and Ray release the interpreter while they work) while the run's own thread
reads, segments and plans wave k+1; once wave k is decoded its engine
output is remembered in the translation memory, wave k+1 starts decoding,
and wave k is written while it does. Wave k+1 asks the translation memory
only after wave k was remembered, so a segment of both is decoded once.

What the driver holds is thus at most two waves' articles, plans, PO files
and translations; of the whole batch only its paths and small per-article
facts remain (the names seen by the `Reader`, each article's outcome).

>>> trace = []
>>> def start(wave):
...     trace.append(f"start {wave}")
...     return Background().submit(lambda: wave * 10)
>>> schedule(
...     (trace.append(f"plan {w}") or w for w in (1, 2, 3)),
...     start=start,
...     absorb=lambda wave, decoded: trace.append(f"remember {decoded}"),
...     write=lambda wave: trace.append(f"write {wave}"),
... )
>>> print(*trace, sep=", ")  # doctest: +NORMALIZE_WHITESPACE
plan 1, start 1, plan 2, remember 10, start 2, write 1,
plan 3, remember 20, start 3, write 2, remember 30, write 3
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from workflow.errors import InputError

if TYPE_CHECKING:
    from workflow.article import Article
    from workflow.batch import ArticleOutcome, Reporter

#: Articles per wave. A news article of 25 sentences takes about 0.1 MB while
#: its wave is in memory (measured), and two waves are at most: 500 keeps the
#: driver within some 100 MB beyond its start-up, and gives a cluster of a few
#: hundred cores a batch per worker and language in each wave (README, Waves).
DEFAULT_WAVE_ARTICLES = 500

_Item = TypeVar("_Item")
_Wave = TypeVar("_Wave")
_Result = TypeVar("_Result")


def waves(items: Sequence[_Item], size: int) -> Iterator[Sequence[_Item]]:
    """`items` in consecutive waves of at most `size`.

    >>> [list(w) for w in waves("abcde", 2)]
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    if size < 1:
        raise ValueError(f"a wave holds at least one article, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def schedule(
    planned: Iterable[_Wave],
    *,
    start: Callable[[_Wave], Future[_Result]],
    absorb: Callable[[_Wave, _Result], None],
    write: Callable[[_Wave], None],
) -> None:
    """Decode, absorb and write each wave of `planned`, the next one planned meanwhile.

    `planned` yields each wave once planned (iterating it does the
    planning); `start(wave)` starts its decoding and returns at once;
    `absorb(wave, decoded)` takes its result (remembering it), and
    `write(wave)` writes it. The next wave starts only once the previous
    one is absorbed, and is being decoded while the previous one is
    written. An exception in any step stops the schedule.
    """
    waves = iter(planned)
    current = next(waves, None)
    if current is None:
        return
    pending = start(current)
    for upcoming in waves:  # planned while `current` decodes
        absorb(current, pending.result())
        pending = start(upcoming)
        write(current)  # while `upcoming` decodes
        # A command runs without the automatic cycle collector (`workflow.cli`,
        # for speed). Measured, a wave leaves next to no cycles, but one that
        # does (an exception's traceback holding a failed article's frames)
        # must not pile up over an archive: freed here, once per wave, in a
        # pass over what the driver holds, about two waves.
        gc.collect()
        current = upcoming
    absorb(current, pending.result())
    del pending  # its result is absorbed: not held while writing
    write(current)


class Background:
    """Runs calls on a thread of their own, handing back a `Future` of each result.

    The thread is a daemon: a run that stops (an error, Ctrl-C) does not
    wait for a decode it no longer needs, which touches nothing but the
    engine. A call that raises raises again from `Future.result`.

    >>> Background().submit(sum, [1, 2, 3]).result()
    6
    """

    def submit(self, call: Callable[..., _Result], *args: object) -> Future[_Result]:
        """`call(*args)`, started on a new thread."""
        future: Future[_Result] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = call(*args)
            except BaseException as error:  # handed to whoever waits for the result
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="l10n-decode", daemon=True).start()
        return future


class Totals:
    """What each language's decoding progress bar counts up to, over the waves of a batch.

    The segments of a wave are added when its decoding starts (`wave`); the
    articles not read yet are counted at the average so far, so the bar's
    end moves a little with each wave rather than jumping, and is exact once
    the last wave starts. `on_total(lang, total)` is told each new total.

    >>> told = []
    >>> totals = Totals(10, lambda lang, total: told.append(total))
    >>> totals.wave(read=4)("ko", 8)  # 8 segments in the first 4 of 10 articles
    >>> totals.wave(read=10)("ko", 10)  # the other 6 articles: 10 more
    >>> told
    [20, 18]
    """

    def __init__(self, articles: int, on_total: Callable[[str, int], None]) -> None:
        self.articles = articles
        self.on_total = on_total
        self._segments: dict[str, int] = {}
        # Languages may start decoding on threads of their own.
        self._lock = threading.Lock()

    def wave(self, read: int) -> Callable[[str, int], None]:
        """The start callback of a wave, once `read` articles of the batch (this one's too) are."""

        def started(lang: str, total: int) -> None:
            with self._lock:
                segments = self._segments[lang] = self._segments.get(lang, 0) + total
            unread = max(0, self.articles - read)
            self.on_total(lang, segments + round(segments * unread / max(1, read)))

        return started


class Reader:
    """Reads the articles of a batch of `paths` a wave at a time, refusing a name seen before.

    `failed(path, error)` reports an article that cannot be read and gives
    its outcome; `failures` keeps every failed article of the batch, to
    which later steps add theirs. With a single article, its error is
    raised instead.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        reporter: Reporter,
        failed: Callable[[Path, InputError], ArticleOutcome],
        *,
        profile: str | None = None,
    ) -> None:
        self.paths = paths
        self.reporter = reporter
        self.failed = failed
        self.profile = profile
        self.failures: list[ArticleOutcome] = []
        #: Articles of the batch read so far, failed ones included.
        self.read_so_far = 0
        # Each path is the batch's own object: a name seen costs a dictionary slot.
        self._seen: dict[str, Path] = {}
        reporter.stage_started("reading articles", len(paths))

    def read(self, paths: Sequence[Path]) -> list[Article]:
        """The readable articles of the wave `paths`; the others are failures."""
        articles = []
        for path in paths:
            article = self._read(path)
            if article is not None:
                articles.append(article)
            self.reporter.stage_advanced("reading articles", 1)
        self.read_so_far += len(paths)
        self.reporter.articles_read(len(self.paths) - len(self.failures))
        return articles

    def _read(self, path: Path) -> Article | None:
        from workflow.article import read_article

        try:
            article = read_article(path, profile=self.profile)
            if article.id in self._seen:
                raise InputError(
                    "another article of this batch has the same name "
                    f"({self._seen[article.id]}): their PO files would collide",
                    path=path,
                )
        except InputError as error:
            if len(self.paths) == 1:
                raise
            self.failures.append(self.failed(path, error))
            return None
        for note in article.notes:
            self.reporter.warning(note)
        self._seen[article.id] = path
        return article
