"""The argos engine on real (tiny) Argos packages built by the tests."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from argos_builders import (
    LAYOUTS,
    Layout,
    build_copy_package,
    build_random_package,
    extract_package,
)

from workflow.engines import Engine, engine_fingerprint, engine_label, open_engine
from workflow.engines.argos import (
    ArgosEngine,
    DecodeSettings,
    ModelFiles,
    decoding_bound,
    load_tokenizer,
)
from workflow.engines.spec import EngineSpec
from workflow.errors import ModelError, UsageError

ROOT = Path(__file__).parent.parent
ARTICLE = ROOT / "articles" / "yonhap-2020-01-15-kang-motegi.txt"
# One thread: on a runner whose cores are busy, OpenMP threads waiting on each
# other make small models many times slower.
SETTINGS = DecodeSettings(intra_threads=1)


def article_lines() -> list[str]:
    return [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def model_files(package: Path, label: str = "translate-en_ko 1.1") -> ModelFiles:
    metadata = json.loads((package / "metadata.json").read_text(encoding="utf-8"))
    return ModelFiles(
        model_dir=package / "model",
        tokenizer_path=package / "sentencepiece.model",
        target_prefix=metadata.get("target_prefix", ""),
        label=label,
    )


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Layout], Path]:
    """The copy-model package of a layout, built on first use."""
    built: dict[Layout, Path] = {}

    def package(layout: Layout) -> Path:
        if layout not in built:
            archive = build_copy_package(
                tmp_path_factory.mktemp(f"copy-{layout}"), corpus=article_lines(), layout=layout
            )
            built[layout] = extract_package(archive, tmp_path_factory.mktemp(f"copy-{layout}-x"))
        return built[layout]

    return package


@pytest.fixture(scope="module", params=LAYOUTS)
def copy_package(request: pytest.FixtureRequest, packages: Callable[[Layout], Path]) -> Path:
    """The copy model in the real 1.1 packages' layout, then in CTranslate2 4.x's."""
    layout: Layout = request.param
    return packages(layout)


@pytest.fixture(scope="module")
def legacy_package(packages: Callable[[Layout], Path]) -> Path:
    """The copy model in the real 1.1 packages' layout only, for the slower tests."""
    return packages("legacy")


@pytest.fixture(scope="module")
def engine(copy_package: Path) -> ArgosEngine:
    return ArgosEngine({"ko": model_files(copy_package)}, SETTINGS)


def test_describe_names_the_model(engine: ArgosEngine) -> None:
    as_engine: Engine = engine  # mypy checks that ArgosEngine is an Engine
    assert as_engine.name == "argos"
    assert engine.describe("ko") == "argos translate-en_ko 1.1"


def test_fingerprint_changes_with_what_shapes_the_output(copy_package: Path) -> None:
    files = model_files(copy_package)
    fingerprint = ArgosEngine({"ko": files}, SETTINGS).fingerprint("ko")
    assert fingerprint.startswith("argos translate-en_ko 1.1 ")
    assert "beam=4" in fingerprint
    same = DecodeSettings(intra_threads=1, max_batch_tokens=64)
    assert ArgosEngine({"ko": files}, same).fingerprint("ko") == fingerprint
    for settings in (
        DecodeSettings(beam_size=1),
        DecodeSettings(compute_type="float32"),
        DecodeSettings(length_penalty=1.0),
    ):
        assert ArgosEngine({"ko": files}, settings).fingerprint("ko") != fingerprint
    other = ModelFiles(files.model_dir, files.tokenizer_path, "", "translate-en_ko 1.2")
    assert ArgosEngine({"ko": other}, SETTINGS).fingerprint("ko") != fingerprint


def test_a_pickled_spec_opens_an_equivalent_engine(legacy_package: Path) -> None:
    spec = EngineSpec("argos", ("ko",), {"ko": model_files(legacy_package)}, SETTINGS)
    sent = pickle.loads(pickle.dumps(spec))
    assert sent == spec
    texts = ["Kang met ZXQ1 in Seoul.", "Talks resumed on Tuesday."]
    engine = open_engine(sent)
    assert engine.name == "argos"
    assert engine.translate(texts, "ko", n_best=2) == open_engine(spec).translate(
        texts, "ko", n_best=2
    )
    assert engine_fingerprint(sent, "ko") == engine_fingerprint(spec, "ko")
    assert engine_label(sent, "ko") == "argos translate-en_ko 1.1"


