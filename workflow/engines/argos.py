"""The ``argos`` engine: Argos Translate models, decoded with CTranslate2 directly.

An Argos package is a CTranslate2 model folder plus a SentencePiece (or BPE)
tokenizer. What is argostranslate's (from ``argos-translate-lt``, the
distribution without torch) and what is ours, and why:

* Decoding is ours: CTranslate2 driven directly, not
  ``argostranslate.translate``. Argos translates paragraph by paragraph,
  each through its sentence splitter and in 32-token batches; here the
  article is segmented already and every segment of a call goes to one
  ``translate_batch`` (1,024-token batches). On the speed benchmark
  (``benchmarks/``, transformer-base models, 1,000 segments) Argos's own
  path took 7.6 times as long at beam 1 and 4.2 times at beam 4. Argos's
  default splitter, MiniSBD, downloads an ONNX model on first use, which
  fails offline (measured: ``URLError`` on a machine without network).
  Importing ``argostranslate.translate`` takes 0.4 s and 67 MB and pulls in
  onnxruntime, which creates a folder under ``~/.cache``; CTranslate2 and
  SentencePiece alone take 0.2 s and 30 MB.
* The SentencePiece tokenizer is ours, a thin wrapper over
  ``sentencepiece``: argostranslate's ``SentencePieceTokenizer.decode``
  replaces every underscore with a space ("snake_case" comes back as
  "snake case", measured), which would change names, URLs and code in an
  article.
* The BPE tokenizer (``bpe.model`` packages: Moses tokenization plus BPE)
  is argostranslate's ``argostranslate.tokenizer.BPETokenizer``: nothing to
  gain by re-implementing it, and that module imports only sentencepiece
  and sacremoses, not ``argostranslate.settings`` (which creates folders).

The engine knows nothing of installed packages: it is given the files of
each language's model as `ModelFiles` (``workflow.models`` finds them).
CTranslate2 and SentencePiece are imported when a language is first used.

>>> files = ModelFiles(Path("model"), Path("sentencepiece.model"), label="translate-en_ko 1.1")
>>> ArgosEngine({"ko": files}).describe("ko")
'argos translate-en_ko 1.1'
>>> decoding_bound([12, 30], DecodeSettings())
70
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from workflow.engines.spec import ComputeType as ComputeType
from workflow.engines.spec import DecodeSettings as DecodeSettings
from workflow.engines.spec import EngineSpec
from workflow.engines.spec import ModelFiles as ModelFiles
from workflow.engines.spec import parallel_batches as parallel_batches
from workflow.errors import ModelError, UsageError
from workflow.languages import is_spaced

_NO_WEIGHTS = "not a CTranslate2 model folder (no model.bin)"


def open_engine(spec: EngineSpec) -> ArgosEngine:
    """The engine `spec` describes; its models load when first used."""
    return ArgosEngine(dict(spec.models), spec.settings)


def label(spec: EngineSpec, lang: str) -> str:
    """``argos`` and the model's package name and version, for the PO header."""
    return _label(spec.model(lang))


def fingerprint(spec: EngineSpec, lang: str) -> str:
    """What output into `lang` depends on; see `ArgosEngine.fingerprint`."""
    return _fingerprint(spec.model(lang), spec.settings)


def describe(spec: EngineSpec) -> str:
    """The engine and its models, for the line a run starts with; the GPU's type if on one."""
    models = ", ".join(spec.model(lang).label for lang in spec.languages)
    if spec.settings.device == "cuda":
        return f"argos ({models}) on cuda, {spec.settings.compute_type}"
    return f"argos ({models})"


def _label(files: ModelFiles) -> str:
    return f"argos {files.label or files.model_dir.name}"


def _fingerprint(files: ModelFiles, settings: DecodeSettings) -> str:
    s = settings
    return (
        f"{_label(files)} weights=sha256:{weights_checksum(files.model_dir)}"
        f" prefix={files.target_prefix!r} beam={s.beam_size} compute={s.compute_type}"
        f" device={s.device} length_penalty={s.length_penalty}"
        f" max_length={s.max_length_ratio}n+{s.max_length_extra}"
    )


