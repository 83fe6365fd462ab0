"""Build real, tiny Argos Translate packages from scratch, without a network.

No package registry carries English-to-Korean or English-to-Japanese weights,
so the tests make their own ``.argosmodel`` files: a SentencePiece model
trained on the test text, a CTranslate2 Transformer whose weights are set
here with numpy, ``metadata.json``, all zipped under one top folder exactly
like the packages of the Argos index.

Two flavours:

* `build_copy_package`: weights set by hand so that the model copies its
  input piece for piece. Its output is the input, not a translation; it
  proves that tokenization, batching, n-best, target prefixes and
  detokenization lose nothing, and at transformer-base size it costs what a
  real model costs to decode.
* `build_random_package`: random weights. Its output is noise, and it does
  not reliably emit ``</s>``: it proves loading, and that decoding is bounded.

Both build the layout of the packages users install today by default
(``layout="legacy"``): the ``translate-en_ko`` and ``translate-en_ja`` 1.1
packages of the Argos index, converted in 2021 by CTranslate2 1.14. Their
zip holds one top folder named ``en_ko`` (not ``translate-en_ko-1_1``) with a
six-key ``metadata.json`` (no ``type``, ``code`` or ``links``), a
``model/model.bin`` in CTranslate2's binary format 4 with int8 weights
(embeddings included), ``model/shared_vocabulary.txt`` and no
``model/config.json``, a ``sentencepiece.model``, a ``stanza/`` folder and a
README. CTranslate2 4.8 writes format 6 only; a format-4 file has the same
layout (a version number, the spec's name and revision, the variables, the
aliases), and what format 6 keeps in ``config.json`` CTranslate2 reads, below
format 6, from flags among the variables or from defaults. So the model is
converted as usual, the copy model's ``add_source_eos`` is also saved as the
variable ``with_source_eos``, the flag CTranslate2 reads instead below
format 6, and the first four bytes are rewritten to 4 (`_as_format_4`). The
spec's revision stays the one CTranslate2 4.8 writes (TransformerSpec
revision 7; the real packages have 3), since the variables are named as that
revision names them. ``layout="modern"`` keeps what CTranslate2 3.24 and 4.x
write: format 6 with ``config.json`` and a JSON vocabulary, in a
``translate-en_ko-1_1`` folder with full metadata.

Nothing is cached; callers put packages under pytest's ``tmp_path_factory``.
"""

from __future__ import annotations

import io
import json
import math
import string
import struct
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

# One line of every printable ASCII character, added to the SentencePiece
# training text so that every ASCII character (placeholders such as ZXQ12
# included) has a piece of its own: no text in ASCII ever needs an unknown
# piece or byte fallback.
ASCII_LINE = "".join(ch for ch in string.printable if ch not in string.whitespace or ch == " ")

LANGUAGE_NAMES = {"en": "English", "ko": "Korean", "ja": "Japanese", "zh": "Chinese"}

#: ``legacy``: the real 1.1 packages (CTranslate2 format 4, no config.json);
#: ``modern``: what CTranslate2 4.x writes (format 6 with config.json).
Layout = Literal["legacy", "modern"]
LAYOUTS: tuple[Layout, ...] = ("legacy", "modern")

#: CTranslate2's binary format of each layout: the first four bytes of model.bin.
BINARY_FORMAT: dict[Layout, int] = {"legacy": 4, "modern": 6}

# Scales of the copy model (see `_copy_weights`): how sharply the first
# decoder layer's cross-attention picks the source position of its own
# step, how much of the source token it carries, and how peaked the output
# distribution is. Large enough that the copy wins by a wide margin at every
# step, at 256 and at 512 dimensions, with 32,000 vocabulary entries.
_ATTENTION_SCALE = 40.0
_VALUE_GAIN = 10.0
_OUTPUT_SCALE = 20.0
# The share of an exact position match that attending to the source's </s>
# scores anyway: between the 1/sqrt(p) of `_position_codes` and 1 - 1/sqrt(p).
_EOS_SHARE = 0.5


