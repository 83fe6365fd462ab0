"""The output folder: its layout, the catalogs a run reads, and what a failed run leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.errors import InputError
from workflow.output import OutputFolder

_CATALOG = 'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\nmsgid "Hello."\nmsgstr "안녕."\n'


def test_catalog_files_are_the_language_folders_po_files(tmp_path: Path) -> None:
    for name in ("ko/b.po", "ko/a.po", "ja/a.po", "templates/a.pot", ".l10n/x.po", "ko/a.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(_CATALOG, encoding="utf-8")
    found = [
        (lang, path.relative_to(tmp_path).as_posix())
        for lang, path in OutputFolder(tmp_path).catalog_files()
    ]
    assert found == [("ja", "ja/a.po"), ("ko", "ko/a.po"), ("ko", "ko/b.po")]
    assert list(OutputFolder(tmp_path / "missing").catalog_files()) == []


def test_a_catalog_saved_after_it_was_read_is_noticed(tmp_path: Path) -> None:
    out = OutputFolder(tmp_path)
    path = out.catalog_path("a", "ko")
    assert out.read_catalog("a", "ko").catalog is None
    assert not out.saved_since_read("a", "ko")
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + _CATALOG.encode())
    assert out.saved_since_read("a", "ko")  # created meanwhile
    found = out.read_catalog("a", "ko")
    assert found.catalog is not None and found.byte_order_mark
    assert [e.msgstr for e in found.catalog] == ["안녕."]
    assert not out.saved_since_read("a", "ko")
    path.write_text(_CATALOG.replace("안녕.", "안녕하세요."), encoding="utf-8")
    assert out.saved_since_read("a", "ko")
    path.unlink()
    assert out.saved_since_read("a", "ko")  # removed meanwhile


def test_a_broken_catalog_is_refused_with_its_line(tmp_path: Path) -> None:
    out = OutputFolder(tmp_path)
    path = out.catalog_path("a", "ko")
    path.parent.mkdir()
    path.write_text('msgid "Gone."\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"ko/a\.po:1: missing 'msgstr' section"):
        out.read_catalog("a", "ko")


def test_a_run_that_fails_before_writing_leaves_no_folder_it_created(tmp_path: Path) -> None:
    out = OutputFolder(tmp_path / "new")
    with pytest.raises(RuntimeError), out.opened(["ko"]):
        assert out.state_folder.is_dir()
        raise RuntimeError
    assert not out.root.exists()
    out.root.mkdir()
    with pytest.raises(RuntimeError), out.opened(["ko"]):
        raise RuntimeError
    assert out.root.is_dir()  # not created by the run: stays


def test_opening_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    out = OutputFolder(tmp_path)
    stale = [tmp_path / "templates" / ".a.pot.x1.tmp", tmp_path / "ko" / ".a.po.x2.tmp"]
    kept = tmp_path / "ja" / ".a.po.x3.tmp"  # not a language of this run
    for path in (*stale, kept):
        path.parent.mkdir(exist_ok=True)
        path.write_text("half", encoding="utf-8")
    with out.opened(["ko"]):
        assert not any(path.exists() for path in stale)
    assert kept.exists()
