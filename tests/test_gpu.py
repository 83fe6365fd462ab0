"""``l10n run --device``: decoding on a GPU, tested on a machine without one.

What can be tested without a GPU is: which settings reach CTranslate2 (its
``Translator`` is wrapped to record them, the real copy model still decoding
on the CPU), that "auto" is the CPU here, that a GPU asked for and not there
is refused in one line before any work, that the translation memory keeps a
GPU's output apart from a CPU's, and that Ray workers ask Ray for a GPU (a
Ray instance that declares one, which Ray allows without the hardware).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import BUNDLED_ARTICLE, msgfmt_check

from workflow.decoder import DecodeRequest
from workflow.engines.argos import fingerprint
from workflow.engines.spec import (
    DecodeSettings,
    EngineSpec,
    ModelFiles,
    check_compute_type,
    resolve_device,
)
from workflow.errors import UsageError
from workflow.masking import mask

Run = Callable[..., tuple[int, str, str]]
STEM = "yonhap-2020-01-15-kang-motegi"


@pytest.fixture
def installed(
    l10n: Run, copy_packages: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy models installed in a package folder of the test's own; no index reachable."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    code, _, err = l10n("models", "install", "--from", *copy_packages)
    assert code == 0, err


class Recorded:
    """What reached CTranslate2: each ``Translator``'s options and each batch call's."""

    def __init__(self) -> None:
        self.translators: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    """``ctranslate2.Translator`` wrapped: options recorded, the real one made on the CPU.

    A GPU's device and compute type are recorded as asked for, and replaced
    by the CPU and int8 for the real translator, so the run still decodes.
    """
    import ctranslate2

    record = Recorded()
    real = ctranslate2.Translator

    class Proxy:
        def __init__(self, translator: Any) -> None:
            self._translator = translator

        def translate_batch(self, *args: Any, **options: Any) -> Any:
            record.batches.append(options)
            return self._translator.translate_batch(*args, **options)

    def recording(model_dir: str, **options: Any) -> Proxy:
        record.translators.append(options)
        if options.get("device") == "cuda":
            options = {**options, "device": "cpu", "device_index": 0, "compute_type": "int8"}
        return Proxy(real(model_dir, **options))

    monkeypatch.setattr(ctranslate2, "Translator", recording)
    return record


@pytest.fixture
def two_gpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """CTranslate2 says it sees two GPUs that compute in float16 and int8_float16."""
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 2)

    def supported(device: str, device_index: int = 0) -> set[str]:
        if device == "cuda":
            return {"float32", "int8", "int8_float32", "float16", "int8_float16"}
        return {"float32", "int8", "int8_float32"}

    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", supported)


def summary_counts(out: str) -> tuple[int, int]:
    """The run's "engine: N segment(s) decoded, M from translation memory" figures."""
    found = re.search(r"engine: (\d+) segment\(s\) decoded, (\d+) from translation memory", out)
    assert found, out
    return int(found[1]), int(found[2])


