"""The shapes PO checks and glossary lint share (`workflow.findings`)."""

from __future__ import annotations

from pathlib import Path

import polib

from workflow import checks, glossary_lint
from workflow.findings import Check, Finding, has_errors, unknown_ids
from workflow.glossary import Glossary


def test_both_tables_are_rows_of_one_shape() -> None:
    for table in (checks.CHECKS, glossary_lint.CHECKS):
        assert all(isinstance(row, Check) for row in table)
        assert all(row.title.endswith(".") and "\n" not in row.title for row in table)
    assert {row.id for row in checks.CHECKS}.isdisjoint(row.id for row in glossary_lint.CHECKS)


def test_both_report_one_finding_type(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tko\tja\nNHK\tNHK\tNHK\n", encoding="utf-8")
    (linted,) = glossary_lint.lint_glossaries([glossary])
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Seoul replied.", msgstr="", linenum=7))
    (checked,) = checks.check_catalog(catalog, checks.CheckContext("ko", Glossary(()), "a.po"))
    assert type(linted) is type(checked) is Finding
    assert str(linted) == f"{glossary}:2: info: 'NHK' is kept in English in ja, ko [keep-english]"
    assert str(checked) == "a.po:7: warning: untranslated [untranslated]"
    assert (checked.msgctxt, checked.msgid, linted.msgid) == (None, "Seoul replied.", "")
    assert not has_errors([linted, checked])
    assert has_errors([linted, Finding("conflict", "error", "a.tsv", 1, "...")])


def test_unknown_ids_name_what_no_table_row_is() -> None:
    assert unknown_ids(checks.CHECKS, ["numbers", "conflict", "nestd"]) == ["conflict", "nestd"]
    assert unknown_ids(glossary_lint.CHECKS, ["conflict"]) == []
