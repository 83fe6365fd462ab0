"""Speed benchmark: ``l10n run`` against raw CTranslate2 and Argos Translate's own decoding.

Run from the repository's top folder (under ten minutes on a 2-core machine)::

    .venv/bin/python benchmarks/run.py [--articles N] [--rounds R] [--beam B] [--threads T]
                                       [--budget SECONDS] [--peer-articles K] [--no-extras]

Everything happens in a temporary folder, removed at the end (``--keep``
keeps it); progress goes to stderr, the report to stdout, and its last line
is ``overhead=X.XX speedup_vs_argos=Y.YY`` (ours/limit and peer/ours, median
wall times).

1. Models: a transformer-base-size copy model (6+6 layers, d_model 512, 8
   heads, FFN 2048, 32,000 entries, int8 like Argos's packages) for ko and
   for ja, in the layout of the real 1.1 packages (CTranslate2 binary format
   4, no config.json), built with ``tests/argos_builders.build_copy_package`` and
   installed into a temporary ``ARGOS_PACKAGES_DIR`` with
   ``workflow.models.install_from_file``. A copy model decodes exactly as
   long as its input, so it costs what a real model costs for output as long
   as the source (its output is the input, not a translation).
2. Corpus: the bundled article and the test articles, repeated with a
   made-up word inserted into every sentence (between two lowercase words,
   outside any glossary term, so segmentation and masking are unchanged) and
   the dateline's date varied, so that no two segments are alike and every
   one is decoded. By default as many articles as give at least
   ``--min-segments`` (500) segments per language; checked when written.
3. Three methods, timed in this process, their order rotated each round;
   the medians are reported:

   * ``limit``: one ``ctranslate2.Translator.translate_batch`` per language
     over all masked segments, tokenized and loaded outside the timing, with
     exactly the options and translator settings ``l10n run`` uses (recorded
     from a warm-up run through a recording translator).
   * ``ours``: ``workflow.cli.main(["run", ..., "--quiet"])``: read, segment,
     glossary, mask, load the models, decode, restore, write PO files, into
     a fresh output folder each round (empty translation memory).
   * ``peer``: ``argostranslate.translate.apply_packaged_translation`` per
     paragraph with one hypothesis, as argos-translate-files and
     LibreTranslate call it through ``translate()`` (Argos's 32-token
     batches, length penalty 0.2), with ``workflow.sentences.split_sentences``
     (pySBD) as its sentencizer, on the same installed packages, with ours'
     beam size, compute type and threads. The sentencizer is an argument of
     ``apply_packaged_translation`` (argostranslate's
     ``ISentenceBoundaryDetectionModel``), so Argos's decoding path runs
     unchanged. Argos's default splitter is MiniSBD, which downloads an ONNX
     model (``en.onnx``) from a GitHub release on first use, or reads it from
     the package's ``minisbd/`` folder or argostranslate's data folder; no
     package registry carries that file, so it cannot be had offline here,
     and argostranslate's other splitters (``ARGOS_CHUNK_TYPE`` STANZA or
     SPACY) need stanza (torch) or spacy, which this project does not
     install. Both methods thus decode the same sentences, and the peer pays
     nothing for splitting beyond pySBD (as ours does).
     Its cost per token does not depend on the corpus's size (it decodes
     paragraph by paragraph), so by default it decodes one copy of each
     original article and its time is scaled to the corpus by source tokens;
     ``--peer-articles 0`` makes it decode the whole corpus.

   Peak RSS: each method once over the first article, in a process of its
   own, read with ``wait4`` by a small wrapper process (a process forked
   straight from this one would report this one's size: ``ru_maxrss`` keeps
   what a process had before ``exec``).
4. Extras: ``l10n --help`` start-up time; the peak RSS of a full ``l10n
   run`` of the bundled article at the product's defaults; decoding ko and
   ja one after the other (various threads) or both at once on a core each;
   ``l10n run --threads`` 0, 1 and 2.

Beam size and threads apply to all three methods; if ``l10n run`` decodes
at another beam than ``--beam`` asks for, the report says so and all three
use ours'. The default, beam 1, leaves time for three rounds within ten
minutes on a 2-core machine (a round takes about 140 s there, the rest
about 150 s); at beam 4, the product's default, a round takes about 310 s,
so one round fits.
``--threads`` defaults to 1, as ``l10n run``'s. The extras come first
(their cost is fixed); then rounds are run while the next one fits in
``--budget`` seconds (default 570), at least one.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

LANGS = ("ko", "ja")
METHODS = ("limit", "ours", "peer")
BASE_ARTICLES = sorted((REPO / "articles").glob("*.txt")) + sorted(
    (REPO / "tests" / "data" / "articles").glob("*.txt")
)
GLOSSARY = REPO / "glossaries" / "news.tsv"
MODEL_SHAPE: dict[str, Any] = {
    "d_model": 512,
    "layers": 6,
    "heads": 8,
    "ffn": 2048,
    "vocab_size": 32000,
    "quantization": "int8",
}
# Dateline months, AP style, so that a varied dateline is still recognized.
MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
          "Nov.", "Dec.")  # fmt: skip
_LOWER_WORD = re.compile(r"[a-z]+")
_DATE = re.compile(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}\b")


def log(message: str) -> None:
    """Progress, on stderr, so that stdout holds the report alone."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the corpus ------------------------------------------------------------------