def test_auto_is_the_cpu_here_and_the_settings_reach_ctranslate2(
    l10n: Run, installed: None, recorded: Recorded, tmp_path: Path
) -> None:
    import ctranslate2

    assert ctranslate2.get_cuda_device_count() == 0  # this machine, and CI, have no GPU
    out = tmp_path / "out"
    code, _, err = l10n(
        "run", BUNDLED_ARTICLE, "--device", "auto", "--compute-type", "int8_float32",
        "--batch-tokens", "512", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    assert len(recorded.translators) == 2  # ko and ja, one translator each
    for options in recorded.translators:
        assert options["device"] == "cpu"
        assert options["device_index"] == [0]
        assert options["compute_type"] == "int8_float32"
    assert {b["max_batch_size"] for b in recorded.batches} == {512}
    assert {b["batch_type"] for b in recorded.batches} == {"tokens"}
    msgfmt_check(out / "ko" / f"{STEM}.po")


def test_the_cpu_defaults_are_the_measured_ones(
    l10n: Run, installed: None, recorded: Recorded, tmp_path: Path
) -> None:
    code, _, err = l10n("run", BUNDLED_ARTICLE, "--langs", "ko", "--out", tmp_path / "out")
    assert code == 0, err
    [options] = recorded.translators
    assert (options["device"], options["compute_type"]) == ("cpu", "int8")
    assert {b["max_batch_size"] for b in recorded.batches} == {1024}


def test_on_gpus_the_settings_are_the_gpus(
    l10n: Run, installed: None, recorded: Recorded, two_gpus: None, tmp_path: Path
) -> None:
    code, out, err = l10n("run", BUNDLED_ARTICLE, "--device", "auto", "--out", tmp_path / "out")
    assert code == 0, err
    assert "on cuda, float16" in out  # the line a run starts with
    assert len(recorded.translators) == 2
    for options in recorded.translators:
        assert options["device"] == "cuda"
        assert options["device_index"] == [0, 1]  # every GPU this machine has
        assert options["compute_type"] == "float16"
        # Two languages at once, one batch each per GPU: two in flight on each.
        assert options["inter_threads"] == 1
    assert {b["max_batch_size"] for b in recorded.batches} == {4096}
    recorded.translators.clear()
    code, _, err = l10n(
        "run", BUNDLED_ARTICLE, "--device", "cuda", "--langs", "ko", "--compute-type",
        "int8_float16", "--batch-tokens", "2048", "--out", tmp_path / "ko",
    )  # fmt: skip
    assert code == 0, err
    [options] = recorded.translators
    assert (options["compute_type"], options["inter_threads"]) == ("int8_float16", 2)
    assert 2048 in {b["max_batch_size"] for b in recorded.batches}


def test_a_gpu_that_is_not_there_is_one_line_before_any_work(
    l10n: Run, recorded: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No model installed and no index: the device is refused before models are looked for.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    out = tmp_path / "out"
    code, stdout, err = l10n("run", BUNDLED_ARTICLE, "--device", "cuda", "--out", out)
    assert code == 2
    assert err.splitlines() == [
        "l10n: error: --device cuda, but CTranslate2 sees no CUDA GPU on this machine"
    ]
    assert stdout == ""
    assert recorded.translators == []
    assert not out.exists()


@pytest.mark.parametrize("device", ["cpu", "auto"])
@pytest.mark.parametrize("compute_type", ["float16", "int8_float16", "bfloat16", "int8_bfloat16"])
def test_gpu_compute_types_are_refused_on_the_cpu(
    l10n: Run, recorded: Recorded, tmp_path: Path, device: str, compute_type: str
) -> None:
    out = tmp_path / "out"
    code, _, err = l10n(
        "run", BUNDLED_ARTICLE, "--device", device, "--compute-type", compute_type, "--out", out
    )
    assert code == 2
    [line] = err.splitlines()
    assert line == (
        f"l10n: error: compute type {compute_type} needs a GPU (--device cuda); "
        "on a CPU use int8, int8_float32 or float32"
    )
    assert recorded.translators == []
    assert not out.exists()


def test_a_compute_type_ctranslate2_lacks_here_is_refused(
    l10n: Run, two_gpus: None, tmp_path: Path
) -> None:
    # The two GPUs above compute in float16 but not in bfloat16 (Compute Capability < 8).
    code, _, err = l10n(
        "run", BUNDLED_ARTICLE, "--device", "cuda", "--compute-type", "bfloat16",
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert code == 2
    assert "compute type bfloat16 is not supported on this machine's GPU" in err
    assert "float16" in err.splitlines()[0]


def test_the_device_does_not_matter_to_the_pseudo_engine(l10n: Run, tmp_path: Path) -> None:
    code, _, err = l10n("run", "--engine", "pseudo", "--device", "cuda", "--out", tmp_path / "o")
    assert code == 0, err


def test_auto_cannot_be_decided_for_a_joined_cluster(l10n: Run, tmp_path: Path) -> None:
    code, _, err = l10n(
        "run", BUNDLED_ARTICLE, "--executor", "ray", "--ray-address", "127.0.0.1:9",
        "--device", "auto", "--out", tmp_path / "out",
    )  # fmt: skip
    assert code == 2
    assert "--device auto cannot see the GPUs of a cluster joined with --ray-address" in err


def test_settings_and_the_device_rules() -> None:
    assert resolve_device("auto", 0) == "cpu"
    assert resolve_device("auto", 1) == "cuda"
    with pytest.raises(UsageError, match="sees no CUDA GPU"):
        resolve_device("cuda", 0)
    with pytest.raises(UsageError, match="needs a GPU"):
        DecodeSettings(compute_type="float16")
    with pytest.raises(UsageError, match="needs a GPU"):
        check_compute_type("int8_bfloat16", "cpu")
    check_compute_type("int8", "cpu")  # what this CPU computes in
    check_compute_type("default", "cpu")
    with pytest.raises(UsageError, match="GPU numbers"):
        DecodeSettings(device="cuda", compute_type="float16", device_index=())
    assert DecodeSettings(device="cuda", compute_type="bfloat16").compute_type == "bfloat16"


def test_device_and_compute_type_are_in_the_fingerprint_and_speed_settings_are_not(
    copy_packages: list[Path], tmp_path: Path
) -> None:
    import zipfile

    with zipfile.ZipFile(copy_packages[0]) as archive:
        archive.extractall(tmp_path)
    [model_bin] = tmp_path.rglob("model.bin")
    [tokenizer] = tmp_path.rglob("sentencepiece.model")
    files = ModelFiles(model_bin.parent, tokenizer, label="translate-en_ko 1.1")

    def key(settings: DecodeSettings) -> str:
        return fingerprint(EngineSpec("argos", ("ko",), {"ko": files}, settings), "ko")

    cpu = key(DecodeSettings())
    gpu = DecodeSettings(device="cuda", compute_type="float16")
    assert key(gpu) != cpu
    assert key(DecodeSettings(device="cuda", compute_type="int8")) != cpu  # other kernels
    assert key(DecodeSettings(compute_type="float32")) != cpu
    # Batch size, threads and which GPUs change speed only.
    assert key(DecodeSettings(max_batch_tokens=4096, inter_threads=2, intra_threads=2)) == cpu
    assert key(DecodeSettings(device="cuda", compute_type="float16", device_index=(0, 1, 2))) == (
        key(gpu)
    )


def test_a_gpu_run_does_not_recall_what_the_cpu_decoded(
    l10n: Run, installed: None, recorded: Recorded, two_gpus: None, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    def run(*device: str) -> tuple[int, int]:
        code, stdout, err = l10n("run", BUNDLED_ARTICLE, "--langs", "ko", *device, "--out", out)
        assert code == 0, err
        return summary_counts(stdout)

    decoded, recalled = run()
    assert decoded > 0 and recalled == 0
    # The machine translations are the CPU's: made again on the GPU, not recalled.
    assert run("--device", "cuda") == (decoded, 0)
    # Each device's output is remembered under its own key: with the PO file
    # gone, either device's run recalls all of its own and decodes nothing.
    for device in ([], ["--device", "cuda"]):
        (out / "ko" / f"{STEM}.po").unlink()
        assert run(*device) == (0, decoded)


# Ray: a local instance declaring one GPU, which Ray schedules by without the hardware.


@pytest.fixture(scope="module")
def one_gpu_cluster() -> Iterator[Any]:
    """A Ray instance of two CPUs and one (declared) GPU on 127.0.0.1, stopped afterwards."""
    if importlib.util.find_spec("ray") is None:
        pytest.skip("the Ray tests need the ray extra")
    from ray_support import loopback_ray

    with loopback_ray(num_cpus=2, num_gpus=1) as ray:
        yield ray


def test_ray_workers_ask_for_a_gpu_and_take_two_batches_each(one_gpu_cluster: Any) -> None:
    from workflow.ray_decoder import RayDecoder

    settings = DecodeSettings(
        device="cuda", compute_type="float16", device_index=(0, 1, 2, 3), inter_threads=1
    )
    # The pseudo engine decodes anywhere: what is tested is what the workers are given.
    spec = EngineSpec("pseudo", ("ko",), settings=settings)
    decoder = RayDecoder(spec, batch_segments=4)
    try:
        decoder._connect()
        assert len(decoder._actors) == 1  # one per GPU, though there are two CPUs
        [(worker_settings, assigned)] = one_gpu_cluster.get(
            [actor.settings.remote() for actor in decoder._actors]
        )
        assert assigned["GPU"] == 1 and assigned["CPU"] == 1
        assert worker_settings.device == "cuda"
        assert worker_settings.compute_type == "float16"
        assert worker_settings.device_index == (0,)  # the one GPU Ray gave it
        assert worker_settings.inter_threads == 2  # one language: two batches in flight
        assert decoder._slots == 2
        segments = tuple(mask(f"Talks resumed on day {n}.", [], "ko") for n in range(20))
        decoded = decoder.decode([DecodeRequest("ko", segments)])
        assert len(decoded["ko"].translations) == 20
    finally:
        decoder.close()
    too_many = RayDecoder(spec, workers=2)
    refusal = re.escape("2 worker(s) of one GPU each, but the Ray cluster has 1 GPUs")
    with pytest.raises(UsageError, match=refusal):
        too_many._connect()
    on_cpus = RayDecoder(EngineSpec("pseudo", ("ko",)), workers=2)
    try:
        on_cpus._connect()
        assignments = one_gpu_cluster.get([a.settings.remote() for a in on_cpus._actors])
        assert all("GPU" not in assigned for _, assigned in assignments)
        assert on_cpus._slots == 1
    finally:
        on_cpus.close()
