"""How the project installs: lean runtime dependencies, and bundled data found from anywhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
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


# --- the default install stays lean ------------------------------------------

#: Distributions a CPU tool that imports none of them must never pull in: torch
#: and its CUDA build (triton, nvidia-*), and the sentence splitters that bring
#: torch (stanza) or a large NLP stack (spacy).
HEAVY = re.compile(r"torch|stanza|spacy|triton|nvidia-.*")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(project: str, path: list[str] | None = None) -> dict[str, list[str]]:
    """Every distribution `project` needs at run time, each with the chain that requires it.

    Read from the installed distributions' metadata (in `path`, default
    ``sys.path``), recursively: requirements whose environment marker does
    not hold here, and those of extras, are left out. A requirement that is
    not installed fails the walk.
    """
    from packaging.requirements import Requirement

    chains: dict[str, list[str]] = {}
    todo = [[_canonical(project)]]
    while todo:
        chain = todo.pop()
        name = chain[-1]
        if name in chains:
            continue
        chains[name] = chain
        found = next(iter(metadata.distributions(name=name, path=path or sys.path)), None)
        if found is None:
            raise AssertionError(f"{' -> '.join(chain)}: not installed")
        requires = found.requires or []
        for text in requires:
            requirement = Requirement(text)
            # An empty extra: requirements of extras ("extra == 'dev'") drop out.
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            todo.append([*chain, _canonical(requirement.name)])
    return chains


def test_runtime_dependencies_hold_no_torch_cuda_stanza_or_spacy() -> None:
    closure = runtime_closure("l10n-workflow")
    heavy = [" -> ".join(chain) for name, chain in closure.items() if HEAVY.fullmatch(name)]
    assert heavy == []
    # The walk reaches what the product decodes with, and their own dependencies.
    assert {"argos-translate-lt", "ctranslate2", "sentencepiece", "numpy"} <= closure.keys()
    # The other argostranslate distribution requires stanza (and so torch).
    assert "argostranslate" not in closure
    # The dev tools (an extra) are not part of it.
    assert "pytest" not in closure and "mypy" not in closure


def test_the_walk_follows_markers_and_leaves_extras_out() -> None:
    # sacrebleu's "ja" and "ko" extras (MeCab and its dictionaries) are not
    # installed: had the walk followed them, it would have failed.
    closure = runtime_closure("sacrebleu")
    assert "mecab-python3" not in closure and "mecab-ko" not in closure
    assert closure["numpy"] == ["sacrebleu", "numpy"]
    # pytest requires tomli and exceptiongroup only below Python 3.11.
    closure = runtime_closure("pytest")
    assert "tomli" not in closure and "exceptiongroup" not in closure
    assert "pluggy" in closure


def test_the_walk_finds_torch_and_cuda_wherever_they_hide(tmp_path: Path) -> None:
    # The shape of the old dependency: argostranslate -> stanza -> torch -> nvidia-*.
    requires = {
        "tool": ["argostranslate", "dev-only; extra == 'dev'"],
        "argostranslate": ["stanza==1.10.1", "ctranslate2"],
        "stanza": ["torch>=1.3.0"],
        "torch": ["nvidia-cublas-cu12==12.4.5.8; platform_system == 'Linux'", "sympy"],
        "ctranslate2": [],
        "sympy": [],
        "nvidia-cublas-cu12": [],
    }
    for name, needs in requires.items():
        info = tmp_path / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        lines = [f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"]
        lines += [f"Requires-Dist: {need}\n" for need in needs]
        (info / "METADATA").write_text("".join(lines), "utf-8")
    closure = runtime_closure("tool", [str(tmp_path)])
    heavy = sorted(" -> ".join(chain) for name, chain in closure.items() if HEAVY.fullmatch(name))
    expected = ["tool -> argostranslate -> stanza", "tool -> argostranslate -> stanza -> torch"]
    if sys.platform.startswith("linux"):
        expected.append("tool -> argostranslate -> stanza -> torch -> nvidia-cublas-cu12")
    assert heavy == expected
    assert "dev-only" not in closure


# --- make check-gettext ------------------------------------------------------


def _check_gettext(
    tmp_path: Path, *, uid: int, apt: bool
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """``make check-gettext`` on a PATH without msgfmt, as user `uid`, with or without apt-get.

    The PATH holds only a stand-in ``id`` and, with `apt`, an ``apt-get``
    that records its arguments instead of installing anything.
    """
    make = shutil.which("make")
    assert make, "make is needed to build and test the project"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-get-calls"
    stand_ins = {"id": f"echo {uid}"}
    if apt:
        stand_ins["apt-get"] = f'echo "$*" >> {calls}'
    for name, body in stand_ins.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", "utf-8")
        (bin_dir / name).chmod(0o755)
    done = subprocess.run(
        [make, "-s", "-C", str(ROOT), "check-gettext"],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    return done, calls.read_text("utf-8").splitlines() if calls.exists() else []


def test_a_user_without_msgfmt_is_told_what_to_install(tmp_path: Path) -> None:
    done, apt_calls = _check_gettext(tmp_path, uid=1000, apt=True)
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (
        "make test needs GNU gettext (msgfmt, msgmerge), which is missing: "
        "install the package gettext with: sudo apt-get install gettext"
    )
    assert apt_calls == []  # never a raw permission error from apt-get


def test_without_apt_get_even_root_is_told(tmp_path: Path) -> None:
    done, _ = _check_gettext(tmp_path, uid=0, apt=False)
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (
        "make test needs GNU gettext (msgfmt, msgmerge), which is missing: "
        "install the package gettext with your system's package manager"
    )


def test_root_with_apt_get_installs_gettext(tmp_path: Path) -> None:
    done, apt_calls = _check_gettext(tmp_path, uid=0, apt=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "installing GNU gettext (msgfmt, msgmerge) with apt-get\n"
    assert apt_calls == ["update -qq", "install -y -qq gettext"]
