"""Argos packages: their metadata, the installed ones, and checking a package file.

The one module that reads the Argos package format (a zip holding one folder
with ``metadata.json``, a CTranslate2 ``model/`` folder and a
``sentencepiece.model`` or ``bpe.model``), with argostranslate's defaults, and
the CTranslate2 model format as far as an install must check it.
"""

from __future__ import annotations

import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.errors import ModelError
from workflow.models.locations import _reason, packages_dir
from workflow.units import format_size

if TYPE_CHECKING:
    from workflow.engines.argos import ModelFiles

#: Largest unpacked size `validate_package` accepts; the real en→ko and en→ja
#: packages unpack to about 300 MB.
DEFAULT_MAX_BYTES = 4 * 1024**3

#: Largest ratio of unpacked to packed size. Model weights barely compress
#: (about 1.1:1, a hand-set copy model full of zeros 5:1), while a zip bomb
#: reaches 1,000:1.
DEFAULT_MAX_RATIO = 100.0

#: Below this unpacked size the ratio is not checked: a few small text files
#: compress far better than any model and cannot fill a disk.
_RATIO_FLOOR = 1024**2

#: metadata.json is a few hundred bytes; refuse to read a huge one into memory.
_MAX_METADATA_BYTES = 1024**2
_TOKENIZERS = ("sentencepiece.model", "bpe.model")
# What CTranslate2 loads as a translation model's vocabulary: one shared file,
# or a source and a target file; each JSON (CTranslate2 3 and later) or one
# token a line (older conversions, which also have no config.json).
_VOCABULARIES = (("shared_vocabulary",), ("source_vocabulary", "target_vocabulary"))
_VOCABULARY_SUFFIXES = (".json", ".txt")
#: From this CTranslate2 binary format on (CTranslate2 3.0 and later), a model's
#: settings (special tokens, add_source_eos, ...) live in ``config.json``, and
#: CTranslate2 4.8 fails to load a model without it; below it, CTranslate2
#: takes them from flags in ``model.bin`` or defaults.
_CONFIG_FORMAT = 6
#: The format number in the first bytes of ``model.bin`` grows by one per
#: incompatible change (6 in 2026); far beyond that, the file is something else.
_MAX_PLAUSIBLE_FORMAT = 255


class _PackageName:
    """Naming shared by installed packages, package files and index entries."""

    from_code: str
    to_code: str
    code: str
    package_version: str

    @property
    def pair(self) -> str:
        """The language pair, e.g. ``en→ko``."""
        return f"{self.from_code}→{self.to_code}"

    @property
    def label(self) -> str:
        """Name and version, e.g. ``translate-en_ko 1.1``."""
        return f"{self.code} {self.package_version}".strip()


@dataclass(frozen=True)
class InstalledModel(_PackageName):
    """A translation package installed in `packages_dir`.

    >>> model = InstalledModel(
    ...     from_code="en", to_code="ko", package_version="1.1", code="translate-en_ko",
    ...     path=Path("packages/translate-en_ko-1_1"), size_bytes=0,
    ...     model_dir=Path("packages/translate-en_ko-1_1/model"),
    ...     tokenizer_path=Path("packages/translate-en_ko-1_1/sentencepiece.model"),
    ...     target_prefix="")
    >>> model.pair, model.label
    ('en→ko', 'translate-en_ko 1.1')
    """

    from_code: str
    to_code: str
    package_version: str
    #: The argospm name, e.g. ``translate-en_ko``.
    code: str
    #: The package's folder.
    path: Path
    #: Bytes on disk, all files of the folder together.
    size_bytes: int
    #: The CTranslate2 model folder.
    model_dir: Path
    #: ``sentencepiece.model`` or ``bpe.model`` (which may be missing in a
    #: damaged package: `files` says so).
    tokenizer_path: Path
    #: A token the decoder must start with (empty for most packages).
    target_prefix: str

    def files(self) -> ModelFiles:
        """What the Argos engine loads; a `ModelError` if a file is missing."""
        from workflow.engines.argos import ModelFiles

        for needed in (self.model_dir / "model.bin", self.tokenizer_path):
            if not needed.is_file():
                rel = needed.relative_to(self.path).as_posix()
                raise ModelError(
                    f"damaged package {self.label}: {rel} is missing; install it again",
                    path=self.path,
                )
        return ModelFiles(
            model_dir=self.model_dir,
            tokenizer_path=self.tokenizer_path,
            target_prefix=self.target_prefix,
            label=self.label,
        )


