"""Review progress figures of PO files made by real pseudo runs and edited by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from workflow.article import read_article
from workflow.cli import main
from workflow.errors import InputError
from workflow.segment import segment_article
from workflow.status import CatalogStatus, catalog_status, scan_status

ARTICLE_ID = "yonhap-2020-01-15-kang-motegi"


@pytest.fixture
def out(tmp_path: Path, bundled_article: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The output folder of a pseudo run over the bundled article and a short one."""
    (tmp_path / "articles").mkdir()
    shutil.copy(bundled_article, tmp_path / "articles")
    (tmp_path / "articles" / "brief.txt").write_text(
        "Talks resume\n\nThe talks resumed. Both sides spoke.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code = main(["run", "--engine", "pseudo", "--out", "out", "articles"])
    assert code == 0
    return Path("out")


def status_of(path: Path) -> CatalogStatus:
    return catalog_status(polib.pofile(str(path)), path)


def test_fresh_machine_translation_is_all_fuzzy(out: Path, bundled_article: Path) -> None:
    segments = len(segment_article(read_article(bundled_article)))
    status = status_of(out / "ko" / f"{ARTICLE_ID}.po")
    assert status == CatalogStatus(
        path=str(out / "ko" / f"{ARTICLE_ID}.po"),
        article_id=ARTICLE_ID,
        language="ko",
        total=segments,
        translated=0,
        fuzzy=segments,
        untranslated=0,
    )
    assert status.percent_reviewed == 0.0


def test_cleared_and_emptied_entries_are_counted(out: Path) -> None:
    path = out / "ja" / f"{ARTICLE_ID}.po"
    catalog = polib.pofile(str(path))
    for entry in catalog[:3]:
        entry.flags.remove("fuzzy")
    catalog[3].msgstr = ""
    catalog[4].obsolete = True
    catalog.save(str(path))

    status = status_of(path)

    total = len(catalog) - 1
    assert (status.total, status.translated, status.fuzzy, status.untranslated) == (
        total,
        3,
        total - 4,
        1,
    )
    assert status.percent_reviewed == pytest.approx(3 / total * 100)


def test_language_falls_back_to_the_folder_name(out: Path) -> None:
    path = out / "ko" / f"{ARTICLE_ID}.po"
    catalog = polib.pofile(str(path))
    del catalog.metadata["Language"]
    assert catalog_status(catalog, path).language == "ko"
    catalog.metadata["Language"] = "ko_KR"
    assert catalog_status(catalog, path).language == "ko"


def test_empty_catalog_is_zero_percent() -> None:
    status = catalog_status(polib.POFile(), Path("locales/ko/empty.po"))
    assert (status.total, status.percent_reviewed) == (0, 0.0)
    assert (status.article_id, status.language) == ("empty", "ko")


def test_json_form(out: Path) -> None:
    path = out / "ko" / "brief.po"
    catalog = polib.pofile(str(path))
    catalog[0].flags.remove("fuzzy")
    data = catalog_status(catalog, path).to_json()
    assert data == {
        "path": str(path),
        "article_id": "brief",
        "language": "ko",
        "total": 3,
        "translated": 1,
        "fuzzy": 2,
        "untranslated": 0,
        "machine_accepted": 0,
        "percent_reviewed": 33.3,
    }
    assert json.loads(json.dumps(data)) == data


def test_scan_lists_every_catalog_by_article_then_language(out: Path) -> None:
    assert (out / "templates").is_dir()
    statuses = scan_status(out)
    assert [(s.article_id, s.language) for s in statuses] == [
        ("brief", "ja"),
        ("brief", "ko"),
        (ARTICLE_ID, "ja"),
        (ARTICLE_ID, "ko"),
    ]
    assert [s.path for s in statuses] == [
        str(out / "ja" / "brief.po"),
        str(out / "ko" / "brief.po"),
        str(out / "ja" / f"{ARTICLE_ID}.po"),
        str(out / "ko" / f"{ARTICLE_ID}.po"),
    ]
    assert all(s.fuzzy == s.total > 0 for s in statuses)


def test_scan_refuses_a_broken_catalog(out: Path) -> None:
    broken = out / "ko" / "brief.po"
    lines = broken.read_text(encoding="utf-8").splitlines()
    broken.write_text(
        "\n".join([*lines, "", "a line that is not PO syntax", ""]), encoding="utf-8"
    )
    with pytest.raises(InputError, match="PO syntax error") as error:
        scan_status(out)
    assert error.value.path == str(broken)
    assert error.value.line == len(lines) + 2


def test_scan_refuses_a_catalog_in_the_wrong_folder(out: Path) -> None:
    shutil.copy(out / "ko" / "brief.po", out / "ja" / "brief.po")
    with pytest.raises(InputError, match="Language header says 'ko'") as error:
        scan_status(out)
    assert error.value.path == str(out / "ja" / "brief.po")


def test_scan_of_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        scan_status(tmp_path / "locales")
    assert scan_status(tmp_path) == []


def test_the_table_never_cuts_an_article_name(
    out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    long_id = "yonhap-2020-01-15-kang-motegi-with-a-long-name"
    (out / "ko" / "brief.po").rename(out / "ko" / f"{long_id}.po")
    assert main(["status", str(out)]) == 0
    table = capsys.readouterr().out
    assert long_id in "".join(
        line.split("│")[1].strip() for line in table.splitlines() if "│" in line
    )
