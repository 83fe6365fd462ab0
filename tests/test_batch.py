"""Batch runs: one article's failure never stops the others, and nothing is ever half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, msgfmt_check

from workflow.lock import output_lock

Run = Callable[..., tuple[int, str, str]]
STEM = "yonhap-2020-01-15-kang-motegi"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder of three articles: the bundled one, a short one, and one in Latin-1."""
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(BUNDLED_ARTICLE, folder / f"{STEM}.txt")
    (folder / "short.txt").write_text("Short story\n\nThe ministers met. They agreed.\n", "utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 talks\n\nThey met.\n".encode("latin-1"))
    return folder


def test_one_bad_article_does_not_stop_the_batch(l10n: Run, batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    log = tmp_path / "events.jsonl"
    code, stdout, stderr = l10n(
        "run", batch, "--engine", "pseudo", "--out", out, "--log-json", log
    )
    assert code == 1
    assert f"{batch / 'latin1.txt'}:1: not valid UTF-8" in stderr
    for stem in (STEM, "short"):
        for lang in ("ko", "ja"):
            msgfmt_check(out / lang / f"{stem}.po")
    assert not (out / "ko" / "latin1.po").exists()
    assert "latin1" in stdout and "failed" in stdout  # the summary table
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [e["event"] for e in events].count("started") == 3
    assert {e["path"].rsplit("/", 1)[1] for e in events if e["event"] == "finished"} == {
        f"{STEM}.txt",
        "short.txt",
    }
    [failed] = [e for e in events if e["event"] == "failed"]
    assert "not valid UTF-8" in failed["reason"]
    finished = next(e for e in events if e["event"] == "finished" and "short" in e["path"])
    assert finished["counts"]["ko"]["new"] == 3


def test_quiet_prints_nothing_but_problems(l10n: Run, batch: Path, tmp_path: Path) -> None:
    (batch / "latin1.txt").unlink()
    code, stdout, stderr = l10n("run", batch, "--engine", "pseudo", "--out", tmp_path, "--quiet")
    assert code == 0
    assert stdout == "" and stderr == ""


BROKEN_PO = {
    "syntax": (lambda text: text.replace('msgstr "', "msgstr ", 1), ""),
    "language": (lambda text: text.replace("Language: ko", "Language: ja"), "Language header"),
    "charset": (lambda text: text.replace("charset=UTF-8", "charset=EUC-KR"), "charset is EUC-KR"),
    "duplicate": (lambda text: text + '\nmsgid "They agreed."\nmsgstr "x"\n', "duplicate"),
}


@pytest.mark.parametrize("damage", sorted(BROKEN_PO))
def test_a_po_file_a_reviewer_broke_is_never_overwritten(
    l10n: Run, batch: Path, tmp_path: Path, damage: str
) -> None:
    (batch / "latin1.txt").unlink()
    out = tmp_path / "out"
    assert l10n("run", batch, "--engine", "pseudo", "--out", out)[0] == 0
    broken = out / "ko" / "short.po"
    change, message = BROKEN_PO[damage]
    broken.write_text(change(broken.read_text("utf-8")), "utf-8")
    before = broken.read_bytes()
    (batch / "short.txt").write_text("Short story\n\nThe ministers met. They left.\n", "utf-8")
    code, _, stderr = l10n("run", batch, "--engine", "pseudo", "--out", out)
    assert code == 1
    assert broken.read_bytes() == before
    [line] = [line for line in stderr.splitlines() if str(broken) in line]
    assert message in line
    assert line.startswith(f"failed: {broken}:")
    assert line.split(":")[2].isdigit()  # names the line
    msgfmt_check(out / "ko" / f"{STEM}.po")


def test_a_second_run_waits_for_the_first(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (batch / "latin1.txt").unlink()
    with output_lock(out / ".l10n"):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workflow",
                "run",
                str(batch),
                "--engine",
                "pseudo",
                "--out",
                str(out),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not (out / "ko").exists() and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.2)
            # Still waiting while the lock is held: nothing written yet.
            if time.monotonic() > deadline - 27:
                break
        assert process.poll() is None
        assert not (out / "ko").exists()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Another run is writing to" in stderr
    msgfmt_check(out / "ko" / f"{STEM}.po")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KiB tmpfs, mounted for the test (needs root, as on CI)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_disk_full_is_a_clear_error_and_leaves_no_half_file(
    l10n: Run, small_disk: Path, tmp_path: Path
) -> None:
    articles = tmp_path / "many"
    articles.mkdir()
    text = BUNDLED_ARTICLE.read_text("utf-8")
    for number in range(40):
        (articles / f"story-{number:02}.txt").write_text(
            text.replace("five-minute", f"{number}-minute"), "utf-8"
        )
    code, _, stderr = l10n("run", articles, "--engine", "pseudo", "--out", small_disk)
    assert code in (1, 2)
    assert "No space left on device" in stderr
    for po in small_disk.rglob("*.po*"):
        msgfmt_check(po)
    assert not list(small_disk.rglob("*.tmp"))


def test_read_only_output_folder(l10n: Run, small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, _, stderr = l10n("run", BUNDLED_ARTICLE, "--engine", "pseudo", "--out", small_disk)
    assert code == 2
    assert "Read-only file system" in stderr
    assert stderr.count("\n") == 1
    assert not any(small_disk.iterdir())


def test_articles_with_the_same_name_would_collide(l10n: Run, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text("Title\n\nText here.\n", "utf-8")
    out = tmp_path / "out"
    code, _, stderr = l10n(
        "run", tmp_path / "a", tmp_path / "b", "--engine", "pseudo", "--out", out
    )
    assert code == 1
    assert "same name" in stderr
    assert polib.pofile(str(out / "ko" / "story.po"))[1].occurrences[0][0].endswith("a/story.txt")


def test_environment_is_untouched() -> None:
    assert "ARGOS_PACKAGES_DIR" not in os.environ or os.environ["ARGOS_PACKAGES_DIR"]
