"""A translation memory in front of any engine.

`RememberingEngine` answers from the run's `Store` what an engine with the
same fingerprint (engine, model package and version, decoding settings) has
already translated, and sends only the rest to the engine, in one batch. A
sentence repeated across articles, or across runs, is decoded once.

>>> from workflow.engines.pseudo import PseudoEngine
>>> from workflow.store import Store
>>> engine = RememberingEngine(PseudoEngine(), Store.open_memory())
>>> _ = engine.translate(["Talks resumed.", "They met."], "ko")
>>> _ = engine.translate(["They met.", "Both left."], "ko")
>>> engine.recalled, engine.decoded
(1, 3)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from workflow.engines import Engine
from workflow.store import Store


class RememberingEngine:
    """An engine wrapper that translates each (source, settings) pair only once."""

    def __init__(self, engine: Engine, store: Store) -> None:
        self.engine = engine
        self.store = store
        #: Texts answered from memory, and texts the engine decoded, so far.
        self.recalled = 0
        self.decoded = 0
        self._counting = threading.Lock()

    @property
    def name(self) -> str:
        """The wrapped engine's name."""
        return self.engine.name

    def describe(self, lang: str) -> str:
        """The wrapped engine's label."""
        return self.engine.describe(lang)

    def fingerprint(self, lang: str) -> str:
        """The wrapped engine's fingerprint."""
        return self.engine.fingerprint(lang)

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        """Hypotheses for `texts`, from memory where possible."""
        key = f"{self.engine.fingerprint(lang)} n_best={n_best}"
        if min_beam > 1:
            # Only the rare wider retries get a key of their own, so memories
            # written before retries existed still answer the main pass.
            key += f" min_beam={min_beam}"
        known = self.store.recall(key, lang, list(dict.fromkeys(texts)))
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            fresh = dict(
                zip(
                    missing,
                    self.engine.translate(missing, lang, n_best=n_best, min_beam=min_beam),
                    strict=True,
                )
            )
            self.store.remember(key, lang, fresh)
            known.update(fresh)
        with self._counting:
            self.recalled += len(texts) - len(missing)
            self.decoded += len(missing)
        return [known[text] for text in texts]
