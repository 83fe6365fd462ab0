"""Helpers shared by test modules: the project's files and GNU gettext checks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLE = ROOT / "articles" / "yonhap-2020-01-15-kang-motegi.txt"
DEFAULT_GLOSSARY = ROOT / "glossaries" / "news.tsv"


def msgfmt_check(path: Path) -> None:
    """Fail unless GNU msgfmt accepts `path` with every check switched on.

    A PO file must pass without a word; a template may only be told that its
    translator fields still hold gettext's placeholders.
    """
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is required: the test set-up installs it"
    result = subprocess.run(
        [msgfmt, "--check", "--check-format", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejected {path}:\n{result.stderr}"
    warnings = result.stderr.splitlines()
    if path.suffix == ".pot":
        warnings = [w for w in warnings if "still has the initial default value" not in w]
    assert warnings == [], f"msgfmt warned about {path}:\n{result.stderr}"