def package_name(from_code: str, to_code: str, package_version: str) -> str:
    """The file stem of a package, as in the Argos index's download links.

    >>> package_name("en", "ko", "1.1")
    'translate-en_ko-1_1'
    """
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def top_folder(from_code: str, to_code: str, package_version: str, layout: Layout) -> str:
    """The package's single top folder, which becomes the installed folder's name.

    >>> top_folder("en", "ko", "1.1", "legacy"), top_folder("en", "ko", "1.1", "modern")
    ('en_ko', 'translate-en_ko-1_1')
    """
    if layout == "legacy":
        return f"{from_code}_{to_code}"
    return package_name(from_code, to_code, package_version)


def build_copy_package(
    dest: Path,
    *,
    from_code: str = "en",
    to_code: str = "ko",
    corpus: Sequence[str],
    d_model: int = 256,
    layers: int = 2,
    heads: int = 4,
    ffn: int = 512,
    vocab_size: int = 600,
    package_version: str = "1.1",
    target_prefix: str = "",
    max_positions: int | None = None,
    quantization: str | None = None,
    seed: int = 0,
    layout: Layout = "legacy",
) -> Path:
    """Write a copy-model ``.argosmodel`` into folder `dest`; return the zip's path.

    The model's output equals its input, piece for piece, for inputs up to
    ``max_positions - 2`` pieces; by default as many positions as its heads
    can tell apart (961 with 64-wide heads, see `_position_codes`).

    `vocab_size` is the CTranslate2 vocabulary size: SentencePiece learns
    what the corpus supports (a few hundred pieces for a short text) and the
    rest is filled with entries the tokenizer never produces, so a 32,000
    entry vocabulary costs what it costs in a real model. `quantization`
    (e.g. ``"int8"``, ``"float32"``) is how the weights are stored; by
    default as the `layout` stores them (int8 in the real 1.1 packages,
    float32 for ``modern``).
    """
    return _build_package(
        dest,
        from_code=from_code,
        to_code=to_code,
        corpus=corpus,
        d_model=d_model,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab_size,
        package_version=package_version,
        target_prefix=target_prefix,
        max_positions=max_positions,
        quantization=quantization,
        seed=seed,
        copy=True,
        layout=layout,
    )


def build_random_package(
    dest: Path,
    *,
    from_code: str = "en",
    to_code: str = "ko",
    corpus: Sequence[str],
    d_model: int = 64,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 128,
    vocab_size: int = 600,
    package_version: str = "1.1",
    target_prefix: str = "",
    quantization: str | None = None,
    seed: int = 0,
    endless: bool = False,
    layout: Layout = "legacy",
) -> Path:
    """Write a random-weights ``.argosmodel`` into folder `dest`; return the zip's path.

    Position encodings are left out, so CTranslate2 uses sinusoidal ones of
    any length: inputs of any size load and decode (to noise). With
    `endless`, the model never emits ``</s>``, so only a decoding length
    limit stops it.
    """
    return _build_package(
        dest,
        from_code=from_code,
        to_code=to_code,
        corpus=corpus,
        d_model=d_model,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab_size,
        package_version=package_version,
        target_prefix=target_prefix,
        max_positions=None,
        quantization=quantization,
        seed=seed,
        copy=False,
        endless=endless,
        layout=layout,
    )


def extract_package(archive: Path, dest: Path) -> Path:
    """Unzip a package into folder `dest` and return its single top folder."""
    with zipfile.ZipFile(archive) as zf:
        tops = {name.split("/", 1)[0] for name in zf.namelist()}
        if len(tops) != 1:
            raise ValueError(f"{archive}: expected one top folder, found {sorted(tops)}")
        zf.extractall(dest)
    return dest / tops.pop()


