"""Decoding behind one seam: masked requests per language in, translations by English out.

A `Decoder` is all a run needs from the machine translation side. It is
given, per language, the masked segments to translate (`DecodeRequest`) and
what the translation memory already knows of them, and gives back, per
language, the translations keyed by the English source (`Decoded`) and the
engine output the memory should keep. It never reads or writes the run's
state: the driver `recall`s before decoding and `remember`s while writing.

`LocalDecoder` decodes every language at once, each in a thread of this
process, with an engine opened from an `EngineSpec`. Whatever decodes, it
runs the same policy, `decode`, next to the engine: n-best hypotheses, the
placeholder check, a wider search for the segments that lost a placeholder,
and unmasked translation for those still failing.

>>> from workflow.engines.spec import EngineSpec
>>> from workflow.masking import mask
>>> request = DecodeRequest("ko", (mask("Talks resumed.", [], "ko"),))
>>> decoded = LocalDecoder(EngineSpec("pseudo", ("ko",))).decode([request])
>>> decoded["ko"].translations["Talks resumed."].text
'⟦ko⟧ Ţåļķš ŕéšûɱéð.'
>>> decoded["ko"].decoded, decoded["ko"].recalled
(1, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from workflow.errors import WorkflowError
from workflow.masking import MaskedText, Translation, problems, restore

if TYPE_CHECKING:
    from workflow.engines import Engine
    from workflow.engines.spec import DecodeSettings, EngineSpec

#: How many hypotheses to ask for, so that one that keeps every placeholder can be chosen.
DEFAULT_N_BEST = 4
#: How wide the search is for a segment whose every hypothesis lost a placeholder.
RETRY_BEAM = 8
#: Segments per engine call: large enough to batch well, small enough to show progress.
DEFAULT_CHUNK = 256


def chunk_size(settings: DecodeSettings) -> int:
    """Segments per engine call with `settings`: `DEFAULT_CHUNK` for each GPU decoding.

    A call's batches are spread over the translator's GPUs, so a call to
    several GPUs carries enough segments to give each its batches.

    >>> from workflow.engines.spec import DecodeSettings
    >>> chunk_size(DecodeSettings()), chunk_size(DecodeSettings(device_index=(0, 1)))
    (256, 256)
    >>> chunk_size(DecodeSettings(device="cuda", compute_type="float16", device_index=(0, 1)))
    512
    """
    if settings.device != "cuda":
        return DEFAULT_CHUNK
    return DEFAULT_CHUNK * len(settings.device_index)


@dataclass
class DecodeProgress:
    """Callbacks the CLI plugs a progress bar into; all optional.

    A batch in waves tells `on_start` again as each wave starts, with the
    language's total so far (see `workflow.waves.Totals`).
    """

    on_start: Callable[[str, int], None] = field(default=lambda lang, total: None)
    on_advance: Callable[[str, int], None] = field(default=lambda lang, done: None)


@dataclass(frozen=True)
class Search:
    """One kind of engine call the policy makes: hypotheses asked for, least beam width.

    Engine output is remembered per search, since a wider search or more
    hypotheses give other output for the same text.
    """

    n_best: int
    min_beam: int = 1

    def memory_key(self, fingerprint: str) -> str:
        """The translation memory's key for this search by the engine with `fingerprint`.

        >>> Search(4).memory_key("pseudo 1 ko"), Search(8, 8).memory_key("e")
        ('pseudo 1 ko n_best=4', 'e n_best=8 min_beam=8')
        """
        key = f"{fingerprint} n_best={self.n_best}"
        if self.min_beam > 1:
            # Only the rare wider retries get a key of their own, so memories
            # written before retries existed still answer the main pass.
            key += f" min_beam={self.min_beam}"
        return key


#: Engine output per search and engine input text.
Hypotheses = Mapping[Search, Mapping[str, list[str]]]


def searches(
    requests: Sequence[MaskedText], n_best: int = DEFAULT_N_BEST
) -> dict[Search, list[str]]:
    """Every engine input `decode` may send for `requests`, per search, to recall beforehand.

    The masked text goes to the main and the wider search, the English
    source to the unmasked fallback.
    """
    masked = list(dict.fromkeys(m.text for m in requests))
    return {
        Search(n_best): masked,
        Search(RETRY_BEAM, RETRY_BEAM): masked,
        Search(1): list(dict.fromkeys(m.source for m in requests)),
    }


@dataclass(frozen=True)
class DecodeRequest:
    """One language's segments to translate, and what the translation memory knows."""

    lang: str
    segments: tuple[MaskedText, ...]
    #: Engine output recalled from the translation memory (see `searches`).
    known: Hypotheses = field(default_factory=dict)


