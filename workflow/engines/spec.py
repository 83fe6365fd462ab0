"""What an engine is built from: a picklable `EngineSpec`, nothing opened or loaded.

A spec names the engine (a row of `workflow.engines.ENGINES`), the model
files of each target language and the decoding settings. It holds paths and
numbers only, so it can be sent to another process or machine and opened
there with `workflow.engines.open_engine`; the driver of a run reads the
engine's label and fingerprint from the same spec, without opening it.

>>> import pickle
>>> spec = EngineSpec("pseudo", ("ko", "ja"), settings=DecodeSettings(beam_size=1))
>>> pickle.loads(pickle.dumps(spec)) == spec
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from workflow.errors import ModelError, UsageError

#: What CTranslate2 computes in; "default" keeps the type the model was saved in.
ComputeType = Literal[
    "default",
    "auto",
    "float32",
    "int8",
    "int8_float32",
    "int16",
    "float16",
    "int8_float16",
    "bfloat16",
    "int8_bfloat16",
]
#: Compute types CTranslate2 runs efficiently only on an NVIDIA GPU (its
#: quantization guide: float16 from Compute Capability 7.0, bfloat16 from 8.0);
#: asked for on a CPU, CTranslate2 refuses them.
GPU_COMPUTE_TYPES: frozenset[str] = frozenset(
    {"float16", "int8_float16", "bfloat16", "int8_bfloat16"}
)
#: Where CTranslate2 decodes: "auto" is "cuda" where it sees a GPU, else "cpu".
Device = Literal["cpu", "cuda", "auto"]
#: The default compute type per device. On a CPU int8 was measured fastest
#: here (see `DecodeSettings`); no GPU was at hand, so on one it follows
#: CTranslate2's published benchmark (README of CTranslate2 4.8, "Benchmarks":
#: version 3.6.0 on an NVIDIA A10G, a base Transformer, newstest2014 En->De):
#: float16 decoded 10,990.7 target tokens/s, int8_float16 8,725.4, int8
#: 8,567.2 and float32 6,634.7, float16 with the BLEU of float32 (26.77).
#: int8_float16 took the least GPU memory (813 MB against 941 MB).
DEFAULT_COMPUTE_TYPE: dict[str, ComputeType] = {"cpu": "int8", "cuda": "float16"}
#: Source tokens per batch on a GPU: "use a larger batch size whenever
#: possible" (CTranslate2's performance guide). Not measured here.
GPU_BATCH_TOKENS = 4096
#: CTranslate2 batches in flight per GPU, so that it has the next batch while
#: the CPU side of another (tokenizing, the placeholder check) runs; the
#: weights are shared between them. Not measured here: CTranslate2 notes that
#: more CUDA streams do not always raise throughput.
GPU_BATCHES = 2


@dataclass(frozen=True)
class ModelFiles:
    """The files of one installed translation model, English into one language."""

    #: The CTranslate2 model folder (``model.bin``, a vocabulary, ``config.json`` if recent).
    model_dir: Path
    #: ``sentencepiece.model``, or ``bpe.model`` for older packages.
    tokenizer_path: Path
    #: A token the decoder is forced to start with, as some packages need; "" for none.
    target_prefix: str = ""
    #: How the model is named in PO headers, e.g. ``"translate-en_ko 1.1"``.
    label: str = ""


@dataclass(frozen=True)
class DecodeSettings:
    """How CTranslate2 decodes; the defaults were measured, not guessed.

    Measured with CTranslate2 4.8 on a 2-core AMD EPYC (AVX2, shared with
    other work, so figures vary by about 15%): the bundled article's 20
    segments, 1,119 source pieces, through a copy model of transformer-base
    size (6+6 layers, d_model 512, 8 heads, FFN 2048, 32,000 entries, stored
    in int8 like Argos's models). It decodes exactly as long as its input,
    so its cost is a real model's cost for output as long as the source.

    * ``beam_size`` 4 (Argos's value): 7.0 s; greedy search (1): 2.8 s.
      Keep 4 for quality; 1 is the setting for a quick draft. Either way a
      segment whose placeholders the search lost is decoded again with a
      wider beam (`workflow.decoder.RETRY_BEAM`).
    * ``compute_type`` "int8": 7.0 s against 10.5 s in "float32" (beam 4),
      2.8 s against 5.8 s greedy, and 250 MB peak memory against 400 MB.
      (An earlier note on another setup had float32 ahead: re-measure on
      new hardware.) "default" keeps the type the package was saved in.
    * ``max_batch_tokens`` 1024: every segment of a call goes to one
      ``translate_batch``, which sorts by length and cuts batches of that
      many source tokens. Argos's own 32-token batches took 14 s, 256 took
      9.4 s; from 512 up the time stays at 6.5 to 7.5 s while peak memory
      grows (180 MB at 512, 250 MB at 1024, 300 MB at 4096).
    * ``intra_threads`` 1. On this 2-core machine, idle, the bundled article
      into ko and ja (beam 1) took 9.4 s one language at a time with all
      cores (0), 4.8 s with one thread, and 2.6 s with both languages
      decoding at once on one thread each, which is what a run does
      (`workflow.decoder.LocalDecoder`). 0 lets CTranslate2 take every core.
    * ``length_penalty`` 0.2 is Argos's value. Any non-zero penalty makes
      beam search run until ``beam_size`` hypotheses have ended.
    * A hypothesis has at most ``ceil(max_length_ratio * n) +
      max_length_extra`` target tokens, n being its source's length in
      tokens, so a model that never emits ``</s>`` cannot run away: the call
      stops decoding at the bound of its longest source, and each hypothesis
      is cut at its own source's bound.
    """

    beam_size: int = 4
    max_batch_tokens: int = 1024
    compute_type: ComputeType = "int8"
    #: Where CTranslate2 decodes: "cpu", or "cuda" on a machine with a GPU;
    #: a run resolves "auto" before making its spec (`resolve_device`).
    device: Device = "cpu"
    #: The GPUs a translator is placed on (CUDA's numbering); ignored on a CPU.
    device_index: tuple[int, ...] = (0,)
    #: Batches decoded in parallel on each device, sharing the weights; see
    #: `parallel_batches` and `gpu_batches`.
    inter_threads: int = 1
    #: Threads per batch; 0 lets CTranslate2 use the cores there are.
    intra_threads: int = 1
    length_penalty: float = 0.2
    max_length_ratio: float = 2.0
    max_length_extra: int = 10

    def __post_init__(self) -> None:
        if self.beam_size < 1:
            raise UsageError(f"beam size must be at least 1, not {self.beam_size}")
        if self.max_batch_tokens < 1:
            raise UsageError(f"batch size must be at least 1 token, not {self.max_batch_tokens}")
        if self.inter_threads < 1 or self.intra_threads < 0:
            raise UsageError("thread counts must be positive (intra_threads 0 means all cores)")
        if self.max_length_ratio <= 0 or self.max_length_extra < 0:
            raise UsageError("the decoding length bound must allow some output")
        if self.device == "cpu" and self.compute_type in GPU_COMPUTE_TYPES:
            raise _needs_gpu(self.compute_type)
        if not self.device_index or min(self.device_index) < 0:
            raise UsageError(f"GPU numbers must be 0 or more, not {list(self.device_index)}")


def parallel_batches(languages: int, threads: int, cores: int) -> int:
    """How many batches each language's translator should decode at once.

    The languages of a run decode at once, each batch on `threads` cores;
    the cores left over decode more batches in parallel (CTranslate2's
    ``inter_threads``, which shares the weights between workers). It matters
    when there are fewer languages than cores: ``--langs ko`` over eight
    articles (beam 4, base-size model, two cores) took 19.2 s with two
    workers against 34.6 s with one, for 505 MB peak memory against 335 MB.
    `threads` 0 gives every core to each batch already.

    >>> parallel_batches(languages=1, threads=1, cores=2)
    2
    >>> parallel_batches(languages=2, threads=1, cores=2)
    1
    >>> parallel_batches(languages=2, threads=2, cores=16)
    4
    >>> parallel_batches(languages=1, threads=0, cores=8)
    1
    """
    if threads == 0:
        return 1
    return max(1, cores // (max(1, languages) * threads))


def gpu_batches(languages: int) -> int:
    """How many batches each language's translator decodes at once on each GPU.

    Every language has a translator of its own on the GPU, and they decode
    at once; together they keep `GPU_BATCHES` batches in flight, or one each
    when there are more languages than that.

    >>> gpu_batches(1), gpu_batches(2), gpu_batches(3)
    (2, 1, 1)
    """
    return max(1, GPU_BATCHES // max(1, languages))


def resolve_device(device: Device, cuda_devices: int) -> Literal["cpu", "cuda"]:
    """`device` with "auto" decided: "cuda" when CTranslate2 sees `cuda_devices` > 0.

    >>> resolve_device("auto", 0), resolve_device("auto", 2), resolve_device("cpu", 2)
    ('cpu', 'cuda', 'cpu')
    >>> resolve_device("cuda", 0)
    Traceback (most recent call last):
    ...
    workflow.errors.UsageError: --device cuda, but CTranslate2 sees no CUDA GPU on this machine
    """
    if device == "auto":
        return "cuda" if cuda_devices > 0 else "cpu"
    if device == "cuda" and cuda_devices < 1:
        raise UsageError("--device cuda, but CTranslate2 sees no CUDA GPU on this machine")
    return device


def cuda_devices() -> int:
    """How many CUDA GPUs CTranslate2 sees here (0 without a GPU, a driver or CUDA)."""
    import ctranslate2

    count: int = ctranslate2.get_cuda_device_count()
    return count


def check_compute_type(compute_type: ComputeType, device: Literal["cpu", "cuda"]) -> None:
    """A `UsageError` unless CTranslate2 computes in `compute_type` on this machine's `device`.

    It asks CTranslate2 (``get_supported_compute_types``), so `device` must
    be one it sees; "default" and "auto" are always accepted.
    """
    if compute_type in ("default", "auto"):
        return
    if device == "cpu" and compute_type in GPU_COMPUTE_TYPES:
        raise _needs_gpu(compute_type)
    import ctranslate2

    supported = set(ctranslate2.get_supported_compute_types(device))
    if compute_type not in supported:
        where = "this machine's CPU" if device == "cpu" else "this machine's GPU"
        raise UsageError(
            f"compute type {compute_type} is not supported on {where} "
            f"(supported: {', '.join(sorted(supported))})"
        )


def _needs_gpu(compute_type: str) -> UsageError:
    return UsageError(
        f"compute type {compute_type} needs a GPU (--device cuda); "
        "on a CPU use int8, int8_float32 or float32"
    )


@dataclass(frozen=True)
class EngineSpec:
    """How to open an engine: its name, each language's model files, how to decode.

    Paths should be absolute when the spec is opened in another process.
    """

    #: The engine's name, a key of `workflow.engines.ENGINES` (as given to ``--engine``).
    engine: str
    #: The target languages, in the run's order.
    languages: tuple[str, ...]
    #: Per language, the files of its model; empty for an engine without models.
    models: Mapping[str, ModelFiles] = field(default_factory=dict)
    settings: DecodeSettings = field(default_factory=lambda: DecodeSettings())

    def model(self, lang: str) -> ModelFiles:
        """The files of the model that translates English into `lang`."""
        try:
            return self.models[lang]
        except KeyError:
            raise ModelError(f"no {self.engine} model for English to {lang!r}") from None
