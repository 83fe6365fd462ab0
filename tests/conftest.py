"""Fixtures shared by the whole suite: the bundled files and GNU gettext checks."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from workflow.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLE = ROOT / "articles" / "yonhap-2020-01-15-kang-motegi.txt"
DEFAULT_GLOSSARY = ROOT / "glossaries" / "news.tsv"


@pytest.fixture
def bundled_article() -> Path:
    """The bundled Yonhap article."""
    return BUNDLED_ARTICLE


@pytest.fixture
def default_glossary() -> Path:
    """The bundled default glossary."""
    return DEFAULT_GLOSSARY


def msgfmt_check(path: Path) -> None:
    """Fail unless GNU msgfmt accepts `path` with every check switched on."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is required: the test set-up installs it"
    result = subprocess.run(
        [msgfmt, "--check", "--check-format", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejected {path}:\n{result.stderr}"
    assert result.stderr == "", f"msgfmt warned about {path}:\n{result.stderr}"


@pytest.fixture
def l10n(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Run the ``l10n`` command in-process; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
