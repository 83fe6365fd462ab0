"""Glossaries as TBX (TermBase eXchange, ISO 30042), the format terminology tools share.

`read_tbx` takes TBX-Basic in either of its two shapes: TBX 2 (``<martif>``,
``termEntry`` / ``langSet`` / ``tig`` or ``ntig``), as Weblate, the Translate
Toolkit and most older tools write it, and TBX v3 in the DCA style
(``<tbx style="dca">``, ``conceptEntry`` / ``langSec`` / ``termSec``).
`write_tbx` writes TBX-Basic in the TBX 2 shape by default, a ``<martif
type="TBX-Basic">`` root with ``termEntry`` / ``langSet`` / ``tig``: the one
Weblate can read, its TBX support being the Translate Toolkit's, which
accepts no other root. ``version="v3"`` writes the TBX v3 DCA shape instead.
`write_tsv` turns terms back into the tab-separated format
`workflow.glossary` reads.

How our columns map to TBX, chosen so that Weblate and OmegaT show all of it
(below, concept, language section and term stand for ``termEntry``,
``langSet`` and ``tig`` in TBX 2, ``conceptEntry``, ``langSec`` and
``termSec`` in TBX v3):

* One concept per group of rows with the same targets, forbidden variants
  and type: each row's ``en`` is a term of the English language section
  (spelling variants such as ``Seoul`` and ``SEOUL`` become two terms), each
  target the first term of its language section. Rows without any target
  stay one concept each.
* Forbidden variants (the ``LANG-forbidden`` columns) are further terms of
  their language section marked ``<termNote type="administrativeStatus">
  deprecatedTerm-admn-sts</termNote>`` (TBX-Basic's only "do not use"
  status: its picklist has no ``forbiddenTerm-admn-sts``), the target then
  being marked ``preferredTerm-admn-sts``. Reading, every term whose administrative
  status or normative authorization is deprecated, superseded, forbidden or
  obsolete becomes a forbidden variant.
* ``type`` is the concept's ``<descrip type="subjectField">``, left out for
  the default ``term``. TBX-Basic has no data category for the kind of name a
  term is; subject field is the concept-level classification it does have,
  and it is what OmegaT shows (``subjectField: person``) and Weblate keeps as
  the term's explanation. A subject field that is not one of our types is
  read as type ``term`` and kept in the note.
* ``note`` is a ``<note>``: on the concept when every English variant has the
  same note (OmegaT shows only concept-level notes), else on each variant's
  ``termSec``. Reading, every other ``note`` and ``descrip`` of a concept
  (a definition, Weblate's explanations) is gathered into the note too.

Reading refuses what an XML parser should never be asked to expand: any
document type declaration with an internal subset or any entity declaration
(``<!DOCTYPE x [<!ENTITY ...>]>``), the shape of billion-laughs and external
entity attacks. A plain ``<!DOCTYPE martif PUBLIC ... "TBXcdv04.dtd">`` as
Weblate writes is fine: the DTD is never fetched.

>>> terms = (Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place"),
...          Term("SEOUL", {"ko": "서울", "ja": "ソウル"}, "place", "Dateline capitals"))
>>> [(t.en, t.target("ja"), t.type, t.note) for t in parse_tbx(write_tbx(terms).encode())]
[('Seoul', 'ソウル', 'place', ''), ('SEOUL', 'ソウル', 'place', 'Dateline capitals')]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.parsers import expat

from workflow.errors import InputError
from workflow.glossary import TERM_TYPES, VARIANT_SEPARATOR, Term, TermType
from workflow.languages import primary_subtag
from workflow.text import compact

#: The two shapes `write_tbx` writes: TBX 2 (``<martif>``) and TBX v3 DCA (``<tbx>``).
TbxVersion = Literal["v2", "v3"]
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TYPES: dict[str, TermType] = {kind: kind for kind in TERM_TYPES}
# Administrative statuses and normative authorizations that say "do not use
# this term" (TBX-Basic's picklist values, their TBX v3 short forms, and
# Weblate's own).
_UNUSABLE = ("deprecated", "superseded", "forbidden", "obsolete")
_STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")
# TBX-Basic's administrativeStatus picklist is preferredTerm-admn-sts,
# admittedTerm-admn-sts, deprecatedTerm-admn-sts and supersededTerm-admn-sts:
# "forbiddenTerm-admn-sts" is TBX's full set only, and tools reading
# TBX-Basic (the Translate Toolkit, hence Weblate) took it for a usable term.
_PREFERRED, _FORBIDDEN = "preferredTerm-admn-sts", "deprecatedTerm-admn-sts"
_LANG_COLUMN = re.compile(r"[a-z]{2,3}")
# What XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAK = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


class _RefusedError(Exception):
    """Raised from inside the XML parser to stop at a construct we do not accept."""


@dataclass
class _Node:
    """An element of the parsed document, with the line its start tag is on."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    #: Text and child elements, in document order.
    parts: list[str | _Node] = field(default_factory=list)

    def all_text(self) -> str:
        """The element's text and all its descendants' text, whitespace collapsed."""
        return " ".join("".join(self._strings()).split())

    def _strings(self) -> Iterator[str]:
        for part in self.parts:
            if isinstance(part, str):
                yield part
            else:
                yield from part._strings()

    def find(self, *tags: str) -> Iterator[_Node]:
        """The children whose local name is one of ``tags``."""
        return (child for child in self.children if child.tag in tags)


