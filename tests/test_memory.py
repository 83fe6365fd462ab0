"""The translation memory: nothing is decoded twice."""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

import polib
import pytest
from support import BUNDLED_ARTICLE, DEFAULT_GLOSSARY
from test_merge import counts

import workflow.engines.pseudo
from workflow.decoder import Decoded, decode, recall, remember
from workflow.engines.pseudo import PseudoEngine
from workflow.engines.spec import EngineSpec
from workflow.masking import mask
from workflow.store import Provenance, Store

Run = Callable[..., tuple[int, str, str]]


def run(l10n: Run, out: Path, *articles: Path, glossary: Path = DEFAULT_GLOSSARY) -> str:
    # --verbose: the per-file lines `counts` reads.
    code, stdout, err = l10n(
        "run", *articles, "--engine", "pseudo", "--out", out, "--glossary", glossary, "--verbose"
    )
    assert code == 0, err
    return stdout


STEM = "yonhap-2020-01-15-kang-motegi"
TUESDAY = "In Tuesday's talks"


def korean(out: Path) -> polib.POFile:
    return polib.pofile(str(out / "ko" / f"{STEM}.po"))


def review_tuesday(out: Path) -> str:
    """A reviewer translates one of the sentences that name Japan."""
    catalog = korean(out)
    entry = next(e for e in catalog if e.msgid.startswith(TUESDAY))
    entry.msgstr = "화요일 회담에서 강 장관은 일본에 수출 규제 철회를 거듭 촉구했다."
    entry.flags.remove("fuzzy")
    catalog.save()
    return entry.msgstr


