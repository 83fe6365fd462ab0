"""``l10n run --executor ray`` beside and joining a two-node cluster on this machine.

A `ray.cluster_utils.Cluster` of a head and one added node, one CPU each,
on 127.0.0.1 only, started by the fixture without connecting this process
to it and stopped by the fixture (``Cluster.shutdown``, which ends the
processes of its own nodes, never ``ray stop``). The run is the command
line in a process of its own: a process is connected to one Ray instance
at a time, and test_ray.py connects this one to another.

Each node gets a temporary folder of its own (``TMPDIR``, which its
workers inherit), so the two nodes keep separate model caches, as nodes on
separate machines do. Besides the run joining it: a run without an address
next to it starts an instance of its own, and two runs share it, each with
its part of an archive and its output folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from ray_support import RAY_ENV, ray_temp_dir
from support import BUNDLED_ARTICLE, TEST_ARTICLES, same_tree

Run = Callable[..., tuple[int, str, str]]

# Not imported here: Ray reads its environment (RAY_ENV) when first imported.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the Ray tests need the ray extra"
)


@dataclass(frozen=True)
class TwoNodes:
    """The running cluster: its address, Ray's folder and each node's temporary folder."""

    address: str
    ray_tmpdir: str
    node_tmpdirs: list[Path]


def l10n_process(*args: str | Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """``l10n ARGS`` in a process of its own: a process joins one Ray instance at a time."""
    return subprocess.run(
        [sys.executable, "-m", "workflow", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def two_nodes() -> Iterator[TwoNodes]:
    temp = ray_temp_dir()
    nodes = [Path(temp) / f"node-{i}" for i in range(2)]
    for folder in nodes:
        folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        # RAY_TMPDIR: Ray's sockets and logs in the short folder, not /tmp/ray.
        for name, value in (RAY_ENV | {"RAY_TMPDIR": temp}).items():
            patch.setenv(name, value)
        from ray.cluster_utils import Cluster

        common = {"num_cpus": 1, "node_ip_address": "127.0.0.1"}
        cluster = Cluster(
            initialize_head=True,
            connect=False,
            head_node_args=common
            | {"include_dashboard": False, "env_vars": {"TMPDIR": str(nodes[0])}},
        )
        try:
            cluster.add_node(**common, env_vars={"TMPDIR": str(nodes[1])})
            yield TwoNodes(cluster.address, temp, nodes)
        finally:
            cluster.shutdown()
            # Nothing of the cluster runs on: no process has its folder open.
            left = subprocess.run(
                ["pgrep", "-f", temp], capture_output=True, text=True, check=False
            ).stdout
            shutil.rmtree(temp, ignore_errors=True)
            assert left == ""


def test_two_nodes_decode_with_models_unpacked_once_per_node(
    two_nodes: TwoNodes,
    l10n: Run,
    tmp_path: Path,
    copy_packages: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workflow.models import find_model
    from workflow.ray_decoder import pack

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    code, _, err = l10n("models", "install", "--from", *copy_packages)
    assert code == 0, err
    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    code, _, err = l10n("run", *articles, "--out", tmp_path / "local")
    assert code == 0, err

    driver_tmp = tmp_path / "driver-tmp"
    driver_tmp.mkdir()
    env = os.environ | RAY_ENV | {"RAY_TMPDIR": two_nodes.ray_tmpdir, "TMPDIR": str(driver_tmp)}
    joining = ["--ray-address", two_nodes.address, "--workers", "2"]
    done = l10n_process(
        "run", *articles, "--executor", "ray", *joining, "--out", tmp_path / "ray", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "engine: 0 segment(s)" not in done.stdout
    same_tree(tmp_path / "local", tmp_path / "ray")

    # One worker per node (a CPU each, two asked for): each node's cache
    # holds every shipped model once, by SHA-256, and nothing half unpacked;
    # the driver's temporary folder holds none (the nodes need no models
    # installed and no folder of the driver's).
    shipped = set()
    for lang in ("ko", "ja"):
        model = find_model("en", lang)
        assert model is not None
        shipped.add(hashlib.sha256(pack(model.files())).hexdigest())
    for node in two_nodes.node_tmpdirs:
        cache = node / "l10n-models"
        assert sorted(p.name for p in cache.iterdir()) == sorted(shipped)
        for folder in cache.iterdir():
            assert (folder / "model" / "model.bin").is_file()
    assert not (driver_tmp / "l10n-models").exists()


def test_without_an_address_the_run_starts_its_own_instance_beside_a_running_one(
    two_nodes: TwoNodes, l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ray joins by default the instance it finds (RAY_ADDRESS, or the last
    # one started, noted in RAY_TMPDIR): here the two-node cluster, which
    # has 2 CPUs, not the 3 of the workers asked for.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    articles = [str(BUNDLED_ARTICLE), *map(str, TEST_ARTICLES)]
    code, _, err = l10n("run", *articles, "--engine", "pseudo", "--out", tmp_path / "local")
    assert code == 0, err
    env = os.environ | RAY_ENV | {"RAY_TMPDIR": two_nodes.ray_tmpdir}
    env["RAY_ADDRESS"] = two_nodes.address
    done = l10n_process(
        "run",
        *articles,
        "--engine",
        "pseudo",
        "--executor",
        "ray",
        "--workers",
        "3",
        "--out",
        tmp_path / "ray",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_two_drivers_share_the_cluster_each_with_its_part_and_folder(
    two_nodes: TwoNodes, l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the README shards an archive: disjoint patterns, an output folder
    # each, the cluster's CPUs shared out with --workers, both at once.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, article in zip(
        ("0a1", "3b2", "9c3"), (BUNDLED_ARTICLE, *TEST_ARTICLES), strict=False
    ):
        shutil.copy(article, archive / f"{name}.txt")
    code, _, err = l10n("run", archive, "--engine", "pseudo", "--out", tmp_path / "whole")
    assert code == 0, err
    env = os.environ | RAY_ENV | {"RAY_TMPDIR": two_nodes.ray_tmpdir}
    joining = ["--executor", "ray", "--ray-address", two_nodes.address, "--workers", "1"]
    l10n_run = [sys.executable, "-m", "workflow", "run", "--engine", "pseudo", "--quiet", *joining]
    drivers = [
        subprocess.Popen(
            [*l10n_run, f"{archive}/[{part}]*.txt", "--out", str(tmp_path / part)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in ("0-3", "4-f")
    ]
    for driver in drivers:
        _, err = driver.communicate(timeout=120)
        assert driver.returncode == 0, err
    written = {
        part: sorted(p.relative_to(tmp_path / part) for p in (tmp_path / part).rglob("*.po*"))
        for part in ("0-3", "4-f")
    }
    assert {p.stem for p in written["0-3"]} == {"0a1", "3b2"}
    assert {p.stem for p in written["4-f"]} == {"9c3"}
    for part, files in written.items():
        for file in files:
            whole = (tmp_path / "whole" / file).read_bytes()
            assert (tmp_path / part / file).read_bytes() == whole