@dataclass(frozen=True)
class PackageInfo(_PackageName):
    """What `validate_package` found in a package file that passed every check."""

    archive: Path
    #: The zip's single top folder, which becomes the installed folder's name.
    folder: str
    from_code: str
    to_code: str
    package_version: str
    code: str
    target_prefix: str
    #: ``sentencepiece.model`` or ``bpe.model``.
    tokenizer: str
    unpacked_bytes: int


# --- installed packages ------------------------------------------------------


def installed_models() -> list[InstalledModel]:
    """Every translation package in `packages_dir`, sorted by language pair and folder.

    Folders that are not translation packages are skipped: hidden ones
    (such as what an install of an earlier version left when it was killed),
    those without a readable ``metadata.json``, and packages of another
    ``type`` (sentence splitters).
    """
    root = packages_dir()
    try:
        folders = sorted(root.iterdir()) if root.is_dir() else []
    except OSError as err:
        raise ModelError(f"cannot list installed models: {_reason(err)}", path=root) from err
    models = [
        model
        for folder in folders
        if not folder.name.startswith(".") and folder.is_dir()
        for model in [_read_installed(folder)]
        if model is not None
    ]
    return sorted(models, key=lambda m: (m.from_code, m.to_code, m.path.name))


def find_model(from_code: str, to_code: str) -> InstalledModel | None:
    """The installed package for this pair; the newest if several are installed."""
    candidates = _installed_pair(from_code, to_code)
    if not candidates:
        return None
    return max(candidates, key=lambda m: (version_key(m.package_version), m.path.name))


def _installed_pair(from_code: str, to_code: str) -> list[InstalledModel]:
    return [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """A sort key that orders package versions numerically.

    >>> sorted(["1.10", "1.9", "1.1", "2.0a"], key=version_key)
    ['1.1', '1.9', '1.10', '2.0a']
    """
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"[._-]", version)
        if part
    )


