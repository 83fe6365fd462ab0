"""Proper-noun glossaries: tab-separated files of English terms and their targets.

A glossary file is UTF-8 text with a header row naming its columns: ``en``
(required), one column per target language code (``ko``, ``ja``, any lowercase
two- or three-letter code), and optionally ``type``, ``note`` and, per
language, ``LANG-forbidden`` (``ko-forbidden``, ``ja-forbidden``),
``LANG-short`` and ``LANG-gov`` (see below). Lines that
start with ``#`` are comments and blank lines are skipped; a byte order mark
and CRLF or lone CR line ends are accepted::

    en<TAB>ko<TAB>ja<TAB>type<TAB>ko-forbidden
    Seoul<TAB>서울<TAB>ソウル<TAB>place<TAB>
    GSOMIA<TAB>지소미아<TAB>GSOMIA<TAB>agreement<TAB>

An empty target cell means "no rule for that language"; a target equal to the
English means "keep the English" (do not translate). A spelling variant is
another row with the same targets. A ``LANG-forbidden`` cell lists renderings
a translation must not use for the term, separated by ``;`` (``서울시;
서울특별시``); ``l10n check`` reports one found where the English has the
term (an error once the entry is reviewed). A forbidden variant
equal to the row's own target (ignoring spaces and character width) is
refused.

Two optional cells per language serve country pairs and capitals that
stand for governments (`workflow.pairs`): ``LANG-short`` is the one-character
form a country (or its capital) takes in a compound of countries (한 and 일
make 한일, 日 and 韓 make 日韓), and ``LANG-gov`` the rendering of a capital
when it stands for its government (Seoul: 한국 정부, 韓国政府). This module
only reads and merges glossaries; finding terms in text is
`workflow.matcher`, and pairs and metonyms `workflow.pairs`.

>>> term = Term("GSOMIA", {"ko": "지소미아", "ja": "GSOMIA"}, type="agreement")
>>> term.target("ko"), term.keeps_english("ja"), term.target("zh")
('지소미아', True, None)
>>> Term("Seoul", {"ko": "서울"}, forbidden={"ko": ["서울시"]}).forbidden
Variants({'ko': ('서울시',)})
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar, get_args

from workflow.errors import InputError
from workflow.text import compact

TermType = Literal[
    "person", "ministry", "organization", "agreement", "place", "title", "term", "pair", "metonym"
]

TERM_TYPES: tuple[TermType, ...] = get_args(TermType)
_TERM_TYPES: dict[str, TermType] = {kind: kind for kind in TERM_TYPES}

_LANG_COLUMN = re.compile(r"[a-z]{2,3}")
_FORBIDDEN_COLUMN = re.compile(r"(?P<lang>[a-z]{2,3})-forbidden")
_READING_COLUMN = re.compile(r"(?P<lang>[a-z]{2,3})-(?P<reading>short|gov)")
#: What separates the variants of a ``LANG-forbidden`` cell.
VARIANT_SEPARATOR = ";"
_OTHER_COLUMNS = ("en", "type", "note")
_BOM = b"\xef\xbb\xbf"
# A cell cannot hold a tab (it would split the row) or a line feed (it would
# split the line), but it can hold any other character that ends a line for
# str.splitlines(), which would break the PO files written later.
_BREAK = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")


_V = TypeVar("_V")


class _FrozenMapping(Mapping[str, _V]):
    """A read-only, hashable mapping from language codes, in language-code order."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, _V]) -> None:
        self._items: tuple[tuple[str, _V], ...] = tuple(
            sorted(items.items(), key=lambda pair: pair[0])
        )

    def __getitem__(self, lang: str) -> _V:
        for code, value in self._items:
            if code == lang:
                return value
        raise KeyError(lang)

    def __iter__(self) -> Iterator[str]:
        return (code for code, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _FrozenMapping):
            return self._items == other._items
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._items)!r})"


class Targets(_FrozenMapping[str]):
    """A read-only, hashable ``lang -> target`` mapping, in language-code order.

    `Term` stores its targets as one of these so that terms stay frozen and can
    be set members and dict keys; compare it with any mapping. An empty target
    is no rule, so it is left out.

    >>> Targets({"ko": "서울", "ja": "ソウル"}) == {"ja": "ソウル", "ko": "서울"}
    True
    >>> Targets({"ko": "서울", "zh": ""})
    Targets({'ko': '서울'})
    """

    __slots__ = ()

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__({lang: target for lang, target in (items or {}).items() if target})