def variant_word(index: int) -> str:
    """A made-up lowercase word, different for every index below 4,900."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    return syllables[index % 70] + syllables[(index // 70) % 70] + "r"


def insert_word(sentence: str, word: str, protected: Sequence[tuple[int, int]]) -> str:
    """`sentence` with `word` between two lowercase words near its middle, outside any term.

    A sentence without such a place (a photo credit) gets it before its last
    closing parenthesis.
    """
    tokens = list(re.finditer(r"\S+", sentence))
    gaps = [
        a.end()
        for a, b in itertools.pairwise(tokens)
        if _LOWER_WORD.fullmatch(a.group())
        and _LOWER_WORD.fullmatch(b.group())
        and not any(start < a.end() and b.start() < end for start, end in protected)
    ]
    if gaps:
        at = min(gaps, key=lambda gap: abs(gap - len(sentence) / 2))
        return f"{sentence[:at]} {word}{sentence[at:]}"
    if sentence.endswith(")"):
        return f"{sentence[:-1]} {word})"
    raise ValueError(f"no place for a variant word in {sentence!r}")


def vary_article(
    text: str, copy: int, which: int, word: str, find_terms: Callable[[str], Any]
) -> str:
    """The article with `word` in every sentence and its dateline dated after `copy`.

    The month depends on `which` original it is too: the city of a dateline
    is a glossary term, masked, so "SEOUL, May 3" and "TOKYO, May 3" would be
    one segment to the engine.
    """
    from workflow.article import parse_article
    from workflow.sentences import sentence_spans

    article = parse_article(text, article_id="base", path="base.txt")
    lines = text.split("\n")
    date = f"{MONTHS[(copy // 28 + which) % 12]} {copy % 28 + 1}"

    def vary_sentence(sentence: str) -> str:
        protected = [(m.start, m.end) for m in find_terms(sentence)]
        return insert_word(sentence, word, protected)

    for paragraph in article.paragraphs:
        if paragraph.line_breaks or " ".join(lines[paragraph.line - 1].split()) != paragraph.text:
            raise ValueError(f"paragraph on line {paragraph.line} is not a single line")
        if paragraph.kind == "title":
            new = vary_sentence(paragraph.text)
        else:
            start = len(paragraph.dateline)
            body = paragraph.text[start:]
            pieces = [_DATE.sub(date, paragraph.dateline, count=1)]
            cursor = 0
            for s, e in sentence_spans(body):
                pieces += [body[cursor:s], vary_sentence(body[s:e])]
                cursor = e
            pieces.append(body[cursor:])
            new = "".join(pieces)
        lines[paragraph.line - 1] = new
    return "\n".join(lines)


def write_corpus(folder: Path, n_articles: int | None, min_segments: int) -> list[Path]:
    """Write the varied articles into `folder`; stop at `n_articles`, or at `min_segments`."""
    from workflow.article import parse_article
    from workflow.glossary import load_glossaries
    from workflow.matcher import TermMatcher
    from workflow.segment import segment_article

    glossary = load_glossaries([GLOSSARY])
    matcher = TermMatcher(glossary.terms)
    bases = [(path.stem, path.read_text("utf-8")) for path in BASE_ARTICLES]
    base_counts = [
        len(segment_article(parse_article(text, article_id=stem, path=stem)))
        for stem, text in bases
    ]
    folder.mkdir(parents=True)
    paths: list[Path] = []
    seen: set[str] = set()
    total = 0
    index = 0
    while (n_articles is None and total < min_segments) or (
        n_articles is not None and index < n_articles
    ):
        copy, which = divmod(index, len(bases))
        stem, text = bases[which]
        varied = vary_article(text, copy, which, variant_word(index), matcher.find)
        path = folder / f"{stem}-v{copy:03d}.txt"
        segments = segment_article(parse_article(varied, article_id=path.stem, path=str(path)))
        if len(segments) != base_counts[which]:
            raise ValueError(f"{path.name}: the variant word changed the segmentation")
        for segment in segments:
            if segment.text in seen:
                raise ValueError(f"{path.name}: segment repeated: {segment.text!r}")
            seen.add(segment.text)
        path.write_text(varied, "utf-8")
        paths.append(path)
        total += len(segments)
        index += 1
    return paths


# -- models ----------------------------------------------------------------------


def build_models(folder: Path, corpus: Sequence[str]) -> dict[str, Any]:
    """Build and install a transformer-base copy model per language; the installed models."""
    from argos_builders import build_copy_package  # type: ignore[import-not-found]

    from workflow.models import install_from_file

    installed = {}
    for seed, lang in enumerate(LANGS):
        started = time.perf_counter()
        archive = build_copy_package(folder, to_code=lang, corpus=corpus, seed=seed, **MODEL_SHAPE)
        installed[lang] = install_from_file(archive)
        seconds = time.perf_counter() - started
        log(f"built and installed the en→{lang} copy model in {seconds:.1f} s")
    return installed


# -- the three methods -----------------------------------------------------------


@dataclass
class Recorded:
    """What ``l10n run`` asked CTranslate2 for, seen through a recording translator."""

    settings: Any = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: The threads the calls came from: other than the main one when ours
    #: decodes the languages at once.
    threads: set[int] = field(default_factory=set)

    @property
    def at_once(self) -> bool:
        """Whether ours decodes the languages in threads of their own, at the same time."""
        return len(self.threads - {threading.main_thread().ident}) > 1


@contextlib.contextmanager
def recording_translator(recorded: Recorded) -> Iterator[None]:
    """Make the Argos engine's translators record their ``translate_batch`` options."""
    import workflow.engines.argos as argos

    real = argos._load_translator

    class Recorder:
        def __init__(self, translator: Any) -> None:
            self._translator = translator

        def translate_batch(self, batch: list[list[str]], **options: Any) -> Any:
            recorded.calls.append({"examples": len(batch), **options})
            recorded.threads.add(threading.get_ident())
            return self._translator.translate_batch(batch, **options)

    def load(model_dir: Path, settings: Any) -> Any:
        recorded.settings = settings
        return Recorder(real(model_dir, settings))

    argos._load_translator = load
    try:
        yield
    finally:
        argos._load_translator = real


