"""The runner's decode step: how it picks hypotheses that keep the glossary terms.

The engine here is scripted, so each test says exactly which hypotheses a
search of a given width finds; the real decoder is exercised in
test_engine_argos.py and test_run_argos.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from workflow.glossary import Term
from workflow.masking import MaskedText, mask
from workflow.matcher import TermMatcher
from workflow.runner import RETRY_BEAM, decode

KANG = Term("Kang Kyung-wha", {"ko": "강경화"}, "person")


class ScriptedEngine:
    """A greedy engine that drops placeholders unless its search is widened."""

    name = "scripted"

    def __init__(self, *, wide_keeps: bool) -> None:
        self.wide_keeps = wide_keeps
        self.calls: list[tuple[list[str], int, int]] = []

    def describe(self, lang: str) -> str:
        return "scripted"

    def fingerprint(self, lang: str) -> str:
        return "scripted"

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        self.calls.append((list(texts), n_best, min_beam))
        lost = [text.replace("ZXQ1", "someone") for text in texts]
        if min_beam > 1 and self.wide_keeps:
            return [[drop, text] for drop, text in zip(lost, texts, strict=True)]
        return [[drop] for drop in lost]


def masked(text: str) -> MaskedText:
    return mask(text, TermMatcher([KANG]).find(text), "ko")


def test_a_wider_search_rescues_a_lost_placeholder() -> None:
    engine = ScriptedEngine(wide_keeps=True)
    requests = [masked("Kang Kyung-wha met reporters."), masked("Talks resumed.")]
    [kept, plain] = decode(engine, requests, "ko")
    assert kept.text == "강경화 met reporters."
    assert not kept.unenforced
    assert plain.text == "Talks resumed."
    # Only the failed segment is decoded again, and only once more.
    assert engine.calls[1:] == [(["ZXQ1 met reporters."], RETRY_BEAM, RETRY_BEAM)]


def test_terms_no_search_keeps_are_reported_not_lost() -> None:
    engine = ScriptedEngine(wide_keeps=False)
    [result] = decode(engine, [masked("Kang Kyung-wha met reporters.")], "ko")
    assert result.text == "Kang Kyung-wha met reporters."
    assert [slot.match.term.en for slot in result.unenforced] == ["Kang Kyung-wha"]
    assert engine.calls[-1] == (["Kang Kyung-wha met reporters."], 1, 1)
