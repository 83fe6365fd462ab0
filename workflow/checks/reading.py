"""Reading a PO file to check: as strictly as ``l10n run`` reads one, and in the language it names.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder, "a.po")
...     _ = path.write_text('msgid ""\\nmsgstr "Language: ja_JP\\\\n"\\n', encoding="utf-8")
...     catalog, language = read_po_file(path)
>>> language
'ja'
"""

from __future__ import annotations

from pathlib import Path

import polib

from workflow.errors import InputError
from workflow.files import decode_text
from workflow.languages import LANGUAGES, primary_subtag
from workflow.pofile import nth_line, read_catalog


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
    catalog = read_catalog(path, language=None)
    found_language = catalog.metadata.get("Language", "").strip()
    code = primary_subtag(found_language)
    if not found_language:
        raise InputError(
            'no Language header, so the target language is unknown (add "Language: ko\\n")',
            path=path,
            line=_header_line(path, 'msgid ""') or 1,
        )
    if code not in LANGUAGES:
        raise InputError(
            f"unknown language {found_language!r} in the Language header "
            f"(known: {', '.join(sorted(LANGUAGES))})",
            path=path,
            line=_header_line(path, '"Language:'),
        )
    return catalog, code


def _header_line(path: Path, start: str) -> int | None:
    # Only for an error message: the file was read and decoded once already.
    return nth_line(decode_text(path.read_bytes(), path=path), start)
