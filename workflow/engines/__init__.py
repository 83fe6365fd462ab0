"""The engine interface: a batch of masked source segments in, hypotheses out.

Every engine sees text whose glossary terms are already placeholders (see
`workflow.masking`) and must hand the placeholders back; the runner checks
and restores them, so masking works the same for every engine.

Engines are chosen by name; `ENGINES` lists them and nothing is imported
until one is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

ENGINES = ("argos", "pseudo")


class Engine(Protocol):
    """A machine translation engine from English into one language per call."""

    @property
    def name(self) -> str:
        """Short name, as given to ``--engine``."""
        ...

    def describe(self, lang: str) -> str:
        """The engine and model that translate into `lang`, for the PO header."""
        ...

    def fingerprint(self, lang: str) -> str:
        """Everything its output into `lang` depends on: model, version, settings.

        Two runs with the same fingerprint translate a text the same way, so
        the translation memory may answer for the engine.
        """
        ...

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        """Up to `n_best` hypotheses, best first, for each text, in the order given.

        An engine returns no more hypotheses than its search holds: greedy
        decoding gives one. `min_beam` asks for a search at least that wide,
        which the runner does only for the few segments whose placeholders
        the configured search lost.
        """
        ...
