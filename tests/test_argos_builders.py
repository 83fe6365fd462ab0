"""The tiny Argos packages the tests build: real packages, a real copy model.

The copy model's tests run on both layouts: the real 1.1 packages'
(CTranslate2 format 4, no config.json) and CTranslate2 4.x's (format 6).
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest
from argos_builders import (
    ASCII_LINE,
    LAYOUTS,
    Layout,
    build_copy_package,
    build_random_package,
    extract_package,
)

ARTICLE = Path(__file__).parent.parent / "articles" / "yonhap-2020-01-15-kang-motegi.txt"


def article_lines() -> list[str]:
    return [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]


class Decoder:
    """CTranslate2 and SentencePiece driven directly, as Argos drives them."""

    def __init__(self, package: Path) -> None:
        import ctranslate2
        import sentencepiece

        self.sp = sentencepiece.SentencePieceProcessor(
            model_file=str(package / "sentencepiece.model")
        )
        # One thread: busy runners make waiting OpenMP threads very slow.
        self.translator = ctranslate2.Translator(str(package / "model"), intra_threads=1)

    def pieces(self, text: str) -> list[str]:
        pieces: list[str] = self.sp.encode(text, out_type=str)
        return pieces

    def __call__(self, texts: list[str], **options: object) -> list[list[list[str]]]:
        results = self.translator.translate_batch(
            [self.pieces(text) for text in texts], replace_unknowns=True, **options
        )
        return [result.hypotheses for result in results]

    def text(self, texts: list[str], **options: object) -> list[str]:
        return [self.sp.decode_pieces(hyps[0]) for hyps in self(texts, **options)]


@pytest.fixture(scope="module", params=LAYOUTS)
def copy_archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    layout: Layout = request.param
    return build_copy_package(
        tmp_path_factory.mktemp(f"copy-{layout}"), corpus=article_lines(), layout=layout
    )


@pytest.fixture(scope="module")
def copy_model(copy_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Decoder:
    return Decoder(extract_package(copy_archive, tmp_path_factory.mktemp("copy-x")))


@pytest.fixture(scope="module")
def modern_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(
        tmp_path_factory.mktemp("modern"), corpus=article_lines(), layout="modern"
    )


def test_default_package_has_the_layout_of_the_real_1_1_packages(tmp_path: Path) -> None:
    archive = build_copy_package(tmp_path, corpus=article_lines())
    assert archive.name == "translate-en_ko-1_1.argosmodel"
    with zipfile.ZipFile(archive) as zf:
        files = {info.filename for info in zf.infolist() if not info.is_dir()}
        metadata_bytes = zf.read("en_ko/metadata.json")
        header = zf.read("en_ko/model/model.bin")[:4]
        vocabulary = zf.read("en_ko/model/shared_vocabulary.txt").decode("utf-8")
    assert files == {
        "en_ko/metadata.json",
        "en_ko/README.md",
        "en_ko/sentencepiece.model",
        "en_ko/model/model.bin",
        "en_ko/model/shared_vocabulary.txt",
        "en_ko/stanza/resources.json",
        "en_ko/stanza/en/tokenize/ewt.pt",
    }
    # Six keys, no type, code or links; 158 bytes like the real en_ko's.
    assert json.loads(metadata_bytes) == {
        "package_version": "1.1",
        "argos_version": "1.1",
        "from_code": "en",
        "from_name": "English",
        "to_code": "ko",
        "to_name": "Korean",
    }
    assert len(metadata_bytes) == 158
    assert struct.unpack("<I", header) == (4,)
    assert vocabulary.splitlines()[:3] == ["<unk>", "<s>", "</s>"]
    package = extract_package(archive, tmp_path / "x")
    assert package.name == "en_ko"
    decoder = Decoder(package)
    # int8 weights, as argos-train converted them.
    assert decoder.translator.compute_type.startswith("int8")
    text = "Kang met ZXQ1 in Seoul."
    assert decoder.text([text], beam_size=4) == [text]


def test_a_format_6_model_without_config_json_does_not_load(tmp_path: Path) -> None:
    # Why validation refuses such a package: CTranslate2 finds no configuration.
    package = extract_package(
        build_copy_package(tmp_path, corpus=article_lines(), layout="modern"), tmp_path / "x"
    )
    (package / "model" / "config.json").unlink()
    with pytest.raises(RuntimeError, match="type must be string"):
        Decoder(package)


def test_modern_package_is_a_zip_with_one_top_folder_like_the_argos_index(
    modern_archive: Path,
) -> None:
    assert modern_archive.name == "translate-en_ko-1_1.argosmodel"
    with zipfile.ZipFile(modern_archive) as zf:
        names = zf.namelist()
        metadata = json.loads(zf.read("translate-en_ko-1_1/metadata.json"))
    assert {name.split("/")[0] for name in names} == {"translate-en_ko-1_1"}
    assert "translate-en_ko-1_1/sentencepiece.model" in names
    assert "translate-en_ko-1_1/model/model.bin" in names
    assert "translate-en_ko-1_1/model/config.json" in names
    assert metadata == {
        "package_version": "1.1",
        "argos_version": "1.9",
        "from_code": "en",
        "from_name": "English",
        "to_code": "ko",
        "to_name": "Korean",
        "type": "translate",
        "code": "translate-en_ko",
    }


def test_every_ascii_character_has_a_piece(copy_model: Decoder) -> None:
    unknown = copy_model.sp.unk_id()
    assert unknown not in copy_model.sp.encode(ASCII_LINE)
    assert unknown not in copy_model.sp.encode("ZXQ1 ZXQ42 ZXQ99 ZXQ100")


def test_copy_model_returns_every_line_of_the_article(copy_model: Decoder) -> None:
    lines = article_lines()
    assert copy_model.text(lines, beam_size=4, max_batch_size=1024, batch_type="tokens") == lines


@pytest.mark.parametrize(
    "text",
    [
        "Kang met ZXQ1 and ZXQ2 in ZXQ3.",
        'ZXQ12 said: "ZXQ7\'s talks with ZXQ99 went well," (ZXQ10) -- on Jan. 14, 2020.',
        "Prices rose 3.5% to $1,024.99 at 10:53 a.m.; [sic] {0} %s #tag @user ~ ^ | \\ `x`",
        "'Single' and \"double\" quotes, ZXQ5-ZXQ6, ZXQ8/ZXQ9, ZXQ11.",
    ],
)
def test_copy_model_keeps_placeholders_digits_punctuation_and_quotes(
    copy_model: Decoder, text: str
) -> None:
    assert copy_model.text([text], beam_size=4) == [text]


def test_copy_model_copies_every_placeholder(copy_model: Decoder) -> None:
    texts = [f"Talks between ZXQ{i} and ZXQ{i + 1} resumed." for i in range(1, 100)]
    assert copy_model.text(texts, beam_size=1, max_batch_size=512, batch_type="tokens") == texts


def test_copy_model_copies_piece_for_piece_and_ends(copy_model: Decoder) -> None:
    text = "Foreign Minister Kang Kyung-wha met ZXQ4."
    hypotheses = copy_model([text], beam_size=4, num_hypotheses=4, return_scores=True)[0]
    assert hypotheses[0] == copy_model.pieces(text)
    # Alternatives end where the source ends instead of running to the limit.
    assert all(len(h) <= len(hypotheses[0]) + 1 for h in hypotheses)


def test_characters_outside_the_vocabulary_come_back_through_replace_unknowns(
    copy_model: Decoder,
) -> None:
    text = "Seoul (서울) and Tokyo (東京)"
    pieces = copy_model.pieces(text)
    assert copy_model.sp.unk_id() in [copy_model.sp.piece_to_id(p) for p in pieces]
    assert copy_model.text([text]) == [text]


def test_target_prefix_is_written_to_metadata_and_copied_after_the_prefix(
    tmp_path: Path,
) -> None:
    archive = build_copy_package(
        tmp_path, to_code="ja", corpus=article_lines(), target_prefix="__ja__"
    )
    package = extract_package(archive, tmp_path / "x")
    assert json.loads((package / "metadata.json").read_text())["target_prefix"] == "__ja__"
    decoder = Decoder(package)
    text = "Kang met ZXQ1 in Seoul."
    hypotheses = decoder([text], target_prefix=[["__ja__"]], beam_size=4)[0]
    assert hypotheses[0] == ["__ja__", *decoder.pieces(text)]


def test_random_package_loads_and_decodes_noise(tmp_path: Path) -> None:
    archive = build_random_package(tmp_path, corpus=article_lines())
    decoder = Decoder(extract_package(archive, tmp_path / "x"))
    hypotheses = decoder(["Kang met Motegi.", "Talks resumed."], max_decoding_length=20)
    assert all(0 < len(h[0]) <= 20 for h in hypotheses)


def test_endless_random_package_never_ends_on_its_own(tmp_path: Path) -> None:
    archive = build_random_package(tmp_path, corpus=article_lines(), endless=True)
    decoder = Decoder(extract_package(archive, tmp_path / "x"))
    hypotheses = decoder(["Kang met Motegi."], beam_size=2, max_decoding_length=25)
    assert len(hypotheses[0][0]) == 25


def test_transformer_base_shapes_are_accepted(tmp_path: Path) -> None:
    # The full base size (6+6 layers, 32,000 entries) takes a few seconds
    # and 16 MB; its shape rules are the same at this smaller size.
    archive = build_copy_package(
        tmp_path, corpus=article_lines(), d_model=512, layers=1, heads=8, ffn=64, vocab_size=2000
    )
    decoder = Decoder(extract_package(archive, tmp_path / "x"))
    text = article_lines()[3]
    assert decoder.text([text], beam_size=4) == [text]
