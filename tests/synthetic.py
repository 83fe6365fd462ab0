"""A synthetic archive of small news articles, for the memory tests and the archive benchmark.

Each article has a title, a dateline and a few sentences made of words drawn
from a fixed seed, so that an archive is the same on every machine; most
segments are distinct, and one closing sentence is shared by every article
(so a run of several waves must recall it from the translation memory
rather than decode it again).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     paths = write_archive(Path(folder), 3)
...     [p.name for p in paths]
['a00000.txt', 'a00001.txt', 'a00002.txt']
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

_NAMES = (
    "Kang Kyung-wha",
    "Toshimitsu Motegi",
    "Sung Yun-mo",
    "Hiroshi Kajiyama",
    "Lee In-young",
)
_SUBJECTS = (
    "The ministry",
    "The committee",
    "A spokesperson",
    "The delegation",
    "The regional council",
    "The agency",
)
_VERBS = ("discussed", "reviewed", "announced", "postponed", "welcomed", "criticized")
_OBJECTS = (
    "the export restrictions",
    "a new trade agreement",
    "the budget for next year",
    "plans for a joint survey",
    "the talks on fisheries",
    "measures against flooding",
)
_PLACES = ("Seoul", "Tokyo", "Busan", "Osaka", "Sejong", "Kyoto")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

#: The sentence every article ends with.
SHARED_SENTENCE = "The ministry did not give further details."


def article_text(index: int, sentences: int = 4) -> str:
    """Article number `index`: a title, a dateline with its lead, and `sentences` more."""
    pick = random.Random(index)
    body = [
        f"{pick.choice(_SUBJECTS)} {pick.choice(_VERBS)} {pick.choice(_OBJECTS)} "
        f"in {pick.choice(_PLACES)} on {pick.choice(_DAYS)}, case {index}-{n}."
        for n in range(sentences - 1)
    ]
    body.append(SHARED_SENTENCE)
    return (
        f"Officials meet over issue {index}\n\n"
        f"SEOUL, Jan. {index % 28 + 1} (Yonhap) -- {pick.choice(_NAMES)} met officials "
        f"in {pick.choice(_PLACES)} to discuss issue {index}.\n\n" + "\n\n".join(body) + "\n"
    )


def write_archive(folder: Path, count: int, sentences: int = 4) -> list[Path]:
    """`count` articles of `sentences` sentences after the lead into `folder`, in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"a{index:05d}.txt"
        path.write_text(article_text(index, sentences), "utf-8")
        paths.append(path)
    return paths


#: Run in a process of its own: ``l10n run`` with the arguments given, then one
#: line of JSON with its wall time, the peak RSS of this process alone, and the
#: peak of Python's own allocations when tracemalloc traces them
#: (``PYTHONTRACEMALLOC=1``).
_DRIVER = """\
import json, sys, time, tracemalloc
from workflow.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
traced = tracemalloc.get_traced_memory()[1] // 1024 if tracemalloc.is_tracing() else 0
print(json.dumps({"code": code, "seconds": seconds, "peak_kib": peak, "traced_kib": traced}))
"""


def measure_run(
    args: Sequence[str | Path], *, env: Mapping[str, str] | None = None, timeout: float = 600
) -> dict[str, float]:
    """Exit code, wall time (s) and peak RSS (KiB) of ``l10n run ARGS`` in a process of its own.

    The peak is the driver's own (``VmHWM``: its address space's high-water
    mark, which neither the process it was started from nor the Ray
    processes it starts count in), read at its end.
    """
    result = subprocess.run(
        [sys.executable, "-c", _DRIVER, "run", *map(str, args)],
        env=None if env is None else {**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"l10n run failed ({result.returncode}):\n{result.stderr}")
    measured: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return measured


def peaks_in_waves(
    folder: Path,
    args: Sequence[str | Path],
    *,
    small: int,
    wave: int,
    sentences: int = 16,
    env: Mapping[str, str] | None = None,
) -> tuple[int, int]:
    """The driver's peak RSS (KiB) over `small` articles, and over ten times as many.

    Both runs go in waves of `wave` articles, each into an output folder of
    its own, with the pseudo engine and `args` added.
    """
    found = []
    for count in (small, 10 * small):
        articles = folder / f"articles-{count}"
        write_archive(articles, count, sentences)
        measured = measure_run(
            [
                articles,
                "--engine",
                "pseudo",
                "--quiet",
                "--out",
                folder / f"out-{count}",
                "--wave-articles",
                str(wave),
                *args,
            ],
            env=env,
        )
        assert measured["code"] == 0
        found.append(int(measured["peak_kib"]))
    return found[0], found[1]
