"""Installing and removing packages atomically, and cleaning up after killed installs.

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
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workflow.errors import ModelError, UsageError
from workflow.models.locations import STAGING_NAME, _reason, packages_dir
from workflow.models.package import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    InstalledModel,
    PackageInfo,
    _check_package,
    _installed_pair,
    _open_zip,
    _read_installed,
    validate_package,
)
from workflow.units import format_size

# What versions before the staging folder left inside the package folder
# when killed: tempfile names with this prefix.
_LEGACY_TMP_PREFIX = ".tmp-"


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
