"""The one place PO and POT files are made and written.

`build_template` and `build_catalog` turn an article's segments (and their
translations) into `polib.POFile` objects without touching the disk;
`write_catalog` renders one and replaces the file atomically.

Entries follow the article's order. ``msgid`` is the English segment;
``msgctxt`` appears only to tell identical sentences apart; ``#:`` points at
the article's line; ``#.`` comments carry what a reviewer needs: the segment's
kind when it is not body text, possible boilerplate, and the glossary terms
with the rendering they require. Every machine translation is ``fuzzy``
until a reviewer clears it.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import polib

from workflow import __version__
from workflow.article import Article, decode_text
from workflow.errors import InputError, WorkflowError
from workflow.files import write_atomic
from workflow.languages import get_language, primary_subtag
from workflow.masking import MaskedText, Slot, Translation
from workflow.merge import CatalogPlan
from workflow.merge import message_contexts as merge_contexts
from workflow.segment import Segment

# Long lines are not wrapped (like `msgcat --no-wrap`): a comment naming a
# glossary term stays on one line, and diffs show one line per field.
_WRAP_WIDTH = 0
_BOILERPLATE_NOTE = "possible boilerplate: check that this line belongs to the article"
_NOT_ENFORCED = "glossary term not enforced, use it when reviewing"
_NEW_MACHINE_TRANSLATION = "machine translation of the new English"
_KEEPS_OLD_TEXT = ("reviewed", "unchanged", "changed-reviewed")
# gettext's placeholders for the translator's fields of a template.
_PLACEHOLDERS = {
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "Language": "",
}
# The header fields that describe what a run makes; all others are the editors'.
_OWN_FIELDS = frozenset(
    (
        "Project-Id-Version",
        "POT-Creation-Date",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
        "X-Machine-Translation",
    )
)


def build_template(
    article: Article,
    segments: Sequence[Segment],
    masked: Mapping[str, Sequence[MaskedText]],
    *,
    created: datetime,
) -> polib.POFile:
    """The POT template: every segment, untranslated, with its glossary terms named."""
    template = polib.POFile(wrapwidth=_WRAP_WIDTH)
    template.metadata = _header(article, language=None, created=created, engine_label=None)
    # As xgettext marks it: the header still holds placeholders, which
    # `msgfmt -c` would otherwise report.
    template.metadata_is_fuzzy = True
    reference = _reference_path(article.path)
    contexts = message_contexts(segments)
    for index, segment in enumerate(segments):
        terms: dict[str, Slot] = {}
        for per_language in masked.values():
            for slot in per_language[index].slots:
                terms.setdefault(slot.match.term.en, slot)
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {s.match.term.en} ({s.match.term.type})" for s in terms.values()]
        template.append(_entry(reference, segment, contexts[index], notes, msgstr=""))
    return template


def build_catalog(
    article: Article,
    plan: CatalogPlan,
    masked: Sequence[MaskedText],
    translations: Mapping[int, Translation],
    lang: str,
    *,
    engine_label: str,
    created: datetime,
    notes_on_record: Callable[[str, str], Sequence[str]] = lambda english, text: (),
) -> polib.POFile:
    """A language's PO file, as `plan` decided entry by entry.

    `masked[i]` is the i-th segment's masked source (its glossary terms) and
    `translations[i]` its new machine translation, for the entries that
    needed one. `notes_on_record(english, translation)` gives the notes an
    earlier run wrote for that translation (see `machine_notes`): they are
    written again even when a tool that merges with the template (msgmerge,
    pot2po) removed them from the file.
    """
    catalog = polib.POFile(wrapwidth=_WRAP_WIDTH)
    header = _header(article, language=lang, created=created, engine_label=engine_label)
    if plan.old_header is not None:
        header = _keep_editors_fields(header, plan.old_header)
        catalog.header = plan.old_header_comment
    catalog.metadata = header
    segments = [entry.segment for entry in plan.entries]
    reference = _reference_path(article.path)
    contexts = message_contexts(segments)
    for index, entry_plan in enumerate(plan.entries):
        segment, old = entry_plan.segment, entry_plan.old
        notes = [*_segment_notes(segment)]
        notes += [f"glossary: {_describe_slot(slot)}" for slot in masked[index].slots]
        translation = translations.get(index)
        unenforced = translation.unenforced if translation else ()
        notes += [f"{_NOT_ENFORCED}: {_describe_slot(slot)}" for slot in unenforced]
        decision = entry_plan.decision
        still_fuzzy = old is not None and "fuzzy" in old.flags
        if old is not None and (
            decision == "unchanged" or (decision == "reviewed" and still_fuzzy)
        ):
            # What the engine said about this English stays until someone has
            # looked: while the entry is fuzzy, or for as long as its machine
            # translation stands.
            notes += [*notes_on_record(segment.text, old.msgstr), *machine_notes(old)]
        if decision == "changed-reviewed" and translation is not None:
            notes.append(f"{_NEW_MACHINE_TRANSLATION}: {translation.text}")
        if old is not None and decision in _KEEPS_OLD_TEXT:
            msgstr = old.msgstr
        else:
            msgstr = translation.text if translation else ""
        entry = _entry(reference, segment, contexts[index], notes, msgstr=msgstr)
        if old is not None:
            entry.tcomment = old.tcomment
            entry.flags = [flag for flag in old.flags if flag != "fuzzy"]
        if decision == "reviewed" and old is not None:
            if still_fuzzy:
                # Like msgmerge: a previous msgid belongs to a fuzzy entry
                # and goes once a reviewer clears the flag.
                entry.flags.insert(0, "fuzzy")
                entry.previous_msgid = old.previous_msgid
                entry.previous_msgctxt = old.previous_msgctxt
        else:
            entry.flags.insert(0, "fuzzy")
        if decision == "changed-reviewed" and old is not None:
            if still_fuzzy and old.previous_msgid:
                # The English the reviewer actually translated, kept through
                # further edits as `msgmerge --previous` keeps it.
                entry.previous_msgid = old.previous_msgid
                entry.previous_msgctxt = old.previous_msgctxt
            else:
                entry.previous_msgid = old.msgid
                entry.previous_msgctxt = old.msgctxt
        catalog.append(entry)
    taken: dict[tuple[str | None, str], str] = {
        (entry.msgctxt, entry.msgid): entry.msgstr for entry in catalog
    }
    for old in plan.obsolete:
        old.obsolete = True
        key = (old.msgctxt, old.msgid)
        if key in taken:
            if taken[key] == old.msgstr:
                # The same translation is there already, as msgmerge drops it.
                continue
            # Another translation of a sentence that is still there (a
            # deleted occurrence, a reviewer's copy): kept, under a context
            # of its own, since GNU gettext refuses two entries with one key.
            old.msgctxt = _free_context(old.msgctxt, old.msgid, taken)
            key = (old.msgctxt, old.msgid)
        taken[key] = old.msgstr
        catalog.append(old)
    return catalog


def _free_context(
    context: str | None, msgid: str, taken: Mapping[tuple[str | None, str], str]
) -> str:
    """A msgctxt, made from `context`, that no entry of `taken` has with `msgid`."""
    base = f"{context} (obsolete)" if context else "obsolete"
    candidate, number = base, 1
    while (candidate, msgid) in taken:
        number += 1
        candidate = f"{base} {number}"
    return candidate


def _keep_editors_fields(ours: dict[str, str], old: Mapping[str, str]) -> dict[str, str]:
    """The header this run writes, with what reviewers and their editors put in the old one.

    The reviewer's name, team and revision date, the editor's own
    ``X-Generator`` and other ``X-`` fields, ``Report-Msgid-Bugs-To``, a
    region in ``Language`` (``ko_KR``): every field but those describing
    the file this run makes (its article, date, encoding, plural rule and
    machine translation) stays as the old file has it.

    >>> old = {"Language": "ko_KR", "X-Generator": "Poedit 3.4", "X-Poedit-Basepath": "."}
    >>> new = _keep_editors_fields({"Language": "ko", "X-Generator": "l10n-workflow 1"}, old)
    >>> new == {"Language": "ko_KR", "X-Generator": "Poedit 3.4", "X-Poedit-Basepath": "."}
    True
    """
    header = dict(ours)
    for field, value in old.items():
        if (
            field in _OWN_FIELDS
            or not value.strip()
            or value == _PLACEHOLDERS.get(field)
            or (field == "X-Generator" and value.startswith("l10n-workflow"))
            or (field == "Language" and value.replace("-", "_").split("_")[0] != ours[field])
        ):
            # Ours, or one a tool copied from the template (pot2po does).
            continue
        header[field] = value
    return header


def machine_notes(entry: polib.POEntry) -> list[str]:
    """The ``#.`` comments of `entry` that describe a machine translation.

    They are the glossary terms no hypothesis kept and, on a reviewed entry
    whose English changed, the machine translation of the new English.

    >>> note = "glossary term not enforced, use it when reviewing: Japan → 일본 (place)"
    >>> machine_notes(polib.POEntry(comment=f"kind: title\\n{note}")) == [note]
    True
    """
    prefixes = (_NOT_ENFORCED, _NEW_MACHINE_TRANSLATION)
    return [line for line in entry.comment.splitlines() if line.startswith(prefixes)]


def unenforced_notes(entry: polib.POEntry) -> list[str]:
    """The comments of `entry` naming a glossary term the translation does not enforce."""
    return [line for line in entry.comment.splitlines() if line.startswith(_NOT_ENFORCED)]


def read_catalog(path: Path, *, language: str) -> polib.POFile:
    """An existing PO file, refused with file and line if it cannot be merged safely."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    return parse_catalog(data, path=path, language=language)


