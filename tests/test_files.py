"""Atomic writes keep a file's permissions and never leave a half-written file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workflow.files import write_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_what_the_umask_gives(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "ko" / "story.po"
    write_atomic(path, 'msgid ""\n')
    assert mode(path) == 0o644
    assert path.read_text("utf-8") == 'msgid ""\n'


def test_a_shared_file_stays_shared(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "story.po"
    path.write_text("old", "utf-8")
    path.chmod(0o664)
    write_atomic(path, "new")
    assert mode(path) == 0o664
    assert path.read_text("utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["story.po"]
