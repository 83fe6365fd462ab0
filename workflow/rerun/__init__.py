"""Re-run semantics: what each PO file of an article becomes on this run.

The semantics are those of ``msgmerge --previous``, with guarantees msgmerge
does not give. Each segment of the new article is matched to the old entries,
first exactly (on `workflow.text.source_key`, so re-wrapping, CRLF and quote
styles do not count; the occurrences of a repeated sentence each to their own
entry, by paragraph and neighbours), then by similarity, and gets one
`Decision`:

====================  ====================================================
``new``               no old entry: translate
``unchanged``         same English, an unreviewed machine translation that
                      is current: keep, do not re-send
``retranslated``      same English, an unreviewed machine translation made
                      by another engine (model, settings) or from another
                      masked source (glossary changed): translate again
``reviewed``          same English, a reviewer's translation: keep as it is
``changed``           English edited, old entry unreviewed: translate again
``changed-reviewed``  English edited, old entry reviewed: keep the reviewer's
                      text, mark it fuzzy with the English the reviewer
                      translated as ``#|``, and offer the new machine
                      translation in a comment
====================  ====================================================

The three steps, one module each: `workflow.rerun.matching` finds the old
entry each segment continues, `workflow.rerun.decisions` gives each segment
its `Decision` (a `CatalogPlan` per file), and `workflow.rerun.catalogs`
applies them, making the template and the PO files (`build_template`,
`build_catalog`) that `workflow.pofile.write_catalog` writes.
"""

from workflow.rerun.catalogs import BuiltCatalog, build_catalog, build_template, machine_notes
from workflow.rerun.decisions import CatalogPlan, Decision, EntryPlan, is_reviewed, plan_catalog
from workflow.rerun.matching import SIMILARITY, message_contexts

__all__ = [
    "SIMILARITY",
    "BuiltCatalog",
    "CatalogPlan",
    "Decision",
    "EntryPlan",
    "build_catalog",
    "build_template",
    "is_reviewed",
    "machine_notes",
    "message_contexts",
    "plan_catalog",
]
