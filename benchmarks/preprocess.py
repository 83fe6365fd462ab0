"""Preprocessing throughput: reading, chrome removal, segmentation, glossary matching, masking.

Usage::

    .venv/bin/python benchmarks/preprocess.py                # 1 and 5 MB, both shapes
    .venv/bin/python benchmarks/preprocess.py --sizes 1 2 5 --rounds 3
    .venv/bin/python benchmarks/preprocess.py --profile 5     # cProfile of one 5 MB run

The corpus is generated from the bundled article and the test articles: their
paragraphs, each sentence varied (a number, a name swapped for another of the
glossary's) so that no two paragraphs are alike, shuffled with a fixed seed
and stacked until the article reaches the size asked for, in two shapes:

* ``paragraphs``: a headline, then paragraphs separated by blank lines, the
  site chrome of the bundled article on top, as a news page saved as text;
* ``one-line``: the same text with every paragraph joined into one line
  (no line break at all), the worst case for segmentation.

Each round times, in one process, what ``l10n run`` does before decoding:
`parse_article` (chrome removal, paragraphs, title and datelines),
`segment_article`, and for Korean and Japanese `TermMatcher.find` and `mask`
on every segment with the bundled glossary. Reading the file from disk and
decoding its UTF-8 is included. The report gives the CPU time of the process
(what one core spent, little changed by other processes on a shared machine)
and the wall time, each the best of the rounds; MB/s (MB = 10^6 bytes of
UTF-8) from the CPU time; segments; glossary hits (both languages); and how
the CPU time scales from the smallest size to the largest: 1.00 is linear.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import re
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "articles").glob("*.txt")),
    *sorted((ROOT / "tests/data/articles").glob("*.txt")),
]
GLOSSARY = ROOT / "glossaries" / "news.tsv"
NAMES = [
    "Kang Kyung-wha", "Toshimitsu Motegi", "Mike Pompeo", "Moon Jae-in", "Shinzo Abe",
    "Seoul", "Tokyo", "Washington", "Pyongyang", "Beijing",
]  # fmt: skip
CHROME = "Go to Contents Go to Navigation\n\nAll News 10:53 January 15, 2020\n\n"


def paragraphs() -> list[str]:
    """Body paragraphs of the bundled and test articles (no headline, chrome or short lines)."""
    found = []
    for path in SOURCES:
        for block in path.read_text("utf-8").split("\n\n"):
            text = " ".join(block.split())
            if len(text.split()) > 12:
                found.append(text)
    return found


def corpus(size: int, *, one_line: bool, seed: int = 7) -> str:
    """About `size` bytes of news prose, varied paragraph by paragraph (see the docstring)."""
    rng = random.Random(seed)
    source = paragraphs()
    parts: list[str] = []
    total = 0
    number = 0
    while total < size:
        number += 1
        text = rng.choice(source)
        # Vary numbers and names so that paragraphs differ, as real articles do.
        text = re.sub(r"\b\d+\b", partial(_shifted, by=number % 97), text)
        for name in rng.sample(NAMES, 2):
            text = text.replace(name, rng.choice(NAMES), 1)
        parts.append(text)
        total += len(text.encode("utf-8")) + 2
    if one_line:
        return "Long read on Korea and Japan\n\n" + " ".join(parts) + "\n"
    return CHROME + "Long read on Korea and Japan\n\n" + "\n\n".join(parts) + "\n"


def _shifted(number: re.Match[str], *, by: int) -> str:
    return str(int(number.group()) + by)


def preprocess(path: Path) -> tuple[int, int]:
    """Everything before decoding, for ko and ja; (segments, glossary hits)."""
    from workflow.article import read_article
    from workflow.glossary import load_glossaries
    from workflow.masking import mask
    from workflow.matcher import TermMatcher
    from workflow.segment import segment_article

    glossary = load_glossaries([GLOSSARY])
    article = read_article(path)
    segments = segment_article(article)
    hits = 0
    matchers = {lang: TermMatcher(glossary.for_language(lang)) for lang in ("ko", "ja")}
    # Segment by segment, as `workflow.runner.plan` goes.
    for segment in segments:
        for lang, matcher in matchers.items():
            masked = mask(segment.text, matcher.find(segment.text), lang)
            hits += len(masked.slots)
    return len(segments), hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5], metavar="MB")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--shape", choices=["paragraphs", "one-line", "both"], default="both")
    parser.add_argument("--profile", type=float, metavar="MB", help="profile one run instead")
    args = parser.parse_args(argv)
    shapes = ["paragraphs", "one-line"] if args.shape == "both" else [args.shape]
    # Imports and the glossary's first load are start-up, not throughput.
    preprocess(SOURCES[0])
    with tempfile.TemporaryDirectory() as folder:
        if args.profile:
            path = Path(folder) / "article.txt"
            path.write_text(corpus(int(args.profile * 1e6), one_line=shapes[0] != "paragraphs"))
            profiler = cProfile.Profile()
            profiler.runcall(preprocess, path)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            return 0
        print(
            f"{'shape':<11} {'MB':>6} {'cpu s':>8} {'wall s':>8} {'MB/s':>6}"
            f" {'segments':>9} {'hits':>8}"
        )
        for shape in shapes:
            timings = []
            for size in args.sizes:
                path = Path(folder) / f"{shape}-{size}.txt"
                path.write_text(corpus(int(size * 1e6), one_line=shape == "one-line"), "utf-8")
                megabytes = path.stat().st_size / 1e6
                best = wall = float("inf")
                for _ in range(args.rounds):
                    # As `l10n run` works (see `workflow.cli`): without the cyclic
                    # garbage collector, whose passes over every segment made so far
                    # would otherwise be counted.
                    gc.collect()
                    gc.disable()
                    started, cpu = time.perf_counter(), time.process_time()
                    segments, hits = preprocess(path)
                    best = min(best, time.process_time() - cpu)
                    wall = min(wall, time.perf_counter() - started)
                    gc.enable()
                timings.append((megabytes, best))
                print(
                    f"{shape:<11} {megabytes:6.2f} {best:8.2f} {wall:8.2f} {megabytes / best:6.2f}"
                    f" {segments:9d} {hits:8d}"
                )
            (small, small_time), (large, large_time) = timings[0], timings[-1]
            if large > small:
                scaling = (large_time / small_time) / (large / small)
                linear = f"{scaling:.2f} (1.00 = linear)"
                print(f"{shape:<11} scaling {small:.0f} -> {large:.0f} MB: {linear}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
