"""Kill a long run with SIGKILL at random moments: nothing is ever lost or half-written."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from argos_builders import build_copy_package
from support import BUNDLED_ARTICLE, msgfmt_check

ARTICLES = 24


@pytest.fixture
def newsroom(tmp_path: Path) -> dict[str, str]:
    """Articles, a copy model for ko and ja, and the environment a run needs."""
    corpus = [line for line in BUNDLED_ARTICLE.read_text("utf-8").splitlines() if line]
    packages = tmp_path / "packages"
    env = {
        **os.environ,
        "ARGOS_PACKAGES_DIR": str(packages),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
    }
    for lang in ("ko", "ja"):
        archive = build_copy_package(tmp_path / f"build-{lang}", to_code=lang, corpus=corpus)
        subprocess.run(
            [sys.executable, "-m", "workflow", "models", "install", "--from", str(archive)],
            env=env,
            check=True,
            capture_output=True,
        )
    articles = tmp_path / "articles"
    articles.mkdir()
    text = BUNDLED_ARTICLE.read_text("utf-8")
    for number in range(ARTICLES):
        story = text.replace("five-minute", f"{number + 2}-minute").replace(
            "Tuesday's talks", f"talks number {number}"
        )
        (articles / f"story-{number:02}.txt").write_text(story, "utf-8")
    return env


def l10n_run(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workflow",
            "run",
            str(tmp_path / "articles"),
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def review(tmp_path: Path) -> dict[tuple[str, str], str]:
    """Translate the title of every other Korean file by hand."""
    reviewed = {}
    for po in sorted((tmp_path / "out" / "ko").glob("*.po"))[::2]:
        catalog = polib.pofile(str(po))
        catalog[0].msgstr = f"검토된 제목 {po.stem}"
        catalog[0].flags.remove("fuzzy")
        catalog.save()
        reviewed[po.name, catalog[0].msgid] = catalog[0].msgstr
    return reviewed


def assert_intact(tmp_path: Path, reviewed: dict[tuple[str, str], str]) -> None:
    # A killed run may leave its hidden temporary files behind; the next run
    # removes them, and only the real files must be valid.
    for po in (tmp_path / "out").rglob("*.po*"):
        if po.suffix in {".po", ".pot"}:
            msgfmt_check(po)
    for (name, msgid), msgstr in reviewed.items():
        catalog = polib.pofile(str(tmp_path / "out" / "ko" / name))
        [entry] = [e for e in catalog if e.msgid == msgid and not e.obsolete]
        assert entry.msgstr == msgstr
        assert "fuzzy" not in entry.flags


def test_sigkill_at_random_points(tmp_path: Path, newsroom: dict[str, str]) -> None:
    first = l10n_run(tmp_path, newsroom)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    reviewed = review(tmp_path)
    chooser = random.Random(20200115)
    for round_ in range(4):
        # Change every article so that every file is rewritten, then kill the run.
        for article in (tmp_path / "articles").glob("*.txt"):
            text = article.read_text("utf-8")
            article.write_text(text.replace("speculation", f"speculation ({round_})"), "utf-8")
        process = l10n_run(tmp_path, newsroom)
        time.sleep(chooser.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert_intact(tmp_path, reviewed)
    final = l10n_run(tmp_path, newsroom)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr
    assert_intact(tmp_path, reviewed)
    assert not list((tmp_path / "out").rglob("*.tmp"))
    catalog = polib.pofile(str(tmp_path / "out" / "ko" / "story-05.po"))
    assert any("speculation (3)" in entry.msgid for entry in catalog)
    shutil.rmtree(tmp_path / "packages")
