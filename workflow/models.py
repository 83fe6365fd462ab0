"""Argos Translate models: where they live, which are installed, installing and removing them.

This is the one module that knows the Argos package format (a zip holding one
folder with ``metadata.json``, a CTranslate2 ``model/`` folder and a
``sentencepiece.model`` or ``bpe.model``) and where argostranslate keeps
packages, so that a model installed with ``argospm`` is found here and one
installed here is used by ``argospm`` and argostranslate alike.

What comes from argostranslate and what is our own. The project depends on
``argos-translate-lt``, the distribution of ``argostranslate`` without torch,
stanza or spacy, so importing it is cheap now; the choice below is made
module by module, for measured reasons, not by habit:

* From argostranslate: its rules and formats, not re-invented. The package
  folder is argostranslate's (``ARGOS_PACKAGES_DIR``, then ``settings.json``,
  then the XDG data folder), the index is argospm's (``ARGOS_PACKAGE_INDEX``,
  a base URL to which ``index.json`` is appended), and a package is read with
  argostranslate's defaults (no ``type`` means a translation package, the
  SentencePiece model wins over ``bpe.model``, ``code`` defaults to
  ``translate-FROM_TO``). The tests run argostranslate itself, in a fresh
  subprocess, and check that it lists exactly the packages
  `installed_models` lists, and that its default index is ours.
* Our own, reading argostranslate's folder directly instead of calling
  ``argostranslate.package``:

  - Importing ``argostranslate.package`` imports ``argostranslate.settings``,
    which creates five folders under the home directory (config, cache,
    downloads, data, packages; measured in an empty HOME) and reads
    ``ARGOS_PACKAGES_DIR`` once, at first import: the folder can no longer
    change within the process, so a library (and the tests) could not point
    it elsewhere, and ``l10n models list`` would write to the home directory.
    `packages_dir` applies the same rules afresh on every call and creates
    nothing.
  - ``install_from_path`` extracts any zip as it is, straight into the
    package folder, with no check at all (``../`` entries, several top
    folders, a zip bomb, a format-6 model without ``config.json``), so a
    bad or interrupted install leaves half a package that breaks every later
    listing. `validate_package` checks the file before anything is unpacked,
    and installs are atomic (below).
  - ``install_from_path`` and ``uninstall`` import ``argostranslate.translate``
    to clear a cache: 0.4 s and 67 MB with argos-translate-lt (against 3 s
    and 760 MB with torch), plus onnxruntime, which creates a folder of its
    own under ``~/.cache``; ``l10n models`` needs none of it.
  - ``update_package_index`` writes the index to one fixed file and
    ``networking.get`` fetches http(s) only, without progress or size
    checks; `fetch_index` reads any index (http(s), ``file://`` or a path)
    into memory, bounded, and downloads report progress and refuse
    truncated files.

Installs are atomic, and nothing but whole packages ever sits in the
package folder, because argostranslate reads every sub-folder of it as a
package, hidden or not, and stops with an error at one without a
``metadata.json``. A package file is checked before anything is written;
downloads and unpacking happen in a private staging folder beside the package
folder (``.l10n-staging``, on the same file system), and the finished package
is renamed into place; a previous package for the same language pair is
renamed out into the staging folder first and deleted last. A process killed
halfway (even with SIGKILL) leaves its staging folder behind, never a broken
package: the next install or removal deletes staging folders whose process is
gone, and the ``.tmp-*`` leftovers that earlier versions unpacked inside the
package folder itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from workflow import __version__
from workflow.errors import ModelError, UsageError

if TYPE_CHECKING:
    from workflow.engines.argos import ModelFiles

#: The argospm index, as argostranslate builds it from its default
#: ``ARGOS_PACKAGE_INDEX`` (a base URL to which it appends ``index.json``).
#: Any index location is read with `resolve_index`.
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"

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

#: The index is about 30 kB.
_MAX_INDEX_BYTES = 16 * 1024**2

_CHUNK_BYTES = 256 * 1024
_DOWNLOAD_SCHEMES = ("http", "https", "file")
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
_USER_AGENT = f"l10n-workflow/{__version__}"

#: The folder, beside `packages_dir`, where installs download and unpack.
STAGING_NAME = ".l10n-staging"
# What versions before the staging folder left inside the package folder
# when killed: tempfile names with this prefix.
_LEGACY_TMP_PREFIX = ".tmp-"


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


@dataclass(frozen=True)
class IndexEntry(_PackageName):
    """One package listed in a package index (see `parse_index`)."""

    from_code: str
    to_code: str
    package_version: str
    code: str
    #: Download links, made absolute; links of other kinds (``ipfs://``) are
    #: kept here but never used.
    links: tuple[str, ...]
    type: str = "translate"


class DownloadProgress(Protocol):
    """Receives the progress of a download (a progress bar, or a test's recorder).

    `start` is called once the size is known (``None`` when the server does
    not say), `advance` after each chunk, and `finish` once after every
    `start`, whether the download succeeded or not.
    """

    def start(self, total_bytes: int | None, description: str) -> None:
        """A download of `total_bytes` begins."""

    def advance(self, n: int) -> None:
        """`n` more bytes arrived."""

    def finish(self) -> None:
        """The download is over."""


# --- where packages live -----------------------------------------------------


def packages_dir() -> Path:
    """The folder argostranslate installs packages into, by its own rules.

    ``ARGOS_PACKAGES_DIR`` if set, else the same key in argostranslate's
    ``settings.json``, else ``argos-translate/packages`` under
    ``XDG_DATA_HOME`` (default ``~/.local/share``). Read on every call, never
    created here.
    """
    configured = os.environ.get("ARGOS_PACKAGES_DIR") or _argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    return _xdg_dir("XDG_DATA_HOME", Path(".local", "share")) / "argos-translate" / "packages"


def staging_dir() -> Path:
    """Where installs download and unpack: `STAGING_NAME` beside `packages_dir`.

    It must be on the package folder's file system, so that a finished
    package can be renamed into place, and it must not be inside it.
    """
    return packages_dir().parent / STAGING_NAME


def default_index_url() -> str:
    """The index argostranslate reads: `resolve_index` of ``ARGOS_PACKAGE_INDEX``, or the default.

    ``ARGOS_PACKAGE_INDEX`` (environment or ``settings.json``) is the base
    URL of a mirror of the argospm index, as for ``argospm``; the URL of an
    index file ending in ``.json`` is accepted too.
    """
    location = os.environ.get("ARGOS_PACKAGE_INDEX") or _argos_setting("ARGOS_PACKAGE_INDEX")
    return resolve_index(location) if location else DEFAULT_INDEX_URL


def resolve_index(location: str | None) -> str:
    """The URL of the index file that `location` names; `default_index_url` for ``None``.

    A location whose path ends in ``.json`` is the index file itself; any
    other is a base (a mirror's folder) to which ``index.json`` is appended,
    which is argostranslate's convention for ``ARGOS_PACKAGE_INDEX``. A local
    path becomes a ``file://`` URL.

    >>> resolve_index("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/index.json'
    >>> resolve_index("https://mirror.example/argos")
    'https://mirror.example/argos/index.json'
    >>> resolve_index("https://mirror.example/argos/index-2024.json?v=2")
    'https://mirror.example/argos/index-2024.json?v=2'
    """
    if not location:
        return default_index_url()
    url = _as_url(location)
    parts = urlsplit(url)
    if parts.path.lower().endswith(".json"):
        return url
    # argostranslate appends "index.json" to the base as it is; a base
    # without its final slash would give ".../mainindex.json".
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path + "index.json"))


def _home() -> Path:
    # argostranslate's rule: inside a snap, the snap's data folder is home.
    snap_home = os.environ.get("SNAP_USER_DATA") if "SNAP" in os.environ else None
    return Path(snap_home) if snap_home else Path.home()


def _xdg_dir(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else _home() / default


def _argos_setting(key: str) -> str | None:
    """A value from argostranslate's ``settings.json``, if it has one."""
    settings = _xdg_dir("XDG_CONFIG_HOME", Path(".config")) / "argos-translate" / "settings.json"
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # argostranslate also ignores a missing or broken settings file.
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


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


def remove_model(to_code: str, *, from_code: str = "en") -> list[InstalledModel]:
    """Remove every installed package for this pair (normally one); return what was removed.

    Each folder is renamed out into the staging folder first and deleted
    there, so a package is either whole or gone.
    """
    root = packages_dir()
    if not _installed_pair(from_code, to_code):
        raise ModelError(f"no {from_code}→{to_code} model is installed", path=root)
    with _workspace(root) as work, _packages_lock(root):
        # Listed again under the lock: a concurrent install may have swapped.
        doomed = _installed_pair(from_code, to_code)
        for i, model in enumerate(doomed):
            try:
                model.path.replace(work / str(i))
            except OSError as err:
                raise ModelError(
                    f"cannot remove {model.label}: {_reason(err)}", path=model.path
                ) from err
    return doomed


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


# --- installing --------------------------------------------------------------


def install_from_file(
    archive: Path,
    *,
    to_code: str | None = None,
    from_code: str = "en",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> InstalledModel:
    """Check a ``.argosmodel`` file (see `validate_package`) and install it atomically.

    Any package already installed for the same language pair is replaced.
    On failure the package folder is left exactly as it was.
    """
    root = _ensure_packages_dir()
    with _workspace(root) as work:
        return _install_archive(
            archive,
            root,
            work,
            from_code=from_code,
            to_code=to_code,
            max_bytes=max_bytes,
            max_ratio=max_ratio,
        )


@dataclass(frozen=True)
class FilePlan:
    """What `plan_file_install` found: the packages to install, and what none provides."""

    packages: tuple[PackageInfo, ...]
    #: Languages asked for that none of the files translates into.
    missing: tuple[str, ...]


def plan_file_install(
    archives: Sequence[Path], languages: Sequence[str] = (), *, from_code: str = "en"
) -> FilePlan:
    """Check every package file before any is installed.

    Each file must pass `validate_package` and translate from `from_code`
    into one of `languages` (into any language if none is named); two files
    for the same pair are refused, since only one could stay installed.
    """
    packages: list[PackageInfo] = []
    by_pair: dict[str, PackageInfo] = {}
    for archive in archives:
        info = validate_package(archive, from_code=from_code)
        if languages and info.to_code not in languages:
            raise UsageError(
                f"{archive} is an {info.pair} package, not one of: {', '.join(languages)}"
            )
        if info.pair in by_pair:
            raise UsageError(
                f"{by_pair[info.pair].archive} and {archive} are both {info.pair} packages; "
                "give one file per language (nothing was installed)"
            )
        by_pair[info.pair] = info
        packages.append(info)
    provided = {info.to_code for info in packages}
    missing = tuple(lang for lang in dict.fromkeys(languages) if lang not in provided)
    return FilePlan(tuple(packages), missing)


def _install_archive(
    archive: Path,
    root: Path,
    work: Path,
    *,
    from_code: str,
    to_code: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> InstalledModel:
    """Install `archive` into `root`, unpacking it in `work` (a `_workspace`)."""
    with _open_zip(archive) as zf:
        # Checked and unpacked through the same open file, so that what is
        # unpacked is what was checked.
        info = _check_package(
            zf,
            archive,
            from_code=from_code,
            to_code=to_code,
            max_bytes=max_bytes,
            max_ratio=max_ratio,
        )
        try:
            free = shutil.disk_usage(work).free
        except OSError as err:
            raise ModelError(f"cannot write here: {_reason(err)}", path=work) from err
        if info.unpacked_bytes > free:
            raise ModelError(
                f"not enough disk space: {info.label} needs "
                f"{format_size(info.unpacked_bytes)}, {format_size(free)} free",
                path=root,
            )
        new, old = work / "new", work / "old"
        final = root / info.folder
        try:
            zf.extractall(new)
            with _packages_lock(root):
                replaced = [m.path for m in _installed_pair(info.from_code, info.to_code)]
                if (final.exists() or final.is_symlink()) and final not in replaced:
                    replaced.append(final)
                _swap_in(new / info.folder, final, replaced, trash=old)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as err:
            raise ModelError(f"install failed: {_reason(err)}", path=archive) from err
        finally:
            # The replaced packages go now; a second attempt in the same
            # workspace (the next download link) starts empty.
            shutil.rmtree(new, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
    model = _read_installed(final)
    if model is None:  # only if something changed the folder meanwhile
        raise ModelError("the installed package cannot be read back", path=final)
    return model


def _ensure_packages_dir() -> Path:
    root = packages_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ModelError(f"cannot create the package folder: {_reason(err)}", path=root) from err
    return root


@contextlib.contextmanager
def _workspace(root: Path) -> Iterator[Path]:
    """A private folder in `staging_dir` for one install or removal, deleted afterwards.

    Its name starts with the process id and the process holds a lock on it,
    so that the next install can tell the leftovers of a killed process from
    the work of a running one (see `_remove_leftovers`).
    """
    staging = root.parent / STAGING_NAME
    try:
        work, held = _new_workspace(staging, root)
    except OSError as err:
        raise ModelError(
            f"cannot use the staging folder, where models are unpacked before they are "
            f"moved into {root}: {_reason(err)}",
            path=staging,
        ) from err
    try:
        # Should stat fail, the final rename will say what is wrong.
        apart = False
        with contextlib.suppress(OSError):
            apart = work.stat().st_dev != root.stat().st_dev
        if apart:
            raise ModelError(
                f"the package folder {root} is on another file system than the staging "
                "folder beside it (a mount point?), so packages cannot be moved into it "
                "at once; set ARGOS_PACKAGES_DIR to a folder inside it",
                path=staging,
            )
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(held)
        with contextlib.suppress(OSError):
            # Succeeds only when empty, that is when no other install runs.
            staging.rmdir()


def _new_workspace(staging: Path, root: Path) -> tuple[Path, int]:
    """Create and lock a workspace in `staging`; return it and the lock's descriptor."""
    attempts = 0
    while True:
        try:
            staging.mkdir(exist_ok=True)
            _remove_leftovers(staging, root)
            work = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=staging))
            break
        except FileNotFoundError:
            # Another install removes the staging folder when it finishes and
            # finds it empty, possibly between our creating it and using it.
            attempts += 1
            if attempts == 5:
                raise
    held = os.open(work, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(held)
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work, held


def _remove_leftovers(staging: Path, root: Path) -> None:
    """Delete what killed installs left: workspaces of dead processes, old ``.tmp-*``.

    A workspace goes when its process is gone and nobody holds its lock. The
    lock alone would leave a moment between creating a workspace and locking
    it; the process id alone may name another process of another pid
    namespace (a container) sharing the folder, or a reused id.
    Best effort: what cannot be deleted stays, and the install goes on.
    """
    for entry in staging.iterdir():
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)) and _unlocked(entry):
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if not entry.name.startswith(_LEGACY_TMP_PREFIX):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists (a reused id keeps a leftover until it ends too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _unlocked(folder: Path) -> bool:
    """Whether no process holds the lock `_workspace` takes on `folder`."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def _packages_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the package folder while packages are swapped.

    Two installs of the same pair may unpack at once; the lock makes each
    see the other's result when it decides what to replace. It is the
    operating system's (``flock``), so it vanishes with a killed process.
    """
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError as err:
        raise ModelError(f"cannot lock the package folder: {_reason(err)}", path=root) from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _swap_in(new: Path, final: Path, replaced: Iterable[Path], *, trash: Path) -> None:
    """Rename the old packages into `trash` and `new` to `final`; undo on failure."""
    trash.mkdir()
    moved: list[tuple[Path, Path]] = []
    try:
        for i, old in enumerate(replaced):
            aside = trash / str(i)
            old.replace(aside)
            moved.append((old, aside))
        new.replace(final)
    except BaseException:
        # Also on Ctrl-C: `trash` is deleted next, with whatever is in it.
        for old, aside in reversed(moved):
            try:
                aside.replace(old)
            except OSError:
                continue
        raise


# --- the package index and downloads -----------------------------------------


def parse_index(data: bytes | str, *, base_url: str) -> list[IndexEntry]:
    """The packages listed in an argospm index (a JSON list of package metadata).

    Relative links are resolved against `base_url`, so a mirror can list its
    packages next to its index. Entries without language codes are skipped.

    >>> text = '[{"from_code": "en", "to_code": "ko", "package_version": "1.1",'
    >>> text += ' "links": ["ipfs://Qm", "translate-en_ko-1_1.argosmodel"]}]'
    >>> [entry] = parse_index(text, base_url="https://mirror.example/argos/index.json")
    >>> entry.label, entry.links[1]
    ('translate-en_ko 1.1', 'https://mirror.example/argos/translate-en_ko-1_1.argosmodel')
    """
    try:
        index = json.loads(data)
    except (ValueError, UnicodeDecodeError) as err:
        raise ModelError(f"the package index is not valid JSON: {err}", path=base_url) from None
    if not isinstance(index, list):
        raise ModelError("the package index is not a JSON list of packages", path=base_url)
    entries = []
    for item in index:
        if not isinstance(item, dict):
            continue
        from_code, to_code = item.get("from_code"), item.get("to_code")
        if not isinstance(from_code, str) or not isinstance(to_code, str):
            continue
        links = item.get("links")
        links = links if isinstance(links, list) else []
        kind = _text(item.get("type")) or "translate"
        entries.append(
            IndexEntry(
                from_code=from_code,
                to_code=to_code,
                package_version=_text(item.get("package_version")),
                code=_text(item.get("code")) or f"{kind}-{from_code}_{to_code}",
                links=tuple(urljoin(base_url, link) for link in links if isinstance(link, str)),
                type=kind,
            )
        )
    return entries


def fetch_index(location: str, *, timeout: float = 30.0) -> list[IndexEntry]:
    """Read a package index from an http(s) or ``file://`` URL, or a local path.

    `location` is read with `resolve_index` (a base gets ``index.json``);
    errors name the URL fetched.
    """
    url = resolve_index(location)
    with _open_url(url, timeout=timeout, what="the package index") as response:
        try:
            data = response.read(_MAX_INDEX_BYTES + 1)
        except OSError as err:
            raise ModelError(f"cannot read the package index: {_reason(err)}", path=url) from err
    if len(data) > _MAX_INDEX_BYTES:
        raise ModelError(f"the package index is over {format_size(_MAX_INDEX_BYTES)}", path=url)
    return parse_index(data, base_url=url)


def install_from_index(
    to_code: str,
    *,
    index_url: str | None = None,
    entries: Sequence[IndexEntry] | None = None,
    progress: DownloadProgress | None = None,
    from_code: str = "en",
    timeout: float = 30.0,
) -> InstalledModel:
    """Download the newest package for the pair listed in the index, check it, install it.

    `index_url` (see `resolve_index`) defaults to `default_index_url`;
    `entries`, when given, are that index as `fetch_index` read it already,
    so that several languages cost one fetch. Links are tried in order until
    one gives a valid package; downloads go to the staging folder (see
    `staging_dir`), never into the package folder.
    """
    url = resolve_index(index_url)
    listed = fetch_index(url, timeout=timeout) if entries is None else entries
    matches = [
        e
        for e in listed
        if e.type == "translate" and (e.from_code, e.to_code) == (from_code, to_code)
    ]
    if not matches:
        raise ModelError(f"the package index lists no {from_code}→{to_code} package", path=url)
    entry = max(matches, key=lambda e: version_key(e.package_version))
    links = [link for link in entry.links if urlsplit(link).scheme in _DOWNLOAD_SCHEMES]
    if not links:
        raise ModelError(f"{entry.label} has no http(s) download link in the index", path=url)

    root = _ensure_packages_dir()
    errors: list[ModelError] = []
    with _workspace(root) as work:
        for i, link in enumerate(links):
            download = work / f"download-{i}.argosmodel"
            try:
                try:
                    with download.open("wb") as out:
                        _download(
                            link, out, progress=progress, description=entry.label, timeout=timeout
                        )
                except OSError as err:
                    raise ModelError(
                        f"cannot save the download: {_reason(err)}", path=link
                    ) from err
                try:
                    return _install_archive(
                        download, root, work, from_code=from_code, to_code=to_code
                    )
                except ModelError as err:
                    # The staged file's name means nothing to the user; the link does.
                    raise ModelError(err.message, path=link) from err
            except ModelError as err:
                errors.append(err)
            finally:
                download.unlink(missing_ok=True)
    if len(errors) == 1:
        raise errors[0]
    raise ModelError(
        f"every download link of {entry.label} failed: " + "; ".join(map(str, errors)), path=url
    )


def _as_url(location: str) -> str:
    """`location` as a URL: http(s) and file URLs as they are, a local path as a file URL."""
    scheme = urlsplit(location).scheme
    if scheme in _DOWNLOAD_SCHEMES:
        return location
    if not scheme or re.match(r"[A-Za-z]:[\\/]", location):
        return Path(location).expanduser().resolve().as_uri()
    raise ModelError(f"unsupported URL scheme {scheme!r} (use http, https or file)", path=location)


def _open_url(url: str, *, timeout: float, what: str = "") -> Any:
    """The response for `url`, or a `ModelError` with the status or the network error.

    `what` (e.g. "the package index") starts the message, so that the user
    knows what the URL was fetched for.
    """
    import urllib.error
    import urllib.request

    status = f"cannot fetch {what}: " if what else ""
    failure = f"cannot fetch {what}: " if what else "cannot open: "
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        err.close()
        raise ModelError(f"{status}HTTP {err.code} {err.reason}", path=url) from None
    except urllib.error.URLError as err:
        reason = err.reason if isinstance(err.reason, str) else _reason(err.reason)
        raise ModelError(f"{failure}{reason}", path=url) from None
    except (OSError, ValueError) as err:
        raise ModelError(f"{failure}{_reason(err)}", path=url) from None


def _download(
    url: str,
    out: IO[bytes],
    *,
    progress: DownloadProgress | None,
    description: str,
    timeout: float,
) -> int:
    """Stream `url` into `out`; return the byte count. Short downloads are errors."""
    import http.client

    with _open_url(url, timeout=timeout) as response:
        total = _content_length(response.headers.get("Content-Length"))
        got = 0
        if progress is not None:
            progress.start(total, description)
        try:
            for chunk in _chunks(response):
                out.write(chunk)
                got += len(chunk)
                if progress is not None:
                    progress.advance(len(chunk))
        except (OSError, http.client.HTTPException) as err:
            if total is not None and got < total:
                raise ModelError(
                    f"download truncated: got {got} of {total} bytes ({_reason(err)})", path=url
                ) from err
            raise ModelError(f"download failed: {_reason(err)}", path=url) from err
        finally:
            if progress is not None:
                progress.finish()
    if total is not None and got < total:
        raise ModelError(f"download truncated: got {got} of {total} bytes", path=url)
    return got


def _chunks(response: Any) -> Iterator[bytes]:
    while chunk := response.read(_CHUNK_BYTES):
        yield chunk


def _content_length(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and int(value) >= 0 else None
    except ValueError:
        return None


# --- small helpers -----------------------------------------------------------


def format_size(n: float) -> str:
    """A byte count for people.

    >>> format_size(512), format_size(120_470_284), format_size(4 * 1024**3)
    ('512 bytes', '114.9 MiB', '4.0 GiB')
    """
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def _reason(err: BaseException) -> str:
    """An exception's message without Python's ``[Errno n]`` decoration."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror + (f": {err.filename}" if err.filename else "")
    return str(err) or type(err).__name__