def test_the_fingerprint_follows_the_weights_not_their_file(
    legacy_package: Path, tmp_path: Path
) -> None:
    files = model_files(legacy_package)
    spec = EngineSpec("argos", ("ko",), {"ko": files}, SETTINGS)
    fingerprint = engine_fingerprint(spec, "ko")
    assert fingerprint == ArgosEngine({"ko": files}, SETTINGS).fingerprint("ko")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(legacy_package, elsewhere)
    weights = elsewhere / "model" / "model.bin"
    os.utime(weights, ns=(10**18, 10**18))  # another time than the original's, for sure
    original = legacy_package / "model" / "model.bin"
    assert weights.stat().st_mtime_ns != original.stat().st_mtime_ns
    moved = dataclasses.replace(files, model_dir=elsewhere / "model")
    assert engine_fingerprint(dataclasses.replace(spec, models={"ko": moved}), "ko") == fingerprint
    # Other weights under the same name, size and package label: another fingerprint.
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    assert engine_fingerprint(dataclasses.replace(spec, models={"ko": moved}), "ko") != fingerprint


def test_article_comes_back_exactly_from_the_copy_model(engine: ArgosEngine) -> None:
    lines = article_lines()
    assert engine.translate(lines, "ko") == [[line] for line in lines]


def test_placeholders_survive(engine: ArgosEngine) -> None:
    texts = [
        "ZXQ3 met ZXQ12 in Seoul.",
        'ZXQ1 said: "ZXQ2\'s visit (ZXQ99) was useful."',
        "Talks between ZXQ4 and ZXQ5 resumed on Jan. 14, 2020.",
    ]
    assert engine.translate(texts, "ko") == [[text] for text in texts]


def test_order_is_kept_whatever_the_lengths(engine: ArgosEngine) -> None:
    lines = article_lines()
    texts = [lines[4], "Yes.", lines[7], "ZXQ1", lines[2], lines[12], "Seoul said."]
    assert engine.translate(texts, "ko") == [[text] for text in texts]


def test_n_best_gives_distinct_hypotheses_best_first(engine: ArgosEngine) -> None:
    texts = ["Kang met ZXQ1 in Seoul.", "The talks served as an occasion."]
    results = engine.translate(texts, "ko", n_best=3)
    for text, hypotheses in zip(texts, results, strict=True):
        assert hypotheses[0] == text
        assert 1 < len(hypotheses) <= 3
        assert len(set(hypotheses)) == len(hypotheses)
    assert engine.translate(texts, "ko", n_best=1) == [[text] for text in texts]


def test_greedy_search_gives_one_hypothesis_unless_asked_to_widen(copy_package: Path) -> None:
    engine = ArgosEngine(
        {"ko": model_files(copy_package)}, DecodeSettings(beam_size=1, intra_threads=1)
    )
    text = "Kang met ZXQ1 in Seoul."
    assert engine.translate([text], "ko", n_best=4) == [[text]]
    [hypotheses] = engine.translate([text], "ko", n_best=4, min_beam=4)
    assert hypotheses[0] == text
    assert 1 < len(hypotheses) <= 4