class Variants(_FrozenMapping[tuple[str, ...]]):
    """A read-only, hashable ``lang -> forbidden variants`` mapping, like `Targets`.

    Each language's variants are a tuple, in the order given, without
    repeats or empty strings; a language left with none is left out. A lone
    string is one variant.

    >>> Variants({"ko": ["서울시", "", "서울시"], "ja": "京城", "zh": []})
    Variants({'ja': ('京城',), 'ko': ('서울시',)})
    """

    __slots__ = ()

    def __init__(self, items: Mapping[str, Iterable[str]] | None = None) -> None:
        kept: dict[str, tuple[str, ...]] = {}
        for lang, given in (items or {}).items():
            variants = (given,) if isinstance(given, str) else tuple(given)
            unique = tuple(dict.fromkeys(variant for variant in variants if variant))
            if unique:
                kept[lang] = unique
        super().__init__(kept)


@dataclass(frozen=True)
class Term:
    """One glossary row: an English term and its target per language.

    ``targets`` holds only the languages the row has a rule for; whatever
    mapping is passed in is stored as a hashable `Targets`. ``forbidden``
    holds, per language, the renderings a translation must not use (its
    ``LANG-forbidden`` cells), stored as a hashable `Variants`. ``short``
    (``LANG-short`` cells) is the form in a compound of countries (한, 日) and
    ``government`` (``LANG-gov`` cells) the rendering of a capital standing
    for its government (한국 정부), both as `Targets`. ``path`` and
    ``line`` say where the row came from and take no part in comparisons.
    """

    en: str
    targets: Mapping[str, str]
    type: TermType = "term"
    note: str = ""
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    forbidden: Mapping[str, Sequence[str]] = field(default=Variants(), kw_only=True)
    short: Mapping[str, str] = field(default=Targets(), kw_only=True)
    government: Mapping[str, str] = field(default=Targets(), kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.targets, Targets):
            object.__setattr__(self, "targets", Targets(self.targets))
        if not isinstance(self.short, Targets):
            object.__setattr__(self, "short", Targets(self.short))
        if not isinstance(self.government, Targets):
            object.__setattr__(self, "government", Targets(self.government))
        if not isinstance(self.forbidden, Variants):
            object.__setattr__(self, "forbidden", Variants(self.forbidden))

    @property
    def where(self) -> str:
        """``path:line`` of the row, for messages (empty for a term built in code)."""
        return f"{self.path}:{self.line}" if self.path else ""

    def target(self, lang: str) -> str | None:
        """The target for ``lang``, or None when the row has no rule for it.

        >>> Term("Seoul", {"ko": "서울"}).target("ja") is None
        True
        """
        return self.targets.get(lang)

    def keeps_english(self, lang: str) -> bool:
        """Whether the rule for ``lang`` is to leave the English as it is.

        >>> Term("NHK", {"ko": "NHK", "ja": "NHK"}).keeps_english("ko")
        True
        """
        return self.targets.get(lang) == self.en

    def same_rules(self, other: Term) -> bool:
        """Whether ``other`` has the same targets, forbidden variants, short and government
        forms: a repeat, not a conflict.

        >>> Term("Seoul", {"ko": "서울"}).same_rules(Term("Seoul", {"ko": "서울"}, "place"))
        True
        """
        return (
            self.targets == other.targets
            and self.forbidden == other.forbidden
            and self.short == other.short
            and self.government == other.government
        )


@dataclass(frozen=True)
class Glossary:
    """The terms of one or more glossary files, merged, and what merging noticed.

    ``warnings`` are ``path:line: ...`` lines, one for each row of a later
    file that replaced an earlier file's row with different targets (or
    forbidden variants).

    >>> glossary = Glossary((Term("Seoul", {"ko": "서울", "ja": "ソウル"}),
    ...                      Term("Yonhap", {"ko": "연합뉴스"})))
    >>> glossary.languages
    ('ja', 'ko')
    >>> [term.en for term in glossary.for_language("ja")]
    ['Seoul']
    """

    terms: tuple[Term, ...]
    warnings: tuple[str, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language code that at least one term has a rule for, sorted."""
        return tuple(sorted({lang for term in self.terms for lang in term.targets}))

    def for_language(self, lang: str) -> tuple[Term, ...]:
        """The terms that have a rule (a target) for ``lang``, in file order."""
        return tuple(term for term in self.terms if lang in term.targets)


def read_glossary(path: Path) -> tuple[Term, ...]:
    """Read one glossary file; raise `InputError` naming the line of any problem.

    Rows repeating an earlier ``en`` with the same targets (and forbidden
    variants) are dropped; with different ones they are an error.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder, "g.tsv")
    ...     _ = path.write_text("en\\tko\\nSeoul\\t서울\\n", encoding="utf-8")
    ...     [(term.en, term.target("ko"), term.line) for term in read_glossary(path)]
    [('Seoul', '서울', 2)]
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read glossary: {error.strerror or error}", path=path) from None
    return parse_glossary(data, path=str(path))


