"""``l10n run --executor ray``: the same files as a local run, decoded by Ray actors.

One Ray instance serves the module: ``ray.init(num_cpus=2)`` on 127.0.0.1
only, in a short temporary folder of its own, stopped by the fixture with
``ray.shutdown()`` (never ``ray stop``, which ends every Ray process of the
machine). Its workers find `ray_support` on their search path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import ray_support
from ray_support import RAY_ENV, loopback_ray, ray_temp_dir
from support import BUNDLED_ARTICLE, TEST_ARTICLES, RecordingReporter, msgfmt_check, same_tree

from workflow.batch import BatchResult, RunOptions, run_batch
from workflow.decoder import Decoder, LocalDecoder
from workflow.engines.spec import EngineSpec
from workflow.errors import UsageError

Run = Callable[..., tuple[int, str, str]]
TESTS = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 27, tzinfo=UTC)
PSEUDO = EngineSpec("pseudo", ("ko", "ja"))
# Not imported here: Ray reads its environment (RAY_ENV) when first imported.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the Ray tests need the ray extra"
)


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed run timestamp, so that two runs write the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")


# First in the module, before the shared instance starts: the command line
# starts a Ray instance of its own here, and must stop it.
def test_the_command_line_starts_and_stops_its_own_ray(tmp_path: Path) -> None:
    temp = ray_temp_dir()
    env = os.environ | RAY_ENV | {"RAY_TMPDIR": temp, "SOURCE_DATE_EPOCH": "1764000000"}
    l10n = [sys.executable, "-m", "workflow", "run", "--engine", "pseudo", "--quiet"]
    try:
        for executor, out in (("ray", "ray"), ("local", "local")):
            subprocess.run(
                [*l10n, "--executor", executor, "--out", tmp_path / out],
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
        same_tree(tmp_path / "local", tmp_path / "ray")
        # Nothing of the instance runs on: no process has its folder open.
        left = subprocess.run(
            ["pgrep", "-f", temp], capture_output=True, text=True, check=False
        ).stdout
        assert left == ""
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_help_and_a_local_run_do_not_import_ray(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from workflow.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"assert main(['run', '--engine', 'pseudo', '--quiet', '--out', {str(tmp_path)!r}]) == 0\n"
        "assert 'ray' not in sys.modules, 'ray was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=60)


def test_without_ray_the_executor_says_how_to_install_it(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "sys.modules['ray'] = None  # as if not installed: importing it fails\n"
        "from workflow.cli import main\n"
        f"sys.exit(main(['run', '--engine', 'pseudo', '--executor', 'ray', '--out', "
        f"{str(tmp_path / 'out')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert 'pip install "l10n-workflow[ray]"' in line
    assert not (tmp_path / "out").exists()


def test_ray_flags_need_the_ray_executor(l10n: Run, tmp_path: Path) -> None:
    code, _, err = l10n("run", "--engine", "pseudo", "--workers", "2", "--out", tmp_path)
    assert code == 2
    assert "--ray-address and --workers need --executor ray" in err


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A Ray instance with two CPUs on 127.0.0.1, shared by the module's tests."""
    # The workers import the engines of ray_support by name.
    with loopback_ray(TESTS, num_cpus=2) as ray:
        yield ray


def test_the_cluster_is_on_loopback_and_threads_follow_assigned_cpus(cluster: Any) -> None:
    from workflow.ray_decoder import RayDecoder

    assert {node["NodeManagerAddress"] for node in cluster.nodes()} == {"127.0.0.1"}
    decoder = RayDecoder(EngineSpec("pseudo", ("ko",)), workers=2)
    try:
        decoder.decode([])
        assert decoder._actors == []  # nothing to decode: nothing started
        decoder._connect()
        threads = cluster.get([actor.threads.remote() for actor in decoder._actors])
        assert threads == [1, 1]  # one CPU each, whatever the machine has
    finally:
        decoder.close()
    wide = RayDecoder(EngineSpec("pseudo", ("ko",)), threads=2)
    try:
        wide._connect()
        assert cluster.get([actor.threads.remote() for actor in wide._actors]) == [2]
    finally:
        wide.close()
    too_many = RayDecoder(EngineSpec("pseudo", ("ko",)), workers=3)
    with pytest.raises(UsageError, match="--workers 3 of 1 CPUs each, but the Ray cluster"):
        too_many._connect()
    assert cluster.is_initialized()  # a joined instance is left running


