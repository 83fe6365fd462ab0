"""l10n-workflow: English news articles to Korean and Japanese PO files for review.

The package is a chain of small stages, each a module with plain dataclasses
in and out:

    article -> segment -> glossary/matcher -> masking -> decoder (engines)
            -> runner (rerun) -> output folder (pofile)

`workflow.pofile` is the PO codec below them all; `workflow.batch` runs the
chain for a batch: read articles, open the output folder, plan, decode, write.

Importing it does nothing but define names; heavy dependencies (CTranslate2,
SentencePiece) are imported by the engine that needs them, when it is used.
"""

__version__ = "0.1.0"
