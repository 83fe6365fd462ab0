"""Checks for glossary files: everything wrong or worth knowing, not just the first error.

`lint_glossaries` reads each file line by line, leniently: a cell with
stray spaces is reported and then read as if trimmed, a row the glossary
reader refuses is reported and skipped, and the remaining rows are checked
together, across files in the order given (later files override earlier
ones, as in `workflow.glossary.load_glossaries`). Each check is a small
function listed in `CHECKS` with its id and severity; its docstring is its
title. The table's rows and the findings have the shapes of
`workflow.findings`, shared with the PO checks. Errors are what
`workflow.glossary` would refuse to load; warnings are worth a look; infos
only tell.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder, "g.tsv")
...     text = ("en\\tko\\tja\\nSeoul\\t서울\\tソウル\\nSeoul\\t서울시\\tソウル\\n"
...             "NHK\\tNHK\\tNHK\\n")
...     _ = path.write_text(text, encoding="utf-8")
...     [(f.check, f.severity, f.line) for f in lint_glossaries([path])]
[('conflict', 'error', 3), ('keep-english', 'info', 4)]
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from workflow.errors import InputError, UsageError
from workflow.findings import Check, Finding, Severity, has_errors, unknown_ids
from workflow.glossary import (
    Term,
    decode_glossary,
    describe_changes,
    differing_rules,
    glossary_lines,
    is_target_column,
    parse_glossary,
)
from workflow.languages import DEFAULT_LANGUAGES
from workflow.matcher import TermMatcher
from workflow.text import compact

__all__ = [
    "CHECKS",
    "DELIBERATE",
    "Check",
    "Finding",
    "LintFinding",
    "LintFunction",
    "Severity",
    "has_errors",
    "lint_glossaries",
]

#: What a row's note says to mark a rendering that differs on purpose from
#: the terms inside it (see `_nested`).
DELIBERATE = "(deliberate)"
# The matcher's tokens: runs of letters and digits, runs of whitespace, any
# other single character. A term can only start and end on token boundaries.
_TOKEN = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)
# Scripts whose names are shortened to their first character in compounds.
_ABBREVIATING = ("CJK UNIFIED IDEOGRAPH", "HANGUL SYLLABLE")
# Spaces other than U+0020 and invisible characters that look like nothing.
_ODD_SPACE = re.compile("[^\\S \t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|[\u200b\u2060\ufeff]")


#: What lint reports: a `Finding` at ``path:line`` (line 0 for the file as a whole).
LintFinding = Finding


@dataclass(frozen=True)
class _Row:
    """A data row as read leniently: its raw cells, and the term the reader makes of them."""

    path: str
    line: int
    columns: tuple[str, ...]
    cells: tuple[str, ...]
    #: The row with its cells trimmed, as the glossary reader takes it; None if it refuses it.
    term: Term | None
    #: Why the reader refuses the row.
    problem: str = ""


@dataclass(frozen=True)
class _Sheet:
    """One glossary file, read leniently."""

    path: str
    columns: tuple[str, ...] = ()
    rows: tuple[_Row, ...] = ()
    #: Why the file cannot be read at all (with the line, when there is one).
    problem: InputError | None = None

    def terms(self) -> Iterator[Term]:
        """The rows the reader accepts."""
        return (row.term for row in self.rows if row.term is not None)


@dataclass(frozen=True)
class _Hit:
    """What a check function reports; the table adds the check's id and severity."""

    path: str
    line: int
    message: str


#: A lint check: every sheet read in, its problems out.
LintFunction = Callable[[Sequence[_Sheet]], Iterable[_Hit]]


def lint_glossaries(paths: Sequence[Path], *, skip: Collection[str] = ()) -> list[Finding]:
    """Run every check of `CHECKS` (but those named in ``skip``) over the glossary files.

    Findings come file by file in the order of ``paths``, by line, then in
    the order of the checks. Raise `UsageError` for an unknown check in ``skip``.
    """
    unknown = unknown_ids(CHECKS, skip)
    if unknown:
        known = ", ".join(check.id for check in CHECKS)
        raise UsageError(f"unknown lint check {', '.join(unknown)} (choose from: {known})")
    sheets = [_read_sheet(path) for path in paths]
    order = {sheet.path: index for index, sheet in enumerate(sheets)}
    findings = [
        Finding(check.id, check.severity, hit.path, hit.line, hit.message)
        for check in CHECKS
        if check.id not in skip
        for hit in check.function(sheets)
    ]
    rank = {check.id: index for index, check in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: (order.get(f.path, 0), f.line, rank[f.check]))


