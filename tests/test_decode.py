"""The decode policy: how it picks hypotheses that keep the glossary terms.

The engine here is scripted, so each test says exactly which hypotheses a
search of a given width finds; the real decoder is exercised in
test_engine_argos.py and test_run_argos.py.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence

from workflow.decoder import (
    RETRY_BEAM,
    DecodeProgress,
    DecodeRequest,
    LocalDecoder,
    Search,
    decode,
    isolating,
)
from workflow.engines.pseudo import PseudoEngine
from workflow.engines.spec import EngineSpec
from workflow.glossary import Term
from workflow.masking import MaskedText, mask
from workflow.matcher import TermMatcher

KANG = Term("Kang Kyung-wha", {"ko": "강경화"}, "person")
MOTEGI = Term("Motegi", {"ko": "모테기"}, "person")
SEOUL = Term("Seoul", {"ko": "서울"}, "place")


class ScriptedEngine:
    """Answers each text with what `script` gives for it and the search's width."""

    name = "scripted"

    def __init__(self, script: Callable[[str, int], list[str]]) -> None:
        self.script = script
        self.calls: list[tuple[list[str], int, int]] = []

    def describe(self, lang: str) -> str:
        return "scripted"

    def fingerprint(self, lang: str) -> str:
        return "scripted"

    def translate(
        self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
    ) -> list[list[str]]:
        self.calls.append((list(texts), n_best, min_beam))
        return [self.script(text, min_beam) for text in texts]


def losing(text: str, min_beam: int) -> list[str]:
    """A greedy search that loses the first placeholder, however wide it is."""
    return [text.replace("ZXQ1", "someone")]


def losing_unless_widened(text: str, min_beam: int) -> list[str]:
    """A greedy search that loses the first placeholder; a wider one also keeps it."""
    return losing(text, min_beam) + ([text] if min_beam > 1 else [])


def masked(text: str) -> MaskedText:
    return mask(text, TermMatcher([KANG, MOTEGI, SEOUL]).find(text), "ko")


def test_a_wider_search_rescues_a_lost_placeholder() -> None:
    engine = ScriptedEngine(losing_unless_widened)
    requests = [masked("Kang Kyung-wha met reporters."), masked("Talks resumed.")]
    [kept, plain] = decode(engine, requests, "ko").translations.values()
    assert kept.text == "강경화 met reporters."
    assert not kept.unenforced
    assert plain.text == "Talks resumed."
    # Only the failed segment is decoded again, and only once more.
    assert engine.calls[1:] == [(["ZXQ1 met reporters."], RETRY_BEAM, RETRY_BEAM)]


def test_terms_no_search_keeps_are_reported_not_lost() -> None:
    engine = ScriptedEngine(losing)
    [result] = decode(
        engine, [masked("Kang Kyung-wha met reporters.")], "ko"
    ).translations.values()
    assert result.text == "Kang Kyung-wha met reporters."
    assert [slot.match.term.en for slot in result.unenforced] == ["Kang Kyung-wha"]
    assert engine.calls[-1] == (["Kang Kyung-wha met reporters."], 1, 1)


def test_a_hypothesis_with_a_garbled_placeholder_is_passed_over() -> None:
    hypotheses = ["AZXQ1은 ZXQ2와 ZXQ3에서 만났다.", "ZXQ1은 ZXQ2와 ZXQ3 zxq에서 만났다.",
                  "ZXQ1은 ZXQ2와 ZXQ3에서 만났다."]  # fmt: skip
    engine = ScriptedEngine(lambda text, min_beam: hypotheses)
    [result] = decode(
        engine, [masked("Kang Kyung-wha met Motegi in Seoul.")], "ko"
    ).translations.values()
    assert result.text == "강경화는 모테기와 서울에서 만났다."


def test_known_output_is_used_and_only_the_rest_decoded() -> None:
    engine = ScriptedEngine(losing_unless_widened)
    requests = [masked("Kang Kyung-wha met reporters."), masked("Talks resumed.")]
    known = {Search(4): {"ZXQ1 met reporters.": ["ZXQ1 만났다."]}}
    decoded = decode(engine, requests, "ko", known=known)
    assert decoded.translations["Kang Kyung-wha met reporters."].text == "강경화 만났다."
    assert engine.calls == [(["Talks resumed."], 4, 1)]
    assert (decoded.recalled, decoded.decoded) == (1, 1)
    assert decoded.fresh == {Search(4): {"Talks resumed.": ["Talks resumed."]}}


def test_the_local_decoder_decodes_each_language_keyed_by_english() -> None:
    engine = ScriptedEngine(lambda text, min_beam: [text.upper()])
    started: list[tuple[str, int]] = []
    advanced: list[tuple[str, int]] = []
    progress = DecodeProgress(
        on_start=lambda lang, total: started.append((lang, total)),
        on_advance=lambda lang, done: advanced.append((lang, done)),
    )
    two = (masked("Talks resumed."), masked("They met."))
    decoder = LocalDecoder(EngineSpec("scripted", ("ko", "ja")), engine)
    decoded = decoder.decode([DecodeRequest("ko", two), DecodeRequest("ja", two[:1])], progress)
    texts = {lang: {en: t.text for en, t in d.translations.items()} for lang, d in decoded.items()}
    assert texts == {
        "ko": {"Talks resumed.": "TALKS RESUMED.", "They met.": "THEY MET."},
        "ja": {"Talks resumed.": "TALKS RESUMED."},
    }
    assert sorted(started) == [("ja", 1), ("ko", 2)]
    assert sorted(advanced) == [("ja", 1), ("ko", 2)]


def test_requests_and_results_cross_a_process_boundary() -> None:
    request = DecodeRequest("ko", (masked("Kang Kyung-wha met reporters."),))
    assert pickle.loads(pickle.dumps(request)) == request
    decoded = LocalDecoder(EngineSpec("pseudo", ("ko",))).decode([request])
    assert pickle.loads(pickle.dumps(decoded)) == decoded
    [translation] = decoded["ko"].translations.values()
    assert translation.text.startswith("⟦ko⟧ 강경화")


def test_only_the_segments_the_engine_fails_on_are_left_out() -> None:
    class FailsOnTokyo(PseudoEngine):
        def translate(
            self, texts: Sequence[str], lang: str, *, n_best: int = 1, min_beam: int = 1
        ) -> list[list[str]]:
            if any("Tokyo" in text for text in texts):
                raise RuntimeError("no Tokyo")
            return super().translate(texts, lang, n_best=n_best, min_beam=min_beam)

    texts = ["Seoul said.", "Tokyo agreed.", "Both left.", "Talks resumed.", "Tokyo wins."]
    advanced: list[int] = []
    progress = DecodeProgress(on_advance=lambda lang, done: advanced.append(done))
    result = isolating(FailsOnTokyo(), [mask(t, [], "ko") for t in texts], "ko", progress=progress)
    assert list(result.translations) == ["Seoul said.", "Both left.", "Talks resumed."]
    assert result.failed == {
        "Tokyo agreed.": "RuntimeError: no Tokyo",
        "Tokyo wins.": "RuntimeError: no Tokyo",
    }
    assert sum(advanced) == len(texts)  # the progress bar still ends full
