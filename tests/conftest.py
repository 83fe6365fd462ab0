"""Fixtures shared by the whole suite.

Building an Argos package trains a tokenizer and converts a model (a second
or more each); several test modules build the same ones. The builders of
`argos_builders` are therefore wrapped, before any test module imports them,
so that each distinct package is built once per session and copied after.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import argos_builders
import pytest
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY, TEST_ARTICLES

from workflow.cli import main

_BUILT: dict[str, Path] = {}


@functools.cache
def _build_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="l10n-test-packages-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _built_once(build: Callable[..., Path]) -> Callable[..., Path]:
    """`build`, run once for each distinct set of options; later calls copy its archive."""

    @functools.wraps(build)
    def reuse(dest: Path, **options: Any) -> Path:
        key = repr(
            (
                build.__name__,
                sorted(
                    (name, tuple(v) if isinstance(v, list) else v) for name, v in options.items()
                ),
            )
        )
        archive = _BUILT.get(key)
        if archive is None or not archive.is_file():
            archive = build(_build_folder() / str(len(_BUILT)), **options)
            _BUILT[key] = archive
        dest.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(archive, dest / archive.name))

    return reuse


for _name in ("build_copy_package", "build_random_package"):
    setattr(argos_builders, _name, _built_once(getattr(argos_builders, _name)))


@pytest.fixture(scope="session")
def copy_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Copy-model packages en→ko and en→ja, over the bundled and the test articles' lines."""
    folder = tmp_path_factory.mktemp("packages")
    corpus = [
        line
        for article in (BUNDLED_ARTICLE, *TEST_ARTICLES)
        for line in article.read_text("utf-8").splitlines()
        if line
    ]
    return [
        argos_builders.build_copy_package(folder / f"copy-{lang}", to_code=lang, corpus=corpus)
        for lang in ("ko", "ja")
    ]


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
