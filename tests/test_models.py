"""Installing, listing, finding and removing Argos models; checking package files.

Every test gets its own empty ``ARGOS_PACKAGES_DIR``. Validation cases use
small hand-made zips (structurally valid packages whose weights are random
bytes: checks never load a model); the install-and-load test and the
download test use a real package from `argos_builders`. Downloads come from
a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argos_builders import LAYOUTS, Layout, build_copy_package, extract_package
from http_fixtures import LoopbackServer, closed_port, index_entry, publish, serve

from workflow.errors import ModelError
from workflow.models import (
    DEFAULT_INDEX_URL,
    STAGING_NAME,
    default_index_url,
    fetch_index,
    find_model,
    install_from_file,
    install_from_index,
    installed_models,
    packages_dir,
    remove_model,
    resolve_index,
    staging_dir,
    validate_package,
)
from workflow.units import format_size

Run = Callable[..., tuple[int, str, str]]

FOLDER = "translate-en_ko-1_1"
CORPUS = [
    "Foreign Minister Kang Kyung-wha met her Japanese counterpart in Palo Alto.",
    "The two ministers discussed export controls and wartime forced labor.",
]


# --- fixtures and helpers ----------------------------------------------------


@pytest.fixture(autouse=True)
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, not yet created package folder; the user's own is never touched."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    return folder


@pytest.fixture(scope="module")
def copy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, small en→ko copy-model package, laid out like the real 1.1 packages."""
    return build_copy_package(tmp_path_factory.mktemp("real"), corpus=CORPUS)


@pytest.fixture(scope="module")
def modern_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same in CTranslate2 4.x's layout: format 6 with config.json."""
    return build_copy_package(tmp_path_factory.mktemp("modern"), corpus=CORPUS, layout="modern")


def model_bin(binary_format: int, rng: random.Random, size: int = 4096) -> bytes:
    """Random weights behind a CTranslate2 header of `binary_format`."""
    return struct.pack("<I", binary_format) + rng.randbytes(size - 4)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def fake_entries(
    from_code: str = "en",
    to_code: str = "ko",
    version: str = "1.1",
    *,
    folder: str | None = None,
    readme: str = "a fake package\n",
    **metadata: Any,
) -> dict[str, bytes]:
    """The files of a package that passes every check but holds no usable model."""
    folder = folder or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    rng = random.Random(f"{from_code}{to_code}{version}")
    meta = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "to_code": to_code,
        "type": "translate",
        "code": f"translate-{from_code}_{to_code}",
        **metadata,
    }
    return {
        f"{folder}/metadata.json": json.dumps(meta).encode(),
        f"{folder}/model/config.json": b"{}",
        f"{folder}/model/model.bin": model_bin(6, rng),
        f"{folder}/model/shared_vocabulary.json": b'["<unk>", "<s>", "</s>"]',
        f"{folder}/sentencepiece.model": rng.randbytes(1024),
        f"{folder}/README.md": readme.encode(),
    }