def parse_glossary(data: bytes, *, path: str = "<glossary>") -> tuple[Term, ...]:
    """Terms from the bytes of a glossary file; ``path`` is used in messages.

    >>> data = "# capitals\\nen\\tko\\tja\\nSeoul\\t서울\\tソウル\\n".encode()
    >>> [(term.en, dict(term.targets), term.line) for term in parse_glossary(data)]
    [('Seoul', {'ja': 'ソウル', 'ko': '서울'}, 3)]
    >>> parse_glossary(b"en\\tko\\tja\\nSeoul\\n", path="g.tsv")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: g.tsv:2: row has 1 cell, the header has 3 (en, ko, ja)
    """
    text = decode_glossary(data, path)
    columns: tuple[str, ...] | None = None
    seen: dict[str, Term] = {}
    lines = glossary_lines(text)
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if columns is None:
            columns = _parse_header(cells, path, number)
            continue
        term = _parse_row(cells, columns, path, number)
        earlier = seen.get(term.en)
        if earlier is None:
            seen[term.en] = term
        elif not earlier.same_rules(term):
            what = differing_rules(earlier, term)
            raise InputError(
                f"{term.en!r} is already defined on line {earlier.line} with different {what}",
                path=path,
                line=number,
            )
    if columns is None:
        # Point past the end: that is where the header row should have been.
        end = len(lines) + (0 if lines[-1] else -1) + 1
        raise InputError("missing header row (e.g. 'en<TAB>ko<TAB>ja')", path=path, line=end)
    return tuple(seen.values())


def load_glossaries(paths: Sequence[Path]) -> Glossary:
    """Read several glossary files; a later file's row for an ``en`` replaces an earlier one's.

    The replaced row keeps its place in the order; a replacement that changes
    any target or forbidden variant is reported in ``warnings``, naming both rows.

    >>> load_glossaries([]).terms
    ()
    """
    merged: dict[str, Term] = {}
    warnings: list[str] = []
    for path in paths:
        for term in read_glossary(path):
            earlier = merged.get(term.en)
            if earlier is not None and not earlier.same_rules(term):
                warnings.append(
                    f"{term.where}: {term.en!r} overrides {earlier.where} "
                    f"({describe_changes(earlier, term)})"
                )
            merged[term.en] = term
    return Glossary(tuple(merged.values()), tuple(warnings))