def train_sentencepiece(corpus: Sequence[str], vocab_size: int) -> bytes:
    """A serialized SentencePiece unigram model trained on `corpus` plus `ASCII_LINE`.

    `vocab_size` is an upper bound: a small corpus yields fewer pieces.
    """
    import sentencepiece as spm

    lines = [line for line in corpus if line.strip()] + [ASCII_LINE]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    return model.getvalue()


def _build_package(
    dest: Path,
    *,
    from_code: str,
    to_code: str,
    corpus: Sequence[str],
    d_model: int,
    layers: int,
    heads: int,
    ffn: int,
    vocab_size: int,
    package_version: str,
    target_prefix: str,
    max_positions: int | None,
    quantization: str | None,
    seed: int,
    copy: bool,
    layout: Layout,
    endless: bool = False,
) -> Path:
    import sentencepiece as spm

    if d_model % 2 or d_model % heads:
        raise ValueError(f"d_model {d_model} must be even and divisible by heads {heads}")
    sp_model = train_sentencepiece(corpus, vocab_size)
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # Filler entries the tokenizer never produces, so that the output layer
    # has the size asked for.
    vocabulary += [f"<filler_{i}>" for i in range(vocab_size - len(vocabulary))]
    if target_prefix and target_prefix not in vocabulary:
        vocabulary.append(target_prefix)

    name = top_folder(from_code, to_code, package_version, layout)
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / f"{package_name(from_code, to_code, package_version)}.argosmodel"
    if quantization is None and layout == "legacy":
        quantization = "int8"
    with tempfile.TemporaryDirectory(prefix="argos-build-") as tmp:
        top = Path(tmp) / name
        top.mkdir()
        spec_args = _SpecArgs(
            vocabulary=vocabulary,
            d_model=d_model,
            layers=layers,
            heads=heads,
            ffn=ffn,
            max_positions=max_positions,
            seed=seed,
            copy=copy,
            prefix_length=1 if target_prefix else 0,
            endless=endless,
            legacy=layout == "legacy",
        )
        _convert(spec_args, top / "model", quantization)
        (top / "sentencepiece.model").write_bytes(sp_model)
        metadata: dict[str, Any] = {
            "package_version": package_version,
            "argos_version": "1.1" if layout == "legacy" else "1.9",
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        }
        if layout == "modern":
            metadata["type"] = "translate"
            metadata["code"] = f"translate-{from_code}_{to_code}"
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        # Indented by 4, the six keys of the real en_ko package make its 158 bytes.
        indent = 4 if layout == "legacy" else 2
        (top / "metadata.json").write_text(json.dumps(metadata, indent=indent) + "\n", "utf-8")
        if layout == "legacy":
            _as_format_4(top / "model")
            _add_legacy_extras(top, from_code, to_code)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for path in sorted(top.rglob("*")):
                zf.write(path, path.relative_to(tmp).as_posix())
    return archive


@dataclass(frozen=True)
class _SpecArgs:
    """The shape and flavour of the model `_convert` builds."""

    vocabulary: list[str]
    d_model: int
    layers: int
    heads: int
    ffn: int
    max_positions: int | None
    seed: int
    copy: bool
    prefix_length: int
    endless: bool
    #: Also save ``add_source_eos`` as the ``with_source_eos`` flag, which
    #: is where CTranslate2 reads it from below format 6 (see `_as_format_4`).
    legacy: bool


def _convert(args: _SpecArgs, output_dir: Path, quantization: str | None) -> None:
    """Save the model `args` describes as a CTranslate2 model folder (format 6)."""
    from ctranslate2.converters import Converter
    from ctranslate2.specs import transformer_spec

    class SpecConverter(Converter):  # type: ignore[misc]
        """A converter whose "source model" is a recipe of numpy arrays."""

        def _load(self) -> Any:
            spec = transformer_spec.TransformerSpec.from_config(
                (args.layers, args.layers),
                args.heads,
                pre_norm=True,
                # The copy model's first decoder layer is the one that looks
                # at the right source position; unknown pieces are replaced
                # from its attention.
                alignment_layer=0 if args.copy else -1,
                alignment_heads=1,
            )
            spec.config.add_source_eos = args.copy
            if args.legacy and args.copy:
                # A model attribute the spec does not declare (it is frozen):
                # saved like any other scalar, as an int8 variable.
                object.__setattr__(spec, "with_source_eos", True)
            spec.config.layer_norm_epsilon = 1e-6
            if args.copy:
                _copy_weights(spec, args)
            else:
                _random_weights(spec, args)
            spec.register_source_vocabulary(args.vocabulary)
            spec.register_target_vocabulary(args.vocabulary)
            return spec

    SpecConverter().convert(str(output_dir), quantization=quantization)


