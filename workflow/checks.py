"""Quality checks for PO files, reviewed or not: one small function per check.

`CHECKS` is the whole table. Each `Check` has an id (to switch it off), a
severity, and a title (the first line of its function's docstring); its
function takes one entry and the `CheckContext` of its file and yields one
short sentence per problem. `check_catalog` runs the table over a catalog and
turns the sentences into `Finding` values; `check_file` reads a PO file first,
as strictly as ``l10n run`` does (`read_po_file`).
The header entry and obsolete (``#~``) entries are never checked, and checks
that read the translation skip untranslated entries.

Severities: ``error`` must be fixed before the translation is published,
``warning`` needs a reviewer's look, ``info`` is for the record. A glossary
error in an entry still marked fuzzy is reported as a warning: nobody has
reviewed that machine translation yet.

>>> catalog = polib.POFile()
>>> catalog.append(polib.POEntry(msgid="Talks resumed Jan. 14.", msgstr="協議は14日に再開した."))
>>> context = CheckContext("ja", Glossary(()), "ja/talks.po")
>>> for finding in check_catalog(catalog, context):
...     print(f"{finding.check} ({finding.severity}): {finding.message}")
numbers (warning): number missing in the translation: 1 (Jan.)
punctuation-final (warning): ends with '.'; Japanese ends a sentence with '。'
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

import polib

from workflow.article import decode_text
from workflow.errors import InputError, UsageError
from workflow.glossary import Glossary, Term
from workflow.languages import LANGUAGES, primary_subtag, sentence_end_marks
from workflow.masking import PLACEHOLDER, placeholder_traces
from workflow.matcher import TermMatcher
from workflow.pairs import ReadingMatcher, renderings
from workflow.pofile import normalize_lines, read_catalog
from workflow.pseudo_alphabet import accent

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One problem in one PO entry.

    ``line`` is the first line of the entry in the PO file (its first comment,
    as polib counts), or 0 for an entry that was never read from a file.

    >>> print(Finding("fuzzy", "info", "ko/a.po", 17, None, "Hi.", "fuzzy"))
    ko/a.po:17: info: fuzzy [fuzzy]
    """

    check: str
    severity: Severity
    path: str
    line: int
    msgctxt: str | None
    msgid: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.check}]"


@dataclass(frozen=True)
class CheckContext:
    """What the checks know about the file an entry comes from.

    The glossary's terms for ``language`` and a matcher over them are
    derived once here, so that a long glossary is not re-read per entry.
    """

    language: str
    glossary: Glossary
    path: str
    #: Whether an engine produced this translation of this English (the
    #: run's record of machine output); nothing is, without a record.
    is_machine_output: Callable[[str, str], bool] = field(
        default=lambda english, text: False, repr=False, compare=False
    )
    terms: tuple[Term, ...] = field(init=False, repr=False, compare=False)
    matcher: TermMatcher = field(init=False, repr=False, compare=False)
    #: A matcher over the terms with a target or forbidden variants for the
    #: language; None when no term forbids anything in it.
    variant_matcher: TermMatcher | None = field(init=False, repr=False, compare=False)
    #: Targets written with Latin letters (NHK, 군사정보보호협정(GSOMIA)), spaced
    #: in any way: English that is expected in a translation. None if no target is.
    expected_english: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = self.glossary.for_language(self.language)
        targets = {_nfkc(term.targets[self.language]) for term in terms}
        latin = sorted((t for t in targets if _has_latin(t)), key=len, reverse=True)
        spaced = (r"\s*".join(re.escape(c) for c in t if not c.isspace()) for t in latin)
        expected = re.compile("|".join(spaced)) if latin else None
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "matcher", ReadingMatcher(terms, lang=self.language))
        object.__setattr__(self, "expected_english", expected)
        lang = self.language
        ruled = [t for t in self.glossary.terms if lang in t.targets or lang in t.forbidden]
        forbidding = any(lang in term.forbidden for term in ruled)
        object.__setattr__(self, "variant_matcher", TermMatcher(ruled) if forbidding else None)


CheckFunction = Callable[[polib.POEntry, CheckContext], Iterable[str]]


