"""The reviewer's loop: a re-run never destroys a reviewer's work."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, msgfmt_check

Run = Callable[..., tuple[int, str, str]]

EDITED = "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu Motegi"
TUESDAY = "In Tuesday's talks, Kang reiterated Seoul's call"
SHE = "She also repeated that her government respects"
DELETED = "The talks served as"
ADDED = "The two ministers plan to meet again in Tokyo next month."
REVIEWER = "Kim Min-ji <minji@example.com>"


class Workspace:
    """An article, its output folder, and the ``l10n`` command pointed at both."""

    def __init__(self, root: Path, l10n: Run) -> None:
        self.article = root / "kang-motegi.txt"
        self.out = root / "locales"
        self.po = self.out / "ko" / "kang-motegi.po"
        self._l10n = l10n
        shutil.copy(BUNDLED_ARTICLE, self.article)

    def run(self) -> str:
        code, out, err = self._l10n(
            "run", self.article, "--engine", "pseudo", "--langs", "ko", "--out", self.out
        )
        assert code == 0, err
        return out

    def catalog(self) -> polib.POFile:
        return polib.pofile(str(self.po))

    def review(self) -> dict[str, str]:
        """A reviewer translates three entries and clears their fuzzy flags."""
        catalog = self.catalog()
        reviewed = {}
        for prefix in (EDITED, TUESDAY, SHE):
            entry = entry_starting(catalog, prefix)
            entry.msgstr = f"검토된 번역: {prefix[:12]}"
            entry.flags.remove("fuzzy")
            reviewed[entry.msgid] = entry.msgstr
        catalog.metadata["Last-Translator"] = REVIEWER
        catalog.metadata["PO-Revision-Date"] = "2026-11-20 09:30+0900"
        catalog.save()
        return reviewed

    def edit_article(self) -> None:
        """Edit a reviewed sentence, delete one, add one, swap two paragraphs."""
        paragraphs = self.article.read_text("utf-8").split("\n\n")
        index = {p[:20]: i for i, p in enumerate(paragraphs)}
        tuesday, she = index[TUESDAY[:20]], index[SHE[:20]]
        paragraphs[tuesday], paragraphs[she] = paragraphs[she], paragraphs[tuesday]
        paragraphs = [p for p in paragraphs if not p.startswith(DELETED)]
        text = "\n\n".join(paragraphs)
        text = text.replace(EDITED, EDITED.replace("met with", "held talks with"))
        text = text.replace("Regarding North Korea", f"{ADDED}\n\nRegarding North Korea")
        self.article.write_text(text, "utf-8")


def entry_starting(catalog: polib.POFile, prefix: str) -> polib.POEntry:
    matches = [e for e in catalog if e.msgid.startswith(prefix) and not e.obsolete]
    assert len(matches) == 1, prefix
    return matches[0]


@pytest.fixture
def workspace(tmp_path: Path, l10n: Run) -> Workspace:
    return Workspace(tmp_path, l10n)


def test_the_whole_loop(workspace: Workspace, sent: list[str]) -> None:
    workspace.run()
    first_run = len(sent)
    reviewed = workspace.review()
    workspace.edit_article()
    sent.clear()

    summary = workspace.run()
    catalog = workspace.catalog()
    msgfmt_check(workspace.po)

    # Unchanged reviewed sentences keep their translation, and stay reviewed.
    for prefix in (TUESDAY, SHE):
        entry = entry_starting(catalog, prefix)
        assert entry.msgstr == reviewed[entry.msgid]
        assert "fuzzy" not in entry.flags

    # The edited sentence keeps the reviewer's text, fuzzy, with the old English
    # as previous msgid and the new machine translation offered in a comment.
    old_english = next(m for m in reviewed if m.startswith(EDITED))
    edited = entry_starting(catalog, EDITED.replace("met with", "held talks with"))
    assert edited.msgstr == reviewed[old_english]
    assert "fuzzy" in edited.flags
    assert edited.previous_msgid == old_english
    assert any(
        line.startswith("machine translation of the new English: ⟦ko⟧")
        for line in edited.comment.splitlines()
    )

    # The deleted sentence is obsolete with its translation; the new one is translated.
    obsolete = [e for e in catalog if e.obsolete]
    assert [e.msgid[: len(DELETED)] for e in obsolete] == [DELETED]
    assert obsolete[0].msgstr.startswith("⟦ko⟧")
    added = entry_starting(catalog, ADDED)
    assert added.msgstr.startswith("⟦ko⟧") and "fuzzy" in added.flags

    # Entries follow the new article: the swapped paragraphs are swapped.
    live = [e.msgid for e in catalog if not e.obsolete]
    assert live.index(entry_starting(catalog, SHE).msgid) < live.index(
        entry_starting(catalog, TUESDAY).msgid
    )

    # Only the new and the edited sentence went to the engine.
    assert len(sent) == 2
    assert "held talks with" in sent[0]
    assert "plan to meet again" in sent[1]
    assert first_run > 10

    # The reviewer's header fields survive.
    assert catalog.metadata["Last-Translator"] == REVIEWER
    assert catalog.metadata["PO-Revision-Date"] == "2026-11-20 09:30+0900"

    assert "1 new, 1 changed, " in summary
    assert "3 reviewed kept, 1 obsolete" in summary


def test_rerun_of_an_unchanged_article_sends_nothing(
    workspace: Workspace, sent: list[str]
) -> None:
    workspace.run()
    before = workspace.po.read_text("utf-8")
    sent.clear()
    workspace.run()
    assert sent == []
    after = workspace.po.read_text("utf-8")
    strip = [line for line in after.splitlines() if "Creation-Date" not in line]
    assert strip == [line for line in before.splitlines() if "Creation-Date" not in line]


def test_accepting_a_machine_translation_as_is_counts_as_review(workspace: Workspace) -> None:
    workspace.run()
    catalog = workspace.catalog()
    entry = entry_starting(catalog, SHE)
    entry.flags.remove("fuzzy")
    catalog.save()
    assert "1 reviewed kept" in workspace.run()
    assert "fuzzy" not in entry_starting(workspace.catalog(), SHE).flags


def test_a_reviewer_edit_that_kept_fuzzy_is_still_kept(workspace: Workspace) -> None:
    workspace.run()
    catalog = workspace.catalog()
    entry = entry_starting(catalog, SHE)
    entry.msgstr = "검토 중인 번역"
    catalog.save()
    workspace.run()
    assert entry_starting(workspace.catalog(), SHE).msgstr == "검토 중인 번역"


@pytest.mark.parametrize("editor", ["msgcat", "crlf", "polib-rewrap"])
def test_files_saved_by_other_tools_merge_the_same(workspace: Workspace, editor: str) -> None:
    workspace.run()
    reviewed = workspace.review()
    if editor == "msgcat":
        # msgcat re-wraps every long line at 79 columns, as Poedit and Lokalize do.
        subprocess.run(["msgcat", "-o", str(workspace.po), str(workspace.po)], check=True)
    elif editor == "crlf":
        text = workspace.po.read_text("utf-8")
        workspace.po.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        catalog = workspace.catalog()
        catalog.wrapwidth = 40
        catalog.save()
    workspace.edit_article()
    summary = workspace.run()
    catalog = workspace.catalog()
    for prefix in (TUESDAY, SHE):
        entry = entry_starting(catalog, prefix)
        assert entry.msgstr == reviewed[entry.msgid]
        assert "fuzzy" not in entry.flags
    assert "3 reviewed kept" in summary
    msgfmt_check(workspace.po)


def test_msgmerge_agrees(workspace: Workspace, tmp_path: Path) -> None:
    """Every reviewed translation msgmerge keeps, our merge keeps too."""
    workspace.run()
    workspace.review()
    old = tmp_path / "old.po"
    shutil.copy(workspace.po, old)
    workspace.edit_article()
    workspace.run()
    pot = workspace.out / "templates" / "kang-motegi.pot"
    merged = tmp_path / "msgmerge.po"
    result = subprocess.run(
        ["msgmerge", "--previous", "--quiet", "-o", str(merged), str(old), str(pot)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ours = {(e.msgid, e.msgstr) for e in workspace.catalog() if e.msgstr}
    theirs = polib.pofile(str(merged))
    reviewed_by_msgmerge = {
        (e.msgid, e.msgstr) for e in theirs if e.msgstr.startswith("검토된") and not e.obsolete
    }
    assert reviewed_by_msgmerge
    assert reviewed_by_msgmerge <= ours


def test_obsolete_entries_with_previous_msgids_read_back(workspace: Workspace) -> None:
    workspace.run()
    workspace.review()
    workspace.edit_article()
    workspace.run()
    # msgmerge writes previous msgids of obsolete entries as "#~| msgid".
    text = workspace.po.read_text("utf-8")
    text += (
        '\n#, fuzzy\n#~| msgid "Old English."\n#~ msgid "Older English."\n#~ msgstr "옛 번역"\n'
    )
    workspace.po.write_text(text, "utf-8")
    workspace.run()
    assert any(e.msgstr == "옛 번역" for e in workspace.catalog() if e.obsolete)
