"""Quality checks for PO files, reviewed or not: one small function per check.

`CHECKS` is the whole table (`workflow.checks.table`). Each `EntryCheck` has
an id (to switch it off), a severity, and a title (the first line of its
function's docstring); its function takes one entry and the `CheckContext`
of its file and yields one short sentence per problem. `check_catalog` runs
the table over a catalog and turns the sentences into `Finding` values
(`workflow.findings`, shared with glossary lint); `check_file` reads a PO
file first, as strictly as ``l10n run`` does (`read_po_file`).
The header entry and obsolete (``#~``) entries are never checked, and checks
that read the translation skip untranslated entries.

The checks live in one module per concern: `review_state` (untranslated,
fuzzy, machine output accepted unchanged), `terms` (the glossary),
`numbers`, `leftovers` (placeholders, pseudo-translation, English) and
`punctuation`; `context` holds what they share.

Severities: ``error`` must be fixed before the translation is published,
``warning`` needs a reviewer's look, ``info`` is for the record. A glossary
error in an entry still marked fuzzy is reported as a warning: nobody has
reviewed that machine translation yet.

>>> import polib
>>> from workflow.glossary import Glossary
>>> catalog = polib.POFile()
>>> catalog.append(polib.POEntry(msgid="Talks resumed Jan. 14.", msgstr="協議は14日に再開した."))
>>> context = CheckContext("ja", Glossary(()), "ja/talks.po")
>>> for finding in check_catalog(catalog, context):
...     print(f"{finding.check} ({finding.severity}): {finding.message}")
numbers (warning): number missing in the translation: 1 (Jan.)
punctuation-final (warning): ends with '.'; Japanese ends a sentence with '。'
"""

from __future__ import annotations

from workflow.checks.context import CheckContext, CheckFunction, EntryCheck
from workflow.checks.leftovers import looks_pseudo
from workflow.checks.reading import read_po_file
from workflow.checks.table import CHECKS, check_catalog, check_file
from workflow.findings import Check, Finding, Severity

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "CheckFunction",
    "EntryCheck",
    "Finding",
    "Severity",
    "check_catalog",
    "check_file",
    "looks_pseudo",
    "read_po_file",
]
