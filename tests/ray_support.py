"""How the Ray tests start Ray, and the engines they open in Ray's worker processes.

The workers import this module by name. A test module cannot be imported
there, so whatever a worker must run lives here, on the workers' search
path (see the cluster fixture in test_ray.py). Ray itself is imported only
inside `loopback_ray`: it reads its environment (`RAY_ENV`) when first
imported.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.engines.pseudo import PseudoEngine
from workflow.engines.spec import EngineSpec

#: What keeps a Ray instance on the loopback address, quiet and offline.
RAY_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # read at import: node address 127.0.0.1
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_AUTH_MODE": "disabled",  # no token written to ~/.ray; reachable from loopback only
}


def ray_temp_dir() -> str:
    """A short folder: Ray's socket paths must stay under the 107 characters Unix allows."""
    return tempfile.mkdtemp(prefix="ray-", dir="/tmp")


@contextmanager
def loopback_ray(code_search: Path | None = None, **options: Any) -> Iterator[Any]:
    """The `ray` module, connected to an instance of its own on 127.0.0.1 only.

    Its workers import modules from `code_search` too; `options` go to
    `ray.init` (CPUs, GPUs declared). The instance is quiet (no dashboard,
    no logs forwarded) and is stopped, and its folder removed, when the
    block ends; the environment is as before.
    """
    import pytest

    temp = ray_temp_dir()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in RAY_ENV.items():
            patch.setenv(name, value)
        import ray
        from ray.job_config import JobConfig

        if code_search is not None:
            options["job_config"] = JobConfig(code_search_path=[str(code_search)])
        ray.init(
            include_dashboard=False,
            _node_ip_address="127.0.0.1",
            _temp_dir=temp,
            logging_level=logging.ERROR,
            log_to_driver=False,
            **options,
        )
        try:
            yield ray
        finally:
            ray.shutdown()
            shutil.rmtree(temp, ignore_errors=True)


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