@dataclass(frozen=True)
class Decoded:
    """One language's translations, and the engine output the memory should keep."""

    lang: str
    #: Keyed by the English source of the request (`MaskedText.source`), in request order.
    translations: Mapping[str, Translation]
    #: Engine output this decode made, not recalled: to remember.
    fresh: Hypotheses
    #: Engine inputs decoded, and answered from what was known.
    decoded: int = 0
    recalled: int = 0
    #: English sources the engine failed on, with why; they have no translation
    #: (see `isolating`).
    failed: Mapping[str, str] = field(default_factory=dict)


class TranslationMemory(Protocol):
    """Engine output kept between runs, by memory key, language and engine input."""

    def recall(self, engine: str, lang: str, sources: Sequence[str]) -> dict[str, list[str]]:
        """The hypotheses kept under `engine` for those of `sources` that have some."""
        ...

    def remember(self, engine: str, lang: str, results: Mapping[str, Sequence[str]]) -> None:
        """Keep hypotheses under `engine` for each source."""
        ...


def recall(
    memory: TranslationMemory, fingerprint: str, lang: str, segments: Sequence[MaskedText]
) -> DecodeRequest:
    """The request to decode `segments`, with what `memory` knows of the engine's output.

    It runs where the memory is (the driver of a run), before decoding.
    """
    known = {
        search: memory.recall(search.memory_key(fingerprint), lang, texts)
        for search, texts in searches(segments).items()
    }
    return DecodeRequest(lang, tuple(segments), known)


def remember(memory: TranslationMemory, fingerprint: str, decoded: Decoded) -> None:
    """Keep the engine output `decoded` made, for the engine with `fingerprint`."""
    for search, hypotheses in decoded.fresh.items():
        if hypotheses:
            memory.remember(search.memory_key(fingerprint), decoded.lang, hypotheses)


class Decoder(Protocol):
    """Translates masked segments into several languages; the run's only way to an engine.

    A run calls `open` on its own thread, then `decode` from another one
    (see `workflow.waves`), one call at a time.
    """

    def open(self) -> None:
        """Get ready to decode (connect, start workers), on the thread that will own it."""
        ...

    def decode(
        self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None = None
    ) -> dict[str, Decoded]:
        """Every request decoded, by language; `progress` is told as chunks are done."""
        ...


class LocalDecoder:
    """Decodes in this process: the engine `spec` names, every language in a thread of its own.

    `engine` stands in for the one `spec` would open (tests give a scripted
    one); it is opened on first use otherwise.
    """

    def __init__(self, spec: EngineSpec, engine: Engine | None = None) -> None:
        self.spec = spec
        self._engine = engine

    def open(self) -> None:
        """Nothing to prepare: the engine is opened by the first `decode`."""

    @property
    def engine(self) -> Engine:
        """The engine, opened from the spec on first use."""
        if self._engine is None:
            from workflow.engines import open_engine

            self._engine = open_engine(self.spec)
        return self._engine

    def decode(
        self, requests: Sequence[DecodeRequest], progress: DecodeProgress | None = None
    ) -> dict[str, Decoded]:
        """Every request decoded, languages at once."""
        if not requests:
            return {}
        engine = self.engine
        chunk = chunk_size(self.spec.settings)
        # Languages decode at once, each on one core: measured faster on two
        # cores than one language at a time with all of them (see README, Speed).
        # On GPUs each language's translator keeps its share of the batches
        # in flight there (`workflow.engines.spec.gpu_batches`).
        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            futures = [
                pool.submit(
                    isolating,
                    engine,
                    request.segments,
                    request.lang,
                    known=request.known,
                    progress=progress,
                    chunk=chunk,
                )
                for request in requests
            ]
            return {request.lang: f.result() for request, f in zip(requests, futures, strict=True)}


def decode(
    engine: Engine,
    requests: Sequence[MaskedText],
    lang: str,
    *,
    known: Hypotheses | None = None,
    n_best: int = DEFAULT_N_BEST,
    chunk: int = DEFAULT_CHUNK,
    progress: DecodeProgress | None = None,
) -> Decoded:
    """Translate masked segments into `lang`, keeping every glossary term.

    For each segment the first of up to `n_best` hypotheses that holds each
    placeholder exactly once is restored. The segments where none does are
    decoded again with a wider search (`RETRY_BEAM`), which is what makes
    greedy decoding safe for glossary terms; those still failing are
    translated without masks, and their terms reported as not enforced
    rather than lost. Engine output in `known` is used instead of decoding,
    and a text is decoded once however often it comes.
    """
    progress = progress or DecodeProgress()
    calls = _Calls(engine, lang, known or {})
    progress.on_start(lang, len(requests))
    main = Search(n_best)
    hypotheses: list[list[str]] = []
    for start in range(0, len(requests), chunk):
        batch = requests[start : start + chunk]
        hypotheses.extend(calls.translate([m.text for m in batch], main))
        progress.on_advance(lang, len(batch))
    results: list[Translation | None] = [
        _keep_placeholders(masked, candidates, lang)
        for masked, candidates in zip(requests, hypotheses, strict=True)
    ]
    failed = [i for i, result in enumerate(results) if result is None]
    if failed:
        wider = calls.translate([requests[i].text for i in failed], Search(RETRY_BEAM, RETRY_BEAM))
        for i, candidates in zip(failed, wider, strict=True):
            results[i] = _keep_placeholders(requests[i], candidates, lang)
    failed = [i for i, result in enumerate(results) if result is None]
    if failed:
        unmasked = calls.translate([requests[i].source for i in failed], Search(1))
        for i, candidates in zip(failed, unmasked, strict=True):
            results[i] = Translation(candidates[0], unenforced=requests[i].slots)
    translations = {
        masked.source: result
        for masked, result in zip(requests, results, strict=True)
        if result is not None
    }
    return Decoded(lang, translations, calls.fresh, calls.decoded, calls.recalled)