def test_pseudo_output_is_byte_identical_and_a_rerun_decodes_nothing(
    cluster: Any, l10n: Run, tmp_path: Path, pinned: None
) -> None:
    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    outputs = {}
    for executor in ("local", "ray"):
        out = tmp_path / executor
        code, stdout, err = l10n(
            "run", *articles, "--engine", "pseudo", "--executor", executor, "--out", out
        )
        assert code == 0, err
        outputs[executor] = stdout.splitlines()[-1]
    same_tree(tmp_path / "local", tmp_path / "ray")
    assert outputs["ray"] == outputs["local"]
    assert outputs["ray"].startswith("engine: ") and " 0 segment(s)" not in outputs["ray"]
    for po in (tmp_path / "ray").rglob("*.po"):
        msgfmt_check(po)
    code, stdout, err = l10n(
        "run", *articles, "--engine", "pseudo", "--executor", "ray", "--out", tmp_path / "ray"
    )
    assert code == 0, err
    assert "engine: 0 segment(s) decoded" in stdout
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_argos_output_is_byte_identical(
    cluster: Any,
    l10n: Run,
    tmp_path: Path,
    pinned: None,
    copy_packages: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    code, _, err = l10n("models", "install", "--from", *copy_packages)
    assert code == 0, err
    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    for executor in ("local", "ray"):
        code, _, err = l10n("run", *articles, "--executor", executor, "--out", tmp_path / executor)
        assert code == 0, err
    same_tree(tmp_path / "local", tmp_path / "ray")


def batch(
    out: Path,
    articles: Sequence[Path],
    decoder: Callable[[EngineSpec], Decoder],
    spec: EngineSpec = PSEUDO,
) -> tuple[BatchResult, RecordingReporter]:
    """Run `spec`'s engine over `articles` into `out` with `decoder`; closed afterwards."""
    from workflow.ray_decoder import RayDecoder

    made: list[Decoder] = []

    def tracked(spec: EngineSpec) -> Decoder:
        made.append(decoder(spec))
        return made[-1]

    reporter = RecordingReporter()
    options = RunOptions(tuple(articles), (), ("ko", "ja"), out)
    try:
        result = run_batch(
            options,
            engine=lambda langs: spec,
            reporter=reporter,
            now=NOW,
            decoder=tracked,
        )
    finally:
        for used in made:
            if isinstance(used, RayDecoder):
                used.close()
    return result, reporter


def test_a_segment_the_engine_always_fails_on_fails_only_its_article(
    cluster: Any, tmp_path: Path
) -> None:
    from workflow.ray_decoder import RayDecoder

    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    [failing] = [a for a in articles if ray_support.FAILING_WORD in a.read_text("utf-8")]
    result, reporter = batch(
        tmp_path / "ray",
        articles,
        lambda spec: RayDecoder(spec, batch_segments=8, opener=ray_support.open_failing),
    )
    assert [o.path for o in result.failed] == [failing]
    assert result.exit_code == 1
    [reason] = reporter.failed.values()
    line = next(
        number
        for number, text in enumerate(failing.read_text("utf-8").splitlines(), 1)
        if ray_support.FAILING_WORD in text
    )
    assert reason.startswith(f"{failing}:{line}: the engine failed to translate this segment")
    assert f"RuntimeError: cannot translate '{ray_support.FAILING_WORD}'" in reason
    assert not any((tmp_path / "ray").rglob(f"{failing.stem}.po"))
    # A local run with the same engine fails the same article with the same words.
    local, local_reporter = batch(
        tmp_path / "local",
        articles,
        lambda spec: LocalDecoder(spec, ray_support.open_failing(spec)),
    )
    assert [o.path for o in local.failed] == [failing]
    assert local_reporter.failed == reporter.failed
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_a_segment_a_worker_always_dies_on_fails_only_its_article(
    cluster: Any, tmp_path: Path
) -> None:
    from workflow.ray_decoder import RayDecoder

    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    [failing] = [a for a in articles if ray_support.FAILING_WORD in a.read_text("utf-8")]
    result, reporter = batch(
        tmp_path / "ray",
        articles,
        lambda spec: RayDecoder(
            spec, batch_segments=8, max_restarts=0, opener=ray_support.open_crashing
        ),
    )
    assert [o.path for o in result.failed] == [failing]
    [reason] = reporter.failed.values()
    assert "the decoding worker died" in reason
    assert reporter.done == reporter.totals
    others = [a for a in articles if a != failing]
    local, _ = batch(tmp_path / "local", others, LocalDecoder)
    assert not local.failed
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_a_worker_that_dies_mid_run_is_restarted_and_the_output_is_the_same(
    cluster: Any, tmp_path: Path
) -> None:
    from workflow.ray_decoder import RayDecoder

    marker = tmp_path / "died"
    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    opener = ray_support.DiesOnce(marker)
    result, reporter = batch(
        tmp_path / "ray",
        articles,
        lambda spec: RayDecoder(spec, workers=2, batch_segments=16, opener=opener),
    )
    assert marker.exists()  # a worker process did exit in the middle of a batch
    assert not result.failed
    assert reporter.done == reporter.totals  # the progress bars end full
    local, _ = batch(tmp_path / "local", articles, LocalDecoder)
    assert (result.decoded, result.recalled) == (local.decoded, local.recalled)
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_models_shipped_through_the_object_store_give_the_same_output(
    cluster: Any,
    l10n: Run,
    tmp_path: Path,
    copy_packages: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workflow.models import find_model
    from workflow.ray_decoder import RayDecoder, pack

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    code, _, err = l10n("models", "install", "--from", *copy_packages)
    assert code == 0, err
    models = {}
    for lang in ("ko", "ja"):
        model = find_model("en", lang)
        assert model is not None
        models[lang] = model.files()
    spec = EngineSpec("argos", ("ko", "ja"), models)
    assert pack(models["ko"]) == pack(models["ko"])  # the same files, the same SHA-256
    cache = tmp_path / "model-cache"
    articles = [BUNDLED_ARTICLE, *TEST_ARTICLES]
    result, _ = batch(
        tmp_path / "ray",
        articles,
        lambda spec: RayDecoder(spec, workers=2, ship_models=True, model_cache=str(cache)),
        spec,
    )
    assert not result.failed
    # Unpacked once per node (here one), by SHA-256, whichever worker came first.
    shipped = sorted(p.name for p in cache.iterdir())
    # (The ko and ja copy models are the same files: one archive.)
    assert shipped == sorted({hashlib.sha256(pack(m)).hexdigest() for m in models.values()})
    for folder in cache.iterdir():
        assert (folder / "model" / "model.bin").is_file()
    local, _ = batch(tmp_path / "local", articles, LocalDecoder, spec)
    assert (result.decoded, result.recalled) == (local.decoded, local.recalled)
    same_tree(tmp_path / "local", tmp_path / "ray")


def test_a_worker_that_cannot_open_the_engine_stops_the_run(cluster: Any, tmp_path: Path) -> None:
    from workflow.ray_decoder import RayDecoder

    # Not one failure per segment: what fails every batch stops the run, as locally.
    with pytest.raises(RuntimeError, match="cannot open this engine"):
        batch(
            tmp_path / "ray",
            [BUNDLED_ARTICLE],
            lambda spec: RayDecoder(spec, opener=ray_support.open_broken),
        )
    assert not (tmp_path / "ray").exists()  # nothing written, not even the lock's folder


def test_the_drivers_memory_is_bounded_by_the_wave_with_ray(cluster: Any, tmp_path: Path) -> None:
    from synthetic import peaks_in_waves

    # The driver runs in a process of its own, joining this instance.
    address = cluster.get_runtime_context().gcs_address
    small, large = peaks_in_waves(
        tmp_path, ["--executor", "ray", "--ray-address", address], small=15, wave=10, env=RAY_ENV
    )
    # Measured from 20 articles to 200: about 7 MB in waves of 10, 25 MB in one
    # wave. Ray's driver grows a little with the batches it sends (2 MB from
    # 200 articles to 400), the articles' part stays what the waves hold.
    assert large - small < 12 * 1024, (small, large)