# Reading leniently.


def _read_sheet(path: Path) -> _Sheet:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _Sheet(name, problem=InputError(f"cannot read: {error.strerror or error}"))
    try:
        text = decode_glossary(data, name)
    except InputError as error:
        return _Sheet(name, problem=error)
    header: str | None = None
    columns: tuple[str, ...] = ()
    rows: list[_Row] = []
    # Numbered exactly as the glossary reader numbers them (LF, CRLF or lone CR).
    lines = glossary_lines(text)
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if header is None:
            try:
                parse_glossary(line.encode(), path=name)
            except InputError as error:
                return _Sheet(name, problem=InputError(error.message, path=name, line=number))
            header, columns = line, tuple(cell.strip() for cell in line.split("\t"))
            continue
        rows.append(_read_row(name, number, header, columns, line))
    if header is None:
        end = len(lines) + (0 if lines[-1] else -1) + 1
        return _Sheet(name, problem=InputError("missing header row", path=name, line=end))
    return _Sheet(name, columns, tuple(rows))


def _read_row(path: str, number: int, header: str, columns: tuple[str, ...], line: str) -> _Row:
    """Check one row with the reader's own rules, its cells trimmed (stray spaces are reported
    separately)."""
    cells = tuple(line.split("\t"))
    trimmed = "\t".join(cell.strip() for cell in cells)
    try:
        terms = parse_glossary(f"{header}\n{trimmed}".encode(), path=path)
    except InputError as error:
        return _Row(path, number, columns, cells, None, error.message)
    if not terms:
        return _Row(
            path,
            number,
            columns,
            cells,
            None,
            "once trimmed, the row starts with '#' and would be a comment",
        )
    return _Row(path, number, columns, cells, dataclasses.replace(terms[0], line=number), "")


def _effective(sheets: Sequence[_Sheet]) -> list[Term]:
    """The terms the glossaries load to: first row of an ``en`` in a file, last file wins."""
    merged: dict[str, Term] = {}
    for sheet in sheets:
        seen: set[str] = set()
        for term in sheet.terms():
            if term.en not in seen:
                seen.add(term.en)
                merged[term.en] = term
    return list(merged.values())


def _language_columns(columns: Sequence[str]) -> list[str]:
    """The target language columns (``ko``, ``ja``), not ``LANG-forbidden`` ones."""
    return [column for column in columns if is_target_column(column)]


# The checks.


