"""Pseudo-translation: a dry run of the whole pipeline without any model.

Like Okapi's pseudo-translation step, it keeps the text readable but makes
every translated segment visibly different: the segment is opened with a
language mark and every ASCII letter is swapped for an accented look-alike.
Placeholders, format codes (``%s``, ``{0}``) and digits pass through
untouched, so glossary targets are inserted as they would be with a real
engine and any string that escaped translation stands out.

>>> PseudoEngine().translate(["Kang met ZXQ1 in Seoul."], "ko")
[['⟦ko⟧ Ķåñĝ ɱéţ ZXQ1 îñ Šéöûļ.']]
"""

from __future__ import annotations

from collections.abc import Sequence

from workflow.engines.spec import EngineSpec
from workflow.pseudo_alphabet import accent


def open_engine(spec: EngineSpec) -> PseudoEngine:
    """The pseudo engine; it has no models and no settings."""
    return PseudoEngine()


def label(spec: EngineSpec, lang: str) -> str:
    """The engine label for the PO header."""
    return f"pseudo-translation into {lang}"


def fingerprint(spec: EngineSpec, lang: str) -> str:
    """The pseudo-translation's version: it changes only when `accent` changes."""
    return f"pseudo 1 {lang}"


def describe(spec: EngineSpec) -> str:
    """What the engine is, for the line a run starts with."""
    return "the pseudo engine (marks the text, translates nothing)"


def mark(lang: str) -> str:
    """The mark that opens every pseudo-translated segment."""
    return f"⟦{lang}⟧"


class PseudoEngine:
    """The ``pseudo`` engine: deterministic, instant, and obviously not a translation."""

    name = "pseudo"

    def describe(self, lang: str) -> str:
        """The engine label for the PO header."""
        return label(EngineSpec(self.name, (lang,)), lang)

    def fingerprint(self, lang: str) -> str:
        """The pseudo-translation's version; see `fingerprint`."""
        return fingerprint(EngineSpec(self.name, (lang,)), lang)

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        """One pseudo-translation per text; there is never a second-best."""
        return [[f"{mark(lang)} {accent(text)}"] for text in texts]
