"""Engines the Ray tests open in Ray's worker processes, which import this module by name.

A test module cannot be imported there, so whatever a worker must run lives
here, on the workers' search path (see the cluster fixture in test_ray.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workflow.engines.pseudo import PseudoEngine
from workflow.engines.spec import EngineSpec

#: A word of one test article only: the engine below fails on every segment holding it.
FAILING_WORD = "fluorinated"


class FailsOnWord(PseudoEngine):
    """The pseudo engine, raising for any call holding `FAILING_WORD`."""

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        if any(FAILING_WORD in text for text in texts):
            raise RuntimeError(f"cannot translate {FAILING_WORD!r}")
        return super().translate(texts, lang, n_best=n_best, min_beam=min_beam)


def open_failing(spec: EngineSpec) -> FailsOnWord:
    """The engine that fails on one word."""
    return FailsOnWord()


class CrashesOnWord(PseudoEngine):
    """The pseudo engine, whose process exits at any call holding `FAILING_WORD`."""

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        if any(FAILING_WORD in text for text in texts):
            os._exit(1)  # as a crash in native code would
        return super().translate(texts, lang, n_best=n_best, min_beam=min_beam)


def open_crashing(spec: EngineSpec) -> CrashesOnWord:
    """The engine whose process dies on one word."""
    return CrashesOnWord()


@dataclass(frozen=True)
class DiesOnce:
    """Opens a pseudo engine whose process dies at its first call, once across restarts.

    `marker` is created right before the process exits, so the worker Ray
    starts again decodes normally.
    """

    marker: Path

    def __call__(self, spec: EngineSpec) -> PseudoEngine:
        return _Dying(self.marker)


class _Dying(PseudoEngine):
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        if not self.marker.exists():
            self.marker.write_text(str(os.getpid()), "utf-8")
            os._exit(1)  # as a killed worker: no clean-up, no exception
        return super().translate(texts, lang, n_best=n_best, min_beam=min_beam)


def open_broken(spec: EngineSpec) -> PseudoEngine:
    """No engine: opening it fails, as workers running other code than the driver might."""
    raise RuntimeError("cannot open this engine")
