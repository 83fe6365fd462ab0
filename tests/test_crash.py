"""Kill a long run with SIGKILL at random moments: nothing is ever lost or half-written.

Half the kills land while the run replaces files (right after the first new
temporary file or new version appears), the others at any moment. After each,
every PO and POT file must be byte for byte what it was, or a complete new
version that GNU msgfmt accepts.
"""

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
Popen = subprocess.Popen[str]


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


def l10n_run(tmp_path: Path, env: dict[str, str]) -> Popen:
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
            # Greedy search: what is tested is how files are replaced, and a
            # quarter of the decoding leaves more of each run to the writes.
            "--beam-size",
            "1",
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


FOLDERS = ("templates", "ko", "ja")


def catalogs(tmp_path: Path) -> dict[Path, bytes]:
    """Every PO and POT file of the output folder, as bytes."""
    out = tmp_path / "out"
    return {
        path: path.read_bytes()
        for folder in FOLDERS
        for path in sorted((out / folder).iterdir())
        if path.suffix in {".po", ".pot"}
    }


def wait_for_writing(
    tmp_path: Path, before: dict[Path, bytes], process: Popen, *, replaced: bool
) -> bool:
    """Wait until the run writes a temporary file or, with `replaced`, replaces a file."""
    times = {path: path.stat().st_mtime_ns for path in before}
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        for folder in FOLDERS:
            with os.scandir(tmp_path / "out" / folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".tmp") and not replaced:
                        return True
                    known = times.get(Path(entry.path))
                    if known is not None and entry.stat().st_mtime_ns != known:
                        return True
        time.sleep(0.002)
    return False


def assert_old_or_new(tmp_path: Path, before: dict[Path, bytes], new_text: str) -> tuple[int, int]:
    """Each file is exactly its old self or a complete new one; returns (old, new) counts."""
    after = catalogs(tmp_path)
    assert set(after) == set(before)
    old = new = 0
    for path, data in after.items():
        if data == before[path]:
            old += 1
            continue
        msgfmt_check(path)
        assert new_text in data.decode("utf-8"), path
        new += 1
    return old, new


def assert_reviews_kept(tmp_path: Path, reviewed: dict[tuple[str, str], str]) -> None:
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
    killed_while_writing = 0
    for round_ in range(4):
        # Change every article so that every file is rewritten, then kill the
        # run: in round 0 once it writes its first temporary file, in round 2
        # once it has replaced its first file, in the others at any moment.
        for article in (tmp_path / "articles").glob("*.txt"):
            text = article.read_text("utf-8")
            article.write_text(text.replace("speculation", f"speculation ({round_})"), "utf-8")
        before = catalogs(tmp_path)
        process = l10n_run(tmp_path, newsroom)
        if round_ in (0, 2):
            replaced = round_ == 2
            writing = wait_for_writing(tmp_path, before, process, replaced=replaced)
            assert writing, "the run wrote nothing"
            time.sleep(chooser.uniform(0.0, 0.02))
        else:
            time.sleep(chooser.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        old, new = assert_old_or_new(tmp_path, before, f"speculation ({round_})")
        # Killed among the writes: some files new, the others still old. A
        # machine fast enough to finish every write first would only make
        # that round a plain kill, so one such round of the two is required.
        if process.returncode == -signal.SIGKILL and old and new:
            killed_while_writing += 1
        assert_reviews_kept(tmp_path, reviewed)
    assert killed_while_writing, "no kill landed while the run was replacing files"
    final = l10n_run(tmp_path, newsroom)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr
    for path in catalogs(tmp_path):
        msgfmt_check(path)
    assert_reviews_kept(tmp_path, reviewed)
    assert not list((tmp_path / "out").rglob("*.tmp"))
    catalog = polib.pofile(str(tmp_path / "out" / "ko" / "story-05.po"))
    assert any("speculation (3)" in entry.msgid for entry in catalog)
    shutil.rmtree(tmp_path / "packages")
