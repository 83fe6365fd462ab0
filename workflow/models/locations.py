"""Where argostranslate keeps packages, and where our installs stage them.

The rules are argostranslate's (``ARGOS_PACKAGES_DIR``, then its
``settings.json``, then the XDG data folder), applied afresh on every call
and creating nothing (see the package docstring for why argostranslate's own
``settings`` module is not imported).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

#: The folder, beside `packages_dir`, where installs download and unpack.
STAGING_NAME = ".l10n-staging"


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


# Every module of the package words its errors with this; it lives in the
# one module all the others import.
def _reason(err: BaseException) -> str:
    """An exception's message without Python's ``[Errno n]`` decoration."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror + (f": {err.filename}" if err.filename else "")
    return str(err) or type(err).__name__