def _as_format_4(model_dir: Path) -> None:
    """Turn a format-6 model folder into what CTranslate2 1.14 wrote: format 4, no config.json.

    Formats 4 to 6 lay out ``model.bin`` alike; CTranslate2 tells them apart
    by the version in its first four bytes. Below format 6 it ignores
    ``config.json`` and takes ``add_source_eos`` from the ``with_source_eos``
    flag (saved by `_convert`), the special tokens from their defaults
    (``<unk>``, ``<s>``, ``</s>``, as our vocabulary has them) and
    ``layer_norm_epsilon`` from its default (1e-6, as set here too); at
    format 4 it also quantizes activations by truncation rather than
    rounding, as with the real packages. The vocabulary becomes a text file,
    one token a line.
    """
    weights = model_dir / "model.bin"
    with weights.open("r+b") as f:
        (written,) = struct.unpack("<I", f.read(4))
        if written != BINARY_FORMAT["modern"]:
            raise RuntimeError(f"{weights}: expected CTranslate2 format 6, found {written}")
        f.seek(0)
        f.write(struct.pack("<I", BINARY_FORMAT["legacy"]))
    vocabulary_json = model_dir / "shared_vocabulary.json"
    tokens = json.loads(vocabulary_json.read_text("utf-8"))
    (model_dir / "shared_vocabulary.txt").write_text("".join(f"{t}\n" for t in tokens), "utf-8")
    vocabulary_json.unlink()
    (model_dir / "config.json").unlink()


def _add_legacy_extras(top: Path, from_code: str, to_code: str) -> None:
    """The README and ``stanza/`` folder of a real 1.1 package, as small stand-ins.

    The real ``stanza/`` holds a Stanza sentence splitter (``resources.json``
    and the 'ewt' tokenizer weights) that argostranslate with Stanza used;
    nothing here loads it, so a small ``resources.json`` and a placeholder
    for the weights keep the layout without the size.
    """
    stanza = top / "stanza"
    (stanza / from_code / "tokenize").mkdir(parents=True)
    resources = {from_code: {"default_processors": {"tokenize": "ewt"}, "lang_name": "English"}}
    (stanza / "resources.json").write_text(json.dumps(resources) + "\n", "utf-8")
    (stanza / from_code / "tokenize" / "ewt.pt").write_bytes(
        b"placeholder for Stanza's tokenizer weights: no test loads them\n"
    )
    names = [LANGUAGE_NAMES.get(code, code) for code in (from_code, to_code)]
    (top / "README.md").write_text(
        f"# {names[0]} to {names[1]}\n\n"
        "A tiny test package built by tests/argos_builders.py in the layout of the "
        "Argos Translate 1.1 packages.\n",
        "utf-8",
    )


def _layer_norms(spec: Any) -> list[Any]:
    """Every LayerNormSpec in the model."""
    enc, dec = spec.encoder, spec.decoder
    norms = [enc.layer_norm, dec.layer_norm]
    for layer in enc.layer:
        norms += [layer.self_attention.layer_norm, layer.ffn.layer_norm]
    for layer in dec.layer:
        norms += [
            layer.self_attention.layer_norm,
            layer.attention.layer_norm,
            layer.ffn.layer_norm,
        ]
    return norms