def weights_checksum(model_dir: Path) -> str:
    """The SHA-256 of the model's ``model.bin``, hashed once per file a process sees.

    The checksum, not the file's time, says which weights made a
    translation: a package copied or installed again elsewhere keeps its
    fingerprint, new weights under the same name do not. Hashing costs
    about as much as reading the file, which loading the model does anyway
    (measured in benchmarks/README.md, "Weights checksum"); the cache is
    keyed by the file's path, size, time and inode, so weights replaced in
    place are hashed again.
    """
    weights = model_dir / "model.bin"
    try:
        stat = weights.stat()
        key = (str(weights.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        with _checksums_lock:
            known = _checksums.get(key)
            if known is None:
                with weights.open("rb") as handle:
                    known = hashlib.file_digest(handle, "sha256").hexdigest()
                _checksums[key] = known
    except OSError:
        raise ModelError(_NO_WEIGHTS, path=model_dir) from None
    return known


#: `weights_checksum`'s answers, by weights file (path, size, time, inode).
_checksums: dict[tuple[str, int, int, int], str] = {}
_checksums_lock = threading.Lock()


def decoding_bound(source_lengths: Sequence[int], settings: DecodeSettings) -> int:
    """The most target tokens a hypothesis of sources this long may have.

    For one source it is that source's bound; for a batch call, its longest's.

    >>> decoding_bound([5, 3], DecodeSettings(max_length_ratio=1.5, max_length_extra=4))
    12
    """
    longest = max(source_lengths, default=0)
    return math.ceil(settings.max_length_ratio * longest) + settings.max_length_extra


class Tokenizer(Protocol):
    """Text to the model's pieces and back."""

    def encode(self, text: str) -> list[str]:
        """The pieces of `text`."""
        ...

    def decode(self, pieces: Sequence[str]) -> str:
        """The text the pieces spell."""
        ...


class SentencePieceTokenizer:
    """A package's ``sentencepiece.model``."""

    def __init__(self, path: Path) -> None:
        import sentencepiece

        try:
            self._processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"cannot load the SentencePiece model: {exc}", path=path) from exc

    def encode(self, text: str) -> list[str]:
        """Pieces as strings; characters the model does not know stay as they are."""
        pieces: list[str] = self._processor.encode(text, out_type=str)
        return pieces

    def decode(self, pieces: Sequence[str]) -> str:
        """Join pieces, turning byte pieces back into characters.

        Pieces outside the model's vocabulary (source pieces copied by
        CTranslate2's ``replace_unknowns``) come back literally.
        """
        text: str = self._processor.decode_pieces(list(pieces))
        return text


class BPETokenizer:
    """A package's ``bpe.model`` (Moses tokenization plus BPE), through argostranslate."""

    def __init__(self, path: Path, from_code: str, to_code: str) -> None:
        # argostranslate.tokenizer imports only sentencepiece, unlike
        # argostranslate.translate.
        from argostranslate.tokenizer import BPETokenizer as ArgosBPE

        self._tokenizer = ArgosBPE(path, from_code, to_code)

    def encode(self, text: str) -> list[str]:
        """Moses tokens split into BPE units."""
        pieces: list[str] = self._tokenizer.encode(text)
        return pieces

    def decode(self, pieces: Sequence[str]) -> str:
        """Merged and Moses-detokenized text."""
        text: str = self._tokenizer.decode(list(pieces))
        return text


def load_tokenizer(path: Path, to_code: str) -> Tokenizer:
    """The tokenizer a package ships, chosen by its file name (English source)."""
    if not path.is_file():
        raise ModelError("tokenizer model not found", path=path)
    if path.name == "bpe.model":
        return BPETokenizer(path, "en", to_code)
    return SentencePieceTokenizer(path)


@dataclass(frozen=True)
class _Loaded:
    """One language's model, ready to decode."""

    files: ModelFiles
    translator: Any
    tokenizer: Tokenizer


class ArgosEngine:
    """Translate with installed Argos models, one model per target language.

    `models` maps a language code to its model's files, or is a function
    from a language code to them (which may raise `ModelError`). Each model
    is loaded once, when its language is first translated.
    """

    name = "argos"

    def __init__(
        self,
        models: Mapping[str, ModelFiles] | Callable[[str], ModelFiles],
        settings: DecodeSettings | None = None,
    ) -> None:
        self._models = models
        self.settings = settings or DecodeSettings()
        self._loaded: dict[str, _Loaded] = {}
        # Batches of one language may come from several threads at once (a
        # Ray worker on a GPU takes two): its model is loaded by one of them.
        self._loading: dict[str, threading.Lock] = {}
        self._locks = threading.Lock()

    def model_files(self, lang: str) -> ModelFiles:
        """The files of the model that translates English into `lang`."""
        if isinstance(self._models, Mapping):
            try:
                return self._models[lang]
            except KeyError:
                raise ModelError(f"no Argos model for English to {lang!r}") from None
        return self._models(lang)

    def describe(self, lang: str) -> str:
        """``argos`` and the model's label, for the PO header."""
        return _label(self.model_files(lang))

    def fingerprint(self, lang: str) -> str:
        """The model (package, version, checksum of its weights) and the settings shaping output.

        Batch size, threads and which GPU change speed, not output, so they
        are left out. The device and the compute type are in, since both
        change the output: CTranslate2's published benchmark (3.6.0, one
        base Transformer, newstest2014) scores int8 at BLEU 26.78 on a CPU
        and 26.85 on a GPU, float16 on the GPU at 26.77. Output kept from
        one is then not recalled as another's.
        """
        return _fingerprint(self.model_files(lang), self.settings)

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        """Up to `n_best` distinct hypotheses, best first, for each text, in order.

        The search is ``beam_size`` wide, or `min_beam` if that is wider, and
        gives at most that many hypotheses. All texts go through one
        CTranslate2 call, which batches them by length; an empty text
        translates to an empty string without decoding. A text too long for
        the model (its position encodings end, at 961 pieces for some) is
        translated in halves cut at a space, joined again, with one
        hypothesis: the rest of the batch is not held back by it.
        """
        if n_best < 1 or min_beam < 1:
            raise UsageError(f"n_best and min_beam must be at least 1, not {n_best}, {min_beam}")
        if not texts:
            return []
        beam = max(self.settings.beam_size, min_beam)
        return self._translate(self._load(lang), list(texts), lang, min(n_best, beam), beam)

    def _translate(
        self, model: _Loaded, texts: list[str], lang: str, n_best: int, beam: int
    ) -> list[list[str]]:
        settings = self.settings
        sources = [model.tokenizer.encode(text) for text in texts]
        todo = [i for i, pieces in enumerate(sources) if pieces]
        results: list[list[str]] = [[""] for _ in texts]
        if not todo:
            return results

        batch = [sources[i] for i in todo]
        prefix = [model.files.target_prefix] if model.files.target_prefix else []
        try:
            outputs = model.translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                max_batch_size=settings.max_batch_tokens,
                batch_type="tokens",
                beam_size=beam,
                num_hypotheses=n_best,
                return_alternatives=False,
                length_penalty=settings.length_penalty,
                replace_unknowns=True,
                # Never truncate a source: a long segment is translated whole
                # or in halves, it does not lose its end.
                max_input_length=0,
                max_decoding_length=decoding_bound([len(s) for s in batch], settings)
                + len(prefix),
            )
        except RuntimeError as error:
            return self._translate_apart(model, texts, sources, lang, n_best, beam, error)

        for i, output in zip(todo, outputs, strict=True):
            hypotheses: list[str] = []
            bound = decoding_bound([len(sources[i])], settings)
            for pieces in output.hypotheses:
                if prefix and pieces[: len(prefix)] == prefix:
                    pieces = pieces[len(prefix) :]
                text = model.tokenizer.decode(pieces[:bound])
                if text not in hypotheses:
                    hypotheses.append(text)
            results[i] = hypotheses
        return results

    def _translate_apart(
        self,
        model: _Loaded,
        texts: list[str],
        sources: list[list[str]],
        lang: str,
        n_best: int,
        beam: int,
        error: RuntimeError,
    ) -> list[list[str]]:
        """After a failed call: each half of the batch, or of a lone long text, on its own.

        Halving finds the one text that failed in a few calls. A short text
        that fails alone means the model itself is broken, not the input.
        """
        if len(texts) > 1:
            middle = len(texts) // 2
            return self._translate(model, texts[:middle], lang, n_best, beam) + self._translate(
                model, texts[middle:], lang, n_best, beam
            )
        halves = _halve(texts[0])
        if halves is None or len(sources[0]) < _SHORTEST_SPLIT:
            raise ModelError(f"decoding failed: {error}", path=model.files.model_dir) from error
        left, right, at_space = halves
        parts = [self._translate(model, [half], lang, 1, beam)[0][0] for half in (left, right)]
        joiner = " " if at_space and is_spaced(lang) else ""
        return [[joiner.join(part for part in parts if part)]]

    def _load(self, lang: str) -> _Loaded:
        loaded = self._loaded.get(lang)
        if loaded is not None:
            return loaded
        with self._locks:
            lock = self._loading.setdefault(lang, threading.Lock())
        with lock:
            loaded = self._loaded.get(lang)
            if loaded is None:
                files = self.model_files(lang)
                loaded = _Loaded(
                    files,
                    _load_translator(files.model_dir, self.settings),
                    load_tokenizer(files.tokenizer_path, lang),
                )
                self._loaded[lang] = loaded
        return loaded