def upgrade_pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version of the engine: another fingerprint, other output."""
    translate = PseudoEngine.translate

    def translate_v2(
        self: PseudoEngine, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        hypotheses = translate(self, texts, lang, n_best=n_best, min_beam=min_beam)
        return [[f"v2 {h}" for h in hyps] for hyps in hypotheses]

    monkeypatch.setattr(
        workflow.engines.pseudo,
        "fingerprint",
        lambda spec, lang: f"pseudo 2 {lang}",
    )
    monkeypatch.setattr(PseudoEngine, "translate", translate_v2)


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
    store = Store.open_memory()
    segments = [mask("Talks resumed.", [], "ko")]

    def translate(fingerprint: str) -> Decoded:
        # As a run does: recall while planning, decode, remember while writing.
        request = recall(store, fingerprint, "ko", segments)
        decoded = decode(PseudoEngine(), request.segments, "ko", known=request.known)
        remember(store, fingerprint, decoded)
        return decoded

    pseudo = EngineSpec("pseudo", ("ko",))
    translate(workflow.engines.pseudo.fingerprint(pseudo, "ko"))
    other = translate("pseudo with other settings")
    assert (other.recalled, other.decoded) == (0, 1)
    again = translate(workflow.engines.pseudo.fingerprint(pseudo, "ko"))
    assert (again.recalled, again.decoded) == (1, 0)


def test_a_text_repeated_is_decoded_once_and_remembered() -> None:
    store = Store.open_memory()
    first = [mask(text, [], "ko") for text in ("Talks resumed.", "They met.")]
    second = [mask(text, [], "ko") for text in ("They met.", "Both left.")]
    counts = []
    for segments in (first, second):
        request = recall(store, "pseudo 1 ko", "ko", segments)
        decoded = decode(PseudoEngine(), request.segments, "ko", known=request.known)
        remember(store, "pseudo 1 ko", decoded)
        counts.append((decoded.recalled, decoded.decoded))
    assert counts == [(0, 2), (1, 1)]


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
    # The reviewed title only: the rest is pseudo-translation, never exported.
    assert len(units) == 1
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    title = next(
        tu for tu in units if tu.findtext("tuv/seg", "").startswith("Top diplomats of S. Korea")
    )
    korean = next(tuv for tuv in title.findall("tuv") if tuv.get(lang) == "ko")
    assert korean.findtext("seg") == "한일 외교장관, 역사·무역 갈등 논의"
    assert korean.findtext("prop") == "reviewed"
    assert {tuv.get(lang) for tuv in title.findall("tuv")} == {"en", "ko"}


def test_another_engine_retranslates_what_no_reviewer_touched(
    l10n: Run, tmp_path: Path, sent: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(l10n, out, BUNDLED_ARTICLE)
    reviewed = review_tuesday(out)
    with monkeypatch.context() as patch:
        upgrade_pseudo(patch)
        sent.clear()
        summary = run(l10n, out, BUNDLED_ARTICLE)
        catalog = korean(out)
        assert counts(summary) == {
            "new": 0,
            "changed": 0,
            "retranslated": 15,
            "unchanged": 0,
            "reviewed kept": 1,
            "obsolete": 0,
        }
        assert len(sent) == 15 + 16  # Korean, and Japanese where nobody reviewed anything
        for entry in catalog:
            if entry.msgid.startswith(TUESDAY):
                assert entry.msgstr == reviewed and "fuzzy" not in entry.flags
            else:
                assert entry.msgstr.startswith("v2 ⟦ko⟧") and "fuzzy" in entry.flags
        # Now current: a second run keeps everything.
        sent.clear()
        summary = run(l10n, out, BUNDLED_ARTICLE)
        assert sent == []
        assert "retranslated" not in counts(summary)
    # Back to the first engine: its translations come from memory, not from decoding.
    sent.clear()
    summary = run(l10n, out, BUNDLED_ARTICLE)
    assert sent == []
    assert counts(summary)["retranslated"] == 15
    assert all(e.msgstr.startswith("⟦ko⟧") for e in korean(out) if e.msgstr != reviewed)


def japan_renamed(tmp_path: Path) -> Path:
    glossary = tmp_path / "renamed.tsv"
    text = DEFAULT_GLOSSARY.read_text("utf-8")
    assert "\nJapan\t일본\t" in text
    glossary.write_text(text.replace("\nJapan\t일본\t", "\nJapan\t일본국\t"), "utf-8")
    return glossary


def test_a_new_glossary_target_replaces_unreviewed_machine_text(
    l10n: Run, tmp_path: Path, sent: list[str]
) -> None:
    out = tmp_path / "out"
    run(l10n, out, BUNDLED_ARTICLE)
    reviewed = review_tuesday(out)
    before = {e.msgid: e.msgstr for e in korean(out)}
    sent.clear()
    summary = run(l10n, out, BUNDLED_ARTICLE, glossary=japan_renamed(tmp_path))
    # The masked source is the same, so the memory answers: nothing is decoded.
    assert sent == []
    catalog = korean(out)
    naming_japan = [e for e in catalog if "glossary: Japan → 일본국 (place)" in e.comment]
    assert len(naming_japan) >= 3
    for entry in naming_japan:
        if entry.msgid.startswith(TUESDAY):
            assert entry.msgstr == reviewed
        else:
            assert "일본국" in entry.msgstr and "fuzzy" in entry.flags
    others = [e for e in catalog if e not in naming_japan]
    assert all(e.msgstr == before[e.msgid] for e in others)
    assert counts(summary)["retranslated"] == len(naming_japan) - 1
    assert counts(summary)["unchanged"] == 16 - len(naming_japan)


def test_outputs_recorded_before_provenance_was_kept_count_as_current(
    l10n: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(l10n, out, BUNDLED_ARTICLE)
    before = korean(out)
    # A state file as earlier versions left it: machine output without provenance.
    with sqlite3.connect(out / ".l10n" / "state.sqlite3") as db:
        db.execute("DROP TABLE machine_output_provenance")
    summary = run(l10n, out, BUNDLED_ARTICLE, glossary=japan_renamed(tmp_path))
    assert "retranslated" not in counts(summary)
    assert [e.msgstr for e in korean(out)] == [e.msgstr for e in before]


def test_a_state_file_of_an_earlier_version_opens_and_learns_provenance(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE machine_output (
                lang TEXT NOT NULL, source TEXT NOT NULL, translation TEXT NOT NULL,
                english TEXT NOT NULL, PRIMARY KEY (lang, source, translation)
            ) WITHOUT ROWID;
            CREATE TABLE translation_memory (
                engine TEXT NOT NULL, lang TEXT NOT NULL, source TEXT NOT NULL,
                hypotheses TEXT NOT NULL, PRIMARY KEY (engine, lang, source)
            ) WITHOUT ROWID;
            INSERT INTO machine_output VALUES ('ko', 'They met.', '만났다.', 'They met.');
            """
        )
    db.close()
    store = Store(path)
    made = Provenance("pseudo 1 ko", "They met.")
    assert store.is_machine_output("ko", "They met.", "만났다.")
    assert store.is_current_output("ko", "They met.", "만났다.", made)
    store.record_machine_output("ko", "They left.", "떠났다.", made)
    assert store.is_current_output("ko", "They left.", "떠났다.", made)
    assert not store.is_current_output("ko", "They left.", "떠났다.", Provenance("other", "x"))
    store.close()


def test_sentences_alike_but_for_a_name_keep_their_own_names(
    l10n: Run, tmp_path: Path, sent: list[str]
) -> None:
    article = tmp_path / "names.txt"
    article.write_text(
        "Briefing\n\nKang Kyung-wha met reporters. Toshimitsu Motegi met reporters.\n", "utf-8"
    )
    out = tmp_path / "out"
    summary = run(l10n, out, article)
    catalog = polib.pofile(str(out / "ko" / "names.po"))
    assert [e.msgstr.split()[1] for e in catalog][1:] == ["강경화", "모테기"]
    # Both are "ZXQ1 met reporters." to the engine, which decodes that once.
    assert sent.count("ZXQ1 met reporters.") == 2  # once per language
    assert "from translation memory" in summary
