"""The translation memory: nothing is decoded twice."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import polib
from support import BUNDLED_ARTICLE

from workflow.engines.memory import RememberingEngine
from workflow.engines.pseudo import PseudoEngine
from workflow.store import Store

Run = Callable[..., tuple[int, str, str]]


def run(l10n: Run, out: Path, *articles: Path) -> str:
    code, stdout, err = l10n("run", *articles, "--engine", "pseudo", "--out", out)
    assert code == 0, err
    return stdout


def test_rerun_after_losing_the_po_files_decodes_nothing(
    l10n: Run, tmp_path: Path, sent: list[str]
) -> None:
    out = tmp_path / "out"
    run(l10n, out, BUNDLED_ARTICLE)
    assert len(sent) == 32
    shutil.rmtree(out / "ko")
    shutil.rmtree(out / "ja")
    sent.clear()
    summary = run(l10n, out, BUNDLED_ARTICLE)
    assert sent == []
    assert "engine: 0 segment(s) decoded, 32 from translation memory" in summary


def test_a_sentence_shared_by_two_articles_is_translated_once(
    l10n: Run, tmp_path: Path, sent: list[str]
) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("Talks resume\n\nThe ministers met. They agreed.\n", "utf-8")
    second.write_text("Other news\n\nThe ministers met. Then it rained.\n", "utf-8")
    run(l10n, tmp_path / "out", first, second)
    assert sent.count("The ministers met.") == 2  # once per language
    assert len(sent) == 2 * 5


def test_changing_one_sentence_decodes_only_that_sentence(
    l10n: Run, tmp_path: Path, sent: list[str]
) -> None:
    articles = []
    for name in ("a", "b"):
        article = tmp_path / f"{name}.txt"
        shutil.copy(BUNDLED_ARTICLE, article)
        articles.append(article)
    out = tmp_path / "out"
    run(l10n, out, *articles)
    text = articles[1].read_text("utf-8").replace("five-minute", "ten-minute")
    articles[1].write_text(text, "utf-8")
    sent.clear()
    run(l10n, out, *articles)
    assert len(sent) == 2
    assert all("ten-minute" in text for text in sent)


def test_memory_is_keyed_by_the_engine_fingerprint() -> None:
    class Settings(PseudoEngine):
        def fingerprint(self, lang: str) -> str:
            return "pseudo with other settings"

    store = Store.open_memory()
    first = RememberingEngine(PseudoEngine(), store)
    first.translate(["Talks resumed."], "ko")
    other = RememberingEngine(Settings(), store)
    other.translate(["Talks resumed."], "ko")
    assert (other.recalled, other.decoded) == (0, 1)
    again = RememberingEngine(PseudoEngine(), store)
    again.translate(["Talks resumed."], "ko", n_best=1)
    assert (again.recalled, again.decoded) == (1, 0)


def test_tm_stats_and_tmx_export(l10n: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(l10n, out, BUNDLED_ARTICLE)
    po = out / "ko" / "yonhap-2020-01-15-kang-motegi.po"
    catalog = polib.pofile(str(po))
    catalog[0].msgstr = "한일 외교장관, 역사·무역 갈등 논의"
    catalog[0].flags.remove("fuzzy")
    catalog.save()

    code, stats, _ = l10n("tm", "stats", "--out", out)
    assert code == 0
    assert "ko" in stats and "16" in stats

    tmx = tmp_path / "memory.tmx"
    code, _, err = l10n("tm", "export", "--tmx", tmx, "--out", out)
    assert code == 0, err
    root = ET.parse(tmx).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "en"  # type: ignore[union-attr]
    units = root.findall("body/tu")
    assert len(units) == 16
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    title = next(
        tu for tu in units if tu.findtext("tuv/seg", "").startswith("Top diplomats of S. Korea")
    )
    korean = next(tuv for tuv in title.findall("tuv") if tuv.get(lang) == "ko")
    assert korean.findtext("seg") == "한일 외교장관, 역사·무역 갈등 논의"
    assert korean.findtext("prop") == "reviewed"
    assert {tuv.get(lang) for tuv in title.findall("tuv")} == {"en", "ko", "ja"}
