"""The reviewer's loop: a re-run never destroys a reviewer's work."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, msgfmt_check

from workflow.engines.pseudo import accent

Run = Callable[..., tuple[int, str, str]]

EDITED = "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu Motegi"
TUESDAY = "In Tuesday's talks, Kang reiterated Seoul's call"
SHE = "She also repeated that her government respects"
DELETED = "The talks served as"
ADDED = "The two ministers plan to meet again in Tokyo next month."
REVIEWER = "Kim Min-ji <minji@example.com>"
OFFER = "machine translation of the new English: "


class Workspace:
    """An article, its output folder, and the ``l10n`` command pointed at both."""

    def __init__(self, root: Path, l10n: Run) -> None:
        self.article = root / "kang-motegi.txt"
        self.out = root / "locales"
        self.po = self.out / "ko" / "kang-motegi.po"
        self._l10n = l10n
        shutil.copy(BUNDLED_ARTICLE, self.article)

    def run(self) -> str:
        # --verbose: the per-file lines `counts` reads.
        code, out, err = self._l10n(
            "run",
            self.article,
            "--engine",
            "pseudo",
            "--langs",
            "ko",
            "--out",
            self.out,
            "--verbose",
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


def counts(summary: str, lang: str = "ko") -> dict[str, int]:
    """The counts of a run's summary line for the `lang` PO file, by name ("reviewed kept": 3)."""
    [line] = [
        line
        for line in summary.splitlines()
        if (path := Path(line.partition(": ")[0])).suffix == ".po" and path.parent.name == lang
    ]
    parts = [part.partition(" ") for part in line.partition(": ")[2].split(", ")]
    return {name: int(number) for number, _, name in parts}


def offers(entry: polib.POEntry) -> list[str]:
    """The machine translations of the new English offered in `entry`'s comments."""
    return [line for line in entry.comment.splitlines() if line.startswith(OFFER)]


