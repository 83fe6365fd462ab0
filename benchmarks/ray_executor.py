"""Ray executor benchmark: ``l10n run --executor ray`` against ``--executor local``, same work.

Run from the repository's top folder (about five minutes on a 2-core machine)::

    .venv/bin/python benchmarks/ray_executor.py [--rounds R] [--beam B] [--min-segments N]
                                                [--driver-articles N] [--workers W]

(The file is not named ``ray.py``: this folder comes first on the search
path of a script run from it, and would hide Ray.)

Everything happens in a temporary folder, removed at the end (``--keep``
keeps it); progress goes to stderr, the report to stdout, and its last line
is ``ray_overhead=X.XX joined_overhead=Y.YY driver_ms_per_article=Z.Z``.

1. Corpus and models as in ``benchmarks/run.py``: the bundled and test
   articles, varied so that every segment is distinct (decoded, not
   recalled), at least ``--min-segments`` (120) per language; transformer-base
   copy models for ko and ja (a real model's decoding cost, output equal to
   the input) in a temporary ``ARGOS_PACKAGES_DIR``.
2. Ray start-up alone, in a fresh process: ``import ray``, ``ray.init``
   with ``--workers`` CPUs on 127.0.0.1 (as the run starts it), two actors
   created and answering, ``ray.shutdown()``.
3. Overhead, the same corpus decoded three ways, each ``l10n run`` a fresh
   process (``python -m workflow``) into a fresh output folder, the order
   rotated every round; the minimum of the rounds is reported:

   * ``local``: ``--threads 1``: both languages at once, a thread (a core) each;
   * ``ray``: ``--executor ray --workers W --threads 1``: a Ray instance of
     the run's own (started, the actors loading the models, shut down);
   * ``joined``: the same with ``--ray-address`` of a Ray instance of ``W``
     CPUs the benchmark started beforehand (``ray.cluster_utils.Cluster`` on
     127.0.0.1): no start-up, the models shipped through the object store and
     unpacked once into that node's cache (the first round), as on a cluster.

   The ratios are Ray seconds over local seconds. Every Ray output is
   compared with the local one, byte for byte (``SOURCE_DATE_EPOCH`` fixed).
4. The driver's per-article cost: ``--driver-articles`` (300) varied
   articles through ``--engine pseudo`` (whose decoding costs next to
   nothing: marking the text), locally and with ``--executor ray`` joining
   the instance of 3 (whose start-up, varying by seconds, would drown the
   difference), and a re-run of the local one (every segment recalled from the translation
   memory, nothing decoded), each against a one-article run of the same
   kind: ``(seconds(N) - seconds(1)) / (N - 1)``, the minimum over the
   rounds. That is reading, segmenting, masking, planning, asking and
   filling the translation memory, merging and writing PO files: what
   stays on the one driver whatever the cluster's size.

Every Ray instance here runs on 127.0.0.1 with ``RAY_AUTH_MODE=disabled``
(nothing written to ``~/.ray``), ``RAY_USAGE_STATS_ENABLED=0`` and Ray's
files under the temporary folder (``RAY_TMPDIR``). The machine's load is
printed at the start and the end: on a shared machine, re-run when it is high.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # benchmarks/run.py, beside this file
    GLOSSARY,
    LANGS,
    REPO,
    build_models,
    busy_processes,
    isolate,
    load_average,
    log,
    ours_argv,
    timed,
    write_corpus,
)

METHODS = ("local", "ray", "joined")
#: What keeps a Ray instance on the loopback address, quiet, offline and out of ``~/.ray``.
RAY_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_AUTH_MODE": "disabled",
}
STARTUP_SCRIPT = """
import json, logging, os, sys, time
started = time.perf_counter()
import ray
imported = time.perf_counter()
ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False, _node_ip_address="127.0.0.1",
         logging_level=logging.ERROR, log_to_driver=False)
initialized = time.perf_counter()

@ray.remote(num_cpus=1)
class Actor:
    def pid(self):
        return os.getpid()

actors = [Actor.remote() for _ in range(int(sys.argv[1]))]
ray.get([actor.pid.remote() for actor in actors])
answered = time.perf_counter()
ray.shutdown()
stopped = time.perf_counter()
print(json.dumps({"import": imported - started, "init": initialized - imported,
                  "actors": answered - initialized, "shutdown": stopped - answered}))
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: 3)")
    parser.add_argument("--beam", type=int, default=1, help="--beam-size of the runs (default 1)")
    parser.add_argument(
        "--min-segments", type=int, default=120, help="segments per language (default: 120)"
    )
    parser.add_argument(
        "--driver-articles",
        type=int,
        default=300,
        help="articles of the driver's per-article cost (default: 300)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="Ray workers, and CPUs of Ray (default: 2)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="l10n-ray-"))
    isolate(tmp)
    os.environ.update(RAY_ENV)
    # Short: Ray's socket paths must stay under the 107 characters Unix allows.
    os.environ["RAY_TMPDIR"] = str(tmp / "r")
    (tmp / "r").mkdir()
    os.environ["SOURCE_DATE_EPOCH"] = "1764000000"
    try:
        with ExitStack() as stack:
            report = benchmark(args, tmp, started, stack)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(report))
    return 0


