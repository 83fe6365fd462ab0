"""The PO codec: the one place PO and POT files are read, checked and written.

`read_catalog` and `parse_catalog` read a file as GNU gettext reads it and
refuse, with file and line, anything that could not be rewritten safely;
`write_catalog` renders a `polib.POFile` and replaces the file atomically.
It knows nothing of articles or runs: `workflow.rerun` makes the catalogs.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from workflow.errors import InputError, WorkflowError
from workflow.files import decode_text, write_atomic
from workflow.languages import primary_subtag

# Long lines are not wrapped (like `msgcat --no-wrap`): a comment naming a
# glossary term stays on one line, and diffs show one line per field.
_WRAP_WIDTH = 0


def empty_catalog() -> polib.POFile:
    """A new catalog, rendered as this codec writes every file (lines not wrapped)."""
    return polib.POFile(wrapwidth=_WRAP_WIDTH)


def read_catalog(path: Path, *, language: str | None) -> polib.POFile:
    """An existing PO file, refused with file and line if it cannot be merged safely.

    With `language`, a ``Language`` header naming another language is refused
    too; with None, the file may be in whatever language it names.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    return parse_catalog(data, path=path, language=language)


def parse_catalog(data: bytes, *, path: Path, language: str | None) -> polib.POFile:
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
    if found and language is not None and primary_subtag(found) != language:
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
# Unrolled ("normal* (special normal*)*"): the same strings as (?:[^"\\]|\\.)*,
# three times faster, as every line of a file is matched against it.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
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
    check = _StructureCheck(path)
    for number, line in enumerate(text.split("\n"), start=1):
        check.line(number, line)
    check.finish_entry()


class _StructureCheck:
    """`check_structure`'s pass: the entry being read and the keys of those read before."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.first: dict[tuple[str | None, str], int] = {}
        self.entry = _Entry()
        # The field a continuation string belongs to; None where none may
        # follow (after a comment or a blank line).
        self.field: str | None = None

    def line(self, number: int, line: str) -> None:
        found = _PO_LINE.match(line)
        if not found:
            raise InputError(f"PO syntax error: {line.strip()[:60]}", path=self.path, line=number)
        if found["blank"] is not None or found["comment"] is not None:
            self.field = None
            return
        if found["previous"] is not None:
            # "#| msgid ..." is the English a fuzzy entry was translated from;
            # polib rewrites its strings too.
            _check_escapes(found["previous"], self.path, number)
            self.field = "previous"
            return
        string = found["string"]
        _check_escapes(string, self.path, number)
        keyword = found["keyword"]
        if keyword is None:
            self.continuation(string, line, number)
        else:
            self.keyword(keyword, string, number)

    def continuation(self, string: str, line: str, number: int) -> None:
        """A string on a line of its own, continuing the field above."""
        if self.field is None:
            raise InputError(
                f"PO syntax error: a string without msgid or msgstr: {line.strip()[:40]}",
                path=self.path,
                line=number,
            )
        entry = self.entry
        if self.field == "msgid" and entry.msgid is not None:
            entry.msgid += string[1:-1]
        elif self.field == "msgctxt" and entry.context is not None:
            entry.context += string[1:-1]

    def keyword(self, keyword: str, string: str, number: int) -> None:
        """A line starting with `keyword`, which may start a new entry."""
        if keyword in ("msgctxt", "msgid") and (
            self.entry.msgid is not None
            or (keyword == "msgctxt" and self.entry.context is not None)
        ):
            self.finish_entry()
            self.entry = _Entry()
        entry = self.entry
        if keyword == "msgctxt":
            entry.context, entry.context_line = string[1:-1], number
        elif keyword == "msgid":
            entry.msgid, entry.msgid_line = string[1:-1], number
        elif entry.msgid is None:
            raise InputError(f"{keyword} without msgid", path=self.path, line=number)
        elif keyword == "msgid_plural":
            if entry.msgstr:
                raise InputError("msgid_plural after msgstr", path=self.path, line=number)
            entry.plural = True
        elif keyword == "msgstr":
            self.msgstr(number)
        elif not entry.plural:
            raise InputError(
                "missing 'msgid_plural' section", path=self.path, line=entry.msgid_line
            )
        else:
            entry.msgstr = True
        self.field = {"msgid_plural": "plural"}.get(keyword, keyword.split("[")[0])

    def msgstr(self, number: int) -> None:
        if self.entry.msgstr:
            raise InputError("a second msgstr for one msgid", path=self.path, line=number)
        if self.entry.plural:
            raise InputError(
                "msgid_plural needs msgstr[0], msgstr[1], ..., not msgstr",
                path=self.path,
                line=number,
            )
        self.entry.msgstr = True

    def finish_entry(self) -> None:
        """Check the entry read last: its msgstr, and that its key is its own."""
        entry, path = self.entry, self.path
        if entry.msgid is None:
            if entry.context is not None:
                raise InputError("msgctxt without msgid", path=path, line=entry.context_line)
            return
        if not entry.msgstr:
            raise InputError("missing 'msgstr' section", path=path, line=entry.msgid_line)
        key = (entry.context, polib.unescape(entry.msgid))
        if key in self.first:
            context = "" if entry.context is None else f"msgctxt {_quote(key[0] or '')} "
            raise InputError(
                f"duplicate entry: {context}msgid {_quote(key[1])} "
                f"(first at line {self.first[key]})",
                path=path,
                line=entry.msgid_line,
            )
        self.first[key] = entry.msgid_line


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


def nth_line(text: str, start: str, n: int = 1) -> int | None:
    """The number of the `n`-th line of `text` that starts with `start`.

    >>> nth_line('msgid ""\\nmsgstr ""\\n"Language: ko\\\\n"\\n', '"Language:')
    3
    """
    found = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start)]
    return found[n - 1] if len(found) >= n else None


def _polib_line(error: Exception) -> int | None:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _header_line(text: str, field: str) -> int | None:
    return nth_line(text, f'"{field}:', 1)


def write_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Render `catalog` and replace `path` with it in one step; False if nothing changed.

    The text is checked as it is read back (duplicate entries, syntax)
    before the file is replaced: a file the next run would refuse is never
    written, whatever went wrong before. A file that differs from the new
    text only in its dates is left as it is, byte for byte: a run that
    changes nothing must not touch the header lines editors change too (a
    scheduled run and a Weblate commit would conflict in git).
    """
    text = render_catalog(catalog)
    try:
        old = path.read_bytes()
    except OSError:
        old = None
    if old is not None and _DATE_LINE.sub("", old.decode("utf-8", "replace")) == _DATE_LINE.sub(
        "", text
    ):
        return False
    try:
        if not _surely_valid(catalog, text):
            check_structure(text, path)
    except InputError as error:
        raise WorkflowError(
            f"not written: line {error.line} of the new version would be refused: {error.message}",
            path=path,
        ) from None
    write_atomic(path, text)
    return True