@dataclass(frozen=True)
class Check:
    """One row of the check table."""

    id: str
    severity: Severity
    function: CheckFunction
    #: The severity in an entry still marked fuzzy, when it is not ``severity``.
    fuzzy_severity: Severity | None = None
    #: Whether the check reads the translation (and so skips untranslated entries).
    needs_translation: bool = True

    @property
    def title(self) -> str:
        """The first line of the function's docstring.

        >>> CHECKS[0].title
        'Entry not translated yet.'
        """
        return (self.function.__doc__ or "").strip().partition("\n")[0]

    def severity_for(self, entry: polib.POEntry) -> Severity:
        """The severity of this check's findings in ``entry``."""
        if entry.fuzzy and self.fuzzy_severity is not None:
            return self.fuzzy_severity
        return self.severity


def check_catalog(
    catalog: polib.POFile, context: CheckContext, *, disabled: Collection[str] = ()
) -> list[Finding]:
    """Run every check not in ``disabled`` over ``catalog``, in entry then table order.

    An id in ``disabled`` that names no check is a `UsageError`.

    >>> catalog = polib.POFile()
    >>> catalog.append(polib.POEntry(msgid="Seoul replied.", msgstr=""))
    >>> [f.check for f in check_catalog(catalog, CheckContext("ko", Glossary(()), "a.po"))]
    ['untranslated']
    >>> check_catalog(catalog, CheckContext("ko", Glossary(()), "a.po"), disabled=["untranslated"])
    []
    """
    active = _active_checks(disabled)
    findings: list[Finding] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        translated = bool(_translation(entry))
        for check in active:
            if check.needs_translation and not translated:
                continue
            severity = check.severity_for(entry)
            findings.extend(
                Finding(
                    check.id,
                    severity,
                    context.path,
                    entry.linenum or 0,
                    entry.msgctxt,
                    entry.msgid,
                    message,
                )
                for message in check.function(entry, context)
            )
    return findings


def check_file(
    path: Path,
    glossary: Glossary,
    *,
    disabled: Collection[str] = (),
    require_reviewed: bool = False,
) -> list[Finding]:
    """Read the PO file at ``path`` and check it in the language its header names.

    The file is read by `read_po_file`, so one that ``l10n run`` would refuse
    is an `InputError` naming the file and line, not a list of findings.
    Machine output is told by the record of the output folder the file is in
    (``OUT/LANG/ID.po``); with `require_reviewed`, machine output accepted
    unchanged is an error, as before publishing.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder, "ko.po")
    ...     _ = path.write_text('msgid ""\\nmsgstr "Language: ko\\\\n"\\n\\n'
    ...                         'msgid "Hello."\\nmsgstr "안녕하세요"\\n', encoding="utf-8")
    ...     [(f.line, f.message) for f in check_file(path, Glossary(()))]
    [(4, "the source ends with '.' but the translation has no final punctuation")]
    """
    from workflow.store import Store

    _active_checks(disabled)
    catalog, language = read_po_file(path)
    store = Store.at(path.resolve().parent.parent)
    try:
        context = CheckContext(
            language,
            glossary,
            str(path),
            lambda english, text: store.is_machine_output(language, english, text),
        )
        findings = check_catalog(catalog, context, disabled=disabled)
    finally:
        store.close()
    if require_reviewed:
        findings = [
            replace(f, severity="error") if f.check == "machine-accepted" else f for f in findings
        ]
    return findings


def _active_checks(disabled: Collection[str]) -> tuple[Check, ...]:
    known = {check.id for check in CHECKS}
    unknown = sorted(set(disabled) - known)
    if unknown:
        raise UsageError(
            f"unknown check {unknown[0]!r} (choose from: {', '.join(c.id for c in CHECKS)})"
        )
    return tuple(check for check in CHECKS if check.id not in disabled)