def l10n(argv: Sequence[str]) -> None:
    """One ``l10n run``, in a fresh process (Ray reads its environment when imported)."""
    done = subprocess.run(
        [sys.executable, "-m", "workflow", *argv], cwd=REPO, capture_output=True, text=True
    )
    if done.returncode != 0:
        command = " ".join(argv[:2])
        raise RuntimeError(f"l10n {command} ... exited {done.returncode}: {done.stderr[-2000:]}")


def same_files(left: Path, right: Path) -> None:
    """The PO and POT files of two output folders are byte-identical."""
    files = sorted(str(p.relative_to(left)) for p in left.rglob("*.po*"))
    if not files or files != sorted(str(p.relative_to(right)) for p in right.rglob("*.po*")):
        raise RuntimeError(f"{left} and {right} hold different files")
    _, mismatch, errors = filecmp.cmpfiles(left, right, files, shallow=False)
    if mismatch or errors:
        raise RuntimeError(f"{right}: differs from {left}: {(mismatch + errors)[:5]}")


@contextmanager
def ray_instance(tmp: Path, cpus: int) -> Iterator[str]:
    """A Ray instance of `cpus` CPUs on 127.0.0.1, this process not connected; its address."""
    from ray.cluster_utils import Cluster

    node_tmp = tmp / "node-tmp"
    node_tmp.mkdir()
    cluster = Cluster(
        initialize_head=True,
        connect=False,
        head_node_args={
            "num_cpus": cpus,
            "node_ip_address": "127.0.0.1",
            "include_dashboard": False,
            # The node's own temporary folder: its model cache is removed with `tmp`.
            "env_vars": {"TMPDIR": str(node_tmp)},
        },
    )
    try:
        yield cluster.address
    finally:
        cluster.shutdown()