def isolating(
    engine: Engine,
    requests: Sequence[MaskedText],
    lang: str,
    *,
    known: Hypotheses | None = None,
    progress: DecodeProgress | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> Decoded:
    """`decode`, failing only the segments the engine fails on.

    When the engine raises anything but a `WorkflowError` (which concerns
    every segment, a broken model say, and is raised), the segments are
    decoded again in halves, down to the single segment, which is given in
    `Decoded.failed` with the error: a run then fails only the articles that
    need it. Every executor does so.
    """
    progress = progress or DecodeProgress()
    done = 0

    def advance(lang: str, count: int) -> None:
        nonlocal done
        done += count
        progress.on_advance(lang, count)

    try:
        counted = DecodeProgress(progress.on_start, advance)
        return decode(engine, requests, lang, known=known, progress=counted, chunk=chunk)
    except WorkflowError:
        raise
    except Exception as error:
        result = _halves(engine, requests, lang, known or {}, error)
    progress.on_advance(lang, len(requests) - done)
    return result


def _halves(
    engine: Engine, requests: Sequence[MaskedText], lang: str, known: Hypotheses, error: Exception
) -> Decoded:
    """`requests`, on which the engine raised `error`, decoded in halves."""
    if len(requests) <= 1:
        return Decoded(lang, {}, {}, failed={m.source: describe(error) for m in requests})
    half = len(requests) // 2
    parts = []
    for part in (requests[:half], requests[half:]):
        try:
            parts.append(decode(engine, part, lang, known=known))
        except WorkflowError:
            raise
        except Exception as inner:
            parts.append(_halves(engine, part, lang, known, inner))
    return combine(lang, requests, parts)


def describe(error: BaseException) -> str:
    """An engine's error, as an article that fails by it says.

    >>> describe(RuntimeError("out of memory"))
    'RuntimeError: out of memory'
    """
    return f"{type(error).__name__}: {error}"


def combine(lang: str, requests: Sequence[MaskedText], parts: Sequence[Decoded]) -> Decoded:
    """The result of decoding `requests`, from the results of decoding parts of them."""
    translations: dict[str, Translation] = {}
    fresh: dict[Search, dict[str, list[str]]] = {}
    failed: dict[str, str] = {}
    for part in parts:
        translations.update(part.translations)
        for search, hypotheses in part.fresh.items():
            fresh.setdefault(search, {}).update(hypotheses)
        failed.update(part.failed)
    ordered = {m.source: translations[m.source] for m in requests if m.source in translations}
    return Decoded(
        lang,
        ordered,
        fresh,
        sum(part.decoded for part in parts),
        sum(part.recalled for part in parts),
        failed,
    )


class _Calls:
    """The engine's calls for one language, answered from what is known where possible."""

    def __init__(self, engine: Engine, lang: str, known: Hypotheses) -> None:
        self.engine = engine
        self.lang = lang
        self.known = known
        self.fresh: dict[Search, dict[str, list[str]]] = {}
        self.decoded = 0
        self.recalled = 0

    def translate(self, texts: Sequence[str], search: Search) -> list[list[str]]:
        """Hypotheses for `texts`: known ones recalled, the others decoded in one call."""
        known = self.known.get(search, {})
        fresh = self.fresh.setdefault(search, {})
        missing = [t for t in dict.fromkeys(texts) if t not in known and t not in fresh]
        if missing:
            decoded = self.engine.translate(
                missing, self.lang, n_best=search.n_best, min_beam=search.min_beam
            )
            fresh.update(zip(missing, decoded, strict=True))
        self.recalled += len(texts) - len(missing)
        self.decoded += len(missing)
        return [known[t] if t in known else fresh[t] for t in texts]


def _keep_placeholders(
    masked: MaskedText, candidates: Sequence[str], lang: str
) -> Translation | None:
    """The first hypothesis that holds every placeholder exactly once, restored."""
    kept = next((h for h in candidates if not problems(h, masked)), None)
    if kept is None:
        return None
    return Translation(restore(kept, masked, lang), enforced=masked.slots)