def _read_installed(folder: Path) -> InstalledModel | None:
    """The package in `folder`, read as argostranslate's ``Package`` reads it."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        return None
    # argostranslate prefers the SentencePiece model when both are present.
    tokenizer = next(
        (folder / name for name in _TOKENIZERS if (folder / name).is_file()),
        folder / _TOKENIZERS[0],
    )
    return InstalledModel(
        from_code=from_code,
        to_code=to_code,
        package_version=_text(metadata.get("package_version")),
        code=_text(metadata.get("code")) or f"translate-{from_code}_{to_code}",
        path=folder,
        size_bytes=_folder_size(folder),
        model_dir=folder / "model",
        tokenizer_path=tokenizer,
        target_prefix=_text(metadata.get("target_prefix")),
    )


def _folder_size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(dirpath) / name).lstat().st_size
            except OSError:
                continue
    return total


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


# --- checking a package file -------------------------------------------------


def validate_package(
    archive: Path,
    *,
    from_code: str = "en",
    to_code: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> PackageInfo:
    """Check a ``.argosmodel`` file without unpacking it; a `ModelError` names what is wrong.

    Checked: it is a zip of one top folder; no entry is an absolute path, a
    ``..`` path, a symbolic link or encrypted; it does not unpack to more
    than `max_bytes` nor compress more than `max_ratio` to 1 (zip bombs);
    ``metadata.json`` is a JSON object of type ``translate`` (no type means
    translate, as for argostranslate) from `from_code` to `to_code` (any
    target if ``None``); ``model/model.bin``, a vocabulary
    (``model/shared_vocabulary.json`` or ``.txt``, or a source and a target
    vocabulary) and a ``sentencepiece.model`` or ``bpe.model`` are there.
    ``model/config.json`` is required only from CTranslate2's binary format 6
    on, read from the first four bytes of ``model.bin``: the real en→ko and
    en→ja 1.1 packages are format 4 and have none, while a format-6 model
    without it would install and then fail to load.
    """
    with _open_zip(archive) as zf:
        return _check_package(
            zf,
            archive,
            from_code=from_code,
            to_code=to_code,
            max_bytes=max_bytes,
            max_ratio=max_ratio,
        )


def _open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise ModelError("no such file", path=archive) from None
    except IsADirectoryError:
        raise ModelError("is a folder, not a package file", path=archive) from None
    except (zipfile.BadZipFile, EOFError):
        raise _invalid(archive, "not a zip archive") from None
    except OSError as err:
        raise ModelError(f"cannot read the package: {_reason(err)}", path=archive) from err


def _invalid(archive: Path | str, reason: str) -> ModelError:
    return ModelError(f"invalid Argos package: {reason}", path=archive)


def _check_package(
    zf: zipfile.ZipFile,
    archive: Path,
    *,
    from_code: str,
    to_code: str | None,
    max_bytes: int,
    max_ratio: float,
) -> PackageInfo:
    entries = zf.infolist()
    if not entries:
        raise _invalid(archive, "the zip archive is empty")
    for entry in entries:
        problem = _unsafe_entry(entry)
        if problem:
            raise _invalid(archive, f"entry {entry.filename!r} {problem}")
    folder = _top_folder(archive, entries)
    _check_sizes(archive, entries, max_bytes=max_bytes, max_ratio=max_ratio)

    names = {entry.filename for entry in entries}
    metadata = _read_metadata(zf, archive, f"{folder}/metadata.json")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise _invalid(archive, f"a {kind!r} package, not a translation package")
    pkg_from, pkg_to = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(pkg_from, str) or not isinstance(pkg_to, str) or not pkg_from or not pkg_to:
        raise _invalid(archive, "metadata.json lacks from_code or to_code")
    wanted_to = pkg_to if to_code is None else to_code
    if (pkg_from, pkg_to) != (from_code, wanted_to):
        raise _invalid(
            archive, f"it translates {pkg_from}→{pkg_to}, but {from_code}→{wanted_to} is needed"
        )
    if f"{folder}/model/model.bin" not in names:
        raise _invalid(archive, "no CTranslate2 model: model/model.bin is missing")
    binary_format = _binary_format(zf, archive, f"{folder}/model/model.bin")
    if binary_format >= _CONFIG_FORMAT and f"{folder}/model/config.json" not in names:
        raise _invalid(
            archive,
            f"model/model.bin is in CTranslate2 format {binary_format}, which keeps the "
            "model's settings in model/config.json, and the package has none: "
            "CTranslate2 cannot load it",
        )
    if not any(
        all(
            any(f"{folder}/model/{stem}{suffix}" in names for suffix in _VOCABULARY_SUFFIXES)
            for stem in group
        )
        for group in _VOCABULARIES
    ):
        raise _invalid(
            archive,
            "no CTranslate2 vocabulary: model/ has no shared_vocabulary.json (or .txt), "
            "nor a source_vocabulary and a target_vocabulary",
        )
    tokenizer = next((t for t in _TOKENIZERS if f"{folder}/{t}" in names), None)
    if tokenizer is None:
        raise _invalid(archive, "no tokenizer: neither sentencepiece.model nor bpe.model")
    return PackageInfo(
        archive=archive,
        folder=folder,
        from_code=pkg_from,
        to_code=pkg_to,
        package_version=_text(metadata.get("package_version")),
        code=_text(metadata.get("code")) or f"translate-{pkg_from}_{pkg_to}",
        target_prefix=_text(metadata.get("target_prefix")),
        tokenizer=tokenizer,
        unpacked_bytes=sum(entry.file_size for entry in entries),
    )


def _unsafe_entry(entry: zipfile.ZipInfo) -> str | None:
    """Why this entry must not be unpacked, or ``None``."""
    name = entry.filename
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        # A path separator on Windows, where "a\..\b" would climb out.
        return "contains a backslash"
    if ".." in name.split("/"):
        return "climbs out of the package with '..'"
    if (entry.external_attr >> 16) & 0o170000 == 0o120000:
        return "is a symbolic link"
    if entry.flag_bits & 0x1:
        return "is encrypted"
    return None


def _top_folder(archive: Path, entries: Sequence[zipfile.ZipInfo]) -> str:
    loose = [e.filename for e in entries if "/" not in e.filename]
    if loose:
        raise _invalid(archive, f"{loose[0]!r} is a file at the top; expected one folder")
    tops = sorted({entry.filename.split("/", 1)[0] for entry in entries})
    if len(tops) != 1:
        shown = ", ".join(repr(t) for t in tops[:5]) + (", ..." if len(tops) > 5 else "")
        raise _invalid(archive, f"expected one top folder, found {len(tops)}: {shown}")
    top = tops[0]
    if top in ("", ".") or top.startswith("."):
        raise _invalid(archive, f"the top folder {top!r} is hidden or unnamed")
    return top


def _check_sizes(
    archive: Path, entries: Sequence[zipfile.ZipInfo], *, max_bytes: int, max_ratio: float
) -> None:
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > max_bytes:
        raise _invalid(
            archive,
            f"it unpacks to {format_size(unpacked)}, over the {format_size(max_bytes)} limit",
        )
    # Entries sharing compressed data (the "overlapping" zip bomb) claim more
    # compressed bytes than the file holds.
    if packed > archive.stat().st_size:
        raise _invalid(archive, "its entries overlap (a zip bomb?)")
    if unpacked > _RATIO_FLOOR and unpacked > max_ratio * max(packed, 1):
        raise _invalid(
            archive,
            f"it unpacks {unpacked / max(packed, 1):.0f} times its packed size, "
            f"over the {max_ratio:.0f}:1 limit (a zip bomb?)",
        )


def _binary_format(zf: zipfile.ZipFile, archive: Path, name: str) -> int:
    """The CTranslate2 binary format of ``model.bin``: its first four bytes, little-endian.

    Only those bytes are decompressed. Formats 1 to 6 exist (CTranslate2 4.8
    writes 6); a number beyond any plausible format means the file is no
    CTranslate2 model at all.
    """
    try:
        with zf.open(name) as weights:
            head = weights.read(4)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        raise _invalid(archive, f"model/model.bin is damaged: {_reason(err)}") from None
    if len(head) < 4:
        raise _invalid(archive, "model/model.bin is too short to be a CTranslate2 model")
    number: int = struct.unpack("<I", head)[0]
    if not 1 <= number <= _MAX_PLAUSIBLE_FORMAT:
        raise _invalid(
            archive, f"model/model.bin is not a CTranslate2 model (format number {number})"
        )
    return number


def _read_metadata(zf: zipfile.ZipFile, archive: Path, name: str) -> dict[str, Any]:
    try:
        entry = zf.getinfo(name)
    except KeyError:
        raise _invalid(archive, f"no {name}") from None
    if entry.file_size > _MAX_METADATA_BYTES:
        raise _invalid(archive, f"{name} is {format_size(entry.file_size)}, too large")
    try:
        data = json.loads(zf.read(entry).decode("utf-8"))
    except json.JSONDecodeError as err:
        raise _invalid(archive, f"{name} line {err.lineno}: not valid JSON: {err.msg}") from None
    except UnicodeDecodeError:
        raise _invalid(archive, f"{name} is not UTF-8 text") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise _invalid(archive, f"{name} is damaged: {err}") from None
    if not isinstance(data, dict):
        raise _invalid(archive, f"{name} does not hold a JSON object")
    return data
