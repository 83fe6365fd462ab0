"""TBX import and export: round trips, TBX 2 and v3 samples, hostile and broken XML."""

from __future__ import annotations

import dataclasses
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.errors import InputError
from workflow.glossary import TERM_TYPES, Term, parse_glossary, read_glossary
from workflow.tbx import TBX_NAMESPACE, TbxVersion, parse_tbx, read_tbx, write_tbx, write_tsv

NS = {"tbx": TBX_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Per shape: the namespace prefix, and the concept, language and term elements.
SHAPES: dict[TbxVersion, tuple[str, str, str, str]] = {
    "v2": ("", "termEntry", "langSet", "tig"),
    "v3": ("tbx:", "conceptEntry", "langSec", "termSec"),
}

# As Weblate exports a glossary (through the Translate Toolkit): TBX 2 with a
# DOCTYPE naming the DTD, one target language, the source explanation in a
# <descrip> and the translation explanation in <note from="translator">.
WEBLATE_MARTIF = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="en">
    <martifHeader>
        <fileDesc>
            <sourceDesc>
                <p>Translate Toolkit</p>
            </sourceDesc>
        </fileDesc>
    </martifHeader>
    <text>
        <body>
            <termEntry>
                <langSet xml:lang="en">
                  <tig>
                    <term>Blue House</term>
                  </tig>
                </langSet>
                <langSet xml:lang="ko">
                  <tig>
                    <term>청와대</term>
                  </tig>
                </langSet>
                <descrip>South Korea's presidential office</descrip>
                <note from="translator">Until 2022</note>
            </termEntry>
            <termEntry>
                <langSet xml:lang="en">
                  <tig>
                    <term>Yonhap &amp; partners</term>
                  </tig>
                </langSet>
                <langSet xml:lang="ko">
                  <tig>
                    <term></term>
                  </tig>
                </langSet>
            </termEntry>
        </body>
    </text>
</martif>
"""

# TBX-Basic 2 as other tools write it: ntig/termGrp, region subtags,
# subject field, administrative status, a term-level note.
BASIC_MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>export</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="t1">
        <descrip type="subjectField">place</descrip>
        <langSet xml:lang="en-US">
          <ntig>
            <termGrp>
              <term>United States</term>
              <termNote type="partOfSpeech">properNoun</termNote>
            </termGrp>
          </ntig>
          <tig>
            <term>U.S.</term>
            <termNote type="termType">abbreviation</termNote>
            <note>Headline form</note>
          </tig>
        </langSet>
        <langSet xml:lang="ja-JP">
          <tig>
            <term>合衆国</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>米国</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
        </langSet>
        <langSet xml:lang="ko-KR">
          <tig><term>미국</term></tig>
        </langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>termbase</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <descrip type="subjectField">Diplomacy</descrip>
        <langSec xml:lang="en">
          <descripGrp>
            <descrip type="definition">Intelligence-sharing pact</descrip>
          </descripGrp>
          <termSec><term>GSOMIA</term></termSec>
        </langSec>
        <langSec xml:lang="ko">
          <termSec><term>지소미아</term></termSec>
          <termSec><term>군사정보보호협정</term></termSec>
        </langSec>
        <langSec xml:lang="ja">
          <termSec><term>GSOMIA</term></termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="c2">
        <descrip type="subjectField">person</descrip>
        <langSec xml:lang="en">
          <termSec><term>Kang</term></termSec>
        </langSec>
        <langSec xml:lang="ko"><termSec><term>강 장관</term></termSec></langSec>
      </conceptEntry>
      <conceptEntry id="c3">
        <langSec xml:lang="en">
          <termSec><term>Kang</term></termSec>
        </langSec>
        <langSec xml:lang="ko"><termSec><term>강씨</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def write(folder: Path, text: str, name: str = "glossary.tbx") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def facts(terms: tuple[Term, ...] | list[Term]) -> list[tuple[str, dict[str, str], str, str]]:
    return [(t.en, dict(t.targets), t.type, t.note) for t in terms]


def test_default_glossary_round_trips_through_tbx(default_glossary: Path, tmp_path: Path) -> None:
    original = read_glossary(default_glossary)
    tbx = write(tmp_path, write_tbx(original))
    imported = read_tbx(tbx)
    tsv = tmp_path / "imported.tsv"
    tsv.write_text(write_tsv(imported, languages=["ko", "ja"]), encoding="utf-8")
    again = read_glossary(tsv)
    # Spelling variants are gathered into one concept at the first one's place,
    # so the order may change; the rows may not.
    assert sorted(facts(again)) == sorted(facts(original))
    assert len(again) == len(original)
    # Forbidden variants travel too; LANG-short and LANG-gov have no place in TBX.
    assert tsv.read_text(encoding="utf-8").splitlines()[0] == (
        "en\tko\tja\ttype\tnote\tko-forbidden\tja-forbidden"
    )


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_spelling_variants_share_one_concept(version: TbxVersion) -> None:
    ns, concept_tag, lang_tag, term_tag = SHAPES[version]
    targets = {"ko": "서울", "ja": "ソウル"}
    terms = [
        Term("Seoul", targets, "place", "The capital"),
        Term("Tokyo", {"ko": "도쿄", "ja": "東京"}, "place"),
        Term("SEOUL", targets, "place", "Dateline capitals"),
        Term("Seoul City", targets, "organization"),  # same targets, another type
    ]
    root = ET.fromstring(write_tbx(terms, version=version))
    concepts = root.findall(f".//{ns}{concept_tag}", NS)
    assert len(concepts) == 3
    seoul = concepts[0]
    english = seoul.find(f"{ns}{lang_tag}[@{XML_LANG}='en']", NS)
    assert english is not None
    terms_found = english.findall(f"{ns}{term_tag}/{ns}term", NS)
    assert [t.text for t in terms_found] == ["Seoul", "SEOUL"]
    # Notes differ between the variants, so each stays on its own term.
    assert [n.text for n in english.findall(f"{ns}{term_tag}/{ns}note", NS)] == [
        "The capital",
        "Dateline capitals",
    ]
    assert seoul.find(f"{ns}note", NS) is None
    assert facts(parse_tbx(ET.tostring(root))) == facts([terms[0], terms[2], terms[1], terms[3]])


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_shared_note_and_type_sit_on_the_concept(version: TbxVersion) -> None:
    ns, concept_tag, _, term_tag = SHAPES[version]
    terms = [
        Term("Yonhap", {"ko": "연합뉴스"}, "organization", "News agency"),
        Term("Yonhap News Agency", {"ko": "연합뉴스"}, "organization", "News agency"),
    ]
    root = ET.fromstring(write_tbx(terms, version=version))
    (concept,) = root.findall(f".//{ns}{concept_tag}", NS)
    assert concept.get("id") == "c1"
    descrip = concept.find(f"{ns}descrip", NS)
    assert descrip is not None and descrip.get("type") == "subjectField"
    assert descrip.text == "organization"
    assert [n.text for n in concept.findall(f"{ns}note", NS)] == ["News agency"]
    assert concept.findall(f".//{ns}{term_tag}/{ns}note", NS) == []


def test_the_default_shape_is_tbx_basic_with_a_martif_root() -> None:
    # What the Translate Toolkit, and so Weblate, reads: it refuses any other root.
    text = write_tbx([Term("Seoul", {"ko": "서울"}, "place")])
    assert text.splitlines()[:3] == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">',
        '<martif type="TBX-Basic" xml:lang="en">',
    ]
    root = ET.fromstring(text)
    assert root.tag == "martif" and root.get(XML_LANG) == "en"
    assert [child.tag for child in root] == ["martifHeader", "text"]
    entry = root.find("text/body/termEntry")
    assert entry is not None
    assert [(ls.get(XML_LANG), [t.text for t in ls.iter("term")]) for ls in entry] == [
        (None, []),  # the subject field
        ("en", ["Seoul"]),
        ("ko", ["서울"]),
    ]
    v3 = ET.fromstring(write_tbx([Term("Seoul", {"ko": "서울"})], version="v3"))
    assert v3.tag == f"{{{TBX_NAMESPACE}}}tbx" and v3.get("style") == "dca"


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_forbidden_variants_round_trip_as_forbidden_terms(
    version: TbxVersion, tmp_path: Path
) -> None:
    ns, concept_tag, lang_tag, term_tag = SHAPES[version]
    terms = [
        Term(
            "Seoul",
            {"ko": "서울", "ja": "ソウル"},
            "place",
            "capital",
            forbidden={"ko": ["서울시", "경성"]},
        ),
        Term(
            "SEOUL", {"ko": "서울", "ja": "ソウル"}, "place", forbidden={"ko": ["서울시", "경성"]}
        ),
        Term("Dokdo", {}, "place", forbidden={"ja": ["竹島"]}),
    ]
    root = ET.fromstring(write_tbx(terms, version=version))
    seoul, dokdo = root.findall(f".//{ns}{concept_tag}", NS)
    # A language with forbidden variants only has no target to prefer.
    japanese = dokdo.find(f"{ns}{lang_tag}[@{XML_LANG}='ja']", NS)
    assert japanese is not None
    assert [t.text for t in japanese.iter(f"{{{TBX_NAMESPACE}}}term" if ns else "term")] == [
        "竹島"
    ]
    korean = seoul.find(f"{ns}{lang_tag}[@{XML_LANG}='ko']", NS)
    assert korean is not None
    statuses = [
        (
            section.findtext(f"{ns}term", namespaces=NS),
            section.findtext(f"{ns}termNote[@type='administrativeStatus']", namespaces=NS),
        )
        for section in korean.findall(f"{ns}{term_tag}", NS)
    ]
    assert statuses == [
        ("서울", "preferredTerm-admn-sts"),
        ("서울시", "deprecatedTerm-admn-sts"),
        ("경성", "deprecatedTerm-admn-sts"),
    ]
    back = parse_tbx(ET.tostring(root))
    assert [(t.en, dict(t.targets), dict(t.forbidden)) for t in back] == [
        (t.en, dict(t.targets), dict(t.forbidden)) for t in terms
    ]
    assert facts(back) == facts(terms)
    # And through the TSV the import writes.
    path = tmp_path / "g.tsv"
    path.write_text(write_tsv(back, languages=["ko", "ja"]), encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines()[:2] == [
        "en\tko\tja\ttype\tnote\tko-forbidden\tja-forbidden",
        "Seoul\t서울\tソウル\tplace\tcapital\t서울시; 경성\t",
    ]
    assert read_glossary(path) == tuple(back)


def test_awkward_values_round_trip(tmp_path: Path) -> None:
    terms = [
        Term("AT&T <Korea>", {"ko": 'AT&T "코리아"', "zh": "美国电话"}, "organization", "a & b"),
        Term("NHK", {"ko": "NHK", "ja": "NHK"}, "organization"),
        Term("Cheong Wa Dae", {}, "term", "no target yet"),
        Term("Blue House", {}, "term", "no target either"),
        Term("O'Brien", {"ja": "オブライエン"}, "person"),
    ]
    back = parse_tbx(write_tbx(terms).encode())
    assert facts(back) == facts(terms)
    path = tmp_path / "g.tsv"
    path.write_text(write_tsv(back), encoding="utf-8")
    assert facts(read_glossary(path)) == facts(terms)


# Cells as TBX gives them back: no control characters, single spaces inside.
WORD = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=8,
)
CELL = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
TERMS = st.lists(
    st.builds(
        Term,
        CELL,
        st.dictionaries(st.sampled_from(["ko", "ja", "zh"]), CELL, max_size=3),
        st.sampled_from(TERM_TYPES),
        st.one_of(st.just(""), CELL),
    ),
    max_size=6,
    unique_by=lambda term: term.en,
)


@settings(max_examples=60, deadline=None)
@given(TERMS)
def test_any_terms_round_trip(terms: list[Term]) -> None:
    assert sorted(facts(parse_tbx(write_tbx(terms).encode()))) == sorted(facts(terms))


def compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


VARIANTS = st.lists(CELL.filter(lambda cell: ";" not in cell), min_size=1, max_size=2)


@st.composite
def terms_with_forbidden_variants(draw: st.DrawFn) -> list[Term]:
    terms = draw(TERMS)
    result = []
    for term in terms:
        banned = draw(st.dictionaries(st.sampled_from(["ko", "ja"]), VARIANTS, max_size=2))
        # A variant equal to the target would not be one (the reader refuses it).
        kept = {
            lang: [v for v in variants if compact(v) != compact(term.targets.get(lang, ""))]
            for lang, variants in banned.items()
        }
        result.append(dataclasses.replace(term, forbidden=kept))
    return result


@settings(max_examples=40, deadline=None)
@given(terms_with_forbidden_variants(), st.sampled_from(["v2", "v3"]))
def test_any_forbidden_variants_round_trip(terms: list[Term], version: TbxVersion) -> None:
    back = parse_tbx(write_tbx(terms, version=version).encode())
    assert sorted((t.en, dict(t.forbidden)) for t in back) == sorted(
        (t.en, dict(t.forbidden)) for t in terms
    )


def test_weblate_martif_export_reads() -> None:
    blue, yonhap = parse_tbx(WEBLATE_MARTIF.encode(), path="cs.tbx")
    assert (blue.en, dict(blue.targets), blue.type) == ("Blue House", {"ko": "청와대"}, "term")
    assert blue.note == "South Korea's presidential office; Until 2022"
    assert (blue.path, blue.line) == ("cs.tbx", 15)
    # An untranslated term is an empty <term>: no rule.
    assert (yonhap.en, dict(yonhap.targets)) == ("Yonhap & partners", {})


def test_tbx_basic_martif_reads() -> None:
    united, us = parse_tbx(BASIC_MARTIF.encode())
    targets = {"ko": "미국", "ja": "米国"}  # the deprecated 合衆国 is passed over
    assert united.forbidden == us.forbidden == {"ja": ("合衆国",)}
    assert (united.en, dict(united.targets), united.type, united.note) == (
        "United States",
        targets,
        "place",
        "",
    )
    assert (us.en, dict(us.targets), us.note) == ("U.S.", targets, "Headline form")


def test_tbx_v3_reads() -> None:
    gsomia, kang, other_kang = parse_tbx(TBX_V3.encode(), path="v3.tbx")
    assert gsomia.en == "GSOMIA" and gsomia.type == "term"
    assert dict(gsomia.targets) == {"ko": "지소미아", "ja": "GSOMIA"}
    assert gsomia.note == (
        "subjectField: Diplomacy; definition: Intelligence-sharing pact; ko also: 군사정보보호협정"
    )
    # Two concepts with the same English stay apart.
    assert (kang.en, kang.type, dict(kang.targets)) == ("Kang", "person", {"ko": "강 장관"})
    assert (other_kang.en, dict(other_kang.targets)) == ("Kang", {"ko": "강씨"})
    assert (kang.line, other_kang.line) == (26, 32)


@pytest.mark.parametrize(
    ("note", "forbidden"),
    [
        ('<termNote type="administrativeStatus">forbidden</termNote>', True),
        ('<termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>', True),
        ('<termNote type="administrativeStatus">obsolete</termNote>', True),
        ('<termNote type="normativeAuthorization">deprecatedTerm</termNote>', True),
        ('<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>', False),
        ('<termNote type="termType">abbreviation</termNote>', False),
    ],
)
def test_terms_not_to_use_become_forbidden_variants(note: str, forbidden: bool) -> None:
    document = (
        '<tbx style="dca"><text><body><conceptEntry>'
        '<langSec xml:lang="en"><termSec><term>Seoul</term></termSec></langSec>'
        '<langSec xml:lang="ko"><termSec><term>서울</term></termSec>'
        f"<termSec><term>경성</term>{note}</termSec></langSec>"
        "</conceptEntry></body></text></tbx>"
    )
    (seoul,) = parse_tbx(document.encode())
    if forbidden:
        assert (dict(seoul.targets), dict(seoul.forbidden)) == ({"ko": "서울"}, {"ko": ("경성",)})
    else:
        assert (dict(seoul.targets), dict(seoul.forbidden)) == ({"ko": "서울"}, {})
        assert seoul.note == "ko also: 경성"


def test_a_term_both_required_and_forbidden_is_required() -> None:
    document = (
        "<martif><text><body><termEntry>"
        "<langSet xml:lang='en'><tig><term>Seoul</term></tig></langSet>"
        "<langSet xml:lang='ko'><tig><term>서울</term></tig><tig><term>서 울</term>"
        "<termNote type='administrativeStatus'>forbiddenTerm-admn-sts</termNote></tig>"
        "</langSet></termEntry></body></text></martif>"
    )
    (seoul,) = parse_tbx(document.encode())
    assert (dict(seoul.targets), dict(seoul.forbidden)) == ({"ko": "서울"}, {})


def test_a_forbidden_variant_holding_the_separator_cannot_be_a_tsv_cell() -> None:
    with pytest.raises(InputError, match="holds ';'"):
        write_tsv([Term("Seoul", {"ko": "서울"}, forbidden={"ko": ["서울;시"]})])


def test_second_concept_for_the_same_english_becomes_a_comment() -> None:
    terms = parse_tbx(TBX_V3.encode(), path="v3.tbx")
    text = write_tsv(terms)
    assert "# Another concept for 'Kang' (v3.tbx:32)" in text
    assert "# Kang\t\t강씨\tterm\t\n" in text
    _gsomia, kang = parse_glossary(text.encode())
    assert kang.target("ko") == "강 장관"


def test_tsv_cannot_hold_a_term_starting_with_a_hash() -> None:
    with pytest.raises(InputError, match="starts with '#'"):
        write_tsv([Term("#MeToo", {"ko": "미투"})])
    with pytest.raises(InputError, match="line break"):
        write_tsv([Term("Seoul", {"ko": "서\n울"})])


def test_xml_cannot_hold_control_characters() -> None:
    with pytest.raises(InputError, match="U\\+0001"):
        write_tbx([Term("Seoul\x01", {"ko": "서울"})])


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&lol9;</term></tig>
</langSet></termEntry></body></text></martif>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&secret;</term></tig>
</langSet></termEntry></body></text></martif>
"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<martif/>
"""

UNDECLARED_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&secret;</term></tig>
</langSet></termEntry></body></text></martif>
"""


@pytest.mark.parametrize(
    ("document", "reason", "line"),
    [
        (BILLION_LAUGHS, "internal subset", 2),
        (EXTERNAL_ENTITY, "internal subset", 2),
        (PARAMETER_ENTITY, "internal subset", 2),
        (UNDECLARED_ENTITY, "undeclared entity 'secret'", 3),
    ],
    ids=["billion-laughs", "external-entity", "parameter-entity", "undeclared-entity"],
)
def test_entities_are_refused_not_expanded(
    tmp_path: Path, document: str, reason: str, line: int
) -> None:
    path = write(tmp_path, document)
    started = time.perf_counter()
    with pytest.raises(InputError, match=reason) as caught:
        read_tbx(path)
    assert time.perf_counter() - started < 1
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "<martif>\n<text>\n<body>\n</text>\n</martif>\n")
    with pytest.raises(InputError, match="malformed XML: mismatched tag") as caught:
        read_tbx(path)
    assert str(caught.value).startswith(f"{path}:4: ")


@pytest.mark.parametrize(
    ("document", "message", "line"),
    [
        ("", "malformed XML: no element found", 1),
        ("<?xml version='1.0'?>\n<tmx version='1.4'/>", "root element is <tmx>", 2),
        ("<tbx style='dct'/>", "style 'dct' is not supported", 1),
        (
            "<martif><text><body>\n<termEntry>\n<langSet xml:lang='ko'><tig><term>서울</term>"
            "</tig></langSet></termEntry></body></text></martif>",
            "concept has no term in 'en'",
            2,
        ),
        (
            "<martif><text><body><termEntry>\n<langSet><tig><term>x</term></tig></langSet>"
            "</termEntry></body></text></martif>",
            "without an xml:lang",
            2,
        ),
        (
            "<martif><text><body><termEntry>\n<langSet xml:lang='x-klingon'><tig><term>x</term>"
            "</tig></langSet></termEntry></body></text></martif>",
            "unsupported language code 'x-klingon'",
            2,
        ),
    ],
)
def test_documents_that_are_not_usable_tbx(document: str, message: str, line: int) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_tbx(document.encode(), path="bad.tbx")
    assert (caught.value.path, caught.value.line) == ("bad.tbx", line)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read TBX file"):
        read_tbx(tmp_path / "none.tbx")


def test_utf16_document_reads() -> None:
    text = TBX_V3.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert facts(parse_tbx(text.encode("utf-16"))) == facts(parse_tbx(TBX_V3.encode()))


def test_export_and_import_commands(
    l10n: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text(
        "en\tko\tja\ttype\tnote\tko-forbidden\nSeoul\t서울\tソウル\tplace\t\t서울시\n",
        encoding="utf-8",
    )
    code, out, err = l10n("glossary", "export", tsv, "-o", tmp_path / "g.tbx")
    assert (code, err) == (0, "")
    assert out == f"wrote {tmp_path / 'g.tbx'} (1 terms)\n"
    assert ET.parse(tmp_path / "g.tbx").getroot().tag == "martif"
    code, _, _ = l10n("glossary", "export", tsv, "-o", tmp_path / "v3.tbx", "--format", "v3")
    assert code == 0
    assert ET.parse(tmp_path / "v3.tbx").getroot().tag == f"{{{TBX_NAMESPACE}}}tbx"
    for name in ("g.tbx", "v3.tbx"):
        back = tmp_path / f"{name}.tsv"
        code, _, err = l10n("glossary", "import", tmp_path / name, "-o", back)
        assert (code, err) == (0, "")
        assert read_glossary(back) == read_glossary(tsv)