def _unreadable(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """File cannot be read as a glossary (I/O, encoding, header row)."""
    for sheet in sheets:
        if sheet.problem is not None:
            yield _Hit(sheet.path, sheet.problem.line or 0, sheet.problem.message)


def _malformed_row(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Row the glossary reader refuses (cell count, empty term, line break, unknown type...).

    A forbidden variant equal to the row's own target is one of them.
    """
    for sheet in sheets:
        for row in sheet.rows:
            if row.term is None:
                yield _Hit(row.path, row.line, row.problem)


def _stray_whitespace(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Term or target with whitespace at its start or end, which the reader refuses."""
    for row in _rows(sheets):
        for column, cell in _text_cells(row):
            if cell != cell.strip():
                yield _Hit(
                    row.path,
                    row.line,
                    f"{column!r} cell {cell!r} has leading or trailing whitespace",
                )


def _odd_whitespace(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Term or target with doubled spaces, unusual spaces or invisible characters."""
    for row in _rows(sheets):
        for column, cell in _text_cells(row):
            inner = cell.strip()
            if "  " in inner:
                yield _Hit(row.path, row.line, f"{column!r} cell {inner!r} has a double space")
            odd = _ODD_SPACE.search(inner)
            if odd:
                yield _Hit(
                    row.path,
                    row.line,
                    f"{column!r} cell {inner!r} holds U+{ord(odd.group()):04X} "
                    "(an unusual space or invisible character)",
                )


def _conflict(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Same English twice in one file with different targets or forbidden variants."""
    for sheet in sheets:
        first: dict[str, Term] = {}
        for term in sheet.terms():
            earlier = first.setdefault(term.en, term)
            if earlier is not term and not earlier.same_rules(term):
                what = differing_rules(earlier, term)
                yield _Hit(
                    sheet.path,
                    term.line,
                    f"{term.en!r} is already on line {earlier.line} with different {what} "
                    f"({describe_changes(earlier, term)})",
                )


def _duplicate(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Row that repeats an earlier row's English and targets, here or in an earlier file."""
    seen: dict[str, Term] = {}
    for sheet in sheets:
        for term in sheet.terms():
            earlier = seen.get(term.en)
            if earlier is not None and earlier.same_rules(term):
                place = f"line {earlier.line}" if earlier.path == term.path else earlier.where
                yield _Hit(term.path, term.line, f"{term.en!r} repeats {place}")
            elif earlier is None or earlier.path != term.path:
                seen[term.en] = term


def _override(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Row that replaces an earlier file's row for the same English with other targets."""
    merged: dict[str, Term] = {}
    for sheet in sheets:
        here: dict[str, Term] = {}
        for term in sheet.terms():
            here.setdefault(term.en, term)
        for en, term in here.items():
            earlier = merged.get(en)
            if earlier is not None and not earlier.same_rules(term):
                yield _Hit(
                    term.path,
                    term.line,
                    f"{en!r} overrides {earlier.where} ({describe_changes(earlier, term)})",
                )
        merged.update(here)


def _missing_language(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Row without a target for a language its file has a column for.

    An empty cell means "no rule": the engine translates the term freely,
    which is worth a look but may be meant, so this is a warning.
    """
    for sheet in sheets:
        languages = _language_columns(sheet.columns)
        for term in sheet.terms():
            missing = [lang for lang in languages if lang not in term.targets]
            if missing:
                yield _Hit(
                    term.path,
                    term.line,
                    f"{term.en!r} has no target for {', '.join(missing)}; "
                    "the engine translates it freely",
                )


def _missing_column(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """File without a column for a language that runs translate into by default."""
    for sheet in sheets:
        if sheet.problem is not None:
            continue
        for lang in DEFAULT_LANGUAGES:
            if lang not in sheet.columns:
                yield _Hit(
                    sheet.path,
                    0,
                    f"no {lang!r} column: the file has no rules for {lang} "
                    f"(runs translate into {', '.join(DEFAULT_LANGUAGES)} by default)",
                )


def _nested(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Term inside a longer term whose target does not render the shorter term's target.

    A shorter term found as whole words inside a longer one (``Supreme
    Court`` in ``South Korean Supreme Court``) never applies there: the
    longer term wins, and its target should say the same thing. Only the
    outermost inner terms count (``North Korea`` inside a title, not also
    ``Korea`` inside that). The longer target renders the shorter one when,
    spaces aside, it contains it (강경화 in 강경화 외교부 장관); when the
    shorter target's pieces (its words, and its runs of one script) appear
    in it in order, the longer term adding words between them (ポンペオ国務長官
    in ポンペオ米国務長官); or when it contains the shorter target's first Han
    or Hangul character, to which Korean, Japanese and Chinese shorten a name
    in compounds (米 for 米国 in 米大統領, 한 and 미 in 한미).

    A difference that is meant (``Seoul's foreign ministry`` 외교부; a bare
    later mention such as ``Pompeo`` ポンペオ氏, which is no part of the full
    name) is marked by writing ``(deliberate)`` in the note of either row: a
    pair in which one row says so is not compared.
    """
    terms = _effective(sheets)
    by_en = {term.en: term for term in terms}
    for longer in terms:
        if DELIBERATE in longer.note:
            continue
        for shorter in _inner_terms(longer, by_en):
            if DELIBERATE in shorter.note:
                continue
            differences = [
                f"{lang} {shorter.targets[lang]} / {longer.targets[lang]}"
                for lang in shorter.targets
                if lang in longer.targets
                and not _renders(longer.targets[lang], shorter.targets[lang])
            ]
            if differences:
                yield _Hit(
                    longer.path,
                    longer.line,
                    f"{shorter.en!r} ({_place(shorter, longer)}) is not rendered inside "
                    f"{longer.en!r}: {'; '.join(differences)} (if meant, write {DELIBERATE} "
                    "in either row's note)",
                )


def _unused_reading(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Short or government form for a language the row has no target for.

    Country pairs join rows that have both a target and a ``LANG-short``
    form in the language, and a capital is read as its government only
    where it has a target too (`workflow.pairs`): such a cell is never used.
    """
    for sheet in sheets:
        for term in sheet.terms():
            for column, forms in (("short", term.short), ("gov", term.government)):
                for lang in sorted(set(forms) - set(term.targets)):
                    yield _Hit(
                        term.path,
                        term.line,
                        f"{term.en!r} has a {lang}-{column} form but no {lang} target, "
                        "so the form is never used",
                    )


def _keep_english(sheets: Sequence[_Sheet]) -> Iterator[_Hit]:
    """Term kept in English (its target is the English), so the user knows."""
    for sheet in sheets:
        for term in sheet.terms():
            kept = [lang for lang in term.targets if term.keeps_english(lang)]
            if kept:
                yield _Hit(
                    term.path, term.line, f"{term.en!r} is kept in English in {', '.join(kept)}"
                )


#: Every check, in the order findings on the same line are listed.
CHECKS: tuple[Check[LintFunction], ...] = (
    Check("unreadable", "error", _unreadable),
    Check("malformed-row", "error", _malformed_row),
    Check("stray-whitespace", "error", _stray_whitespace),
    Check("conflict", "error", _conflict),
    Check("odd-whitespace", "warning", _odd_whitespace),
    Check("duplicate", "warning", _duplicate),
    Check("override", "warning", _override),
    Check("missing-language", "warning", _missing_language),
    Check("nested", "warning", _nested),
    Check("unused-reading", "warning", _unused_reading),
    Check("missing-column", "info", _missing_column),
    Check("keep-english", "info", _keep_english),
)


# Helpers of the checks.


def _rows(sheets: Sequence[_Sheet]) -> Iterator[_Row]:
    """The rows whose cells line up with the header (the others are malformed rows)."""
    for sheet in sheets:
        yield from (row for row in sheet.rows if len(row.cells) == len(row.columns))


def _text_cells(row: _Row) -> Iterator[tuple[str, str]]:
    """The ``en`` and target cells of a row (type and note are trimmed by the reader)."""
    for column, cell in zip(row.columns, row.cells, strict=False):
        if column not in ("type", "note") and cell:
            yield column, cell


def _inner_terms(longer: Term, by_en: dict[str, Term]) -> list[Term]:
    """The terms the matcher would find inside ``longer.en`` if ``longer`` were not there."""
    tokens = list(_TOKEN.finditer(longer.en))
    candidates: dict[str, Term] = {}
    for first, start in enumerate(tokens):
        if start.group().isspace():
            continue
        for end in tokens[first:]:
            shorter = by_en.get(longer.en[start.start() : end.end()])
            if shorter is not None and shorter is not longer:
                candidates[shorter.en] = shorter
    if not candidates:
        return []
    return [match.term for match in TermMatcher(candidates.values()).find(longer.en)]


def _renders(longer: str, shorter: str) -> bool:
    """Whether the target ``longer`` renders ``shorter``, as `_nested` describes.

    >>> _renders("강경화 외교부 장관", "강경화")
    True
    >>> _renders("ポンペオ米国務長官", "ポンペオ国務長官")
    True
    >>> _renders("米大統領", "米国"), _renders("한국 최고법원", "대법원")
    (True, False)
    """
    outer = compact(longer)
    inner = unicodedata.normalize("NFKC", shorter)
    start = 0
    for piece in _pieces(inner):
        found = outer.find(piece, start)
        if found < 0:
            break
        start = found + len(piece)
    else:
        return True
    head = inner.lstrip()[:1]
    return (
        len("".join(inner.split())) > 1
        and unicodedata.name(head, "").startswith(_ABBREVIATING)
        and head in outer
    )


def _pieces(text: str) -> list[str]:
    """The words of ``text``, each cut where its script changes (ポンペオ|国務長官).

    >>> _pieces("마이크 폼페이오"), _pieces("ソン・キム米北朝鮮担当特別代表")
    (['마이크', '폼페이오'], ['ソン・キム', '米北朝鮮担当特別代表'])
    """
    return ["".join(run) for word in text.split() for _, run in groupby(word, key=_script)]


def _script(char: str) -> str:
    """The script a character is written in, as far as cutting a rendering into pieces goes."""
    name = unicodedata.name(char, "")
    for script in ("HANGUL", "HIRAGANA", "KATAKANA", "CJK"):
        if name.startswith(script):
            return script
    return "WORD" if char.isalnum() else char


def _place(shorter: Term, longer: Term) -> str:
    return f"line {shorter.line}" if shorter.path == longer.path else shorter.where