def read_po_file(path: Path) -> tuple[polib.POFile, str]:
    """A PO file read as ``l10n run`` reads one, and the language its ``Language`` header names.

    The reading is `workflow.pofile.read_catalog`'s, which refuses what GNU
    msgfmt refuses too: a line that breaks the PO grammar (``msgid Word"``),
    a duplicate entry, a charset other than UTF-8. A file without a
    ``Language`` header, or with one naming a language the workflow does not
    write, is refused as well, since nothing else tells which language it is
    in. Each refusal is an `InputError` with the file and line; the language
    is returned as its primary subtag (``ko`` for ``ko_KR``).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from None
    text = decode_text(data, path=path)
    try:
        declared = polib.pofile(normalize_lines(text), wrapwidth=0).metadata.get("Language", "")
    except (OSError, ValueError):
        declared = ""  # read_catalog says what is wrong, with the line
    # Given the header's own language, read_catalog checks everything but that.
    catalog = read_catalog(path, language=primary_subtag(declared))
    found_language = catalog.metadata.get("Language", "").strip()
    code = primary_subtag(found_language)
    if not found_language:
        raise InputError(
            'no Language header, so the target language is unknown (add "Language: ko\\n")',
            path=path,
            line=_header_line(text, 'msgid ""') or 1,
        )
    if code not in LANGUAGES:
        raise InputError(
            f"unknown language {found_language!r} in the Language header "
            f"(known: {', '.join(sorted(LANGUAGES))})",
            path=path,
            line=_header_line(text, '"Language:'),
        )
    return catalog, code


def _header_line(text: str, start: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(start):
            return number
    return None


def _translation(entry: polib.POEntry) -> str:
    # Korean, Japanese and Chinese have one plural form: msgstr[0] is all of it.
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


# --- status -----------------------------------------------------------------


def _untranslated(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Entry not translated yet."""
    if not _translation(entry):
        yield "untranslated"