#: Pieces below which a text that fails alone is not halved: the model is broken.
_SHORTEST_SPLIT = 64


def _halve(text: str) -> tuple[str, str, bool] | None:
    """`text` cut in two at the space nearest its middle, or in the middle if it has none.

    The flag says whether the cut was at a space.

    >>> _halve("Kang met ZXQ1 in Seoul.")
    ('Kang met ZXQ1', 'in Seoul.', True)
    >>> _halve("abcd")
    ('ab', 'cd', False)
    >>> _halve("x") is None
    True
    """
    text = text.strip()
    if len(text) < 2:
        return None
    middle = len(text) // 2
    spaces = [i for i, char in enumerate(text) if char.isspace()]
    cut = min(spaces, key=lambda i: abs(i - middle)) if spaces else middle
    return text[:cut].rstrip(), text[cut:].lstrip(), bool(spaces)


def _load_translator(model_dir: Path, settings: DecodeSettings) -> Any:
    import ctranslate2

    if not (model_dir / "model.bin").is_file():
        raise ModelError(_NO_WEIGHTS, path=model_dir)
    try:
        return ctranslate2.Translator(
            str(model_dir),
            device=settings.device,
            device_index=list(settings.device_index),
            compute_type=settings.compute_type,
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
        )
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"cannot load the CTranslate2 model: {exc}", path=model_dir) from exc
