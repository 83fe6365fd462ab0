"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY

from workflow.cli import main


@pytest.fixture
def bundled_article() -> Path:
    """The bundled Yonhap article."""
    return BUNDLED_ARTICLE


@pytest.fixture
def default_glossary() -> Path:
    """The bundled default glossary."""
    return DEFAULT_GLOSSARY


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


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the pseudo engine is asked to translate, in order."""
    from workflow.engines.pseudo import PseudoEngine

    texts: list[str] = []
    translate = PseudoEngine.translate

    def counting(
        self: PseudoEngine, batch: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        texts.extend(batch)
        return translate(self, batch, lang, n_best=n_best, min_beam=min_beam)

    monkeypatch.setattr(PseudoEngine, "translate", counting)
    return texts