def _copy_weights(spec: Any, a: _SpecArgs) -> None:
    """Weights under which the decoder's step t emits the source's piece t.

    The hidden vector is split in two halves: the first carries a token code
    (a random unit vector per vocabulary entry), the second a position code
    (`_position_codes`). The encoder changes nothing (all its sublayer
    outputs are zero), so its output is LayerNorm(token + position). The
    decoder's input is the position code of its step alone. In its first
    layer, cross-attention matches the step's position code against the
    source's (every head's queries and keys read the position code, sharply
    scaled) and brings back the token half of that source position; the
    output layer scores every vocabulary entry by its token code. Every
    other sublayer output is zero. With ``add_source_eos`` the step after
    the last piece finds ``</s>`` and decoding stops.

    One more query dimension per head is a constant that meets, on the key
    side, the token code of ``</s>``: attending to the source's ``</s>``
    scores `_EOS_SHARE` of an exact position match, more than any other
    position can. So a hypothesis that runs past the source's end (a beam
    search alternative) ends at once, as a real model's alternatives do,
    instead of wandering to the length limit.
    """
    import numpy as np

    rng = np.random.default_rng(a.seed)
    d, half = a.d_model, a.d_model // 2
    vocab = len(a.vocabulary)
    head_dim = d // a.heads
    eos = a.vocabulary.index("</s>")

    def zeros(*shape: int) -> Any:
        return np.zeros(shape, dtype=np.float32)

    codes = rng.standard_normal((vocab, half))
    # </s> orthogonal to every other token code, so no other source piece
    # shares its bonus.
    eos_code = codes[eos] / np.linalg.norm(codes[eos])
    codes -= np.outer(codes @ eos_code, eos_code)
    codes[eos] = eos_code
    token_codes = zeros(vocab, d)
    token_codes[:, :half] = codes / np.linalg.norm(codes, axis=1, keepdims=True)

    position_codes = _position_codes(head_dim - 1, half)
    count = len(position_codes) if a.max_positions is None else a.max_positions
    if count > len(position_codes):
        raise ValueError(
            f"a copy model with {head_dim}-wide heads has codes for "
            f"{len(position_codes)} positions, not {count}"
        )
    width = position_codes.shape[1]
    positions = zeros(count, d)
    positions[:, half : half + width] = position_codes[:count]

    for norm in _layer_norms(spec):
        norm.gamma = np.ones(d, dtype=np.float32)
        norm.beta = zeros(d)

    enc, dec = spec.encoder, spec.decoder
    # Scaling by sqrt(d) would only change the balance of the two halves.
    enc.scale_embeddings = False
    dec.scale_embeddings = False
    enc.embeddings[0].weight = token_codes
    enc.position_encodings.encodings = positions
    dec.embeddings.weight = zeros(vocab, d)
    # With a target prefix the decoder's first steps are forced; its step t
    # must then look for source position t - len(prefix).
    dec.position_encodings.encodings = np.roll(positions, a.prefix_length, axis=0)
    dec.projection.weight = token_codes * _OUTPUT_SCALE
    dec.projection.bias = zeros(vocab)

    for layer in enc.layer:
        layer.self_attention.linear[0].weight = zeros(3 * d, d)
        layer.self_attention.linear[1].weight = zeros(d, d)
        _zero_ffn(layer.ffn, d, a.ffn)

    # LayerNorm scales the decoder's input (a unit position code) to norm
    # sqrt(d) and the encoder's output (unit token + unit position) to
    # sqrt(d/2) per half, so a query bias of scale * sqrt(d) against a key
    # of share * scale * eos_code scores share times an exact match.
    query = zeros(d, d)
    query_bias = zeros(d)
    keys = zeros(d, d)
    for h in range(a.heads):
        rows = h * head_dim + np.arange(width)
        query[rows, half + np.arange(width)] = _ATTENTION_SCALE
        keys[rows, half + np.arange(width)] = _ATTENTION_SCALE
        query_bias[h * head_dim + width] = _ATTENTION_SCALE * math.sqrt(d)
        keys[h * head_dim + width, :half] = _EOS_SHARE * _ATTENTION_SCALE * eos_code
    keys_values = zeros(2 * d, d)
    keys_values[:d] = keys
    keys_values[d + np.arange(half), np.arange(half)] = 1.0

    for i, layer in enumerate(dec.layer):
        layer.self_attention.linear[0].weight = zeros(3 * d, d)
        layer.self_attention.linear[1].weight = zeros(d, d)
        _zero_ffn(layer.ffn, d, a.ffn)
        cross = layer.attention
        if i == 0:
            cross.linear[0].weight = query
            cross.linear[0].bias = query_bias
            cross.linear[1].weight = keys_values
            cross.linear[2].weight = np.eye(d, dtype=np.float32) * _VALUE_GAIN
        else:
            cross.linear[0].weight = zeros(d, d)
            cross.linear[1].weight = zeros(2 * d, d)
            cross.linear[2].weight = zeros(d, d)