def ours_argv(articles: Sequence[Path], out: Path, beam: int, threads: int) -> list[str]:
    """The ``l10n run`` arguments of the benchmark."""
    return [
        "run",
        *map(str, articles),
        "--glossary",
        str(GLOSSARY),
        "--out",
        str(out),
        "--langs",
        ",".join(LANGS),
        "--beam-size",
        str(beam),
        "--threads",
        str(threads),
        "--quiet",
    ]


def run_ours(articles: Sequence[Path], out: Path, beam: int, threads: int) -> None:
    """One ``l10n run``, in this process."""
    from workflow.cli import main

    code = main(ours_argv(articles, out, beam, threads))
    if code != 0:
        raise RuntimeError(f"l10n run exited with {code}")


@dataclass
class LimitJob:
    """One language's pre-tokenized masked segments and the translator to decode them."""

    lang: str
    translator: Any
    tokens: list[list[str]]
    options: dict[str, Any]

    @property
    def source_tokens(self) -> int:
        return sum(map(len, self.tokens))


def limit_jobs(
    articles: Sequence[Path], installed: dict[str, Any], recorded: Recorded
) -> list[LimitJob]:
    """Masked segments as ``l10n run`` plans them, tokenized, with ours' decoding options."""
    import sentencepiece

    from workflow.article import read_article
    from workflow.engines.argos import _load_translator, decoding_bound
    from workflow.glossary import load_glossaries
    from workflow.runner import plan

    run_plan = plan([read_article(p) for p in articles], load_glossaries([GLOSSARY]), LANGS)
    settings = recorded.settings
    options = {
        k: v for k, v in recorded.calls[0].items() if k not in ("examples", "max_decoding_length")
    }
    jobs = []
    for lang in LANGS:
        files = installed[lang].files()
        sp = sentencepiece.SentencePieceProcessor(model_file=str(files.tokenizer_path))
        tokens = [sp.encode(m.text, out_type=str) for m in run_plan.requests(lang)]
        tokens = [t for t in tokens if t]
        job_options = dict(
            options, max_decoding_length=decoding_bound([len(t) for t in tokens], settings)
        )
        jobs.append(
            LimitJob(lang, _load_translator(files.model_dir, settings), tokens, job_options)
        )
    return jobs