def has_byte_order_mark(path: Path) -> bool:
    """Whether the file at `path` starts with a UTF-8 byte-order mark (read, never written)."""
    try:
        with path.open("rb") as handle:
            return handle.read(3) == codecs.BOM_UTF8
    except OSError:
        return False


def parse_catalog(data: bytes, *, path: Path, language: str) -> polib.POFile:
    """The PO file `path` whose bytes are `data`, refused as `read_catalog` refuses it.

    Everything GNU ``msgfmt`` rejects is refused here with the line it names,
    so that a file a reviewer broke is never rewritten from a wrong reading:

    >>> bad = b'msgid ""\\nmsgstr ""\\n\\nmsgid "Gone."\\n\\nmsgid "Left."\\nmsgstr "x"\\n'
    >>> parse_catalog(bad, path=Path("ko/a.po"), language="ko")
    Traceback (most recent call last):
    workflow.errors.InputError: ko/a.po:4: missing 'msgstr' section
    """
    text = normalize_lines(decode_text(data, path=path))
    check_structure(text, path)
    try:
        # Duplicates were refused above, in one pass: polib's own check is
        # quadratic (minutes for a five-megabyte article).
        catalog = polib.pofile(text, wrapwidth=_WRAP_WIDTH)
    except OSError as error:  # polib's word for a syntax error
        line = _polib_line(error)
        construct = text.split("\n")[line - 1].strip()[:60] if line else ""
        message = f"PO syntax error: {construct}" if construct else _polib_message(error)
        raise InputError(message, path=path, line=line) from None
    charset = catalog.metadata.get("Content-Type", "").partition("charset=")[2].strip()
    if charset and charset.upper() not in ("UTF-8", "UTF8"):
        raise InputError(
            f"charset is {charset}, not UTF-8; convert it (msgconv -t UTF-8)",
            path=path,
            line=_header_line(text, "Content-Type"),
        )
    found = catalog.metadata.get("Language", "")
    if found and primary_subtag(found) != language:
        raise InputError(
            f"Language header says {found!r} but this is the {language!r} catalog",
            path=path,
            line=_header_line(text, "Language"),
        )
    return catalog


