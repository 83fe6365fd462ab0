"""`workflow.pofile.render_catalog` writes exactly the text polib writes."""

from __future__ import annotations

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.pofile import empty_catalog, render_catalog

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
