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

#: What CTranslate2 computes in on a CPU; "default" keeps the type the model was saved in.
ComputeType = Literal["default", "auto", "float32", "int8", "int8_float32", "int16"]
#: Where CTranslate2 decodes.
Device = Literal["cpu", "cuda", "auto"]


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
    #: Where CTranslate2 decodes: "cpu", or "cuda" on a machine with a GPU.
    device: Device = "cpu"
    #: Batches decoded in parallel, sharing the weights; see `parallel_batches`.
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