# Lines GNU gettext reads that polib does not, each with the form polib reads.
_LEADING_SPACE = re.compile(r"^[ \t\f\v]+(?=\S)")
_OBSOLETE_COMMENT = re.compile(r"^#~[ \t]*(?=#[,:.| ]|#$)")
_OBSOLETE_PREVIOUS = re.compile(r"^#~\|")
_BARE_COMMENT = re.compile(r"^#(?=[^\s,:.|~])")
_GLUED_KEYWORD = re.compile(
    r"^((?:#~[ \t]*)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?))(?=\")"
)


def normalize_lines(text: str) -> str:
    """`text` with each line GNU gettext reads put in the form polib reads, line for line.

    Those are: leading spaces before a keyword or a comment, a comment
    without a space after ``#`` (``#TODO``, which gettext reads as a comment
    of a kind it does not know, and which is kept as a translator comment),
    the comments of an obsolete entry written ``#~ #, fuzzy`` or ``#~ #:
    ref``, Lokalize's ``#~|`` previous msgid, and a keyword glued to its
    string (``msgid"Yes"``). Lines are never added or removed, so a line
    number still names the reader's line.

    >>> normalize_lines('  #TODO ask\\n#~ #, fuzzy\\n#~| msgid "A"\\nmsgid"B"')
    '# TODO ask\\n#, fuzzy\\n#| msgid "A"\\nmsgid "B"'
    """
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not line or line[0] not in " \t\f\v#m":
            continue
        fixed = _LEADING_SPACE.sub("", line)
        fixed = _OBSOLETE_COMMENT.sub("", fixed)
        fixed = _OBSOLETE_PREVIOUS.sub("#|", fixed)
        fixed = _BARE_COMMENT.sub("# ", fixed)
        fixed = _GLUED_KEYWORD.sub(r"\1 ", fixed)
        lines[number] = fixed
    return "\n".join(lines)