def read_tbx(path: Path, *, source_lang: str = "en") -> tuple[Term, ...]:
    """Read a TBX file into glossary terms; raise `InputError` with the line of any problem.

    Each English term of a concept becomes one term carrying the concept's
    targets, so spelling variants come back as separate rows. Two concepts
    with the same English stay two terms. Where a language has several
    terms, the first one not marked deprecated or forbidden is the target,
    the other usable ones are named in the note, and the ones marked
    deprecated or forbidden are its forbidden variants.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder, "g.tbx")
    ...     _ = path.write_text(write_tbx([Term("Seoul", {"ko": "서울"})]), encoding="utf-8")
    ...     [(term.en, dict(term.targets), term.line) for term in read_tbx(path)]
    [('Seoul', {'ko': '서울'}, 18)]
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read TBX file: {error.strerror or error}", path=path) from None
    return parse_tbx(data, path=str(path), source_lang=source_lang)


def parse_tbx(data: bytes, *, path: str = "<tbx>", source_lang: str = "en") -> tuple[Term, ...]:
    """Terms from the bytes of a TBX document; ``path`` is used in messages and in `Term.path`.

    >>> parse_tbx(b"<martif><text><body><termEntry/></body></text></martif>", path="g.tbx")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: g.tbx:1: concept has no term in 'en'
    """
    root = _parse_xml(data, path)
    if root.tag not in ("martif", "tbx"):
        raise InputError(
            f"not a TBX document: the root element is <{root.tag}>, not <tbx> or <martif>",
            path=path,
            line=root.line,
        )
    if root.tag == "tbx" and root.attrs.get("style", "dca") != "dca":
        raise InputError(
            f"TBX style {root.attrs['style']!r} is not supported: export the DCA style",
            path=path,
            line=root.line,
        )
    source = _language(source_lang, path, root.line)
    terms: list[Term] = []
    for concept in _concepts(root):
        terms.extend(_read_concept(concept, source, path))
    return tuple(terms)


def write_tbx(
    terms: Sequence[Term], *, source_lang: str = "en", version: TbxVersion = "v2"
) -> str:
    """A TBX-Basic document holding ``terms``; see the module docstring for the mapping.

    >>> print(write_tbx([Term("NHK", {"ja": "NHK"}, "organization")]))  # doctest: +ELLIPSIS
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
    <martif type="TBX-Basic" xml:lang="en">
    ...
          <termEntry id="c1">
            <descrip type="subjectField">organization</descrip>
            <langSet xml:lang="en">
              <tig>
                <term>NHK</term>
              </tig>
            </langSet>
            <langSet xml:lang="ja">
    ...
    >>> print(write_tbx([Term("NHK", {"ja": "NHK"})], version="v3"))  # doctest: +ELLIPSIS
    <?xml version="1.0" encoding="UTF-8"?>
    <tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
    ...
    """
    names = _NAMES[version]
    if version == "v2":
        root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: source_lang})
        prolog = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
    else:
        root = ET.Element(
            "tbx",
            {"xmlns": TBX_NAMESPACE, "type": "TBX-Basic", "style": "dca", _XML_LANG: source_lang},
        )
        prolog = ""
    header = ET.SubElement(root, names.header)
    description = ET.SubElement(header, "fileDesc")
    _text(ET.SubElement(ET.SubElement(description, "sourceDesc"), "p"), "l10n-workflow glossary")
    if version == "v2":
        # TBX 2 names the constraint specification (XCS) of the dialect here.
        encoding = ET.SubElement(header, "encodingDesc")
        _text(ET.SubElement(encoding, "p", {"type": "XCSURI"}), "TBXBasicXCSV02.xcs")
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, group in enumerate(_group_variants(terms), start=1):
        body.append(_concept_element(group, f"c{number}", source_lang, names))
    ET.indent(root, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + prolog + ET.tostring(root, encoding="unicode")


def write_tsv(terms: Sequence[Term], *, languages: Sequence[str] | None = None) -> str:
    """Glossary file text for ``terms``: a header ``en``, languages, ``type``, ``note``, then rows.

    ``languages`` orders the target columns (default: every target language,
    sorted). A ``LANG-forbidden`` column follows the note for each language
    that has forbidden variants, in the same order. A second term with an
    ``en`` already written and different targets (a second concept of a TBX
    file) cannot be a row of the same file: it is written as a comment under
    an explanation, for the user to choose. Raise `InputError` for a value
    no glossary cell can hold.

    >>> write_tsv([Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place")]).splitlines()
    ['en\\tja\\tko\\ttype\\tnote', 'Seoul\\tソウル\\t서울\\tplace\\t']
    >>> write_tsv([Term("Seoul", {"ko": "서울"}, forbidden={"ko": ["서울시", "경성"]})])
    'en\\tko\\ttype\\tnote\\tko-forbidden\\nSeoul\\t서울\\tterm\\t\\t서울시; 경성\\n'
    """
    if languages is None:
        languages = sorted({lang for term in terms for lang in term.targets})
    banned = {lang for term in terms for lang in term.forbidden}
    banned_order = [lang for lang in languages if lang in banned]
    banned_order += sorted(banned - set(languages))
    lines = [
        "\t".join(("en", *languages, "type", "note", *(f"{b}-forbidden" for b in banned_order)))
    ]
    written: dict[str, Term] = {}
    for term in terms:
        cells = [term.en, *(term.target(lang) or "" for lang in languages), term.type, term.note]
        for cell in cells:
            _check_tsv_cell(cell, term)
        for lang in banned_order:
            variants = term.forbidden.get(lang, ())
            for variant in variants:
                _check_tsv_cell(variant, term)
                if VARIANT_SEPARATOR in variant:
                    raise InputError(
                        f"forbidden variant {variant!r} holds {VARIANT_SEPARATOR!r}, which "
                        "separates variants in a glossary cell",
                        path=term.path or None,
                        line=term.line or None,
                    )
            cells.append(f"{VARIANT_SEPARATOR} ".join(variants))
        if term.en.startswith("#"):
            raise InputError(
                f"{term.en!r} starts with '#': a glossary file would read the row as a comment",
                path=term.path or None,
                line=term.line or None,
            )
        row = "\t".join(cells)
        earlier = written.get(term.en)
        if earlier is not None and not earlier.same_rules(term):
            where = f" ({term.where})" if term.where else ""
            lines.append(f"# Another concept for {term.en!r}{where}; to use it, replace the row")
            lines.append(f"# for {term.en!r} above with this one:")
            lines.append(f"# {row}")
            continue
        written.setdefault(term.en, term)
        lines.append(row)
    return "\n".join(lines) + "\n"


def _check_tsv_cell(cell: str, term: Term) -> None:
    if _BREAK.search(cell) or cell != cell.strip():
        raise InputError(
            f"{cell!r} cannot be a glossary cell (a tab, line break or space at an end)",
            path=term.path or None,
            line=term.line or None,
        )


# Reading.


def _parse_xml(data: bytes, path: str) -> _Node:
    """Parse with expat, refusing DTD internal subsets and entities; keep line numbers."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start_doctype(name: str, system: str | None, public: str | None, subset: int) -> None:
        if subset:
            raise _RefusedError(
                "document type declarations with an internal subset are not accepted"
            )

    def entity_decl(*_: object) -> None:
        raise _RefusedError("entity declarations are not accepted")

    def skipped_entity(name: str, is_parameter: int) -> None:
        raise _RefusedError(f"reference to the undeclared entity {name!r}")

    def external_entity(*_: object) -> int:
        raise _RefusedError("external entities are not accepted")

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(
            _local(tag),
            {_attribute(key): value for key, value in attrs.items()},
            parser.CurrentLineNumber,
        )
        if stack:
            stack[-1].children.append(node)
            stack[-1].parts.append(node)
        else:
            roots.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def characters(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    parser.StartDoctypeDeclHandler = start_doctype
    parser.EntityDeclHandler = entity_decl
    parser.UnparsedEntityDeclHandler = entity_decl
    parser.SkippedEntityHandler = skipped_entity
    parser.ExternalEntityRefHandler = external_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except _RefusedError as refusal:
        raise InputError(str(refusal), path=path, line=parser.CurrentLineNumber) from None
    except expat.ExpatError as error:
        message = expat.ErrorString(error.code) or "malformed XML"
        raise InputError(
            f"malformed XML: {message} (column {error.offset + 1})", path=path, line=error.lineno
        ) from None
    return roots[0]


def _local(tag: str) -> str:
    return tag.rpartition(" ")[2]


def _attribute(name: str) -> str:
    namespace, _, local = name.rpartition(" ")
    return (
        "xml:lang"
        if (namespace, local) == ("http://www.w3.org/XML/1998/namespace", "lang")
        else local
    )


def _concepts(root: _Node) -> Iterator[_Node]:
    for text in root.find("text"):
        for body in text.find("body"):
            yield from body.find("termEntry", "conceptEntry")


@dataclass(frozen=True)
class _TermSec:
    text: str
    usable: bool
    notes: tuple[str, ...]
    line: int


def _read_concept(concept: _Node, source: str, path: str) -> Iterator[Term]:
    kind, notes = _concept_facts(concept)
    english: list[_TermSec] = []
    english_notes: list[str] = []
    candidates: dict[str, list[_TermSec]] = {}
    target_notes: list[str] = []
    for section in concept.find("langSet", "langSec"):
        lang = _language(
            section.attrs.get("xml:lang") or section.attrs.get("lang", ""), path, section.line
        )
        terms = [_term_section(node) for node in section.find("tig", "ntig", "termSec")]
        pieces = _notes(section)
        if lang == source:
            english.extend(terms)
            english_notes.extend(pieces)
        else:
            candidates.setdefault(lang, []).extend(term for term in terms if term.text)
            target_notes.extend(f"{lang}: {piece}" for piece in pieces)
            target_notes.extend(
                f"{lang}: {note}" for term in terms if term.text for note in term.notes
            )
    targets: dict[str, str] = {}
    forbidden: dict[str, list[str]] = {}
    for lang, terms in candidates.items():
        usable = [term.text for term in terms if term.usable]
        if usable:
            targets[lang] = usable[0]
            if len(usable) > 1:
                target_notes.append(f"{lang} also: {', '.join(usable[1:])}")
        # A forbidden term that is the target over again (spaces and width
        # aside) is dropped: the glossary reader refuses a row forbidding its target.
        required = compact(targets.get(lang, ""))
        forbidden[lang] = [
            term.text for term in terms if not term.usable and compact(term.text) != required
        ]
    english = [term for term in english if term.text]
    if not english:
        raise InputError(f"concept has no term in {source!r}", path=path, line=concept.line)
    for term in english:
        note = "; ".join((*notes, *english_notes, *term.notes, *target_notes))
        yield Term(term.text, targets, kind, note, path, term.line, forbidden=forbidden)


def language_warnings(terms: Sequence[Term]) -> list[str]:
    """One line per language of `terms` that no run translates into, at its first term.

    Such a column would be imported and then never used; ``xx`` (no
    language) is what some tools write when none was set.

    >>> [warning] = language_warnings([Term("Seoul", {"xx": "서울"}, path="g.tbx", line=9)])
    >>> warning.partition(" (")[0]
    "g.tbx:9: language 'xx' is not one l10n translates into"
    """
    from workflow.languages import LANGUAGES

    first: dict[str, Term] = {}
    for term in terms:
        for lang in (*term.targets, *term.forbidden):
            if lang not in LANGUAGES:
                first.setdefault(lang, term)
    known = ", ".join(sorted(LANGUAGES))
    return [
        f"{term.path}:{term.line}: language {lang!r} is not one l10n translates into "
        f"({known}): its column is imported but no run uses it"
        for lang, term in first.items()
    ]


def _concept_facts(concept: _Node) -> tuple[TermType, list[str]]:
    """The concept's type (from its subject field) and the notes on the concept itself."""
    kind: TermType = "term"
    notes: list[str] = []
    for descrip in _descrips(concept):
        value = descrip.all_text()
        if descrip.attrs.get("type") == "subjectField" and value in _TYPES and kind == "term":
            kind = _TYPES[value]
        elif value:
            notes.append(_labelled(descrip, value))
    notes.extend(note for note in (n.all_text() for n in concept.find("note")) if note)
    return kind, notes


def _descrips(node: _Node) -> Iterator[_Node]:
    yield from node.find("descrip")
    for group in node.find("descripGrp"):
        yield from group.find("descrip")


def _labelled(descrip: _Node, value: str) -> str:
    label = descrip.attrs.get("type", "")
    return f"{label}: {value}" if label else value


def _notes(node: _Node) -> list[str]:
    """The notes and descriptions directly on a language or term section, as note text."""
    pieces = [_labelled(d, d.all_text()) for d in _descrips(node) if d.all_text()]
    pieces.extend(text for text in (n.all_text() for n in node.find("note")) if text)
    return pieces


def _term_section(node: _Node) -> _TermSec:
    """A ``tig``, ``ntig`` or ``termSec``: its term, whether it may be used, its notes."""
    holders = [node, *node.find("termGrp")]
    texts = [term.all_text() for holder in holders for term in holder.find("term")]
    statuses = [
        note.all_text().lower()
        for holder in holders
        for note in holder.find("termNote")
        if note.attrs.get("type") in _STATUS_TYPES
    ]
    usable = not any(status.startswith(_UNUSABLE) for status in statuses)
    notes = [piece for holder in holders for piece in _notes(holder)]
    return _TermSec(texts[0] if texts else "", usable, tuple(notes), node.line)


def _language(code: str, path: str, line: int) -> str:
    """Our column name for an ``xml:lang`` value: its primary subtag, lowercase."""
    if not code:
        raise InputError("language section without an xml:lang attribute", path=path, line=line)
    primary = primary_subtag(code)
    if not _LANG_COLUMN.fullmatch(primary):
        raise InputError(f"unsupported language code {code!r}", path=path, line=line)
    return primary


# Writing.


@dataclass(frozen=True)
class _Names:
    """The element names of one TBX shape."""

    header: str
    concept: str
    language: str
    term: str


_NAMES: dict[TbxVersion, _Names] = {
    "v2": _Names("martifHeader", "termEntry", "langSet", "tig"),
    "v3": _Names("tbxHeader", "conceptEntry", "langSec", "termSec"),
}


def _group_variants(terms: Sequence[Term]) -> list[list[Term]]:
    """Rows with the same targets, forbidden variants and type, at the first one's place."""
    groups: dict[object, list[Term]] = {}
    for index, term in enumerate(terms):
        key: object = (term.targets, term.forbidden, term.type) if term.targets else index
        group = groups.setdefault(key, [])
        if all(term.en != other.en for other in group):
            group.append(term)
    return list(groups.values())


def _concept_element(
    group: Sequence[Term], ident: str, source_lang: str, names: _Names
) -> ET.Element:
    concept = ET.Element(names.concept, {"id": ident})
    first = group[0]
    if first.type != "term":
        _text(ET.SubElement(concept, "descrip", {"type": "subjectField"}), first.type)
    shared_note = len({term.note for term in group}) == 1
    if shared_note and first.note:
        _text(ET.SubElement(concept, "note"), first.note)
    english = ET.SubElement(concept, names.language, {_XML_LANG: source_lang})
    for term in group:
        section = ET.SubElement(english, names.term)
        _text(ET.SubElement(section, "term"), term.en)
        if term.note and not shared_note:
            _text(ET.SubElement(section, "note"), term.note)
    for lang in sorted(set(first.targets) | set(first.forbidden)):
        language = ET.SubElement(concept, names.language, {_XML_LANG: lang})
        variants = first.forbidden.get(lang, ())
        target = first.target(lang)
        if target is not None:
            _term(language, names, target, _PREFERRED if variants else None)
        for variant in variants:
            _term(language, names, variant, _FORBIDDEN)
    return concept


def _term(language: ET.Element, names: _Names, text: str, status: str | None) -> None:
    section = ET.SubElement(language, names.term)
    _text(ET.SubElement(section, "term"), text)
    if status is not None:
        # TBX-Basic wants a term's termNote right after the term, before any note.
        note = ET.SubElement(section, "termNote", {"type": "administrativeStatus"})
        _text(note, status)


def _text(element: ET.Element, value: str) -> None:
    bad = _NOT_XML.search(value)
    if bad:
        raise InputError(
            f"{value!r} holds the character U+{ord(bad.group()):04X}, which XML cannot carry"
        )
    element.text = value
