"""Writing PO files: `render_catalog` writes polib's text, and the writer's check refuses."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.errors import WorkflowError
from workflow.pofile import empty_catalog, read_catalog, render_catalog, write_catalog

# Strings with what polib escapes or splits at: quotes, backslashes, every
# character `str.splitlines` breaks at, and some non-ASCII.
_TEXT = st.text(
    st.sampled_from(list('ab "\\\t\r\n\v\b\f\x1c\x85\u2028é강')) | st.characters(),
    max_size=30,
)
_MAYBE = st.none() | _TEXT


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    plural = draw(st.booleans())
    entry = polib.POEntry(
        msgid=draw(_TEXT),
        msgstr="" if plural else draw(_TEXT),
        msgctxt=draw(_MAYBE),
        msgid_plural=draw(_TEXT) if plural else "",
        msgstr_plural=(
            dict(enumerate(draw(st.lists(_TEXT, min_size=1, max_size=3)))) if plural else {}
        ),
        comment=draw(_TEXT),
        tcomment=draw(_TEXT),
        occurrences=draw(
            st.lists(st.tuples(st.sampled_from(["a.txt", "b c.txt"]), st.sampled_from(["", "3"])))
        ),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "c-format", "no-wrap"]), max_size=2)),
        previous_msgctxt=draw(_MAYBE),
        previous_msgid=draw(_MAYBE),
        previous_msgid_plural=draw(_MAYBE),
        obsolete=draw(st.booleans()),
    )
    return entry


@settings(max_examples=120, deadline=None)
@given(
    st.lists(entries(), max_size=5),
    _TEXT,
    st.dictionaries(st.sampled_from(["Language", "X-A"]), _TEXT),
    st.booleans(),
)
def test_same_text_as_polib(
    found: list[polib.POEntry], header: str, metadata: dict[str, str], fuzzy: bool
) -> None:
    catalog = empty_catalog()
    catalog.header = header
    catalog.metadata = metadata
    catalog.metadata_is_fuzzy = fuzzy
    for entry in found:
        catalog.append(entry)
    assert render_catalog(catalog) == str(catalog)


def test_wrapped_catalogs_are_polibs() -> None:
    catalog = polib.POFile(wrapwidth=20)
    catalog.append(polib.POEntry(msgid="A sentence long enough to be wrapped.", msgstr="x"))
    assert render_catalog(catalog) == str(catalog)


def _catalog(*found: polib.POEntry) -> polib.POFile:
    catalog = empty_catalog()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ko"}
    for entry in found:
        catalog.append(entry)
    return catalog


@pytest.mark.parametrize(
    ("found", "message"),
    [
        (
            [polib.POEntry(msgid="A.", msgstr="x"), polib.POEntry(msgid="A.", msgstr="y")],
            'line 10 of the new version would be refused: duplicate entry: msgid "A." '
            "(first at line 7)",
        ),
        (
            [
                polib.POEntry(msgid="A.", msgctxt="k", msgstr="x"),
                polib.POEntry(msgid="A.", msgctxt="k", msgstr="y", obsolete=True),
            ],
            'duplicate entry: msgctxt "k" msgid "A."',
        ),
        ([polib.POEntry(msgid="", msgstr="x")], 'duplicate entry: msgid ""'),
    ],
)
def test_a_file_the_next_run_would_refuse_is_never_written(
    tmp_path: Path, found: list[polib.POEntry], message: str
) -> None:
    # The writer's check works from the catalog; what it finds is still said
    # with the line of the text, and the file on disk stays as it was.
    path = tmp_path / "a.po"
    path.write_text("old\n", "utf-8")
    with pytest.raises(WorkflowError, match=re.escape(message)):
        write_catalog(_catalog(*found), path)
    assert path.read_text("utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [path]


def test_a_valid_catalog_is_written_as_polib_renders_it(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    catalog = _catalog(
        polib.POEntry(msgid='Say "A"\\n', msgstr="x", msgctxt="k"),
        polib.POEntry(msgid='Say "A"\\n', msgstr="y"),
        polib.POEntry(msgid="Gone.", msgstr="z", obsolete=True),
    )
    assert write_catalog(catalog, path)
    assert path.read_text("utf-8") == str(catalog)
    assert read_catalog(path, language="ko")[0].msgctxt == "k"
