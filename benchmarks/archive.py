"""Archive benchmark: the driver's peak RSS and time over a synthetic archive, in waves.

Run from the repository's top folder::

    .venv/bin/python benchmarks/archive.py [--articles 20000] [--wave-articles N]
                                           [--executors local,ray] [--one-wave] [--keep]

It writes an archive of `--articles` small synthetic news articles (a title,
a dateline and four sentences each, one of them shared by every article:
``tests/synthetic.py``), then runs ``l10n run ARCHIVE --engine pseudo
--quiet`` over it once per executor, each in a process of its own and into
an empty output folder, and reports per run its wall time, the time per
article (the driver's own work: the pseudo engine's decoding costs next to
nothing) and the driver's peak RSS (``VmHWM`` of that process alone, read at
its end; for ``--executor ray`` the Ray instance the run starts on this
machine is other processes, not counted). ``--one-wave`` adds a local run
with the whole archive in one wave, as every run was before waves. Its last
line is ``peak_mib=... seconds=...`` per run, in the order run.

Everything happens in a temporary folder, removed at the end unless
``--keep``. Progress goes to stderr, the report to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def main(argv: list[str] | None = None) -> int:
    from synthetic import measure_run, write_archive  # type: ignore[import-not-found]

    from workflow.waves import DEFAULT_WAVE_ARTICLES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--wave-articles", type=int, default=DEFAULT_WAVE_ARTICLES)
    parser.add_argument("--executors", default="local,ray")
    parser.add_argument("--one-wave", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="l10n-archive-"))
    runs = [(executor, args.wave_articles) for executor in args.executors.split(",")]
    if args.one_wave:
        runs.append(("local", args.articles))
    try:
        started = time.perf_counter()
        archive = folder / "archive"
        write_archive(archive, args.articles)
        print(
            f"wrote {args.articles} articles in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        print(
            f"archive: {args.articles} synthetic articles (6 segments each), pseudo engine, "
            "ko and ja"
        )
        print(f"{'executor':<9} {'wave':>6} {'seconds':>8} {'ms/article':>10} {'peak RSS':>9}")
        figures = []
        for number, (executor, wave) in enumerate(runs):
            print(f"run {number + 1}/{len(runs)}: {executor}, waves of {wave}", file=sys.stderr)
            measured = measure_run(
                [
                    archive,
                    "--engine",
                    "pseudo",
                    "--quiet",
                    "--out",
                    folder / f"out-{number}",
                    "--executor",
                    executor,
                    "--wave-articles",
                    str(wave),
                ],
                timeout=6 * 3600,
            )
            seconds, peak = measured["seconds"], measured["peak_kib"] / 1024
            per_article = 1000 * seconds / args.articles
            print(
                f"{executor:<9} {wave:>6} {seconds:>8.1f} {per_article:>10.1f} {peak:>6.0f} MB",
                flush=True,
            )
            figures.append(f"{executor}/{wave}: peak_mib={peak:.0f} seconds={seconds:.0f}")
        print("; ".join(figures))
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
