"""A plain (non-editable) install finds its bundled article and glossary from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel and installed into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work), str(ROOT)],
        check=True,
    )
    [wheel] = work.glob("l10n_workflow-*.whl")
    target = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The installed copy comes first; the test environment supplies the dependencies.
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "workflow", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_come_from_the_package(installed: Path, tmp_path: Path) -> None:
    result = run_installed(installed, tmp_path, "run", "--engine", "pseudo", "--langs", "ja")
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(tmp_path / "locales/ja/yonhap-2020-01-15-kang-motegi.po"))
    assert any("glossary: Toshimitsu Motegi" in entry.comment for entry in catalog)
    origin = subprocess.run(
        [sys.executable, "-c", "import workflow; print(workflow.__file__)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert origin.stdout.startswith(str(installed))


def test_an_article_of_ones_own_with_the_bundled_glossary(installed: Path, tmp_path: Path) -> None:
    article = tmp_path / "my-article.txt"
    article.write_text(BUNDLED_ARTICLE.read_text("utf-8"), "utf-8")
    result = run_installed(installed, tmp_path, "run", "my-article.txt", "--engine", "pseudo")
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(tmp_path / "locales/ko/my-article.po"))
    meeting = catalog[3]
    assert meeting.occurrences == [("my-article.txt", "9")]
    assert "glossary: Foreign Minister Kang Kyung-wha → 강경화 외교부 장관 (person)" in (
        meeting.comment.splitlines()
    )
