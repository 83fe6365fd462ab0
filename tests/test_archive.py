"""A 20,000-article archive in waves: the driver's peak RSS stays under a stated bound.

Deselected from the default run (about 3.5 minutes per executor on 2 cores):
`make test-archive` runs it, and CI does after `make test`. The suite's
own memory tests (`test_waves.py`, `test_ray.py`) show the same property in
seconds, as ten times the articles for the same peak; this one measures it
at the size of a real archive, each run a process of its own (`VmHWM` of the
`l10n run` process; the Ray instance it starts is other processes).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from ray_support import RAY_ENV, ray_temp_dir
from synthetic import measure_run, write_archive

pytestmark = pytest.mark.archive

ARTICLES = 20_000
#: The driver's peak RSS allowed, per executor, in MiB. Measured on a
#: 2-core machine (waves of 500): 113 MB local, 201 MB with Ray (its driver
#: holds references to the batches it sent); 592 MB local in one wave.
BOUND_MIB = {"local": 160, "ray": 280}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder, ARTICLES)
    return folder


@pytest.mark.parametrize("executor", ["local", "ray"])
def test_a_20000_article_archive_runs_in_bounded_memory(
    executor: str, archive: Path, tmp_path: Path
) -> None:
    env: dict[str, str] = {}
    if executor == "ray":
        if importlib.util.find_spec("ray") is None:
            pytest.skip("the ray extra is not installed")
        env = {**RAY_ENV, "RAY_TMPDIR": ray_temp_dir()}
    out = tmp_path / "out"
    measured = measure_run(
        [archive, "--engine", "pseudo", "--quiet", "--out", out, "--executor", executor],
        env=env,
        timeout=3600,
    )
    assert measured["code"] == 0
    peak_mib = measured["peak_kib"] / 1024
    assert peak_mib < BOUND_MIB[executor], f"{executor}: peak {peak_mib:.0f} MiB"
    # Every article written: a POT and two PO files each.
    written = sum(1 for _ in out.rglob("*.po*"))
    assert written == 3 * ARTICLES, written