def decode_glossary(data: bytes, path: str) -> str:
    """The text of a glossary file's bytes: UTF-8, a byte order mark dropped.

    Raise `InputError` naming the line of the first byte that is not UTF-8.

    >>> decode_glossary(b"en\\rSeoul\\r\\xc0\\r", "g.tsv")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: g.tsv:3: not UTF-8 text (byte 0xc0)
    """
    data = data.removeprefix(_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        end = b"\n" if b"\n" in data else b"\r"
        line = data.count(end, 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise InputError(f"not UTF-8 text (byte 0x{bad})", path=path, line=line) from None


def glossary_lines(text: str) -> list[str]:
    """The lines of a glossary file's text, numbered from 1 as every message numbers them.

    Lines end with LF or CRLF; a file without any LF has lone CR line ends,
    as old spreadsheet programs save tab-delimited text.

    >>> glossary_lines("en\\tko\\rSeoul\\t서울\\r")
    ['en\\tko', 'Seoul\\t서울', '']
    >>> glossary_lines("en\\r\\nSeoul\\n")
    ['en', 'Seoul', '']
    """
    if "\n" not in text:
        text = text.replace("\r", "\n")
    return [line.removesuffix("\r") for line in text.split("\n")]


def is_target_column(column: str) -> bool:
    """Whether a header cell names a target language (``ko``), not ``en``, ``type``, ``note``
    or a ``LANG-forbidden`` column.

    >>> [c for c in ("en", "ko", "ko-forbidden", "note") if is_target_column(c)]
    ['ko']
    """
    return column not in _OTHER_COLUMNS and _LANG_COLUMN.fullmatch(column) is not None


def reading_column(column: str) -> tuple[str, str] | None:
    """The language and reading (``short`` or ``gov``) of a ``LANG-short`` or ``LANG-gov``
    column, or None for any other column.

    >>> reading_column("ko-short"), reading_column("ja-gov"), reading_column("ko")
    (('ko', 'short'), ('ja', 'gov'), None)
    """
    found = _READING_COLUMN.fullmatch(column)
    return (found["lang"], found["reading"]) if found else None


def forbidden_column(column: str) -> str | None:
    """The language of a ``LANG-forbidden`` column, or None for any other column.

    >>> forbidden_column("ja-forbidden"), forbidden_column("ja")
    ('ja', None)
    """
    found = _FORBIDDEN_COLUMN.fullmatch(column)
    return found["lang"] if found else None


def _parse_header(cells: list[str], path: str, line: int) -> tuple[str, ...]:
    columns = tuple(cell.strip() for cell in cells)
    for column in columns:
        if not column:
            raise InputError("empty column name in the header row", path=path, line=line)
        if column not in _OTHER_COLUMNS and not (
            is_target_column(column) or forbidden_column(column) or reading_column(column)
        ):
            raise InputError(
                f"unknown column {column!r} (expected en, type, note, "
                "a lowercase language code such as ko, ko-forbidden, ko-short or ko-gov)",
                path=path,
                line=line,
            )
        if columns.count(column) > 1:
            raise InputError(f"column {column!r} appears twice", path=path, line=line)
    if "en" not in columns:
        raise InputError("the header row has no 'en' column", path=path, line=line)
    return columns


def _parse_row(cells: list[str], columns: tuple[str, ...], path: str, line: int) -> Term:
    if len(cells) != len(columns):
        hint = " (is there a tab inside a cell?)" if len(cells) > len(columns) else ""
        raise InputError(
            f"row has {_cells(len(cells))}, the header has {len(columns)} "
            f"({', '.join(columns)}){hint}",
            path=path,
            line=line,
        )
    row = dict(zip(columns, cells, strict=True))
    en = row["en"]
    if not en.strip():
        raise InputError("empty 'en' term", path=path, line=line)
    _check_cell("en", en, path, line)
    targets: dict[str, str] = {}
    forbidden: dict[str, list[str]] = {}
    readings: dict[str, dict[str, str]] = {"short": {}, "gov": {}}
    for column, cell in row.items():
        if column in _OTHER_COLUMNS or cell == "":
            continue
        _check_cell(column, cell, path, line)
        lang = forbidden_column(column)
        reading = reading_column(column)
        if reading is not None:
            readings[reading[1]][reading[0]] = cell
        elif lang is None:
            targets[column] = cell
        else:
            forbidden[lang] = [v.strip() for v in cell.split(VARIANT_SEPARATOR) if v.strip()]
    for lang, variants in forbidden.items():
        target = targets.get(lang)
        same = [v for v in variants if target is not None and compact(v) == compact(target)]
        if same:
            raise InputError(
                f"'{lang}-forbidden' lists the required {lang} target {same[0]!r}",
                path=path,
                line=line,
            )
    name = row.get("type", "").strip() or "term"
    kind = _TERM_TYPES.get(name)
    if kind is None:
        raise InputError(
            f"unknown type {name!r} (choose from: {', '.join(TERM_TYPES)})", path=path, line=line
        )
    note = row.get("note", "").strip()
    return Term(
        en,
        targets,
        kind,
        note,
        path,
        line,
        forbidden=forbidden,
        short=readings["short"],
        government=readings["gov"],
    )


def differing_rules(earlier: Term, term: Term) -> str:
    """Which rules of two rows for the same English differ, for messages."""
    if earlier.targets != term.targets:
        return "targets"
    if earlier.forbidden != term.forbidden:
        return "forbidden variants"
    return "short or government forms"


def _check_cell(column: str, cell: str, path: str, line: int) -> None:
    if _BREAK.search(cell):
        raise InputError(f"{column!r} cell contains a tab or line break", path=path, line=line)
    if _CONTROL.search(cell):
        raise InputError(f"{column!r} cell contains a control character", path=path, line=line)
    if cell != cell.strip():
        raise InputError(
            f"{column!r} cell has leading or trailing whitespace: {cell!r}", path=path, line=line
        )


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def describe_changes(old: Term, new: Term) -> str:
    """What ``new`` changes in ``old``'s targets and forbidden variants, for messages.

    >>> describe_changes(Term("Seoul", {"ko": "서울"}),
    ...                  Term("Seoul", {"ko": "서울시"}, forbidden={"ko": ["서울"]}))
    'ko: 서울 -> 서울시; ko-forbidden: (none) -> 서울'
    """
    changes = []
    for lang in sorted(set(old.targets) | set(new.targets)):
        before, after = old.target(lang), new.target(lang)
        if before != after:
            changes.append(f"{lang}: {before or '(none)'} -> {after or '(none)'}")
    for lang in sorted(set(old.forbidden) | set(new.forbidden)):
        was, now = old.forbidden.get(lang, ()), new.forbidden.get(lang, ())
        if was != now:
            changes.append(
                f"{lang}-forbidden: {'; '.join(was) or '(none)'} -> {'; '.join(now) or '(none)'}"
            )
    for reading, before_forms, after_forms in (
        ("short", old.short, new.short),
        ("gov", old.government, new.government),
    ):
        for lang in sorted(set(before_forms) | set(after_forms)):
            before, after = before_forms.get(lang), after_forms.get(lang)
            if before != after:
                changes.append(f"{lang}-{reading}: {before or '(none)'} -> {after or '(none)'}")
    return "; ".join(changes)
