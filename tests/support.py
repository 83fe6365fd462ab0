"""Helpers shared by test modules: the project's files, GNU gettext checks, output compared."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLE = ROOT / "articles" / "yonhap-2020-01-15-kang-motegi.txt"
DEFAULT_GLOSSARY = ROOT / "glossaries" / "news.tsv"
#: The test articles beside the bundled one.
TEST_ARTICLES = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))


def same_tree(left: Path, right: Path) -> None:
    """Assert that the PO and POT files of two output folders are byte-identical."""
    files = sorted(p.relative_to(left) for p in left.rglob("*.po*"))
    assert files == sorted(p.relative_to(right) for p in right.rglob("*.po*"))
    assert files
    _, mismatch, errors = filecmp.cmpfiles(left, right, files, shallow=False)
    assert (mismatch, errors) == ([], [])


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


class RecordingReporter:
    """A `workflow.batch.Reporter` that keeps warnings, failures and decoding progress."""

    def __init__(self) -> None:
        from workflow.decoder import DecodeProgress

        self.warnings: list[str] = []
        self.failed: dict[Path, str] = {}
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.progress = DecodeProgress(self.totals.__setitem__, self.advance)

    def advance(self, lang: str, count: int) -> None:
        self.done[lang] = self.done.get(lang, 0) + count

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def stage_started(self, stage: str, total: int) -> None:
        pass

    def stage_advanced(self, stage: str, done: int) -> None:
        pass

    def articles_read(self, total: int) -> None:
        pass

    def waiting_for_lock(self, folder: Path) -> None:
        pass

    def article_failed(self, path: Path, reason: str) -> None:
        self.failed[path] = reason

    def article_finished(self, outcome: object) -> None:
        pass
