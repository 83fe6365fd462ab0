"""Adding a target language is one row in the language table plus a glossary column.

The rows below exist in this test only. Each is added to a table from which
any shipped row for the same code was taken out first, so that whatever the
run, the PO file and the checks do in that language can only come from the
row the test wrote.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from workflow import languages
from workflow.checks import check_file
from workflow.glossary import Glossary, load_glossaries
from workflow.languages import Language, LanguageCode

Run = Callable[..., tuple[int, str, str]]

_QUESTION, _EXCLAMATION = "\N{FULLWIDTH QUESTION MARK}", "\N{FULLWIDTH EXCLAMATION MARK}"

CHINESE = Language(
    LanguageCode("zh"),
    "Chinese",
    "nplurals=1; plural=0;",
    "",
    spaced=False,
    sentence_ends=f"。{_QUESTION}{_EXCLAMATION}",
    wrong_ends=((".", "。"), ("?", _QUESTION), ("!", _EXCLAMATION)),
)
#: A language with plural forms of its own, so that the header can only come from the row.
RUSSIAN = Language(
    LanguageCode("ru"),
    "Russian",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    " ",
    spaced=True,
    sentence_ends=".?!…",
    wrong_ends=(("。", "."),),
)
#: Per language: the glossary column, and the rendering of Kang Kyung-wha in it.
GLOSSARY_COLUMNS = {
    "zh": ("康京和", "茂木敏充", "首尔"),
    "ru": ("Кан Гён Хва", "Тосимицу Мотэги", "Сеул"),
}


@pytest.fixture
def add_language(monkeypatch: pytest.MonkeyPatch) -> Callable[[Language], None]:
    """Add a row to the language table for this test only."""
    for row in (CHINESE, RUSSIAN):
        monkeypatch.delitem(languages.LANGUAGES, row.code, raising=False)

    def add(row: Language) -> None:
        monkeypatch.setitem(languages.LANGUAGES, row.code, row)

    return add


def write_glossary(folder: Path, code: str) -> Path:
    kang, motegi, seoul = GLOSSARY_COLUMNS[code]
    path = folder / "names.tsv"
    path.write_text(
        f"en\tko\tja\t{code}\ttype\n"
        f"Kang Kyung-wha\t강경화\t康京和\t{kang}\tperson\n"
        f"Toshimitsu Motegi\t모테기 도시미쓰\t茂木敏充\t{motegi}\tperson\n"
        f"Seoul\t서울\tソウル\t{seoul}\tplace\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("row", [CHINESE, RUSSIAN], ids=lambda row: row.code)
def test_a_language_added_as_one_row_runs_end_to_end(
    l10n: Run,
    tmp_path: Path,
    bundled_article: Path,
    add_language: Callable[[Language], None],
    row: Language,
) -> None:
    glossary = write_glossary(tmp_path, row.code)
    out = tmp_path / "out"
    args = ("run", "--engine", "pseudo", "--langs", row.code, "--glossary", glossary)
    code, _, err = l10n(*args, "--out", out, bundled_article)
    assert code == 2 and f"unknown language code {row.code!r}" in err  # not known before
    add_language(row)

    code, _, err = l10n(*args, "--out", out, "--quiet", bundled_article)

    assert code == 0, err
    po = out / row.code / f"{bundled_article.stem}.po"
    checked = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    catalog = polib.pofile(str(po))
    assert catalog.metadata["Language"] == row.code
    assert catalog.metadata["Language-Team"] == row.name
    assert catalog.metadata["Plural-Forms"] == row.plural_forms
    kang = GLOSSARY_COLUMNS[row.code][0]
    [met] = [
        entry for entry in catalog if entry.msgid.startswith("Foreign Minister Kang Kyung-wha met")
    ]
    # The row says whether a restored term is set apart from the words before it.
    assert kang in met.msgstr
    assert (f" {kang}" in met.msgstr) == row.spaced

    findings = check_file(po, load_glossaries([glossary]))

    wrong_final = {
        f.message for f in findings if f.check == "punctuation-final" and f.msgid == met.msgid
    }
    # Pseudo-translations end as the English does, with ".": wrong where the row says so.
    if "." in row.wrong_end_marks:
        assert wrong_final == {f"ends with '.'; {row.name} ends a sentence with '。'"}
    else:
        assert wrong_final == set()
    assert not [f for f in findings if f.check.startswith("glossary-")]


@pytest.mark.parametrize("row", [CHINESE, RUSSIAN], ids=lambda row: row.code)
def test_the_checks_take_the_sentence_ends_from_the_row(
    tmp_path: Path, add_language: Callable[[Language], None], row: Language
) -> None:
    add_language(row)
    po = tmp_path / "a.po"
    catalog = polib.POFile()
    catalog.metadata = {"Language": row.code, "Content-Type": "text/plain; charset=UTF-8"}
    good, (wrong, right) = row.sentence_ends[0], row.wrong_ends[0]
    for text in (f"一{good}", f"一{wrong}", "一"):
        catalog.append(polib.POEntry(msgid=f"Seoul agreed {text}.", msgstr=text))
    catalog.save(str(po))

    findings = check_file(po, Glossary(()))

    assert [(f.msgid, f.message) for f in findings] == [
        (
            f"Seoul agreed 一{wrong}.",
            f"ends with {wrong!r}; {row.name} ends a sentence with {right!r}",
        ),
        (
            "Seoul agreed 一.",
            "the source ends with '.' but the translation has no final punctuation",
        ),
    ]