def benchmark(args: argparse.Namespace, tmp: Path, started: float, stack: ExitStack) -> list[str]:
    """Run everything; the report's lines. The Ray instance joined stops with `stack`."""
    out: list[str] = []
    say = out.append
    say(f"l10n-workflow Ray executor benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    say(f"machine: {os.cpu_count()} CPUs; at start: {load_average()}")
    out.extend(f"  busy at start: {line}" for line in busy_processes())

    # 1. corpus and models
    corpus = write_corpus(tmp / "corpus", None, args.min_segments)
    driver_corpus = write_corpus(tmp / "driver-corpus", args.driver_articles, 0)
    build_models(tmp / "build", [p.read_text("utf-8") for p in corpus])
    from workflow.article import read_article
    from workflow.glossary import load_glossaries
    from workflow.runner import plan

    run_plan = plan([read_article(p) for p in corpus], load_glossaries([GLOSSARY]), LANGS)
    segments = sum(len(run_plan.requests(lang)) for lang in LANGS)
    say(
        f"corpus: {len(corpus)} articles, {run_plan.segment_count} segments per language, "
        f"{segments} to decode (ko+ja, all distinct); transformer-base copy models, "
        f"beam {args.beam}, --threads 1; Ray: --workers {args.workers} of 1 CPU each"
    )

    # 2. Ray's start-up alone
    startups = []
    for _ in range(args.rounds):
        done = subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT, str(args.workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        startups.append(json.loads(done.stdout.splitlines()[-1]))
        log(f"ray start-up: {startups[-1]}")
    best = {part: min(s[part] for s in startups) for part in startups[0]}
    total_startup = min(sum(s.values()) for s in startups)

    # 3. overhead
    base = ours_argv(corpus, tmp / "unused", args.beam, 1)
    argv = base[: base.index("--out")] + base[base.index("--out") + 2 :]
    seconds: dict[str, list[float]] = {m: [] for m in METHODS}
    others: list[float] = []
    joining_started = time.perf_counter()
    address = stack.enter_context(ray_instance(tmp, args.workers))
    joined_startup = time.perf_counter() - joining_started
    flags = {
        "local": [],
        "ray": ["--executor", "ray", "--workers", str(args.workers)],
        "joined": [
            "--executor",
            "ray",
            "--workers",
            str(args.workers),
            "--ray-address",
            address,
        ],
    }
    for r in range(args.rounds):
        for method in METHODS[r % 3 :] + METHODS[: r % 3]:
            folder = tmp / f"out-{method}-{r}"
            run = timed(partial(l10n, [*argv, *flags[method], "--out", str(folder)]))
            seconds[method].append(run.seconds)
            if method == "local":
                others.append(run.others)
            log(f"round {r + 1}: {method} {run.seconds:.1f} s")
            if method != "local" and (tmp / f"out-local-{r}").exists():
                same_files(tmp / f"out-local-{r}", folder)
        for method in METHODS:
            if method != "local":
                same_files(tmp / f"out-local-{r}", tmp / f"out-{method}-{r}")
    low = {m: min(v) for m, v in seconds.items()}
    say("")
    say(f"== overhead: {segments} segments, beam {args.beam}, min of {args.rounds} round(s)")
    say(f"{'method':<7} {'min s':>7} {'max s':>7} {'seg/s':>7} {'/local':>7}")
    for method in METHODS:
        say(
            f"{method:<7} {low[method]:7.1f} {max(seconds[method]):7.1f} "
            f"{segments / low[method]:7.2f} {low[method] / low['local']:7.2f}"
        )
    say(
        "rounds (s): "
        + "; ".join(f"{m} " + ", ".join(f"{v:.1f}" for v in seconds[m]) for m in METHODS)
    )
    say(
        f"local: {segments / low['local'] / 2:.2f} segments per second per core (2 cores), "
        f"other processes kept {min(others):.2f} to {max(others):.2f} cores busy meanwhile"
    )
    say(
        f"ray start-up alone (fresh process, min of {args.rounds}): "
        f"import {best['import']:.2f} s, "
        f"ray.init {best['init']:.2f} s, {args.workers} actors answering {best['actors']:.2f} s, "
        f"shutdown {best['shutdown']:.2f} s; {total_startup:.2f} s in all"
    )
    say(f"the joined instance (a head of {args.workers} CPUs) started in {joined_startup:.1f} s")
    say("outputs: every Ray run's PO and POT files byte-identical to the local run's")

    # 4. the driver's per-article cost
    pseudo_argv = ["--engine", "pseudo", "--glossary", str(GLOSSARY), "--quiet"]
    # Ray: the instance joined above, whose start-up varies by seconds.
    kinds = {"local": [], "ray": flags["joined"]}
    per: dict[str, list[tuple[float, float]]] = {"local": [], "ray": [], "re-run": []}
    n = len(driver_corpus)
    for r in range(args.rounds):
        for kind, flag in kinds.items():
            times = []
            for articles in (driver_corpus[:1], driver_corpus):
                folder = tmp / f"driver-{kind}-{len(articles)}-{r}"
                command = ["run", *map(str, articles), *pseudo_argv, *flag, "--out", str(folder)]
                times.append(timed(partial(l10n, command)).seconds)
                if kind == "local":
                    rerun = timed(partial(l10n, command)).seconds
                    if len(articles) == 1:
                        rerun_one = rerun
                    else:
                        per["re-run"].append((rerun_one, rerun))
            per[kind].append((times[0], times[1]))
            log(f"round {r + 1}: driver {kind} 1 article {times[0]:.2f} s, {n} {times[1]:.2f} s")
    say("")
    say(
        f"== the driver's own work: {n} articles ({len(LANGS)} languages) with the pseudo "
        f"engine, against 1 article; min of {args.rounds} round(s)"
    )
    say(f"{'kind':<7} {'1 art. s':>9} {f'{n} art. s':>10} {'ms/article':>11}")
    ms = {}
    for kind, pairs in per.items():
        one, many = min(p[0] for p in pairs), min(p[1] for p in pairs)
        ms[kind] = min((b - a) / (n - 1) for a, b in pairs) * 1000
        say(f"{kind:<7} {one:9.2f} {many:10.2f} {ms[kind]:11.1f}")
    say(
        "ms/article: (seconds(N) - seconds(1)) / (N - 1), the best round; re-run: the local "
        "run again into its own folder, every segment recalled, nothing decoded"
    )
    say(f"at end: {load_average()}")
    out.extend(f"  busy at end: {line}" for line in busy_processes())
    say(f"whole command: {time.perf_counter() - started:.0f} s")
    say(
        f"ray_overhead={low['ray'] / low['local']:.2f} "
        f"joined_overhead={low['joined'] / low['local']:.2f} "
        f"driver_ms_per_article={ms['local']:.1f}"
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
