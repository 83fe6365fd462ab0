"""Batches in waves: the same files whatever the wave size, and memory bounded by the wave."""

from __future__ import annotations

import filecmp
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY, RecordingReporter
from synthetic import SHARED_SENTENCE, peaks_in_waves, write_archive

from workflow.batch import BatchResult, RunOptions, run_batch
from workflow.engines.spec import EngineSpec
from workflow.waves import DEFAULT_WAVE_ARTICLES

TESTS = Path(__file__).resolve().parent
ARTICLES = [BUNDLED_ARTICLE, *sorted((TESTS / "data" / "articles").glob("*.txt"))]
NOW = datetime(2026, 12, 3, tzinfo=UTC)


def same_tree(left: Path, right: Path) -> None:
    """Assert that the PO and POT files of two output folders are byte-identical."""
    files = sorted(p.relative_to(left) for p in left.rglob("*.po*"))
    assert files == sorted(p.relative_to(right) for p in right.rglob("*.po*"))
    assert files
    _, mismatch, errors = filecmp.cmpfiles(left, right, files, shallow=False)
    assert (mismatch, errors) == ([], [])


def run(out: Path, articles: Sequence[Path], wave: int) -> tuple[BatchResult, RecordingReporter]:
    """The pseudo engine over `articles` into ko and ja, with the bundled glossary."""
    reporter = RecordingReporter()
    options = RunOptions(
        tuple(articles), (DEFAULT_GLOSSARY,), ("ko", "ja"), out, wave_articles=wave
    )
    result = run_batch(
        options,
        engine=lambda langs: EngineSpec("pseudo", tuple(langs)),
        reporter=reporter,
        now=NOW,
    )
    return result, reporter


def test_any_wave_size_writes_the_same_files_and_decodes_a_segment_once(
    tmp_path: Path,
) -> None:
    # Three real articles, and synthetic ones that all end with one sentence.
    articles = [*ARTICLES, *write_archive(tmp_path / "synthetic", 5)]
    sizes = (1, 2, DEFAULT_WAVE_ARTICLES)
    results = {}
    for wave in sizes:
        result, reporter = run(tmp_path / str(wave), articles, wave)
        assert not result.failed
        assert reporter.done == reporter.totals  # the bars end full, whatever the waves
        results[wave] = result
    for wave in sizes[:-1]:
        same_tree(tmp_path / str(wave), tmp_path / str(DEFAULT_WAVE_ARTICLES))
    # A segment of articles in different waves is decoded once, then recalled.
    assert len({results[wave].decoded for wave in sizes}) == 1
    assert results[1].recalled > results[DEFAULT_WAVE_ARTICLES].recalled
    # A re-run over an edited article, PO files there, is the same in waves too.
    edited = articles[-1]
    edited.write_text(edited.read_text("utf-8").replace(SHARED_SENTENCE, "It ended."), "utf-8")
    for wave in sizes:
        result, reporter = run(tmp_path / str(wave), articles, wave)
        assert not result.failed and result.decoded == 2  # the new sentence, ko and ja
        assert reporter.done == reporter.totals
    for wave in sizes[:-1]:
        same_tree(tmp_path / str(wave), tmp_path / str(DEFAULT_WAVE_ARTICLES))


#: How much the driver's peak RSS may grow from 20 articles to 200, in waves
#: of 10. Measured: about 3 MB (the outcomes the summary shows, the record
#: of machine output growing); about 16 MB when the 200 go in one wave.
GROWTH_KIB = 8 * 1024


def test_the_drivers_memory_is_bounded_by_the_wave_not_the_archive(tmp_path: Path) -> None:
    small, large = peaks_in_waves(tmp_path, [], small=20, wave=10)
    assert large - small < GROWTH_KIB, (small, large)