def write_zip(
    path: Path, entries: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def snapshot(folder: Path) -> list[str]:
    """Every path under `folder`, hidden ones included (leftovers would show)."""
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@dataclass
class Recorder:
    """A `DownloadProgress` that remembers its calls."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def start(self, total_bytes: int | None, description: str) -> None:
        self.calls.append(("start", total_bytes, description))

    def advance(self, n: int) -> None:
        self.calls.append(("advance", n))

    def finish(self) -> None:
        self.calls.append(("finish",))

    def advanced(self) -> int:
        return sum(call[1] for call in self.calls if call[0] == "advance")


# --- where packages live -----------------------------------------------------


def test_packages_dir_follows_argostranslate_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SNAP", raising=False)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "from-env"))
    assert packages_dir() == tmp_path / "from-env"

    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    expected = tmp_path / "home" / ".local" / "share" / "argos-translate" / "packages"
    assert packages_dir() == expected

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert packages_dir() == tmp_path / "data" / "argos-translate" / "packages"

    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-settings")}))
    assert packages_dir() == tmp_path / "from-settings"
    assert not (tmp_path / "from-settings").exists(), "reading must not create folders"


def test_default_index_url_follows_argos_package_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent")
    assert default_index_url() == DEFAULT_INDEX_URL
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://mirror.example/argos/")
    assert default_index_url() == "https://mirror.example/argos/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://mirror.example/argos")
    assert default_index_url() == "https://mirror.example/argos/index.json"
    # The index file itself is accepted too, though argospm would not read it.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://mirror.example/argos/index.json")
    assert default_index_url() == "https://mirror.example/argos/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://mirror.example/argos/2024.JSON")
    assert default_index_url() == "https://mirror.example/argos/2024.JSON"


def test_resolve_index_takes_a_base_or_the_index_file(tmp_path: Path) -> None:
    assert resolve_index("http://127.0.0.1:8000") == "http://127.0.0.1:8000/index.json"
    assert resolve_index("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/index.json"
    assert resolve_index("http://h/m/index.json") == "http://h/m/index.json"
    assert resolve_index(str(tmp_path)) == (tmp_path / "index.json").as_uri()
    assert resolve_index(str(tmp_path / "i.json")) == (tmp_path / "i.json").as_uri()
    assert resolve_index(tmp_path.as_uri() + "/") == (tmp_path / "index.json").as_uri()


def test_default_index_is_argostranslates(tmp_path: Path) -> None:
    env = _isolated_env(tmp_path)
    env.pop("ARGOS_PACKAGE_INDEX", None)
    code = "from argostranslate import settings; print(settings.remote_package_index)"
    assert _argos_python(code, env) == DEFAULT_INDEX_URL


# --- install, list, find, remove ---------------------------------------------


def test_install_list_find_remove(tmp_path: Path, root: Path) -> None:
    assert installed_models() == []
    assert not root.exists(), "listing must not create the package folder"

    model = install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()), to_code="ko")
    assert (model.from_code, model.to_code, model.package_version) == ("en", "ko", "1.1")
    assert (model.pair, model.label, model.code) == (
        "en→ko",
        "translate-en_ko 1.1",
        "translate-en_ko",
    )
    assert model.path == root / FOLDER
    assert model.model_dir == root / FOLDER / "model"
    assert model.tokenizer_path == root / FOLDER / "sentencepiece.model"
    assert model.target_prefix == ""
    assert model.size_bytes == sum(len(b) for b in fake_entries().values())
    assert snapshot(root)[0] == FOLDER and not any(p.startswith(".") for p in snapshot(root))

    assert installed_models() == [model]
    assert find_model("en", "ko") == model
    assert find_model("en", "ja") is None

    removed = remove_model("ko")
    assert removed == [model]
    assert snapshot(root) == []
    assert find_model("en", "ko") is None
    with pytest.raises(ModelError, match="no en→ko model is installed"):
        remove_model("ko")


def test_reinstall_replaces_the_previous_package(tmp_path: Path, root: Path) -> None:
    first = write_zip(tmp_path / "a.argosmodel", fake_entries(readme="first\n"))
    second = write_zip(tmp_path / "b.argosmodel", fake_entries(readme="second\n"))
    install_from_file(first, to_code="ko")
    install_from_file(second, to_code="ko")
    assert (root / FOLDER / "README.md").read_text() == "second\n"
    assert [m.path.name for m in installed_models()] == [FOLDER]
    assert not any(p.startswith(".") for p in snapshot(root))


def test_upgrade_replaces_the_older_version_and_leaves_other_pairs(
    tmp_path: Path, root: Path
) -> None:
    install_from_file(write_zip(tmp_path / "ja.argosmodel", fake_entries("en", "ja")))
    install_from_file(write_zip(tmp_path / "old.argosmodel", fake_entries(version="1.0")))
    install_from_file(write_zip(tmp_path / "new.argosmodel", fake_entries(version="1.1")))
    assert [(m.pair, m.package_version) for m in installed_models()] == [
        ("en→ja", "1.1"),
        ("en→ko", "1.1"),
    ]
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ja-1_1", FOLDER]


def test_find_model_prefers_the_newest_of_several(tmp_path: Path, root: Path) -> None:
    # argospm installs each version in its own folder; both may be present.
    for version in ("1.9", "1.10", "1.2"):
        archive = write_zip(tmp_path / f"{version}.argosmodel", fake_entries(version=version))
        extract_package(archive, root)
    assert len(installed_models()) == 3
    found = find_model("en", "ko")
    assert found is not None and found.package_version == "1.10"
    assert len(remove_model("ko")) == 3
    assert snapshot(root) == []


def test_listing_skips_what_is_not_a_translation_package(tmp_path: Path, root: Path) -> None:
    install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    (root / ".tmp-leftover" / FOLDER).mkdir(parents=True)
    (root / ".tmp-leftover" / FOLDER / "metadata.json").write_text("{}")
    (root / "empty").mkdir()
    (root / "broken").mkdir()
    (root / "broken" / "metadata.json").write_text("{not json")
    (root / "splitter").mkdir()
    (root / "splitter" / "metadata.json").write_text('{"type": "sbd", "from_code": "en"}')
    (root / "notes.txt").write_text("a file, not a folder")
    assert [m.path.name for m in installed_models()] == [FOLDER]


def test_package_details_are_read_like_argostranslate(tmp_path: Path) -> None:
    entries = fake_entries("en", "ja", target_prefix="__ja__")
    del entries["translate-en_ja-1_1/sentencepiece.model"]
    entries["translate-en_ja-1_1/bpe.model"] = b"#version: 0.2\n"
    meta = json.loads(entries["translate-en_ja-1_1/metadata.json"])
    del meta["type"], meta["code"]  # argostranslate's defaults apply
    entries["translate-en_ja-1_1/metadata.json"] = json.dumps(meta).encode()
    model = install_from_file(write_zip(tmp_path / "ja.argosmodel", entries), to_code="ja")
    assert model.target_prefix == "__ja__"
    assert model.tokenizer_path.name == "bpe.model"
    assert model.code == "translate-en_ja"


def test_argostranslate_sees_the_same_packages(tmp_path: Path, root: Path) -> None:
    install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    ja = fake_entries("en", "ja", version="1.0", target_prefix="__ja__")
    install_from_file(write_zip(tmp_path / "ja.argosmodel", ja))
    # A failed install must leave nothing argostranslate would trip over.
    with pytest.raises(ModelError):
        install_from_file(_corrupted_zip(tmp_path / "bad.argosmodel", fake_entries(version="2.0")))

    code = (
        "import json; from argostranslate import package; print(json.dumps(sorted("
        "[p.package_path.name, p.from_code, p.to_code, p.package_version, p.target_prefix,"
        " str(p.tokenizer.model_file)] for p in package.get_installed_packages())))"
    )
    seen = json.loads(_argos_python(code, _isolated_env(tmp_path, root)))
    ours = [
        [
            m.path.name,
            m.from_code,
            m.to_code,
            m.package_version,
            m.target_prefix,
            str(m.tokenizer_path),
        ]
        for m in installed_models()
    ]
    assert seen == sorted(ours)
    assert len(seen) == 2


@pytest.mark.parametrize("layout", LAYOUTS)
def test_real_package_installs_and_loads(layout: Layout, request: pytest.FixtureRequest) -> None:
    import ctranslate2
    import sentencepiece

    package: Path = request.getfixturevalue(
        "copy_package" if layout == "legacy" else "modern_package"
    )
    model = install_from_file(package, to_code="ko")
    assert model.path.name == {"legacy": "en_ko", "modern": FOLDER}[layout]
    assert find_model("en", "ko") == model
    files = model.files()
    assert files.model_dir == model.model_dir
    assert files.label == "translate-en_ko 1.1"
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(files.tokenizer_path))
    # One thread: CTranslate2's default (all cores) crawls when other processes share the CPU.
    translator = ctranslate2.Translator(str(files.model_dir), device="cpu", intra_threads=1)
    pieces = tokenizer.encode(CORPUS[0], out_type=str)
    [result] = translator.translate_batch([pieces], beam_size=1)
    # The copy model's output is its input: it proves the files load, not translation.
    assert result.hypotheses[0] == pieces


def test_package_without_config_json_installs(copy_package: Path) -> None:
    # Models converted by older CTranslate2 releases (format 4 or 5), such as
    # the real en→ko and en→ja 1.1 packages, have no config.json.
    names = zipfile.ZipFile(copy_package).namelist()
    assert "en_ko/model/config.json" not in names
    model = install_from_file(copy_package, to_code="ko")
    assert not (model.model_dir / "config.json").exists()
    assert (model.model_dir / "shared_vocabulary.txt").is_file()
    assert model.files().model_dir == model.model_dir
    assert find_model("en", "ko") == model


def test_format_6_model_without_config_json_is_refused_before_unpacking(
    modern_package: Path, tmp_path: Path, root: Path
) -> None:
    # CTranslate2 cannot load it (see test_argos_builders); it used to install
    # and then fail at `l10n run`.
    archive = tmp_path / "stripped.argosmodel"
    with zipfile.ZipFile(modern_package) as src, zipfile.ZipFile(archive, "w") as dst:
        for entry in src.infolist():
            if not entry.filename.endswith("/model/config.json"):
                dst.writestr(entry, src.read(entry))
    with pytest.raises(ModelError) as caught:
        install_from_file(archive, to_code="ko")
    assert str(caught.value) == (
        f"{archive}: invalid Argos package: model/model.bin is in CTranslate2 format 6, which "
        "keeps the model's settings in model/config.json, and the package has none: "
        "CTranslate2 cannot load it"
    )
    assert snapshot(root) == []


@pytest.mark.parametrize(
    "vocabulary",
    [
        {"model/shared_vocabulary.txt": b"<unk>\n<s>\n</s>\n"},
        {"model/source_vocabulary.txt": b"<unk>\n", "model/target_vocabulary.txt": b"<unk>\n"},
        {"model/source_vocabulary.json": b"[]", "model/target_vocabulary.json": b"[]"},
    ],
    ids=["shared txt", "source and target txt", "source and target json"],
)
def test_other_vocabulary_layouts_pass(tmp_path: Path, vocabulary: dict[str, bytes]) -> None:
    # Without config.json, as older conversions (format 5 and below) are.
    old_weights = model_bin(5, random.Random(5))
    entries = _edit(
        **{
            "model/config.json": None,
            "model/shared_vocabulary.json": None,
            "model/model.bin": old_weights,
            **vocabulary,
        }
    )(fake_entries())
    info = validate_package(write_zip(tmp_path / "v.argosmodel", entries), to_code="ko")
    assert info.pair == "en→ko"


def test_files_reports_a_damaged_package(tmp_path: Path) -> None:
    model = install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    (model.model_dir / "model.bin").unlink()
    with pytest.raises(ModelError, match=r"model/model\.bin is missing") as caught:
        model.files()
    assert caught.value.path == str(model.path)


# --- validation failures -----------------------------------------------------


def _edit(**changes: bytes | None) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    """An edit of the fake entries: name relative to the top folder → new bytes or None."""

    def apply(entries: dict[str, bytes]) -> dict[str, bytes]:
        out = dict(entries)
        for rel, data in changes.items():
            name = rel if rel.startswith(("/", "!")) else f"{FOLDER}/{rel}"
            name = name.removeprefix("!")
            if data is None:
                del out[name]
            else:
                out[name] = data
        return out

    return apply


def _meta(**changes: Any) -> bytes:
    meta = json.loads(fake_entries()[f"{FOLDER}/metadata.json"])
    meta.update(changes)
    return json.dumps({k: v for k, v in meta.items() if v is not None}).encode()


INVALID_CASES: list[tuple[str, Callable[[dict[str, bytes]], dict[str, bytes]], str]] = [
    ("two top folders", _edit(**{"!other/README.md": b"x"}), "expected one top folder, found 2"),
    ("file at the top", _edit(**{"!README.md": b"x"}), "'README.md' is a file at the top"),
    (
        "hidden top folder",
        lambda e: {k.replace(FOLDER, ".hidden"): v for k, v in e.items()},
        "top folder '.hidden' is hidden",
    ),
    ("no metadata.json", _edit(**{"metadata.json": None}), "no translate-en_ko-1_1/metadata.json"),
    ("bad JSON", _edit(**{"metadata.json": b'{"from_code": "en",'}), "line 1: not valid JSON"),
    ("JSON not an object", _edit(**{"metadata.json": b"[]"}), "does not hold a JSON object"),
    ("not UTF-8", _edit(**{"metadata.json": b'{"to_name": "\xff"}'}), "is not UTF-8"),
    ("wrong type", _edit(**{"metadata.json": _meta(type="sbd")}), "a 'sbd' package"),
    ("no to_code", _edit(**{"metadata.json": _meta(to_code=None)}), "lacks from_code or to_code"),
    (
        "wrong pair",
        _edit(**{"metadata.json": _meta(to_code="ja")}),
        "it translates en→ja, but en→ko is needed",
    ),
    (
        "wrong source",
        _edit(**{"metadata.json": _meta(from_code="de")}),
        "it translates de→ko, but en→ko is needed",
    ),
    ("no model.bin", _edit(**{"model/model.bin": None}), r"model/model\.bin is missing"),
    (
        "format 6 without config.json",
        _edit(**{"model/config.json": None}),
        r"model/model\.bin is in CTranslate2 format 6, which keeps the model's settings in "
        r"model/config\.json, and the package has none: CTranslate2 cannot load it",
    ),
    (
        "short model.bin",
        _edit(**{"model/model.bin": b"\x06\x00"}),
        r"model/model\.bin is too short to be a CTranslate2 model",
    ),
    (
        "model.bin of another kind",
        _edit(**{"model/model.bin": b"PK\x03\x04" + bytes(100)}),
        r"model/model\.bin is not a CTranslate2 model \(format number 67324752\)",
    ),
    (
        "no vocabulary",
        _edit(**{"model/shared_vocabulary.json": None}),
        r"no CTranslate2 vocabulary: model/ has no shared_vocabulary\.json \(or \.txt\)",
    ),
    (
        "source vocabulary only",
        _edit(**{"model/shared_vocabulary.json": None, "model/source_vocabulary.txt": b"a\n"}),
        "nor a source_vocabulary and a target_vocabulary",
    ),
    (
        "no tokenizer",
        _edit(**{"sentencepiece.model": None}),
        "neither sentencepiece.model nor bpe.model",
    ),
    ("../ entry", _edit(**{"../escape.txt": b"x"}), "climbs out of the package with '..'"),
    ("absolute entry", _edit(**{"/tmp/escape.txt": b"x"}), "is an absolute path"),
    ("drive entry", _edit(**{"!C:/escape.txt": b"x"}), "is an absolute path"),
    ("backslash entry", _edit(**{"!" + FOLDER + "\\..\\x": b"x"}), "contains a backslash"),
    (
        "zip bomb",
        _edit(**{"model/padding.bin": bytes(8 * 1024**2)}),
        r"unpacks \d+ times its packed size, over the 100:1 limit",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"),
    [case[1:] for case in INVALID_CASES],
    ids=[case[0] for case in INVALID_CASES],
)
def test_invalid_packages_are_refused_and_leave_nothing(
    tmp_path: Path,
    root: Path,
    edit: Callable[[dict[str, bytes]], dict[str, bytes]],
    message: str,
) -> None:
    install_from_file(write_zip(tmp_path / "good.argosmodel", fake_entries(version="1.0")))
    before = snapshot(root)
    archive = write_zip(tmp_path / "bad.argosmodel", edit(fake_entries()))
    with pytest.raises(ModelError, match=message) as caught:
        validate_package(archive, to_code="ko")
    assert caught.value.path == str(archive)
    assert str(caught.value).startswith(f"{archive}: invalid Argos package: ")
    with pytest.raises(ModelError, match=message):
        install_from_file(archive, to_code="ko")
    assert snapshot(root) == before


def test_the_valid_fake_package_passes(tmp_path: Path) -> None:
    # Guards the cases above: each fails for its own edit, not for the base.
    info = validate_package(write_zip(tmp_path / "ok.argosmodel", fake_entries()), to_code="ko")
    assert (info.folder, info.pair, info.tokenizer) == (FOLDER, "en→ko", "sentencepiece.model")
    assert info.unpacked_bytes == sum(len(b) for b in fake_entries().values())


def test_oversize_package(tmp_path: Path, root: Path) -> None:
    archive = write_zip(tmp_path / "big.argosmodel", fake_entries())
    with pytest.raises(ModelError, match="over the 1000 bytes limit"):
        install_from_file(archive, max_bytes=1000)
    assert snapshot(root) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "not a zip archive"), (b"<html>Not Found</html>", "not a zip archive")],
    ids=["empty file", "html"],
)
def test_not_a_zip(tmp_path: Path, root: Path, content: bytes, message: str) -> None:
    archive = tmp_path / "x.argosmodel"
    archive.write_bytes(content)
    with pytest.raises(ModelError, match=message) as caught:
        install_from_file(archive)
    assert caught.value.path == str(archive)
    assert snapshot(root) == []


def test_empty_zip_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="the zip archive is empty"):
        validate_package(write_zip(tmp_path / "empty.argosmodel", {}))
    with pytest.raises(ModelError, match="no such file"):
        validate_package(tmp_path / "missing.argosmodel")
    with pytest.raises(ModelError, match="is a folder"):
        validate_package(tmp_path)


def test_symlink_entry(tmp_path: Path, root: Path) -> None:
    archive = write_zip(tmp_path / "link.argosmodel", fake_entries())
    with zipfile.ZipFile(archive, "a") as zf:
        link = zipfile.ZipInfo(f"{FOLDER}/model/vocabulary.txt")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(ModelError, match="is a symbolic link"):
        install_from_file(archive)
    assert snapshot(root) == []


def test_encrypted_entry(tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "enc.argosmodel", fake_entries(), compression=zipfile.ZIP_STORED
    )
    data = bytearray(archive.read_bytes())
    # Set the "encrypted" flag in every local and central header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 4)
    archive.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="is encrypted"):
        validate_package(archive)


def test_overlapping_entries(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "o.argosmodel", fake_entries(), compression=zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    central = data.find(b"PK\x01\x02")
    # Claim a compressed size far beyond the file, as overlapping entries do.
    data[central + 20 : central + 24] = (10**8).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="entries overlap"):
        validate_package(archive)


def _corrupted_zip(path: Path, entries: dict[str, bytes]) -> Path:
    """A zip whose model.bin fails its CRC check: found only while unpacking.

    The weights are made larger than what checks read of them (the format
    number, read in one 4 KiB chunk), as real weights are: zipfile checks the
    CRC only on reaching the end of an entry.
    """
    entries = {
        name: model_bin(6, random.Random(name), 64 * 1024) if name.endswith("model.bin") else data
        for name, data in entries.items()
    }
    write_zip(path, entries, compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    weights = next(v for k, v in entries.items() if k.endswith("model.bin"))
    at = data.find(weights) + 100
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_failure_while_unpacking_keeps_the_installed_version(tmp_path: Path, root: Path) -> None:
    old = install_from_file(write_zip(tmp_path / "old.argosmodel", fake_entries(version="1.0")))
    before = snapshot(root)
    bad = _corrupted_zip(tmp_path / "bad.argosmodel", fake_entries(version="1.1"))
    validate_package(bad)  # the damage is in the weights, which checks do not read
    with pytest.raises(ModelError, match="install failed: Bad CRC-32") as caught:
        install_from_file(bad)
    assert caught.value.path == str(bad)
    assert snapshot(root) == before
    assert find_model("en", "ko") == old


def test_failed_swap_puts_the_old_package_back(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = install_from_file(write_zip(tmp_path / "old.argosmodel", fake_entries(version="1.0")))
    before = snapshot(root)
    real_replace = Path.replace

    def failing_replace(self: Path, target: Path) -> Path:
        if Path(target).name == FOLDER:  # the final rename of the new version
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(ModelError, match="install failed: Permission denied"):
        install_from_file(write_zip(tmp_path / "new.argosmodel", fake_entries(version="1.1")))
    assert snapshot(root) == before
    assert find_model("en", "ko") == old


def test_not_enough_disk_space(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from types import SimpleNamespace

    monkeypatch.setattr(shutil, "disk_usage", lambda _path: SimpleNamespace(free=1))
    with pytest.raises(ModelError, match=r"not enough disk space: translate-en_ko 1\.1 needs"):
        install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    assert snapshot(root) == []


# --- staging, and what killed installs leave ----------------------------------


def test_installs_unpack_and_download_beside_the_package_folder(
    server: LoopbackServer, tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflow.models.index

    staging = tmp_path / STAGING_NAME
    assert staging_dir() == staging
    seen: list[Path] = []
    extractall = zipfile.ZipFile.extractall
    download = workflow.models.index._download

    def recording_extractall(self: zipfile.ZipFile, path: Any = None, *args: Any) -> None:
        seen.append(Path(path))
        extractall(self, path, *args)

    def recording_download(url: str, out: Any, **options: Any) -> int:
        seen.append(Path(out.name))
        return download(url, out, **options)

    monkeypatch.setattr(zipfile.ZipFile, "extractall", recording_extractall)
    monkeypatch.setattr(workflow.models.index, "_download", recording_download)
    install_from_file(write_zip(tmp_path / "ja.argosmodel", fake_entries("en", "ja")))
    link = server.add("/ko.argosmodel", write_zip(tmp_path / "ko", fake_entries()).read_bytes())
    install_from_index("ko", index_url=publish(server, index_entry("ko", [link])))
    remove_model("ja")

    assert len(seen) == 3
    for path in seen:
        assert path.is_relative_to(staging) and not path.is_relative_to(root)
        # Per process: named after the pid, so a killed one's leftovers are known.
        assert path.relative_to(staging).parts[0].startswith(f"{os.getpid()}-")
    assert [p for p in snapshot(root) if "/" not in p] == [FOLDER]
    assert not staging.exists(), "an empty staging folder is removed"


_KILLABLE_INSTALL = """
import sys, time, zipfile
from workflow.cli import main

extract = zipfile.ZipFile._extract_member

def slow_extract(self, member, *args):
    result = extract(self, member, *args)
    print("unpacking", flush=True)
    time.sleep(60)
    return result

zipfile.ZipFile._extract_member = slow_extract
sys.exit(main(["models", "install", "--from", sys.argv[1]]))
"""


def test_a_killed_install_leaves_nothing_argostranslate_trips_over(
    tmp_path: Path, root: Path
) -> None:
    install_from_file(write_zip(tmp_path / "ja.argosmodel", fake_entries("en", "ja")))
    ko = write_zip(tmp_path / "ko.argosmodel", fake_entries())
    env = os.environ | {"ARGOS_PACKAGES_DIR": str(root)}
    installer = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_INSTALL, str(ko)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert installer.stdout is not None
        line = installer.stdout.readline()
        assert line == "unpacking\n", installer.stderr.read() if installer.stderr else ""
    finally:
        installer.send_signal(signal.SIGKILL)
        installer.wait(timeout=30)
        if installer.stdout:
            installer.stdout.close()
        if installer.stderr:
            installer.stderr.close()
    assert installer.returncode == -signal.SIGKILL

    # The half-unpacked package sits in the dead process's staging folder.
    [leftover] = staging_dir().iterdir()
    assert leftover.name.startswith(f"{installer.pid}-")
    assert any(p.is_file() for p in leftover.rglob("*"))
    assert snapshot(root)[0] == "translate-en_ja-1_1"
    assert not any(p.startswith(".") for p in snapshot(root))
    assert _argos_packages(tmp_path, root) == ["translate-en_ja-1_1"]
    assert [m.pair for m in installed_models()] == ["en→ja"]

    install_from_file(ko)
    assert not staging_dir().exists(), "the next install removes the leftovers"
    assert _argos_packages(tmp_path, root) == ["translate-en_ja-1_1", FOLDER]


def test_leftovers_of_earlier_versions_are_ignored_then_removed(
    tmp_path: Path, root: Path, l10n: Run
) -> None:
    install_from_file(write_zip(tmp_path / "ja.argosmodel", fake_entries("en", "ja")))
    # What earlier versions left inside the package folder when killed: a
    # half-unpacked package (no metadata.json yet) and a partial download.
    partial = root / ".tmp-k3j2h1g0" / "new" / FOLDER / "model"
    partial.mkdir(parents=True)
    (partial / "model.bin").write_bytes(b"\0" * 1000)
    (root / ".tmp-a1b2c3d4.argosmodel").write_bytes(b"PK\3\4")
    (root / ".tmp-empty").mkdir()

    assert [m.pair for m in installed_models()] == ["en→ja"]
    assert find_model("en", "ko") is None
    code, out, err = l10n("models", "list")
    assert (code, err) == (0, "")
    assert "en→ja" in out and ".tmp" not in out

    install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ja-1_1", FOLDER]
    assert _argos_packages(tmp_path, root) == ["translate-en_ja-1_1", FOLDER]


def test_only_leftovers_of_dead_processes_are_removed(tmp_path: Path, root: Path) -> None:
    import fcntl

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    staging = staging_dir()
    (staging / f"{dead.pid}-abc" / "new").mkdir(parents=True)
    (staging / f"{dead.pid}-abc" / "download-0.argosmodel").write_bytes(b"PK")
    # A running install's work (this process stands in for it) is left alone,
    # and so is a locked one whose pid means nothing here (another container).
    (staging / f"{os.getpid()}-running" / "new").mkdir(parents=True)
    (staging / f"{dead.pid}-locked").mkdir()
    held = os.open(staging / f"{dead.pid}-locked", os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    finally:
        os.close(held)
    assert {p.name for p in staging.iterdir()} == {f"{dead.pid}-locked", f"{os.getpid()}-running"}


def test_unusable_staging_folder_is_one_clear_error(tmp_path: Path, root: Path) -> None:
    # A file where the staging folder belongs stands for any folder that
    # cannot be written (a read-only parent folder; the tests may run as root).
    (tmp_path / STAGING_NAME).write_text("in the way")
    archive = write_zip(tmp_path / "ko.argosmodel", fake_entries())
    with pytest.raises(ModelError, match="cannot use the staging folder") as caught:
        install_from_file(archive)
    assert caught.value.path == str(tmp_path / STAGING_NAME)
    assert f"moved into {root}" in str(caught.value)
    assert snapshot(root) == []


# --- the index and downloads -------------------------------------------------


def test_install_from_index_reports_progress(
    server: LoopbackServer, root: Path, copy_package: Path
) -> None:
    body = copy_package.read_bytes()
    link = server.add(f"/v1/{FOLDER}.argosmodel", body)
    ja = server.add("/v1/translate-en_ja-1_1.argosmodel", b"never downloaded")
    index = publish(
        server,
        index_entry("ja", [ja]),
        index_entry("ko", ["ipfs://QmWecr5i4tJNnokusm97rTUyQtUqNNPufGF7ake1hJVu6G", link]),
        index_entry("ko", [link], version="1.0"),
    )
    progress = Recorder()
    model = install_from_index("ko", index_url=index, progress=progress)

    assert (model.pair, model.label) == ("en→ko", "translate-en_ko 1.1")
    assert find_model("en", "ko") == model
    assert progress.calls[0] == ("start", len(body), "translate-en_ko 1.1")
    assert progress.advanced() == len(body)
    assert progress.calls[-1] == ("finish",)
    assert [c[0] for c in progress.calls].count("finish") == 1
    assert server.requests == ["/index.json", f"/v1/{FOLDER}.argosmodel"]
    assert not any(p.startswith(".") for p in snapshot(root))


def test_next_link_is_tried_and_relative_links_work(
    server: LoopbackServer, tmp_path: Path
) -> None:
    body = write_zip(tmp_path / "ko.argosmodel", fake_entries()).read_bytes()
    server.add("/mirror/ko.argosmodel", body)
    index = server.add(
        "/mirror/index.json",
        json.dumps([index_entry("ko", ["/gone.argosmodel", "ko.argosmodel"])]).encode(),
    )
    progress = Recorder()
    install_from_index("ko", index_url=index, progress=progress)
    assert server.requests == ["/mirror/index.json", "/gone.argosmodel", "/mirror/ko.argosmodel"]
    # The 404 never started a download, so the bar is started and finished once.
    assert [c[0] for c in progress.calls if c[0] != "advance"] == ["start", "finish"]


def test_every_link_failing_names_each(server: LoopbackServer, root: Path) -> None:
    index = publish(server, index_entry("ko", [server.url("/a"), server.url("/b")]))
    with pytest.raises(
        ModelError, match=r"every download link of translate-en_ko 1\.1 failed"
    ) as e:
        install_from_index("ko", index_url=index)
    assert f"{server.url('/a')}: HTTP 404" in str(e.value)
    assert f"{server.url('/b')}: HTTP 404" in str(e.value)
    assert not any(p.startswith(".") for p in snapshot(root))


def test_download_404(server: LoopbackServer, root: Path) -> None:
    link = server.url(f"/v1/{FOLDER}.argosmodel")
    index = publish(server, index_entry("ko", [link]))
    progress = Recorder()
    with pytest.raises(ModelError, match="HTTP 404 Not Found") as caught:
        install_from_index("ko", index_url=index, progress=progress)
    assert caught.value.path == link
    assert progress.calls == []
    assert snapshot(root) == []


def test_index_404(server: LoopbackServer) -> None:
    with pytest.raises(ModelError, match="HTTP 404") as caught:
        fetch_index(server.url("/index.json"))
    assert caught.value.path == server.url("/index.json")


def test_truncated_download(server: LoopbackServer, root: Path, tmp_path: Path) -> None:
    body = write_zip(tmp_path / "ko.argosmodel", fake_entries()).read_bytes()
    half = body[: len(body) // 2]
    link = server.add("/ko.argosmodel", half, content_length=len(body))
    progress = Recorder()
    with pytest.raises(
        ModelError, match=f"download truncated: got {len(half)} of {len(body)} bytes"
    ) as caught:
        install_from_index(
            "ko", index_url=publish(server, index_entry("ko", [link])), progress=progress
        )
    assert caught.value.path == link
    assert progress.calls[0] == ("start", len(body), "translate-en_ko 1.1")
    assert progress.calls[-1] == ("finish",)
    assert snapshot(root) == []


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (fake_entries() | {f"{FOLDER}/../../evil.sh": b"rm -rf ~"}, "climbs out of the package"),
        (fake_entries("en", "ja"), "it translates en→ja, but en→ko is needed"),
        (None, "not a zip archive"),
    ],
    ids=["../ entry", "wrong pair", "not a zip"],
)
def test_downloaded_package_is_checked(
    server: LoopbackServer,
    root: Path,
    tmp_path: Path,
    entries: dict[str, bytes] | None,
    message: str,
) -> None:
    if entries is None:
        body = b"<html><body>Service Unavailable</body></html>"
    else:
        body = write_zip(tmp_path / "pkg.argosmodel", entries).read_bytes()
    link = server.add("/pkg.argosmodel", body)
    with pytest.raises(ModelError, match=message) as caught:
        install_from_index("ko", index_url=publish(server, index_entry("ko", [link])))
    assert caught.value.path == link
    assert snapshot(root) == []


def test_unreachable_index(root: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/index.json"
    with pytest.raises(
        ModelError, match="cannot fetch the package index: Connection refused"
    ) as caught:
        install_from_index("ko", index_url=url, timeout=5)
    assert caught.value.path == url
    assert snapshot(root) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>", "not valid JSON"), (b'{"en": "ko"}', "not a JSON list of packages")],
    ids=["not JSON", "not a list"],
)
def test_bad_index(server: LoopbackServer, body: bytes, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        fetch_index(server.add("/index.json", body))


def test_index_without_the_pair(server: LoopbackServer) -> None:
    index = publish(server, index_entry("ja", [server.url("/ja.argosmodel")]))
    with pytest.raises(ModelError, match="the package index lists no en→ko package") as caught:
        install_from_index("ko", index_url=index)
    assert caught.value.path == index
    only_ipfs = publish(server, index_entry("ko", ["ipfs://Qm"]))
    with pytest.raises(ModelError, match="no http\\(s\\) download link"):
        install_from_index("ko", index_url=only_ipfs)


def test_index_from_a_file_url_or_path(server: LoopbackServer, tmp_path: Path) -> None:
    # An air-gapped mirror: the index is a local file, the packages are served.
    link = server.add("/ko.argosmodel", write_zip(tmp_path / "p", fake_entries()).read_bytes())
    index = tmp_path / "mirror" / "index.json"
    index.parent.mkdir()
    index.write_text(json.dumps([index_entry("ko", [link]), {"type": "sbd"}, "junk"]))
    [entry] = fetch_index(index.as_uri())
    assert (entry.pair, entry.links) == ("en→ko", (link,))
    assert fetch_index(str(index)) == [entry]
    assert install_from_index("ko", index_url=str(index)).pair == "en→ko"
    with pytest.raises(ModelError, match="unsupported URL scheme 'ftp'"):
        fetch_index("ftp://mirror.example/index.json")
    with pytest.raises(ModelError, match="cannot fetch the package index") as caught:
        fetch_index(str(tmp_path / "nowhere.json"))
    assert caught.value.path == (tmp_path / "nowhere.json").as_uri()


# --- the command line ----------------------------------------------------------


def test_cli_index_may_be_a_base_url_or_the_index_file(
    l10n: Run, server: LoopbackServer, tmp_path: Path, root: Path
) -> None:
    link = server.add("/ko.argosmodel", write_zip(tmp_path / "ko", fake_entries()).read_bytes())
    publish(server, index_entry("ko", [link]))
    for location in (server.url("/"), server.base_url, server.url("/index.json")):
        code, out, err = l10n("models", "install", "ko", "--index", location)
        assert code == 0, err
        assert f"installed translate-en_ko 1.1 (en→ko) in {root / FOLDER}" in out
    assert server.requests.count("/index.json") == 3


def test_cli_index_errors_name_the_url_fetched(
    l10n: Run, server: LoopbackServer, root: Path
) -> None:
    code, out, err = l10n("models", "install", "ko", "--index", server.url("/mirror/"))
    assert (code, out) == (2, "")
    assert err == (
        f"l10n: error: {server.url('/mirror/index.json')}: "
        "cannot fetch the package index: HTTP 404 Not Found\n"
    )
    assert snapshot(root) == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("404", "HTTP 404 Not Found"),
        ("truncated", "download truncated: got"),
        ("../ entry", "climbs out of the package with '..'"),
        ("wrong pair", "it translates en→ja, but en→ko is needed"),
        ("not a zip", "not a zip archive"),
    ],
    ids=["404", "truncated", "../ entry", "wrong pair", "not a zip"],
)
def test_cli_download_failures_are_one_line_and_leave_nothing(
    l10n: Run, server: LoopbackServer, tmp_path: Path, root: Path, kind: str, message: str
) -> None:
    good = write_zip(tmp_path / "good.argosmodel", fake_entries()).read_bytes()
    path = f"/packages/{FOLDER}.argosmodel"
    if kind == "truncated":
        server.add(path, good[: len(good) // 2], content_length=len(good))
    elif kind == "../ entry":
        evil = fake_entries() | {f"{FOLDER}/../../evil.sh": b"rm -rf ~"}
        server.add(path, write_zip(tmp_path / "evil.argosmodel", evil).read_bytes())
    elif kind == "wrong pair":
        ja = fake_entries("en", "ja", folder=FOLDER)
        server.add(path, write_zip(tmp_path / "ja.argosmodel", ja).read_bytes())
    elif kind == "not a zip":
        server.add(path, b"<html><body>Service Unavailable</body></html>")
    publish(server, index_entry("ko", [server.url(path)]))

    code, out, err = l10n("models", "install", "ko", "--index", server.url("/"))
    assert (code, out) == (2, "")
    errors = [line for line in err.splitlines() if line.startswith("l10n: error: ")]
    assert errors == [err.splitlines()[-1]]
    assert errors[0].startswith(f"l10n: error: {server.url(path)}: ")
    assert message in errors[0]
    assert snapshot(root) == []
    assert not staging_dir().exists()
    assert not (tmp_path / "evil.sh").exists() and not (root.parent / "evil.sh").exists()


def test_download_progress_shows_the_size(
    l10n: Run, server: LoopbackServer, tmp_path: Path
) -> None:
    from rich.console import Console
    from rich.filesize import decimal

    from workflow.report import DownloadBar

    body = write_zip(tmp_path / "ko.argosmodel", fake_entries()).read_bytes()
    publish(server, index_entry("ko", [server.add("/ko.argosmodel", body)]))

    # At a terminal, a live bar ends showing every byte of the package.
    console = Console(file=io.StringIO(), force_terminal=True, width=120, color_system=None)
    install_from_index("ko", index_url=server.base_url, progress=DownloadBar(console))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    number, unit = decimal(len(body)).split()
    assert "downloading translate-en_ko 1.1" in shown
    assert f"{number}/{number} {unit}" in shown

    # Elsewhere (here: captured stderr), one summary line.
    code, out, err = l10n("models", "install", "ko", "--index", server.base_url)
    assert code == 0, err
    assert out.startswith("installed translate-en_ko 1.1 (en→ko)")
    [line] = err.splitlines()
    assert line.startswith(f"downloaded translate-en_ko 1.1: {format_size(len(body))} in ")


def test_cli_reports_languages_no_file_provides(l10n: Run, tmp_path: Path, root: Path) -> None:
    ko = write_zip(tmp_path / "ko.argosmodel", fake_entries())
    code, out, err = l10n("models", "install", "ko", "ja", "zh", "--from", ko)
    assert code == 1
    assert out == f"installed translate-en_ko 1.1 (en→ko) in {root / FOLDER}\n"
    assert err.splitlines() == [
        f"l10n: error: en→{lang} not installed: none of the files given is an en→{lang} package"
        for lang in ("ja", "zh")
    ]
    assert [m.pair for m in installed_models()] == ["en→ko"]


def test_cli_refuses_two_files_for_one_pair(l10n: Run, tmp_path: Path, root: Path) -> None:
    ja = write_zip(tmp_path / "ja.argosmodel", fake_entries("en", "ja"))
    first = write_zip(tmp_path / "a" / "ko.argosmodel", fake_entries(version="1.0"))
    second = write_zip(tmp_path / "b" / "ko.argosmodel", fake_entries(version="1.1"))
    code, out, err = l10n("models", "install", "--from", ja, first, second)
    assert (code, out) == (2, "")
    assert err == (
        f"l10n: error: {first} and {second} are both en→ko packages; "
        "give one file per language (nothing was installed)\n"
    )
    assert snapshot(root) == []


def test_cli_checks_every_file_before_installing_any(
    l10n: Run, tmp_path: Path, root: Path
) -> None:
    ko = write_zip(tmp_path / "ko.argosmodel", fake_entries())
    broken = tmp_path / "ja.argosmodel"
    broken.write_bytes(b"not a zip")
    code, _, err = l10n("models", "install", "--from", ko, broken)
    assert code == 2
    assert err == f"l10n: error: {broken}: invalid Argos package: not a zip archive\n"
    assert snapshot(root) == []


def test_cli_refuses_a_format_6_model_without_config_json(
    l10n: Run, tmp_path: Path, root: Path
) -> None:
    stripped = write_zip(
        tmp_path / "ko.argosmodel", _edit(**{"model/config.json": None})(fake_entries())
    )
    code, out, err = l10n("models", "install", "--from", stripped)
    assert (code, out) == (2, "")
    assert err == (
        f"l10n: error: {stripped}: invalid Argos package: model/model.bin is in CTranslate2 "
        "format 6, which keeps the model's settings in model/config.json, and the package "
        "has none: CTranslate2 cannot load it\n"
    )
    assert snapshot(root) == []


def test_cli_list_shows_whole_paths_when_piped(
    l10n: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "a-rather-long-folder-name" / "and-another-one-below-it" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(deep))
    monkeypatch.setenv("COLUMNS", "80")
    install_from_file(write_zip(tmp_path / "ko.argosmodel", fake_entries()))
    code, out, _ = l10n("models", "list")
    assert code == 0
    assert "…" not in out
    # The path column is the last one; folded, its pieces join up again.
    rows = [line for line in out.splitlines() if line.startswith("│")]
    path = "".join(line.rstrip(" │").rsplit("│", 1)[1].strip() for line in rows)
    assert path == str(deep / FOLDER)
    assert len(rows) > 1 and max(len(line) for line in rows) <= 80
    assert f"Argos models in {deep}" in out


# --- helpers for argostranslate in a subprocess --------------------------------


def _isolated_env(tmp_path: Path, packages: Path | None = None) -> dict[str, str]:
    """An environment in which importing argostranslate creates folders only in `tmp_path`."""
    home = tmp_path / "argos-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_", "SNAP"))}
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    if packages is not None:
        env["ARGOS_PACKAGES_DIR"] = str(packages)
    return env


def _argos_packages(tmp_path: Path, root: Path) -> list[str]:
    """The folders argostranslate.package.get_installed_packages() lists in `root`."""
    code = (
        "import json; from argostranslate import package; print(json.dumps(sorted("
        "p.package_path.name for p in package.get_installed_packages())))"
    )
    names: list[str] = json.loads(_argos_python(code, _isolated_env(tmp_path, root)))
    return names


def _argos_python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