def _fuzzy(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Machine translation not reviewed yet (marked fuzzy)."""
    if entry.fuzzy:
        yield "fuzzy (machine translation not reviewed)"


def _machine_accepted(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Machine translation accepted unchanged (not fuzzy, yet the engine's very output)."""
    if not entry.fuzzy and context.is_machine_output(entry.msgid, entry.msgstr):
        yield (
            "the engine's output, unchanged, but not fuzzy: reviewed as it is, or its flag "
            "cleared by a tool"
        )


# --- glossary ---------------------------------------------------------------

_SPACES = re.compile(r"\s+")
# An aside such as a reading, 康京和(カンギョンファ)外相, which Japanese papers
# insert into a name on first mention.
_ASIDE = re.compile(r"\([^()]*\)")
_LATIN_LETTER = re.compile("[A-Za-z]")
# Hangul, kana, CJK ideographs and punctuation, half-width kana: scripts that
# attach particles straight to a Latin word (GSOMIA를), hiding its word end.
_CJK = re.compile("[\u1100-\u11ff\u2e80-\ud7ff\uf900-\ufaff\uff66-\uffdc]")


def _glossary_missing(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Glossary term of the source not rendered as the glossary requires.

    The target may carry particles (서울에서) and is compared ignoring spaces
    and character width (full-width brackets are plain ones); an aside in
    parentheses inside the target's rendering is allowed. A capital read as
    its government may be rendered by its country's name too (일본 for 일본 정부).
    """
    translation = _nfkc(_translation(entry))
    have = _SPACES.sub("", translation)
    bare = _SPACES.sub("", _ASIDE.sub("", translation))
    seen: set[str] = set()
    for match in context.matcher.find(entry.msgid):
        term = match.term
        target = term.target(context.language)
        if target is None or term.en in seen:
            continue
        seen.add(term.en)
        wanted = [_SPACES.sub("", _nfkc(r)) for r in renderings(term, context.language)]
        if any(want in have or want in bare for want in wanted):
            continue
        if term.keeps_english(context.language):
            yield f"glossary: keep {term.en!r} in English"
        else:
            yield f"glossary: {term.en!r} should be {target!r}"


def _glossary_forbidden(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """English glossary term left in the translation instead of its target."""
    text = _without_expected_english(_translation(entry), context)
    seen: set[str] = set()
    for match in context.matcher.find(_CJK.sub(" ", text)):
        term = match.term
        target = term.targets[context.language]
        if term.en in target or term.en in seen:
            continue
        seen.add(term.en)
        yield f"glossary: {term.en!r} left in English, the glossary says {target!r}"


def _glossary_variant(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Variant the glossary forbids (a LANG-forbidden column) used in the translation.

    Looked for when the source has the term, as the required target is:
    spaces and character width aside, particles may follow (서울시는). The
    required renderings of the source's terms that hold the variant are
    struck out first, so a forbidden 大法院 is not found inside a required
    韓国大法院 (a forbidden 서울시 is still found beside a required 서울); a
    variant in Latin letters must stand as a word of its own.
    """
    if context.variant_matcher is None:
        return
    lang = context.language
    matched = {match.term.en: match.term for match in context.variant_matcher.find(entry.msgid)}
    forbidding = [term for term in matched.values() if lang in term.forbidden]
    if not forbidding:
        return
    translation = _nfkc(_translation(entry))
    required = sorted(
        {term.targets[lang] for term in matched.values() if lang in term.targets},
        key=len,
        reverse=True,
    )
    for term in forbidding:
        target = term.target(lang)
        for variant in term.forbidden[lang]:
            text = translation
            bare = _SPACES.sub("", _nfkc(variant))
            for rendering in required:
                if bare in _SPACES.sub("", _nfkc(rendering)):
                    text = _loose(rendering).sub(lambda found: "|" * len(found.group()), text)
            if _loose(variant).search(text):
                said = f", the glossary says {target!r}" if target else ""
                yield f"glossary: {variant!r} is forbidden for {term.en!r}{said}"


@cache
def _loose(text: str) -> re.Pattern[str]:
    """A pattern for ``text`` in a normalized translation: spaced in any way, whole Latin words.

    >>> bool(_loose("서울 시").search("서울시는")), bool(_loose("US").search("USB"))
    (True, False)
    """
    chars = [char for char in _nfkc(text) if not char.isspace()]
    pattern = r"\s*".join(re.escape(char) for char in chars)
    if chars and chars[0].isascii() and chars[0].isalnum():
        pattern = f"(?<![{_LATIN}])" + pattern
    if chars and chars[-1].isascii() and chars[-1].isalnum():
        pattern += f"(?![{_LATIN}])"
    return re.compile(pattern)


def _without_expected_english(translation: str, context: CheckContext) -> str:
    """The translation, normalized, with the glossary targets in Latin letters struck out."""
    text = _nfkc(translation)
    if context.expected_english is None:
        return text
    return context.expected_english.sub(lambda found: "|" * len(found.group()), text)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _has_latin(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None


# --- numbers and dates --------------------------------------------------------
#
# Every number of the source must be in the translation; numbers only in the
# translation are never reported. What counts as the same number:
# * digit runs and decimals, thousands separators ignored and full-width
#   digits read as ASCII: 1,032 is 1032;
# * a month name (January ... December; May only right before a number, since
#   it is also a verb and a name) or a dotted abbreviation (Jan. ... Sept. ...
#   Dec.) is its number: Jan. 14, 2020 is 1, 14, 2020, as in 2020년 1월 14일
#   and 2020年1月14日;
# * an amount with million, billion or trillion (mln, bn, tn) may be the bare
#   number or the same value written with 만/억/조 or 万/億/兆, with 십/백/천 or
#   十/百/千 in front and in compounds: US$45.6 billion is 456억 달러 or 456億ドル,
#   $1.2 trillion is 1조2천억 달러; any translated number may be so written
#   (5,000 as 5천).
# Not recognised: numbers spelled out (five, 다섯, 五), rounded amounts (45.6
# billion as 약 460억), converted units, weekdays, era years (令和2年).

_MONTHS = {
    "January": 1, "Jan.": 1, "February": 2, "Feb.": 2, "March": 3, "Mar.": 3,
    "April": 4, "Apr.": 4, "May": 5, "June": 6, "Jun.": 6, "July": 7, "Jul.": 7,
    "August": 8, "Aug.": 8, "September": 9, "Sept.": 9, "Sep.": 9, "October": 10,
    "Oct.": 10, "November": 11, "Nov.": 11, "December": 12, "Dec.": 12,
}  # fmt: skip
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_SOURCE_NUMBER = re.compile(
    r"(?P<month>\b(?:January|February|March|April|June|July|August|September|October"
    r"|November|December)\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|\bMay(?=\s+\d))"
    rf"|(?P<number>{_NUMBER})(?:\s*(?P<scale>million|billion|trillion|mln|bn|tn)\b)?"
)
_SCALES = {"million": 10**6, "mln": 10**6, "billion": 10**9, "bn": 10**9}
_SCALES |= {"trillion": 10**12, "tn": 10**12}
_UNITS = {"십": 10, "十": 10, "백": 100, "百": 100, "천": 1000, "千": 1000}
_UNITS |= {"만": 10**4, "万": 10**4, "억": 10**8, "億": 10**8, "조": 10**12, "兆": 10**12}
_AMOUNT = re.compile(
    rf"(?P<number>{_NUMBER})(?:\s?(?P<unit>[십백천十百千]?[만억조万億兆]|[십백천十百千]))?"
)


def _numbers(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Number or date of the source missing in the translation."""
    available = _translated_values(_translation(entry))
    missing = []
    for label, accepted in _source_values(entry.msgid):
        value = next((v for v in accepted if available[v] > 0), None)
        if value is None:
            missing.append(label)
        else:
            available[value] -= 1
    if missing:
        noun = "number" if len(missing) == 1 else "numbers"
        yield f"{noun} missing in the translation: {', '.join(missing)}"


def _source_values(text: str) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Each number of an English text, labelled for a message, with the values it may take."""
    values: list[tuple[str, tuple[Decimal, ...]]] = []
    for found in _SOURCE_NUMBER.finditer(PLACEHOLDER.sub(" ", text)):
        if found["month"]:
            month = _MONTHS[found["month"]]
            values.append((f"{month} ({found['month']})", (Decimal(month),)))
            continue
        number = Decimal(found["number"].replace(",", ""))
        if found["scale"]:
            scaled = number * _SCALES[found["scale"]]
            values.append((found.group(0), (scaled, number)))
        else:
            values.append((found["number"], (number,)))
    return values


def _translated_values(text: str) -> Counter[Decimal]:
    """Every value a translation's numbers can be read as: plain, with their unit, and summed.

    >>> [str(value) for value in sorted(_translated_values("4억 5600만 달러"))]
    ['4', '5600', '56000000', '400000000', '456000000']
    """
    text = PLACEHOLDER.sub(" ", _nfkc(text))
    values: Counter[Decimal] = Counter()
    total, last_unit, last_end = Decimal(0), 0, -1
    for found in _AMOUNT.finditer(text):
        number = Decimal(found["number"].replace(",", ""))
        unit = 1
        for char in found["unit"] or "":
            unit *= _UNITS[char]
        values[number] += 1
        if unit > 1:
            values[number * unit] += 1
        # 4억 5600만: a part continues a compound when its unit is smaller.
        follows = last_unit > unit and not text[last_end : found.start()].strip()
        if follows:
            total += number * unit
            values[total] += 1
        else:
            total = number * unit
        last_unit, last_end = unit, found.end()
    return values


# --- leftovers ----------------------------------------------------------------

_PSEUDO_MARK = re.compile(r"⟦[^⟦⟧\s]{1,16}⟧")
# Latin letters, accented ones included (the pseudo engine's come from all these blocks).
_LATIN_LETTERS = "A-Za-z\u00c0-\u024f\u0250-\u02af\u1e00-\u1eff"
_LATIN = f"{_LATIN_LETTERS}0-9"
_LATIN_RUN = re.compile(f"[{_LATIN_LETTERS}]+")
_APOSTROPHES = "'\u2019"
_ENGLISH_WORD = re.compile(
    rf"(?<![{_LATIN}])[A-Za-z]+(?:[{_APOSTROPHES}-][A-Za-z]+)*(?![{_LATIN}])"
)
_WORD_GAP = re.compile(r",?\s+")
_ENGLISH_RUN = 3


def _leftover_placeholder(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Masking placeholder left in the translation."""
    # Garbled ones too (zxq3, ZXQ 3, AZXQ1): the same traces that make a hypothesis unusable.
    source = placeholder_traces(entry.msgid)
    found = placeholder_traces(_translation(entry))
    for token in sorted(found - source):
        yield f"placeholder {token} left in the translation"


def _leftover_pseudo(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Pseudo-translation left in the translation.

    Found by the engine's mark (⟦ko⟧) or by words of two letters or more
    spelled only with its accented look-alikes; a name such as Pokémon keeps
    plain letters and is not one.
    """
    signs = _pseudo_signs(_translation(entry))
    if signs:
        yield f"pseudo-translation left: {', '.join(signs)}"


def _pseudo_signs(translation: str) -> list[str]:
    """The engine's marks and the accented words of a pseudo-translation in `translation`."""
    letters = _pseudo_letters()
    signs = list(dict.fromkeys(_PSEUDO_MARK.findall(translation)))
    words = [
        word
        for word in _LATIN_RUN.findall(translation)
        if len(word) > 1 and all(char in letters for char in word)
    ]
    if words:
        signs.append(f"{len(words)} accented word{'s' if len(words) > 1 else ''} ({words[0]})")
    return signs


def looks_pseudo(text: str) -> bool:
    """Whether `text` holds pseudo-translation, as the ``leftover-pseudo`` check finds it.

    >>> looks_pseudo("⟦ko⟧ Ţåļķš"), looks_pseudo("회담 재개")
    (True, False)
    """
    return bool(_pseudo_signs(text))


def _leftover_english(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """English words left untranslated.

    Reported from three words in a row; acronyms (all capitals) and glossary
    targets written in Latin letters are expected and break a run.
    """
    text = _without_expected_english(_translation(entry), context)
    runs: list[list[re.Match[str]]] = [[]]
    for word in _ENGLISH_WORD.finditer(text):
        run = runs[-1]
        if run and not _WORD_GAP.fullmatch(text[run[-1].end() : word.start()]):
            run = []
            runs.append(run)
        if word.group().isupper():
            runs.append([])
            continue
        run.append(word)
    for run in runs:
        if len(run) >= _ENGLISH_RUN:
            words = text[run[0].start() : run[-1].end()]
            shown = words if len(words) <= 60 else words[:57] + "..."
            yield f"English left untranslated: {shown!r}"


@cache
def _pseudo_letters() -> frozenset[str]:
    return frozenset(accent(letter) for letter in string.ascii_letters)


# --- punctuation --------------------------------------------------------------

_SENTENCE_END = ".?!"
_CLOSERS = "\"'\u201d\u2019)]}」』】〉》»\uff09"


def _punctuation_final(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Sentence-final punctuation missing or of the wrong script."""
    source = _final_mark(entry.msgid)
    if not source or source not in _SENTENCE_END:
        return
    accepted, wrong = sentence_end_marks(context.language)
    mark = _final_mark(_translation(entry))
    if mark in wrong:
        name = LANGUAGES[context.language].name if context.language in LANGUAGES else "it"
        yield f"ends with {mark!r}; {name} ends a sentence with {wrong[mark]!r}"
    elif not mark or mark not in accepted:
        yield f"the source ends with {source!r} but the translation has no final punctuation"


def _punctuation_added(entry: polib.POEntry, context: CheckContext) -> Iterator[str]:
    """Final punctuation added where the source (a title, a dateline) has none."""
    source = _final_mark(entry.msgid)
    if source and source in _SENTENCE_END:
        return
    accepted, wrong = sentence_end_marks(context.language)
    mark = _final_mark(_translation(entry))
    if mark and (mark in accepted or mark in wrong):
        yield f"ends with {mark!r} but the source has no final punctuation"


def _final_mark(text: str) -> str:
    """The last character before any closing quotes and brackets."""
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1].rstrip()
    return text[-1:]


#: Every check, in the order findings about one entry are reported.
CHECKS: tuple[Check, ...] = (
    Check("untranslated", "warning", _untranslated, needs_translation=False),
    Check("fuzzy", "info", _fuzzy),
    Check("machine-accepted", "warning", _machine_accepted),
    Check("glossary-missing", "error", _glossary_missing, fuzzy_severity="warning"),
    Check("glossary-forbidden", "error", _glossary_forbidden, fuzzy_severity="warning"),
    Check("glossary-variant", "error", _glossary_variant, fuzzy_severity="warning"),
    Check("numbers", "warning", _numbers),
    Check("leftover-placeholder", "error", _leftover_placeholder),
    Check("leftover-pseudo", "error", _leftover_pseudo),
    Check("leftover-english", "warning", _leftover_english),
    Check("punctuation-final", "warning", _punctuation_final),
    Check("punctuation-added", "info", _punctuation_added),
)
