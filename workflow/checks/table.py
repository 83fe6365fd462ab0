"""The PO check table, and running it over a catalog or a file.

`CHECKS` is the whole table: each `EntryCheck` row has an id (to switch
it off), a severity, and a function from one of the modules by concern
(`review_state`, `terms`, `numbers`, `leftovers`, `punctuation`) that
yields one short sentence per problem; `check_catalog` turns them into
`Finding` values.

>>> [check.id for check in CHECKS if check.fuzzy_severity]
['glossary-missing', 'glossary-forbidden', 'glossary-variant']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import polib

from workflow.checks import leftovers, numbers, punctuation, review_state, terms
from workflow.checks.context import CheckContext, EntryCheck, translation_of
from workflow.checks.reading import read_po_file
from workflow.errors import UsageError
from workflow.findings import Finding, unknown_ids
from workflow.glossary import Glossary

#: Every check, in the order findings about one entry are reported.
CHECKS: tuple[EntryCheck, ...] = (
    EntryCheck("untranslated", "warning", review_state.untranslated, needs_translation=False),
    EntryCheck("fuzzy", "info", review_state.fuzzy),
    EntryCheck("machine-accepted", "warning", review_state.machine_accepted),
    EntryCheck("glossary-missing", "error", terms.glossary_missing, fuzzy_severity="warning"),
    EntryCheck("glossary-forbidden", "error", terms.glossary_forbidden, fuzzy_severity="warning"),
    EntryCheck("glossary-variant", "error", terms.glossary_variant, fuzzy_severity="warning"),
    EntryCheck("numbers", "warning", numbers.numbers),
    EntryCheck("leftover-placeholder", "error", leftovers.leftover_placeholder),
    EntryCheck("leftover-pseudo", "error", leftovers.leftover_pseudo),
    EntryCheck("leftover-english", "warning", leftovers.leftover_english),
    EntryCheck("punctuation-final", "warning", punctuation.punctuation_final),
    EntryCheck("punctuation-added", "info", punctuation.punctuation_added),
)


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
        translated = bool(translation_of(entry))
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
                    message,
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
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
    from workflow.output import output_folder_of
    from workflow.store import Store

    _active_checks(disabled)
    catalog, language = read_po_file(path)
    store = Store.at(output_folder_of(path))
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


def _active_checks(disabled: Collection[str]) -> tuple[EntryCheck, ...]:
    unknown = unknown_ids(CHECKS, disabled)
    if unknown:
        raise UsageError(
            f"unknown check {unknown[0]!r} (choose from: {', '.join(c.id for c in CHECKS)})"
        )
    return tuple(check for check in CHECKS if check.id not in disabled)
