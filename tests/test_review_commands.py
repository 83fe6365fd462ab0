"""check, status and build on the files a whole reviewer's loop leaves behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from test_merge import Workspace

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def looped(tmp_path: Path, l10n: Run, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """Run, review three entries, edit the article, run again."""
    monkeypatch.chdir(tmp_path)
    workspace = Workspace(tmp_path, l10n)
    workspace.run()
    workspace.review()
    workspace.edit_article()
    workspace.run()
    return workspace


def test_status(looped: Workspace, l10n: Run) -> None:
    code, out, _ = l10n("status", looped.out, "--json")
    assert code == 0
    [korean] = json.loads(out)["catalogs"]
    assert korean["language"] == "ko"
    assert korean["total"] == 16
    # Two reviewed entries kept as they were; the third's English changed, so it is fuzzy again.
    assert korean["translated"] == 2
    assert korean["fuzzy"] == 14
    code, table, _ = l10n("status", looped.out)
    assert code == 0 and "kang-motegi" in table


def test_check_gates_on_errors(looped: Workspace, l10n: Run) -> None:
    code, out, _ = l10n("check", looped.po, "--json")
    assert code == 1  # the pseudo-translation left in the file is an error
    findings = json.loads(out)["findings"]
    assert {f["check"] for f in findings} >= {"leftover-pseudo", "fuzzy"}
    assert all(f["path"] == str(looped.po) and f["line"] > 0 for f in findings)
    code, out, _ = l10n("check", looped.po, "--skip", "leftover-pseudo", "--json")
    errors = [f for f in json.loads(out)["findings"] if f["severity"] == "error"]
    # The reviewers' stand-in translations lack the glossary's renderings.
    assert code == 1
    assert {f["check"] for f in errors} == {"glossary-missing"}
    assert all(f["msgid"].startswith(("In Tuesday's", "She also")) for f in errors)


def test_check_passes_a_clean_reviewed_file(l10n: Run) -> None:
    reference = Path(__file__).parent / "data" / "reference" / "ko"
    [po] = reference.glob("*.po")
    code, out, _ = l10n("check", po)
    assert code == 0, out


def test_build(looped: Workspace, l10n: Run) -> None:
    code, _, err = l10n("build", looped.po, "--out", looped.out.parent / "build")
    assert code == 0, err
    built = (looped.out.parent / "build" / "ko" / "kang-motegi.txt").read_text("utf-8")
    paragraphs = built.split("\n\n")
    catalog = polib.pofile(str(looped.po))
    assert paragraphs[0] == catalog[0].msgstr
    assert "검토된 번역: She also rep" in built
    code, _, err = l10n("build", looped.po, "--require-reviewed", "--out", looped.out / "x")
    assert code == 1
    assert "not every entry is reviewed" in err
    assert not (looped.out / "x").exists()