def run_limit(jobs: Sequence[LimitJob], *, at_once: bool) -> list[Any]:
    """One ``translate_batch`` per language over every segment; the results, per language.

    With `at_once`, the languages decode at the same time, in a thread each,
    as ours does (CTranslate2 releases the GIL while it decodes).
    """
    if not at_once:
        return [job.translator.translate_batch(job.tokens, **job.options) for job in jobs]
    results: list[Any] = [None] * len(jobs)

    def decode(i: int) -> None:
        results[i] = jobs[i].translator.translate_batch(jobs[i].tokens, **jobs[i].options)

    threads = [threading.Thread(target=decode, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(result is None for result in results):
        raise RuntimeError("a decoding thread failed")
    return results


@dataclass
class PeerJob:
    """One language's paragraphs, Argos package, translator and sentence splitter."""

    lang: str
    package: Any
    translator: Any
    sentencizer: Any
    paragraphs: list[str]
    source_tokens: int
    segments: int


def peer_jobs(articles: Sequence[Path], beam: int, settings: Any) -> list[PeerJob]:
    """The peer's inputs: paragraphs after chrome removal, for Argos's own decoding.

    Its translators are made as ours are (compute type, threads: `settings`).
    """
    import argostranslate.package
    import argostranslate.settings
    import ctranslate2
    from argostranslate.sbd import ISentenceBoundaryDetectionModel

    from workflow.article import read_article
    from workflow.sentences import split_sentences

    class OurSentencizer(ISentenceBoundaryDetectionModel):  # type: ignore[misc]
        """pySBD in place of MiniSBD, whose model cannot be had offline (see the docstring)."""

        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text)

    # apply_packaged_translation reads these module settings at every call.
    argostranslate.settings.beam_size = beam
    paragraphs = [p.text for path in articles for p in read_article(path).paragraphs]
    packages = {
        p.to_code: p
        for p in argostranslate.package.get_installed_packages()
        if p.from_code == "en"
    }
    jobs = []
    for lang in LANGS:
        package = packages[lang]
        sentences = [s for text in paragraphs for s in split_sentences(text)]
        translator = ctranslate2.Translator(
            str(package.package_path / "model"),
            device="cpu",
            compute_type=settings.compute_type,
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
        )
        tokens = sum(len(package.tokenizer.encode(s)) for s in sentences)
        jobs.append(
            PeerJob(
                lang, package, translator, OurSentencizer(), paragraphs, tokens, len(sentences)
            )
        )
    return jobs


def run_peer(jobs: Sequence[PeerJob], *, at_once: bool = False) -> None:
    """Argos Translate's decoding: one ``apply_packaged_translation`` per paragraph.

    One language after the other, as one gets it from argos-translate-files;
    with `at_once`, each language in a thread of its own.
    """
    from argostranslate.translate import apply_packaged_translation

    def decode(job: PeerJob) -> None:
        for paragraph in job.paragraphs:
            apply_packaged_translation(job.package, paragraph, job.translator, job.sentencizer, 1)

    if not at_once:
        for job in jobs:
            decode(job)
        return
    threads = [threading.Thread(target=decode, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# -- measuring -------------------------------------------------------------------


def cpu_seconds() -> tuple[float, float]:
    """Busy CPU seconds of the whole machine, and of this process and its children."""
    with Path("/proc/stat").open() as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    busy = sum(fields[:3]) + sum(fields[5:8])
    own = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), own.user + own.system + own.children_user + (
        own.children_system
    )


@dataclass
class Run:
    """One timed run: wall seconds, and how many cores other processes kept busy meanwhile."""

    seconds: float
    others: float


def timed(action: Callable[[], object]) -> Run:
    """Time `action`, noting the CPU that other processes used meanwhile."""
    busy_before, own_before = cpu_seconds()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    busy_after, own_after = cpu_seconds()
    others = max(0.0, (busy_after - busy_before) - (own_after - own_before)) / seconds
    return Run(seconds, others)


def rss_wrapper(argv: Sequence[str]) -> int:
    """Run `argv` and print its exit status and peak RSS in kB.

    A process's peak RSS (``ru_maxrss``) keeps what it had before ``exec``:
    a child forked straight from the benchmark, which holds argostranslate,
    CTranslate2 and four models, would report the benchmark's size. So the benchmark starts this
    small wrapper, which starts the command and reads its peak.
    """
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
    return 0


def peak_rss(argv: Sequence[str], *, cwd: Path | None = None) -> tuple[float, int]:
    """Run `argv` through `rss_wrapper`: its wall seconds and peak RSS in kB."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--rss-of", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    status, kilobytes = map(int, done.stdout.split()[-2:])
    if status:
        raise RuntimeError(f"{' '.join(argv[:3])} ... failed ({status}): {done.stderr[-2000:]}")
    return seconds, kilobytes


def l10n_command() -> list[str]:
    """The installed ``l10n`` script next to this interpreter, else ``python -m workflow``."""
    script = Path(sys.executable).parent / "l10n"
    return [str(script)] if script.exists() else [sys.executable, "-m", "workflow"]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def busy_processes() -> list[str]:
    """Other processes that have been busy (CPU share over their life), to explain noise."""
    own = {os.getpid()}
    try:
        out = subprocess.run(
            ["ps", "-eo", "pid,pcpu,args", "--sort=-pcpu", "--no-headers"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    busy = []
    for line in out.splitlines():
        pid, cpu, args = line.split(None, 2)
        if int(pid) not in own and float(cpu) >= 20 and not args.startswith("ps "):
            busy.append(f"{float(cpu):5.1f}% {args[:90]}")
    return busy


# -- child processes for peak memory ---------------------------------------------


def child_main(method: str, state_file: Path) -> int:
    """Run one method once over the state's articles (in a child, for its peak RSS)."""
    state = json.loads(state_file.read_text("utf-8"))
    articles = [Path(p) for p in state["articles"]]
    if method == "ours":
        run_ours(articles, Path(state["out"]), state["ours_beam"], state["threads"])
        return 0
    from workflow.engines.argos import DecodeSettings
    from workflow.models import find_model

    installed = {lang: find_model("en", lang) for lang in LANGS}
    settings = DecodeSettings(**state["settings"])
    if method == "limit":
        jobs = limit_jobs(articles, installed, Recorded(settings, [state["options"]]))
        run_limit(jobs, at_once=state["at_once"])
    elif method == "peer":
        # Part of its cost: onnxruntime and MiniSBD, which it imports though they are unused.
        import argostranslate.translate  # noqa: F401

        run_peer(peer_jobs(articles, state["beam"], settings))
    return 0


# -- the benchmark ---------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="articles in the corpus (default: enough)")
    parser.add_argument(
        "--min-segments", type=int, default=500, help="segments per language (default: 500)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds at most (default: 3)")
    parser.add_argument(
        "--beam", type=int, default=1, help="beam size of all three methods (default: 1)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="l10n run --threads, and the same CTranslate2 threads for limit and peer "
        "(default: 1, the fastest here; the product's default is 0)",
    )
    parser.add_argument(
        "--peer-articles",
        type=int,
        help="articles the peer decodes, scaled up to the corpus (default: one copy of each "
        "original; 0: the whole corpus)",
    )
    parser.add_argument(
        "--budget", type=float, default=570, help="seconds the command may take (default: 570)"
    )
    parser.add_argument("--no-extras", action="store_true", help="skip the extra measurements")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def isolate(tmp: Path) -> None:
    """Point argostranslate's folders (read once, at its import) into `tmp`."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = str(tmp / "xdg" / variable.lower())
    # Nothing may be fetched: a missing model must fail, not download.
    os.environ["ARGOS_PACKAGE_INDEX"] = (tmp / "no-index").as_uri() + "/"


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--rss-of"]:
        return rss_wrapper(argv[1:])
    args = parse_args(argv)
    if args.child:
        return child_main(args.child, args.state)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    isolate(tmp)
    try:
        report = benchmark(args, tmp, started)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(report))
    return 0


WARMUP_ARTICLE = """Talks resume

SEOUL, Jan. 2 (Yonhap) -- The ministers met in Seoul on Monday. They agreed to meet again.
"""


def benchmark(args: argparse.Namespace, tmp: Path, started: float) -> list[str]:
    """Run everything; the report's lines."""
    out: list[str] = []
    say = out.append
    say(f"l10n-workflow speed benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}")
    say(f"machine: {os.cpu_count()} CPUs; at start: {load_average()}")
    out.extend(f"  busy at start: {line}" for line in busy_processes())

    # 1-2. corpus and models
    paths = write_corpus(tmp / "corpus", args.articles, args.min_segments)
    installed = build_models(tmp / "build", [p.read_text("utf-8") for p in paths])

    from workflow.article import read_article
    from workflow.decoder import DEFAULT_CHUNK
    from workflow.glossary import load_glossaries
    from workflow.runner import plan

    run_plan = plan([read_article(p) for p in paths], load_glossaries([GLOSSARY]), LANGS)
    segments = {lang: len(run_plan.requests(lang)) for lang in LANGS}
    if min(segments.values()) < run_plan.segment_count:
        raise RuntimeError(f"some masked segments are alike: {segments}")
    total_segments = sum(segments.values())
    say(
        f"corpus: {len(paths)} articles ({len(BASE_ARTICLES)} originals, a made-up word in "
        f"every sentence), {run_plan.segment_count} segments per language, all distinct: "
        + ", ".join(f"{n} to decode into {lang}" for lang, n in segments.items())
    )
    say(
        "models: transformer-base copy models (6+6 layers, d_model 512, 8 heads, FFN 2048, "
        "32,000 entries, int8, CTranslate2 format 4 like the real 1.1 packages), built and "
        "installed into a temporary ARGOS_PACKAGES_DIR"
    )

    # Warm-up (imports) and the options ours passes to CTranslate2.
    warmup = tmp / "warmup" / "warmup.txt"
    warmup.parent.mkdir()
    warmup.write_text(WARMUP_ARTICLE, "utf-8")
    recorded = Recorded()
    with recording_translator(recorded):
        run_ours([warmup], tmp / "out-warmup", args.beam, args.threads)
    options = recorded.calls[0]
    beam = options["beam_size"]
    say(
        f"ours: l10n run --beam-size {args.beam} --threads {args.threads} --quiet; it calls "
        f"translate_batch with beam_size={beam} num_hypotheses={options['num_hypotheses']} "
        f"max_batch_size={options['max_batch_size']} batch_type={options['batch_type']} "
        f"length_penalty={options['length_penalty']} "
        f"replace_unknowns={options['replace_unknowns']}, "
        f"compute_type={recorded.settings.compute_type}, inter_threads="
        f"{recorded.settings.inter_threads}, intra_threads={recorded.settings.intra_threads}, "
        f"at most {DEFAULT_CHUNK} segments per call (decoder.DEFAULT_CHUNK), the languages "
        + ("at once, in a thread each" if recorded.at_once else "one after the other")
        + "; a fresh output folder (empty memory) every round"
    )
    if beam != args.beam:
        say(
            f"WARNING: --beam-size {args.beam} decodes at beam {beam}. Limit and peer use "
            f"beam {beam} too, to stay comparable."
        )

    loading = time.perf_counter()
    limit = limit_jobs(paths, installed, recorded)
    limit_tokens = sum(job.source_tokens for job in limit)
    how = "at once, in a thread each" if recorded.at_once else "one after the other"
    loaded = time.perf_counter() - loading
    say(
        "limit: one translate_batch per language with ours' options and translator settings, "
        f"the languages {how} as ours does; {limit_tokens} source tokens (ko+ja); models "
        f"loaded ({loaded:.2f} s) and segments tokenized outside the timing"
    )

    import_seconds = timed(lambda: __import__("argostranslate.translate")).seconds
    import argostranslate.settings

    if args.peer_articles is None:
        n_peer = min(len(BASE_ARTICLES), len(paths))
    else:
        n_peer = min(args.peer_articles or len(paths), len(paths))
    peer = peer_jobs(paths[:n_peer], beam, recorded.settings)
    peer_tokens = sum(job.source_tokens for job in peer)
    full_peer_tokens = peer_tokens
    if n_peer < len(paths):
        full_peer_tokens = sum(
            job.source_tokens for job in peer_jobs(paths, beam, recorded.settings)
        )
    scale = full_peer_tokens / peer_tokens
    say(
        f"peer: argostranslate.translate.apply_packaged_translation(pkg, paragraph, translator, "
        f"sentencizer, num_hypotheses=1) per paragraph (Argos's translate()), beam_size={beam} "
        f"(Argos's default 4, set to ours'), max_batch_size={argostranslate.settings.batch_size}"
        f" tokens, length_penalty 0.2, compute_type={recorded.settings.compute_type} (Argos's "
        f"default: {argostranslate.settings.compute_type}), inter_threads="
        f"{recorded.settings.inter_threads} and intra_threads={recorded.settings.intra_threads} "
        "(as ours; Argos's defaults: 1 and 0), "
        "workflow.sentences.split_sentences (pySBD) as sentencizer in place of MiniSBD, whose "
        "model cannot be downloaded here; paragraphs after chrome removal, "
        f"no glossary. import argostranslate.translate: {import_seconds:.1f} s (outside the "
        "timing)."
    )
    if n_peer < len(paths):
        say(
            f"peer: decodes the first {n_peer} articles ({peer_tokens} source tokens, ko+ja; "
            "one copy of each original) and its time is scaled to the corpus by source tokens "
            f"(x{scale:.2f}): it decodes paragraph by paragraph, so its cost per token does "
            "not depend on the corpus's size (--peer-articles 0: the whole corpus)"
        )

    # 4. extras and memory first: their cost is fixed; the rounds get what is left.
    extras = [] if args.no_extras else measure_extras(args, tmp, paths, installed, recorded)
    rss = measure_rss(args, tmp, paths[:1], beam, recorded)

    # 3. the rounds
    runs: dict[str, list[Run]] = {m: [] for m in METHODS}
    limit_outputs: list[list[Any]] = []
    peer_at_once = 0.0
    actions: dict[str, Callable[[int], object]] = {
        "limit": lambda r: limit_outputs.append(run_limit(limit, at_once=recorded.at_once)),
        "ours": lambda r: run_ours(paths, tmp / f"out-round{r}", args.beam, args.threads),
        "peer": lambda r: run_peer(peer),
    }
    stop = f"all {args.rounds} rounds done"
    for r in range(args.rounds):
        round_started = time.perf_counter()
        for method in METHODS[r % 3 :] + METHODS[: r % 3]:
            run = timed(functools.partial(actions[method], r))
            runs[method].append(run)
            log(f"round {r + 1}: {method} {run.seconds:.1f} s, others used {run.others:.2f} cores")
            if method == "ours":
                check_ours(tmp / f"out-round{r}", len(paths))
            if method == "peer" and r == 0 and recorded.at_once:
                peer_at_once = timed(lambda: run_peer(peer, at_once=True)).seconds * scale
                log(f"round 1: peer with the languages at once {peer_at_once:.1f} s (scaled)")
        round_seconds = time.perf_counter() - round_started
        if r + 1 < args.rounds and time.perf_counter() - started + round_seconds > args.budget:
            stop = (
                f"stopped after {r + 1} of {args.rounds} rounds: another (~{round_seconds:.0f} s) "
                f"would pass the {args.budget:.0f} s budget"
            )
            break

    seconds = {
        m: [run.seconds * (scale if m == "peer" else 1) for run in runs[m]] for m in METHODS
    }
    median = {m: statistics.median(v) for m, v in seconds.items()}
    tokens = {"limit": limit_tokens, "ours": limit_tokens, "peer": full_peer_tokens}
    copied = sum(
        output.hypotheses[0] == source
        for job, outputs in zip(limit, limit_outputs[0], strict=True)
        for output, source in zip(outputs, job.tokens, strict=True)
    )
    say(
        f"copy check: the limit's first hypothesis equals its source for {copied} of "
        f"{total_segments} segments (the models decode as long as real ones would)"
    )
    say("")
    say(
        f"== {total_segments} segments ({' + '.join(map(str, segments.values()))}), beam {beam} "
        "for all methods"
        + (
            ", NOT the product's default 4 (the benchmark's default, to fit ten minutes)"
            if beam != 4
            else ""
        )
        + f"; {len(runs['ours'])} round(s), order rotated each round ({stop})"
    )
    say(
        f"{'method':<7} {'median s':>9} {'min s':>7} {'max s':>7} {'seg/s':>7} {'tok/s':>7} "
        f"{'peak RSS':>9}  {'others':>6}"
    )
    for m in METHODS:
        others = statistics.median(run.others for run in runs[m])
        say(
            f"{m:<7} {median[m]:9.1f} {min(seconds[m]):7.1f} {max(seconds[m]):7.1f} "
            f"{total_segments / median[m]:7.2f} {tokens[m] / median[m]:7.0f} "
            f"{rss[m] / 1024:6.0f} MB  {others:6.2f}"
        )
    say(
        "seg/s: the corpus's segments (ko+ja) per second, for every method; tok/s: the method's "
        "own source tokens (the peer decodes unmasked text)"
        + ("; peer seconds scaled to the corpus" if scale != 1 else "")
        + ". peak RSS: a process running the method once over "
        f"{paths[0].name}, imports and both models included (the peer's includes "
        "argostranslate.translate's: onnxruntime and MiniSBD), read with wait4 by a small "
        "wrapper process. others: cores that other "
        "processes kept busy during the run (median), from /proc/stat."
    )
    say(
        "rounds (s): "
        + "; ".join(f"{m} " + ", ".join(f"{v:.1f}" for v in seconds[m]) for m in METHODS)
    )
    say(f"at end: {load_average()}")
    out.extend(f"  busy at end: {line}" for line in busy_processes())
    if extras:
        say("")
        out.extend(extras)
    overhead = median["ours"] / median["limit"]
    speedup = median["peer"] / median["ours"]
    if recorded.at_once:
        say(
            f"peer with its two languages at once, in a thread each (round 1 only): "
            f"{peer_at_once:.1f} s, {peer_at_once / median['ours']:.2f} times ours; the peer "
            "above runs one language after the other, as argos-translate-files does"
        )
    say("")
    say(f"ours/limit = {overhead:.2f} (target <= 1.15); peer/ours = {speedup:.2f} (target >= 1.5)")
    say(f"whole command: {time.perf_counter() - started:.0f} s")
    say(f"overhead={overhead:.2f} speedup_vs_argos={speedup:.2f}")
    return out


def check_ours(out: Path, n_articles: int) -> None:
    """Ours wrote a PO file per article and language, every entry translated."""
    import polib

    for lang in LANGS:
        files = sorted((out / lang).glob("*.po"))
        if len(files) != n_articles:
            raise RuntimeError(f"{out / lang}: {len(files)} PO files, expected {n_articles}")
        if any(not entry.msgstr for entry in polib.pofile(str(files[-1]))):
            raise RuntimeError(f"{files[-1]}: untranslated entries")


def measure_rss(
    args: argparse.Namespace, tmp: Path, articles: Sequence[Path], beam: int, recorded: Recorded
) -> dict[str, int]:
    """Each method's peak RSS in kB, each in a process of its own."""
    import dataclasses

    state = {
        "articles": [str(p) for p in articles],
        "beam": beam,
        "ours_beam": args.beam,
        "threads": args.threads,
        "out": str(tmp / "out-rss"),
        "options": {k: v for k, v in recorded.calls[0].items() if k != "examples"},
        "at_once": recorded.at_once,
        "settings": dataclasses.asdict(recorded.settings),
    }
    state_file = tmp / "state.json"
    state_file.write_text(json.dumps(state), "utf-8")
    rss = {}
    for method in METHODS:
        argv = [sys.executable, __file__, "--child", method, "--state", str(state_file)]
        seconds, rss[method] = peak_rss(argv, cwd=REPO)
        log(f"peak RSS of {method}: {rss[method] / 1024:.0f} MB ({seconds:.1f} s)")
    return rss


def measure_extras(
    args: argparse.Namespace,
    tmp: Path,
    paths: Sequence[Path],
    installed: dict[str, Any],
    recorded: Recorded,
) -> list[str]:
    """``--help`` time, a full run's peak RSS, languages in turn or at once, and threads."""
    import dataclasses

    from workflow.engines.argos import _load_translator

    lines = ["== extras"]
    l10n = l10n_command()

    helps = []
    for _ in range(7):
        helps.append(
            timed(
                lambda: subprocess.run([*l10n, "--help"], cwd=tmp, capture_output=True, check=True)
            ).seconds
        )
    lines.append(
        f"{Path(l10n[0]).name} --help: median {statistics.median(helps):.3f} s, min "
        f"{min(helps):.3f} s, max {max(helps):.3f} s over 7 runs (target < 0.3 s)"
    )

    bundled = BASE_ARTICLES[0]
    argv = [
        *l10n,
        "run",
        str(bundled),
        "--glossary",
        str(GLOSSARY),
        "--out",
        str(tmp / "out-full"),
    ]
    seconds, peak = peak_rss([*argv, "--quiet"], cwd=tmp)
    lines.append(
        f"full `l10n run {bundled.name} --quiet` (the product's defaults; "
        f"ko+ja transformer-base models): {seconds:.1f} s wall, peak RSS {peak / 1024:.0f} MB"
    )

    # One language after the other with various threads, or both at once on a core each.
    subset = paths[:1]
    jobs = limit_jobs(subset, installed, recorded)
    configurations = {
        "one at a time, intra_threads=0 (all cores)": (1, 0),
        "one at a time, intra_threads=1": (1, 1),
        "one at a time, inter_threads=2 intra_threads=1": (2, 1),
        "both at once (two Python threads), intra_threads=1 each": (1, 1),
    }
    translators = {
        name: {
            job.lang: _load_translator(
                installed[job.lang].files().model_dir,
                dataclasses.replace(recorded.settings, inter_threads=inter, intra_threads=intra),
            )
            for job in jobs
        }
        for name, (inter, intra) in configurations.items()
    }

    def decode_one(name: str, job: LimitJob) -> None:
        translators[name][job.lang].translate_batch(job.tokens, **job.options)

    def decode(name: str) -> None:
        if not name.startswith("both"):
            for job in jobs:
                decode_one(name, job)
            return
        threads = [threading.Thread(target=decode_one, args=(name, job)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    modes: dict[str, list[float]] = {name: [] for name in configurations}
    for r in range(2):
        for name in list(configurations)[:: 1 if r % 2 == 0 else -1]:
            modes[name].append(timed(functools.partial(decode, name)).seconds)
    medians = {name: statistics.median(v) for name, v in modes.items()}
    best = min(medians, key=medians.__getitem__)
    lines.append(
        f"ko+ja decoding of {subset[0].name} ({sum(j.source_tokens for j in jobs)} tokens, "
        f"ours' options, beam {recorded.calls[0]['beam_size']}), medians of 2:"
    )
    lines.extend(
        f"  {name:<56} {seconds:5.1f} s" + ("  <- fastest" if name == best else "")
        for name, seconds in medians.items()
    )

    # Ours with 0, 1 and 2 threads.
    by_threads: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for r in range(2):
        for n in [0, 1, 2][:: 1 if r % 2 == 0 else -1]:
            out = tmp / f"out-threads-{n}-{r}"
            by_threads[n].append(
                timed(functools.partial(run_ours, subset, out, args.beam, n)).seconds
            )
    lines.append(
        f"l10n run {subset[0].name} --beam-size {args.beam} --threads 0 / 1 / 2: "
        + " / ".join(f"{statistics.median(v):.1f} s" for v in by_threads.values())
        + " (medians of 2)"
    )
    for line in lines:
        log(line)
    return lines


if __name__ == "__main__":
    sys.exit(main())