def without_dates(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Creation-Date" not in line]


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

    assert counts(summary) == {
        "new": 1,
        "changed": 1,
        "unchanged": 12,
        "reviewed kept": 3,
        "obsolete": 1,
    }


def test_counts_reads_whole_numbers() -> None:
    line = "out/ko/a.po: 0 new, 0 changed, 13 unchanged, 13 reviewed kept, 0 obsolete"
    assert counts(f"out/templates/a.pot: 26 entries\n{line}\n")["reviewed kept"] == 13


def test_a_rerun_keeps_the_offer_while_the_entry_is_fuzzy(
    workspace: Workspace, sent: list[str]
) -> None:
    workspace.run()
    reviewed = workspace.review()
    workspace.edit_article()
    workspace.run()
    after_edit = workspace.po.read_text("utf-8")
    sent.clear()

    # Nobody has looked at the edited entry yet: a run changes nothing.
    summary = workspace.run()
    assert sent == []
    assert without_dates(workspace.po.read_text("utf-8")) == without_dates(after_edit)
    assert counts(summary) == {
        "new": 0,
        "changed": 0,
        "unchanged": 13,
        "reviewed kept": 3,
        "obsolete": 0,
    }
    old_english = next(m for m in reviewed if m.startswith(EDITED))
    new_prefix = EDITED.replace("met with", "held talks with")
    edited = entry_starting(workspace.catalog(), new_prefix)
    assert "fuzzy" in edited.flags
    assert edited.previous_msgid == old_english
    assert len(offers(edited)) == 1

    # The reviewer settles it: the previous msgid and the offer go, the text stays.
    catalog = workspace.catalog()
    entry_starting(catalog, new_prefix).flags.remove("fuzzy")
    catalog.save()
    workspace.run()
    settled = entry_starting(workspace.catalog(), new_prefix)
    assert settled.msgstr == reviewed[old_english]
    assert "fuzzy" not in settled.flags
    assert settled.previous_msgid is None
    assert offers(settled) == []
    assert "#|" not in workspace.po.read_text("utf-8")
    msgfmt_check(workspace.po)


def test_a_second_edit_keeps_the_english_the_reviewer_translated(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.run()
    reviewed = workspace.review()
    workspace.edit_article()
    workspace.run()
    before = tmp_path / "before.po"
    shutil.copy(workspace.po, before)
    text = workspace.article.read_text("utf-8")
    workspace.article.write_text(text.replace("held talks with", "sat down with"), "utf-8")

    summary = workspace.run()
    old_english = next(m for m in reviewed if m.startswith(EDITED))
    entry = entry_starting(workspace.catalog(), EDITED.replace("met with", "sat down with"))
    assert entry.msgstr == reviewed[old_english]
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == old_english
    # One offer, the machine translation of the newest English.
    [offer] = offers(entry)
    assert accent("sat down with") in offer
    assert counts(summary)["changed"] == 1
    assert counts(summary)["reviewed kept"] == 3

    # GNU msgmerge --previous keeps the same previous msgid.
    merged = tmp_path / "msgmerge.po"
    pot = workspace.out / "templates" / "kang-motegi.pot"
    subprocess.run(
        ["msgmerge", "--previous", "--quiet", "-o", str(merged), str(before), str(pot)],
        check=True,
    )
    theirs = entry_starting(polib.pofile(str(merged)), entry.msgid[:60])
    assert theirs.previous_msgid == entry.previous_msgid


def test_a_split_with_new_quotes_and_spacing_keeps_the_reviewer_text(
    workspace: Workspace, sent: list[str]
) -> None:
    workspace.run()
    reviewed = workspace.review()
    tuesday = next(m for m in reviewed if m.startswith(TUESDAY))
    she = next(m for m in reviewed if m.startswith(SHE))
    # One edit: curly apostrophes, a line break and double spaces, and a split.
    split = (
        tuesday.replace("'", "\u2019")
        .replace(" to retract the", " to retract\nthe")
        .replace("controls and urged", "controls.  He urged")
    )
    rewrapped = she.replace(" that her ", "  that her\n")
    text = workspace.article.read_text("utf-8")
    workspace.article.write_text(text.replace(tuesday, split).replace(she, rewrapped), "utf-8")
    sent.clear()

    summary = workspace.run()
    catalog = workspace.catalog()
    first = entry_starting(catalog, "In Tuesday\u2019s talks")
    second = entry_starting(catalog, "He urged")
    assert first.msgid == (
        "In Tuesday\u2019s talks, Kang reiterated Seoul\u2019s call for Japan to retract "
        "the export controls."
    )
    for half in (first, second):
        assert half.msgstr == reviewed[tuesday]
        assert "fuzzy" in half.flags
        assert half.previous_msgid == tuesday
        assert len(offers(half)) == 1
    # Spacing alone is no change: still reviewed, not fuzzy, not sent.
    kept = entry_starting(catalog, SHE)
    assert kept.msgstr == reviewed[she]
    assert "fuzzy" not in kept.flags
    assert kept.previous_msgid is None
    # Only the two halves went to the engine (masked).
    assert len(sent) == 2
    assert {text.split()[0] for text in sent} == {"In", "He"}
    assert counts(summary) == {
        "new": 0,
        "changed": 2,
        "unchanged": 13,
        "reviewed kept": 4,
        "obsolete": 0,
    }
    msgfmt_check(workspace.po)

    # And again, unchanged: nothing moves.
    before = workspace.po.read_text("utf-8")
    sent.clear()
    summary = workspace.run()
    assert sent == []
    assert without_dates(workspace.po.read_text("utf-8")) == without_dates(before)
    assert counts(summary)["changed"] == 0
    assert counts(summary)["reviewed kept"] == 4


def test_rerun_of_an_unchanged_article_sends_nothing(
    workspace: Workspace, sent: list[str]
) -> None:
    workspace.run()
    before = workspace.po.read_text("utf-8")
    sent.clear()
    workspace.run()
    assert sent == []
    assert without_dates(workspace.po.read_text("utf-8")) == without_dates(before)


def test_accepting_a_machine_translation_as_is_counts_as_review(workspace: Workspace) -> None:
    workspace.run()
    catalog = workspace.catalog()
    entry = entry_starting(catalog, SHE)
    entry.flags.remove("fuzzy")
    catalog.save()
    assert counts(workspace.run())["reviewed kept"] == 1
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
    assert counts(summary)["reviewed kept"] == 3
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
