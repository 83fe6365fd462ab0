"""Batches in waves: the same files whatever the wave size, and memory bounded by the wave."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import polib
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY, TEST_ARTICLES, RecordingReporter, same_tree
from synthetic import SHARED_SENTENCE, peaks_in_waves, write_archive

from workflow.batch import BatchResult, RunOptions, run_batch
from workflow.decoder import Decoded, DecodeProgress, Decoder, DecodeRequest, LocalDecoder
from workflow.engines.spec import EngineSpec
from workflow.waves import DEFAULT_WAVE_ARTICLES

ARTICLES = [BUNDLED_ARTICLE, *TEST_ARTICLES]
NOW = datetime(2026, 12, 3, tzinfo=UTC)
Run = Callable[..., tuple[int, str, str]]


def run(
    out: Path,
    articles: Sequence[Path],
    wave: int,
    decoder: Callable[[EngineSpec], Decoder] = LocalDecoder,
) -> tuple[BatchResult, RecordingReporter]:
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
        decoder=decoder,
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


def test_a_reviewer_saving_during_a_wave_is_merged_while_the_next_wave_decodes(
    tmp_path: Path,
) -> None:
    articles = write_archive(tmp_path / "articles", 2)
    out = tmp_path / "out"
    assert not run(out, articles, 1)[0].failed
    po = out / "ko" / "a00000.po"
    calls: list[int] = []
    running: list[int] = []

    class ReviewerSavesMeanwhile(LocalDecoder):
        def decode(
            self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None = None
        ) -> dict[str, Decoded]:
            running.append(len(running))
            calls.append(len(running))  # how many decode at once, this one included
            if len(calls) == 1:
                # While the first wave decodes, its reviewer translates the
                # title and deletes an entry, which must be decoded again.
                catalog = polib.pofile(str(po))
                catalog[0].msgstr, catalog[0].flags = "검토: 회의", []
                catalog.remove(catalog.find(SHARED_SENTENCE))
                catalog.save()
            elif len(calls) == 2:
                time.sleep(0.5)  # the second wave is still decoding when that is found
            try:
                return super().decode(requests, progress)
            finally:
                running.pop()

    for path in articles:
        path.write_text(path.read_text("utf-8") + "\nTalks went on.\n", "utf-8")
    result, _ = run(out, articles, 1, decoder=ReviewerSavesMeanwhile)
    assert not result.failed
    # The two waves, then what the reviewer deleted, after the second wave's.
    assert calls == [1, 1, 1]
    catalog = polib.pofile(str(po))
    assert (catalog[0].msgstr, catalog[0].flags) == ("검토: 회의", [])
    shared = catalog.find(SHARED_SENTENCE)
    assert shared is not None and shared.msgstr.startswith("⟦ko⟧") and "fuzzy" in shared.flags
    went_on = catalog.find("Talks went on.")
    assert went_on is not None and went_on.msgstr.startswith("⟦ko⟧")


def test_a_wave_holds_at_least_one_article(l10n: Run, tmp_path: Path) -> None:
    code, _, err = l10n("run", "--engine", "pseudo", "--wave-articles", "0", "--out", tmp_path)
    assert code == 2
    assert "--wave-articles must be at least 1, not 0" in err


def test_failures_and_same_names_are_found_across_waves(tmp_path: Path) -> None:
    paths = []
    for folder, name, text in (
        ("a", "story", "Title\n\nText here.\n"),
        ("b", "story", "Title\n\nOther text.\n"),  # the same name, two waves later
        ("b", "bad", None),
        ("b", "fine", "Fine\n\nAll went well.\n"),
    ):
        path = tmp_path / folder / f"{name}.txt"
        path.parent.mkdir(exist_ok=True)
        if text is None:
            path.write_bytes("Caf\xe9 talks\n\nThey met.\n".encode("latin-1"))
        else:
            path.write_text(text, "utf-8")
        paths.append(path)
    paths.insert(1, write_archive(tmp_path / "c", 1)[0])
    result, reporter = run(tmp_path / "out", paths, 2)
    assert result.exit_code == 1
    assert sorted(reporter.failed) == sorted([paths[2], paths[3]])
    assert "same name" in reporter.failed[paths[2]]
    assert "not valid UTF-8" in reporter.failed[paths[3]]
    assert [o.article_id for o in result.outcomes if o.ok] == ["story", "a00000", "fine"]
    assert [o.path for o in result.outcomes] == paths  # in the batch's order
    assert reporter.done == reporter.totals