# polib reads some broken lines without complaint ('msgid Word"' as "ord"), so
# every line is checked against the PO grammar before polib sees the file.
_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD = r"msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?"
_PO_LINE = re.compile(
    rf"""^(?:
        (?P<blank>\s*)
      | (?P<previous>\#~?\|.*)
      | (?P<comment>\#(?!~).*)
      | (?P<obsolete>\#~\s*)?(?:(?P<keyword>{_KEYWORD})\s+)?(?P<string>{_STRING})\s*
    )$""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)")
# What polib reads back as it writes; anything else would be changed on rewrite.
_KEPT_ESCAPES = frozenset('\\ntrvbf"')
# Escapes GNU gettext accepts but polib would rewrite as other text.
_OTHER_ESCAPES = frozenset("a'?01234567x")


class _Entry:
    """What the structure check needs of one entry while reading it."""

    __slots__ = ("context", "context_line", "msgid", "msgid_line", "msgstr", "plural")

    def __init__(self) -> None:
        self.context: str | None = None
        self.context_line = 0
        self.msgid: str | None = None
        self.msgid_line = 0
        self.plural = False
        self.msgstr = False


def check_structure(text: str, path: Path) -> None:
    """Refuse, with the line GNU ``msgfmt`` names, a PO text that is not a valid catalog.

    One pass over the lines: each must be a PO line, each entry needs its
    ``msgstr`` (``msgstr[N]`` only after ``msgid_plural``), escapes must be
    ones that survive a rewrite, and no two entries, obsolete ones included,
    may share ``msgctxt`` and ``msgid``. A duplicate is reported at its own
    ``msgid`` line, as ``msgfmt`` reports it:

    >>> entry = 'msgctxt "k"\\nmsgid ""\\n"A"\\nmsgstr ""\\n\\n'
    >>> check_structure('msgid "A"\\nmsgstr ""\\n\\n' + entry * 2, Path("a.po"))
    Traceback (most recent call last):
    workflow.errors.InputError: a.po:10: duplicate entry: msgctxt "k" msgid "A" (first at line 5)
    """
    first: dict[tuple[str | None, str], int] = {}
    entry = _Entry()
    # The field a continuation string belongs to; None where none may
    # follow (after a comment or a blank line).
    field: str | None = None

    def finish(entry: _Entry) -> None:
        if entry.msgid is None:
            if entry.context is not None:
                raise InputError("msgctxt without msgid", path=path, line=entry.context_line)
            return
        if not entry.msgstr:
            raise InputError("missing 'msgstr' section", path=path, line=entry.msgid_line)
        key = (entry.context, polib.unescape(entry.msgid))
        if key in first:
            context = "" if entry.context is None else f"msgctxt {_quote(key[0] or '')} "
            raise InputError(
                f"duplicate entry: {context}msgid {_quote(key[1])} (first at line {first[key]})",
                path=path,
                line=entry.msgid_line,
            )
        first[key] = entry.msgid_line

    for number, line in enumerate(text.split("\n"), start=1):
        found = _PO_LINE.match(line)
        if not found:
            raise InputError(f"PO syntax error: {line.strip()[:60]}", path=path, line=number)
        if found["blank"] is not None or found["comment"] is not None:
            field = None
            continue
        if found["previous"] is not None:
            # "#| msgid ..." is the English a fuzzy entry was translated from;
            # polib rewrites its strings too.
            _check_escapes(found["previous"], path, number)
            field = "previous"
            continue
        string = found["string"]
        _check_escapes(string, path, number)
        keyword = found["keyword"]
        if keyword is None:
            if field is None:
                raise InputError(
                    f"PO syntax error: a string without msgid or msgstr: {line.strip()[:40]}",
                    path=path,
                    line=number,
                )
            if field == "msgid" and entry.msgid is not None:
                entry.msgid += string[1:-1]
            elif field == "msgctxt" and entry.context is not None:
                entry.context += string[1:-1]
            continue
        if keyword in ("msgctxt", "msgid") and (
            entry.msgid is not None or (keyword == "msgctxt" and entry.context is not None)
        ):
            finish(entry)
            entry = _Entry()
        if keyword == "msgctxt":
            entry.context, entry.context_line = string[1:-1], number
        elif keyword == "msgid":
            entry.msgid, entry.msgid_line = string[1:-1], number
        elif entry.msgid is None:
            raise InputError(f"{keyword} without msgid", path=path, line=number)
        elif keyword == "msgid_plural":
            if entry.msgstr:
                raise InputError("msgid_plural after msgstr", path=path, line=number)
            entry.plural = True
        elif keyword == "msgstr":
            if entry.msgstr:
                raise InputError("a second msgstr for one msgid", path=path, line=number)
            if entry.plural:
                raise InputError(
                    "msgid_plural needs msgstr[0], msgstr[1], ..., not msgstr",
                    path=path,
                    line=number,
                )
            entry.msgstr = True
        elif not entry.plural:
            raise InputError("missing 'msgid_plural' section", path=path, line=entry.msgid_line)
        else:
            entry.msgstr = True
        field = {"msgid_plural": "plural"}.get(keyword, keyword.split("[")[0])
    finish(entry)


def _check_escapes(text: str, path: Path, line: int) -> None:
    for escape in _ESCAPE.finditer(text):
        char = escape.group(1)
        if char in _KEPT_ESCAPES:
            continue
        if char in _OTHER_ESCAPES:
            raise InputError(
                f"escape sequence \\{char} is not supported; write the character itself",
                path=path,
                line=line,
            )
        raise InputError(f"invalid escape sequence \\{char}", path=path, line=line)


def _polib_message(error: Exception) -> str:
    return str(error).split(" (line")[0].strip() or "not a valid PO file"


def _quote(text: str) -> str:
    return '"' + polib.escape(text) + '"'


def _nth_line(text: str, start: str, n: int) -> int | None:
    """The number of the `n`-th line of `text` that starts with `start`."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start)]
    return found[n - 1] if len(found) >= n else None


def _polib_line(error: Exception) -> int | None:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _header_line(text: str, field: str) -> int | None:
    return _nth_line(text, f'"{field}:', 1)


def write_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Render `catalog` and replace `path` with it in one step; False if nothing changed.

    The text is checked as it is read back (duplicate entries, syntax)
    before the file is replaced: a file the next run would refuse is never
    written, whatever went wrong before. A file that differs from the new
    text only in its dates is left as it is, byte for byte: a run that
    changes nothing must not touch the header lines editors change too (a
    scheduled run and a Weblate commit would conflict in git).
    """
    text = str(catalog)
    try:
        old = path.read_bytes()
    except OSError:
        old = None
    if old is not None and _DATE_LINE.sub("", old.decode("utf-8", "replace")) == _DATE_LINE.sub(
        "", text
    ):
        return False
    try:
        check_structure(text, path)
    except InputError as error:
        raise WorkflowError(
            f"not written: line {error.line} of the new version would be refused: {error.message}",
            path=path,
        ) from None
    write_atomic(path, text)
    return True


# The header lines a run sets to its own time.
_DATE_LINE = re.compile(r'^"(?:POT-Creation-Date|PO-Revision-Date): [^"\n]*\\n"\n', re.MULTILINE)


def _entry(
    reference: str, segment: Segment, context: str | None, notes: list[str], *, msgstr: str
) -> polib.POEntry:
    return polib.POEntry(
        msgid=segment.text,
        msgstr=msgstr,
        msgctxt=context,
        occurrences=[(reference, str(segment.line))],
        comment="\n".join(dict.fromkeys(notes)),  # a term used twice is named once
    )


def _segment_notes(segment: Segment) -> list[str]:
    notes = []
    if segment.kind != "body":
        notes.append(f"kind: {segment.kind}")
    if segment.possible_boilerplate:
        notes.append(_BOILERPLATE_NOTE)
    return notes


def _describe_slot(slot: Slot) -> str:
    return f"{slot.match.term.en} → {slot.target} ({slot.match.term.type})"


def message_contexts(segments: Sequence[Segment]) -> list[str | None]:
    """A msgctxt for each repeat of an English sentence; None where the text is unique.

    The first occurrence keeps no context, so a sentence that becomes unique
    again needs no change.
    """
    return merge_contexts(segments)


def _reference_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = path
    posix = Path(relative).as_posix()
    # GNU gettext isolates a file name holding spaces this way, so that tools
    # splitting "#:" lines at spaces still read it as one name.
    return f"\u2068{posix}\u2069" if " " in posix else posix


def _header(
    article: Article, *, language: str | None, created: datetime, engine_label: str | None
) -> dict[str, str]:
    stamp = created.strftime("%Y-%m-%d %H:%M%z")
    if language is None:
        # A template keeps gettext's placeholders, which msginit and editors
        # fill in when a translation is started from it.
        translation = dict(_PLACEHOLDERS)
    else:
        target = get_language(language)
        translation = {
            "PO-Revision-Date": stamp,
            "Last-Translator": "l10n-workflow (machine translation)",
            "Language-Team": target.name,
            "Language": target.code,
        }
    header = {
        "Project-Id-Version": article.id,
        "POT-Creation-Date": stamp,
        **translation,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language is not None:
        header["Plural-Forms"] = get_language(language).plural_forms
    header["X-Generator"] = f"l10n-workflow {__version__}"
    if engine_label:
        # X-Generator is rewritten by editors such as Poedit on save; this one survives.
        header["X-Machine-Translation"] = engine_label
    return header