def test_the_beam_size_reaches_ctranslate2(
    copy_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctranslate2

    seen: list[tuple[int, int]] = []
    translate_batch = ctranslate2.Translator.translate_batch

    def recording(self: ctranslate2.Translator, *args: object, **options: Any) -> Any:
        seen.append((options["beam_size"], options["num_hypotheses"]))
        return translate_batch(self, *args, **options)

    monkeypatch.setattr(ctranslate2.Translator, "translate_batch", recording)
    for beam in (1, 2, 4):
        engine = ArgosEngine(
            {"ko": model_files(copy_package)}, DecodeSettings(beam_size=beam, intra_threads=1)
        )
        engine.translate(["Seoul said."], "ko", n_best=4)
        engine.translate(["Seoul said."], "ko", n_best=8, min_beam=8)
    assert seen == [(1, 1), (8, 8), (2, 2), (8, 8), (4, 4), (8, 8)]


def test_empty_inputs(engine: ArgosEngine) -> None:
    assert engine.translate([], "ko") == []
    assert engine.translate(["", "Yes.", "  "], "ko") == [[""], ["Yes."], [""]]


def test_target_prefix_is_forced_and_stripped(tmp_path: Path) -> None:
    archive = build_copy_package(
        tmp_path, to_code="ja", corpus=article_lines(), target_prefix="__ja__"
    )
    files = model_files(extract_package(archive, tmp_path / "x"), "translate-en_ja 1.1")
    assert files.target_prefix == "__ja__"
    engine = ArgosEngine({"ja": files}, SETTINGS)
    texts = ["Kang met ZXQ1 in Seoul.", article_lines()[3]]
    assert engine.translate(texts, "ja", n_best=2)[0][0] == texts[0]
    assert engine.translate(texts, "ja") == [[text] for text in texts]


def test_decoding_is_bounded_for_a_model_that_never_ends(tmp_path: Path) -> None:
    archive = build_random_package(tmp_path, corpus=article_lines(), endless=True)
    package = extract_package(archive, tmp_path / "x")
    tokenizer = load_tokenizer(package / "sentencepiece.model", "ko")
    text = " ".join(f"ZXQ{i % 90 + 10}" for i in range(600))
    assert len(tokenizer.encode(text)) >= 3000
    settings = DecodeSettings(max_length_ratio=0.05, max_length_extra=10, intra_threads=1)
    bound = decoding_bound([len(tokenizer.encode(text))], settings)
    engine = ArgosEngine({"ko": model_files(package)}, settings)

    start = time.perf_counter()
    [[noise]] = engine.translate([text], "ko")
    assert time.perf_counter() - start < 60
    longest_piece = max(len(tokenizer.decode([piece])) for piece in _vocabulary(package / "model"))
    assert 0 < len(noise) <= bound * longest_piece


def _vocabulary(model_dir: Path) -> list[str]:
    """The model's vocabulary: JSON from CTranslate2 3 on, one token a line before."""
    as_json = model_dir / "shared_vocabulary.json"
    if as_json.is_file():
        vocabulary: list[str] = json.loads(as_json.read_text("utf-8"))
        return vocabulary
    return (model_dir / "shared_vocabulary.txt").read_text("utf-8").splitlines()


def test_the_bound_grows_with_the_longest_source() -> None:
    settings = DecodeSettings()
    assert decoding_bound([10, 100, 3], settings) == 210
    assert decoding_bound([], settings) == 10


def test_each_hypothesis_is_bounded_by_its_own_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = build_random_package(tmp_path, corpus=article_lines(), endless=True)
    package = extract_package(archive, tmp_path / "x")
    tokenizer = load_tokenizer(package / "sentencepiece.model", "ko")
    decoded: list[int] = []
    decode = type(tokenizer).decode

    def counting(self: Any, pieces: Sequence[str]) -> str:
        decoded.append(len(pieces))
        return decode(self, pieces)

    monkeypatch.setattr(type(tokenizer), "decode", counting)
    settings = DecodeSettings(max_length_ratio=1.0, max_length_extra=2, intra_threads=1)
    engine = ArgosEngine({"ko": model_files(package)}, settings)
    short, long = "Seoul said.", " ".join(article_lines()[2:5])
    engine.translate([short, long], "ko")
    short_bound, long_bound = (
        decoding_bound([len(tokenizer.encode(text))], settings) for text in (short, long)
    )
    assert decoded == [short_bound, long_bound]


def test_models_can_come_from_a_function(copy_package: Path) -> None:
    asked: list[str] = []

    def find(lang: str) -> ModelFiles:
        asked.append(lang)
        return model_files(copy_package)

    engine = ArgosEngine(find, SETTINGS)
    assert engine.translate(["Seoul said."], "ja") == [["Seoul said."]]
    assert engine.translate(["Tokyo said."], "ja") == [["Tokyo said."]]
    assert asked == ["ja"]  # loaded once, on first use


def test_a_language_without_a_model_is_a_model_error(engine: ArgosEngine) -> None:
    with pytest.raises(ModelError, match="no Argos model for English to 'ja'"):
        engine.translate(["Hello."], "ja")


def test_a_missing_model_folder_is_a_model_error(tmp_path: Path, copy_package: Path) -> None:
    files = ModelFiles(tmp_path / "nowhere", copy_package / "sentencepiece.model")
    with pytest.raises(ModelError, match=r"no model\.bin") as caught:
        ArgosEngine({"ko": files}).translate(["Hello."], "ko")
    assert caught.value.path == str(tmp_path / "nowhere")


def test_a_missing_tokenizer_is_a_model_error(tmp_path: Path, copy_package: Path) -> None:
    files = ModelFiles(copy_package / "model", tmp_path / "sentencepiece.model")
    with pytest.raises(ModelError, match="tokenizer model not found"):
        ArgosEngine({"ko": files}).translate(["Hello."], "ko")


def test_a_broken_tokenizer_is_a_model_error(tmp_path: Path, copy_package: Path) -> None:
    broken = tmp_path / "sentencepiece.model"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load the SentencePiece model"):
        ArgosEngine({"ko": ModelFiles(copy_package / "model", broken)}).translate(["Hi."], "ko")


@pytest.fixture(scope="module")
def short_engine(tmp_path_factory: pytest.TempPathFactory) -> ArgosEngine:
    """A copy model with 130 positions: a real model's limit (961) at a tenth of the decoding."""
    archive = build_copy_package(
        tmp_path_factory.mktemp("short"), corpus=article_lines(), max_positions=130
    )
    package = extract_package(archive, tmp_path_factory.mktemp("short-x"))
    return ArgosEngine({"ko": model_files(package)}, SETTINGS)


def test_a_source_longer_than_the_model_allows_is_translated_in_parts(
    short_engine: ArgosEngine,
) -> None:
    too_long = " ".join(f"ZXQ{i % 9 + 1}" for i in range(80))  # 400 pieces; 130 positions
    texts = ["Seoul said.", too_long, "Tokyo agreed."]
    short, long, other = short_engine.translate(texts, "ko", n_best=2)
    assert (short[0], other[0]) == ("Seoul said.", "Tokyo agreed.")
    assert long == [too_long]  # the halves' best hypotheses, joined
    no_space = "ZXQ1" * 80
    assert short_engine.translate([no_space], "ko") == [[no_space]]


def test_a_model_that_fails_on_short_texts_is_a_model_error(copy_package: Path) -> None:
    class Failing:
        calls = 0

        def translate_batch(self, *args: object, **options: object) -> None:
            Failing.calls += 1
            raise RuntimeError("the model is broken")

    engine = ArgosEngine({"ko": model_files(copy_package)}, SETTINGS)
    engine.translate(["Seoul said."], "ko")  # loads the model
    engine._loaded["ko"] = dataclasses.replace(engine._loaded["ko"], translator=Failing())
    with pytest.raises(ModelError, match="decoding failed: the model is broken"):
        engine.translate(["Seoul said.", "Tokyo agreed.", "Both left."], "ko")
    assert Failing.calls <= 3  # halving stops at the first short text that fails alone


def test_bad_settings_are_usage_errors(engine: ArgosEngine) -> None:
    with pytest.raises(UsageError):
        DecodeSettings(beam_size=0)
    with pytest.raises(UsageError):
        DecodeSettings(max_batch_tokens=0)
    with pytest.raises(UsageError):
        engine.translate(["Hello."], "ko", n_best=0)
    with pytest.raises(UsageError):
        engine.translate(["Hello."], "ko", min_beam=0)


def test_bpe_packages_are_tokenized_with_moses_and_bpe(tmp_path: Path) -> None:
    codes = tmp_path / "bpe.model"
    codes.write_text("#version: 0.2\nh e\nl l\nhe ll\n", encoding="utf-8")
    tokenizer = load_tokenizer(codes, "ko")
    pieces = tokenizer.encode('hello world, "ZXQ12" 5.3%')
    assert pieces[0] == "hell@@"
    assert tokenizer.decode(pieces) == 'hello world, "ZXQ12" 5.3%'


def test_translating_imports_neither_torch_nor_stanza(copy_package: Path) -> None:
    # A fresh interpreter, so that what other tests imported does not count.
    script = f"""
import sys
from pathlib import Path
from workflow.engines.argos import ArgosEngine, ModelFiles
assert "ctranslate2" not in sys.modules and "sentencepiece" not in sys.modules
package = Path({str(copy_package)!r})
files = ModelFiles(package / "model", package / "sentencepiece.model", label="x")
print(ArgosEngine({{"ko": files}}).translate(["ZXQ1 met ZXQ2."], "ko"))
heavy = ("torch", "stanza", "argostranslate.translate")
print(sorted(name for name in heavy if name in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["[['ZXQ1 met ZXQ2.']]", "[]"]