def render_catalog(catalog: polib.POFile) -> str:
    """``str(catalog)``, the same text, made in less than half of polib's time.

    polib works out how to wrap every field even when it is told not to
    wrap (``wrapwidth=0``, as this codec writes), and escapes each string
    twice; this renders each entry as polib does without wrapping, which
    is all this codec writes. Anything else (a wrap width, an entry of
    another class) is left to polib.

    >>> catalog = empty_catalog()
    >>> catalog.metadata = {"Language": "ko"}
    >>> catalog.append(polib.POEntry(msgid='Say "yes"\\nnow', msgstr="", flags=["fuzzy"]))
    >>> render_catalog(catalog) == str(catalog)
    True
    """
    if catalog.wrapwidth > 0:
        return str(catalog)
    header = "".join(
        "#\n" if not line else f"#{line}\n" if line[:1] in (",", ":") else f"# {line}\n"
        for line in catalog.header.split("\n")
    )
    entries = [catalog.metadata_as_entry(), *(e for e in catalog if not e.obsolete)]
    entries += [e for e in catalog if e.obsolete]
    return header + "\n".join(map(_render_entry, entries))


def _render_entry(entry: polib.POEntry) -> str:
    """``entry.__unicode__(0)``: polib's text of one entry, not wrapped."""
    if type(entry) is not polib.POEntry:
        return entry.__unicode__(0)
    lines: list[str] = []
    for name, prefix in _OBSOLETE_COMMENTS if entry.obsolete else _COMMENTS:
        value = getattr(entry, name)
        if value:
            lines += [prefix + comment for comment in value.split("\n")]
    if not entry.obsolete and entry.occurrences:
        files = [f"{path}:{line}" if line else path for path, line in entry.occurrences]
        lines.append("#: " + " ".join(files))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~| " if entry.obsolete else "#| "
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, "previous_" + name)
        if value is not None:
            _render_field(lines, prefix, name, value)
    flag = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        _render_field(lines, flag, "msgctxt", entry.msgctxt)
    _render_field(lines, flag, "msgid", entry.msgid)
    if entry.msgid_plural:
        _render_field(lines, flag, "msgid_plural", entry.msgid_plural)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            _render_field(lines, flag, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        _render_field(lines, flag, "msgstr", entry.msgstr)
    lines.append("")
    return "\n".join(lines)


# The comments polib writes, with their marks: an obsolete entry loses its "#." ones.
_COMMENTS = (("tcomment", "# "), ("comment", "#. "))
_OBSOLETE_COMMENTS = _COMMENTS[:1]


def _render_field(lines: list[str], flag: str, name: str, value: str) -> None:
    """polib's lines of one field, not wrapped: split after each line break."""
    parts = value.splitlines(True)
    if len(parts) > 1:
        lines.append(f'{flag}{name} ""')
        lines += [f'{flag}"{polib.escape(part)}"' for part in parts]
    else:
        lines.append(f'{flag}{name} "{polib.escape(value)}"')


# Any backslash but the escapes polib writes (a superset of what `_check_escapes` refuses).
_ODD_ESCAPE = re.compile(r'\\[^\\ntrvbf"]')


def _surely_valid(catalog: polib.POFile, text: str) -> bool:
    """Whether `check_structure` would surely accept `text`, polib's rendering of `catalog`.

    The writer's side of the check, from the catalog instead of a second
    reading of the text (which took longer than rendering it): no two
    entries, obsolete ones and the header included, share ``msgctxt`` and
    ``msgid``; every line is a PO line; no string holds an escape polib does
    not write. polib writes each entry's fields in order (``msgctxt``,
    ``msgid``, ``msgstr``), escaping what would break a line, so the text
    then has the structure `check_structure` wants. False when in doubt (a
    plural entry, a duplicate, an odd line or backslash): `write_catalog`
    then runs `check_structure` itself, which says which line is wrong.
    """
    keys: set[tuple[str | None, str]] = {(None, "")}  # the header's
    for entry in catalog:
        if entry.msgid_plural:
            return False
        keys.add((entry.msgctxt, entry.msgid))
    if len(keys) != len(catalog) + 1:
        return False
    return _ODD_ESCAPE.search(text) is None and all(map(_PO_LINE.match, text.split("\n")))


# The header lines a run sets to its own time.
_DATE_LINE = re.compile(r'^"(?:POT-Creation-Date|PO-Revision-Date): [^"\n]*\\n"\n', re.MULTILINE)