def _position_codes(max_width: int, half: int) -> Any:
    """Unit position codes whose dot products are provably small.

    For the largest prime p with 2p <= min(max_width, half), the complex
    chirps v(a, b)[k] = exp(2 pi i (a k^2 + b k) / p) / sqrt(p) are p^2
    vectors of which two with the same a are orthogonal and any two others
    have a dot product of modulus exactly 1/sqrt(p) (a Gauss sum); their
    real and imaginary parts side by side keep that bound. Position
    a * p + b gets v(a, b): neighbours are orthogonal, and no two positions
    come closer than 1/sqrt(p) (0.18 for p = 31), far below `_EOS_SHARE`.
    """
    import numpy as np

    p = max(q for q in range(2, min(max_width, half) // 2 + 1) if _is_prime(q))
    k = np.arange(p)
    a = np.repeat(k, p)[:, None]
    b = np.tile(k, p)[:, None]
    phase = 2 * np.pi * ((a * k * k + b * k) % p) / p
    return (np.concatenate([np.cos(phase), np.sin(phase)], axis=1) / math.sqrt(p)).astype(
        np.float32
    )


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % f for f in range(2, math.isqrt(n) + 1))


def _zero_ffn(ffn_spec: Any, d: int, inner: int) -> None:
    import numpy as np

    ffn_spec.linear_0.weight = np.zeros((inner, d), dtype=np.float32)
    ffn_spec.linear_1.weight = np.zeros((d, inner), dtype=np.float32)


def _random_weights(spec: Any, a: _SpecArgs) -> None:
    """Small random weights everywhere; sinusoidal position encodings."""
    import numpy as np

    rng = np.random.default_rng(a.seed)
    d, vocab = a.d_model, len(a.vocabulary)

    def rand(*shape: int) -> Any:
        return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)

    for norm in _layer_norms(spec):
        norm.gamma = np.ones(d, dtype=np.float32)
        norm.beta = np.zeros(d, dtype=np.float32)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = rand(vocab, d)
    dec.embeddings.weight = rand(vocab, d)
    dec.projection.weight = rand(vocab, d)
    bias = np.zeros(vocab, dtype=np.float32)
    if a.endless:
        bias[a.vocabulary.index("</s>")] = -1e4
    dec.projection.bias = bias
    for layer in enc.layer:
        layer.self_attention.linear[0].weight = rand(3 * d, d)
        layer.self_attention.linear[1].weight = rand(d, d)
        layer.ffn.linear_0.weight = rand(a.ffn, d)
        layer.ffn.linear_1.weight = rand(d, a.ffn)
    for layer in dec.layer:
        layer.self_attention.linear[0].weight = rand(3 * d, d)
        layer.self_attention.linear[1].weight = rand(d, d)
        layer.attention.linear[0].weight = rand(d, d)
        layer.attention.linear[1].weight = rand(2 * d, d)
        layer.attention.linear[2].weight = rand(d, d)
        layer.ffn.linear_0.weight = rand(a.ffn, d)
        layer.ffn.linear_1.weight = rand(d, a.ffn)
