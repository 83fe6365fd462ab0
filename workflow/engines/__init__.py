"""The engine interface: a batch of masked source segments in, hypotheses out.

Every engine sees text whose glossary terms are already placeholders (see
`workflow.masking`) and must hand the placeholders back; the runner checks
and restores them, so masking works the same for every engine.

An engine is built from an `EngineSpec` (``workflow.engines.spec``): its
name, each language's model files, the decoding settings. `ENGINES` has one
row per engine, naming the module that opens it, labels it and fingerprints
it; adding an engine is adding that module and its row. Nothing is imported
until an engine is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from workflow.errors import UsageError

if TYPE_CHECKING:
    from workflow.engines.spec import EngineSpec


@dataclass(frozen=True)
class EngineKind:
    """One row of `ENGINES`."""

    #: The module that implements the engine, as an `EngineModule`.
    module: str
    #: Whether it decodes with an installed en→LANG model package per language.
    uses_models: bool


#: Every engine, by the name given to ``--engine``.
ENGINES: Mapping[str, EngineKind] = {
    "argos": EngineKind("workflow.engines.argos", uses_models=True),
    "pseudo": EngineKind("workflow.engines.pseudo", uses_models=False),
}


class Engine(Protocol):
    """A machine translation engine from English into one language per call.

    Its label and fingerprint come from its `EngineSpec` (`engine_label`,
    `engine_fingerprint`), so that the driver of a run never needs the engine
    itself, which may live in another process.
    """

    @property
    def name(self) -> str:
        """Short name, as given to ``--engine``."""
        ...

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        """Up to `n_best` hypotheses, best first, for each text, in the order given.

        An engine returns no more hypotheses than its search holds: greedy
        decoding gives one. `min_beam` asks for a search at least that wide,
        which the decode policy asks only for the few segments whose placeholders
        the configured search lost.
        """
        ...


class EngineModule(Protocol):
    """What the module of a row of `ENGINES` provides, each from the spec alone."""

    def open_engine(self, spec: EngineSpec) -> Engine:
        """The engine, ready to translate (models may load on first use)."""
        ...

    def label(self, spec: EngineSpec, lang: str) -> str:
        """The engine and model that translate into `lang`, for the PO header."""
        ...

    def fingerprint(self, spec: EngineSpec, lang: str) -> str:
        """Everything its output into `lang` depends on: model package, version, checksum,
        settings.

        Two runs with the same fingerprint translate a text the same way, so
        the translation memory may answer for the engine.
        """
        ...

    def describe(self, spec: EngineSpec) -> str:
        """The engine and its models, for the line a run starts with."""
        ...


def engine_module(name: str) -> EngineModule:
    """The module of engine `name`, imported now."""
    try:
        kind = ENGINES[name]
    except KeyError:
        raise UsageError(f"unknown engine {name!r} (choose from: {', '.join(ENGINES)})") from None
    return cast("EngineModule", importlib.import_module(kind.module))


def open_engine(spec: EngineSpec) -> Engine:
    """The engine `spec` describes, in this process.

    >>> from workflow.engines.spec import EngineSpec
    >>> open_engine(EngineSpec("pseudo", ("ko",))).translate(["Hi."], "ko")
    [['⟦ko⟧ Ĥî.']]
    """
    return engine_module(spec.engine).open_engine(spec)


def engine_label(spec: EngineSpec, lang: str) -> str:
    """The engine and model `spec` translates into `lang` with, for the PO header.

    >>> from workflow.engines.spec import EngineSpec
    >>> engine_label(EngineSpec("pseudo", ("ko",)), "ko")
    'pseudo-translation into ko'
    """
    return engine_module(spec.engine).label(spec, lang)


def engine_fingerprint(spec: EngineSpec, lang: str) -> str:
    """What the output of the engine `spec` describes into `lang` depends on.

    >>> from workflow.engines.spec import EngineSpec
    >>> engine_fingerprint(EngineSpec("pseudo", ("ko",)), "ko")
    'pseudo 1 ko'
    """
    return engine_module(spec.engine).fingerprint(spec, lang)
