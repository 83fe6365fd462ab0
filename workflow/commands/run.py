"""``l10n run`` and ``l10n segment``: articles in, PO files (or segments) out."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, get_args

from workflow.commands import glossary_paths, now, open_console, silence_output
from workflow.commands.models import INDEX_HELP
from workflow.engines import ENGINES, engine_module
from workflow.engines.spec import (
    DEFAULT_COMPUTE_TYPE,
    GPU_BATCH_TOKENS,
    GPU_COMPUTE_TYPES,
    ComputeType,
    DecodeSettings,
    Device,
    EngineSpec,
    check_compute_type,
    cuda_devices,
    gpu_batches,
    parallel_batches,
    resolve_device,
)
from workflow.errors import InputError, ModelError, UsageError, WorkflowError
from workflow.languages import DEFAULT_LANGS
from workflow.waves import DEFAULT_WAVE_ARTICLES

if TYPE_CHECKING:
    from rich.console import Console

    from workflow.article import Article
    from workflow.batch import BatchResult
    from workflow.decoder import Decoder
    from workflow.engines.spec import ModelFiles
    from workflow.models import InstalledModel
    from workflow.ray_decoder import RayDecoder
    from workflow.report import ConsoleReporter

_RUN_EPILOG = """\
defaults:
  ARTICLE   every *.txt, *.html and *.htm in ./articles, else the bundled example article
  --glossary  every *.tsv in ./glossaries, else the bundled glossary
output:
  OUT/templates/ID.pot and OUT/LANG/ID.po, ID being the article file's stem.
  Every machine translation is marked fuzzy; reviewers clear the flag.
  A run starts with one line naming its articles, glossaries, engine and
  models, and ends with a table of every article's outcome; progress bars
  and messages go to stderr.
examples:
  l10n run --engine pseudo            dry run on the bundled article
  l10n run news/ --langs ko           every article in news/, Korean only
  l10n run story.txt --glossary names.tsv --out review/
  l10n run page.html                  a saved web page; a folder takes *.txt, *.html, *.htm
  l10n run archive/ --device cuda     decode on this machine's NVIDIA GPUs (float16)"""


def configure_run(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``l10n run``, in the groups its ``--help`` shows."""
    parser.epilog = _RUN_EPILOG
    _add_input_arguments(parser)
    _add_decoding_arguments(parser.add_argument_group("decoding (argos)"))
    _add_executor_arguments(parser.add_argument_group("where decoding runs"))
    _add_output_arguments(parser.add_argument_group("terminal and log"))


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "articles",
        nargs="*",
        metavar="ARTICLE|DIR",
        help="articles to translate: text files or saved web pages (.html, .htm)",
    )
    parser.add_argument(
        "--langs",
        default=DEFAULT_LANGS,
        help=f"target languages, comma-separated (default: {DEFAULT_LANGS})",
    )
    parser.add_argument(
        "--glossary",
        action="append",
        metavar="FILE",
        help="glossary TSV; repeat for several, later ones win (replaces the defaults)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("locales"), help="output folder (default: locales)"
    )
    parser.add_argument(
        "--engine",
        default="argos",
        help=f"translation engine: {', '.join(ENGINES)} (default: argos; "
        "pseudo marks text instead of translating, for dry runs)",
    )
    parser.add_argument("--profile", help="source profile for chrome removal (default: detected)")


def _add_decoding_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--index",
        metavar="URL",
        help=f"where missing models are fetched from; {INDEX_HELP}",
    )
    group.add_argument(
        "--beam-size",
        type=int,
        default=4,
        metavar="N",
        help="argos: beam size (default: 4; 1, greedy search, is about 2.4 times faster, "
        "for drafts)",
    )
    group.add_argument(
        "--threads",
        type=int,
        default=1,
        metavar="N",
        help="argos: CPU threads per batch (default: 1; the languages decode at once and "
        "cores left over decode more batches in parallel; 0 lets each batch take all cores)",
    )
    group.add_argument(
        "--batch-tokens",
        type=int,
        metavar="N",
        help="argos: source tokens per decoding batch (default: 1024 on a CPU, where Argos's "
        "own 32 took twice as long and more only costs memory; 4096 on a GPU)",
    )
    group.add_argument(
        "--device",
        choices=get_args(Device),
        default="cpu",
        help="argos: where CTranslate2 decodes (default: cpu; cuda: NVIDIA GPUs, refused "
        "when CTranslate2 sees none; auto: cuda if it sees one, else cpu)",
    )
    group.add_argument(
        "--compute-type",
        choices=get_args(ComputeType),
        metavar="TYPE",
        help="argos: CTranslate2 compute type: int8, float32, int8_float32, int16, default, "
        "auto, and on a GPU float16, int8_float16, bfloat16, int8_bfloat16 (default: int8 on "
        "a CPU, measured fastest here; float16 on a GPU, fastest in CTranslate2's published "
        "benchmark)",
    )


def _add_executor_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="where segments are decoded: local (this process, the default) or ray "
        '(a Ray cluster; needs `pip install "l10n-workflow[ray]"`)',
    )
    group.add_argument(
        "--ray-address",
        metavar="auto|HOST:PORT",
        help="ray: join this cluster (auto: the one started on this machine with `ray start`); "
        "default: start a Ray instance on this machine for the run",
    )
    group.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="ray: decoding workers, each of --threads CPUs (default: as many as the "
        "cluster's CPUs allow); with --device cuda each also takes one GPU (default: one "
        "worker per GPU of the cluster)",
    )
    group.add_argument(
        "--wave-articles",
        type=int,
        default=DEFAULT_WAVE_ARTICLES,
        metavar="N",
        help="articles read, planned, decoded and written together; the next wave is "
        "planned while one decodes, so this process holds two waves at most, whatever the "
        f"size of the archive (default: {DEFAULT_WAVE_ARTICLES}, about 50 MB each for "
        "25-sentence articles; larger waves keep a large cluster's workers more evenly busy)",
    )


def _add_output_arguments(group: argparse._ArgumentGroup) -> None:
    talk = group.add_mutually_exclusive_group()
    talk.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bars, first line or summary; only warnings and errors (for cron)",
    )
    talk.add_argument(
        "--verbose",
        action="store_true",
        help="also one line per file written (N new, N changed, N unchanged, ...)",
    )
    group.add_argument(
        "--log-json",
        type=Path,
        metavar="FILE",
        help="append one JSON event per article (started, then finished or failed) to FILE, "
        "and 'aborted' if the whole run stops",
    )


def run(args: argparse.Namespace) -> int:
    """``l10n run``: translate the articles and write their POT and PO files."""
    from workflow.batch import RunOptions, run_batch
    from workflow.languages import parse_language_list
    from workflow.report import ConsoleReporter, run_description
    from workflow.resources import default_files, expand_articles

    console = open_console()
    report = open_console(stdout=True)
    languages = tuple(lang.code for lang in parse_language_list(args.langs))
    if args.engine not in ENGINES:
        raise UsageError(f"unknown engine {args.engine!r} (choose from: {', '.join(ENGINES)})")
    articles = expand_articles(args.articles) if args.articles else default_files("articles")
    if not articles:
        raise InputError(
            "no article given, and no *.txt or *.html article in ./articles to default to"
        )
    glossaries = glossary_paths(args.glossary)
    # Before any work: a GPU asked for and not there is refused now.
    device = _decode_device(args)
    decoders = _Decoders(args)
    if args.wave_articles < 1:
        raise UsageError(f"--wave-articles must be at least 1, not {args.wave_articles}")
    options = RunOptions(
        tuple(articles), tuple(glossaries), languages, args.out, args.profile, args.wave_articles
    )

    def engine_spec(langs: Sequence[str]) -> EngineSpec:
        spec, described = _engine_spec(args, langs, console, device)
        if not args.quiet:
            # Once the engine and its models are known, before anything is
            # decoded or written: what this run uses, glossaries above all,
            # since a ./glossaries folder replaces the bundled one.
            line = run_description(
                [_shown(path) for path in articles],
                languages=langs,
                engine=described,
                glossaries=[_shown(path) for path in glossaries],
                glossary_origin="" if args.glossary else _glossary_origin(glossaries),
                out=args.out,
            )
            try:
                reporter.say(line)
            except BrokenPipeError:
                # The reader went away (`l10n run | true`): the files are
                # what a run is for, so it finishes them, saying nothing more.
                silence_output()
        return spec

    log = _open_log(args.log_json)
    try:
        with ConsoleReporter(console, quiet=args.quiet, log=log, output=report) as reporter:
            reporter.started(articles)
            try:
                result = run_batch(
                    options,
                    engine=engine_spec,
                    reporter=reporter,
                    now=now(),
                    decoder=decoders.open,
                )
            except WorkflowError as error:
                reporter.aborted(str(error), path=error.path)
                raise
            except KeyboardInterrupt:
                reporter.aborted("interrupted")
                raise
            except Exception as error:
                # Not the user's to fix, but the monitoring must still see the run end.
                reporter.aborted(f"{type(error).__name__}: {error}")
                raise
    finally:
        decoders.close()
        if log is not None:
            log.close()
    for message in result.unenforced_warnings():
        reporter.warning(message)
    if not args.quiet:
        _print_summary(report, reporter, result, verbose=args.verbose)
    return result.exit_code


class _Decoders:
    """What `run_batch` decodes with: local threads, or Ray workers it must close."""

    def __init__(self, args: argparse.Namespace) -> None:
        if args.executor != "ray" and (args.ray_address or args.workers is not None):
            raise UsageError("--ray-address and --workers need --executor ray")
        if args.executor == "ray":
            from workflow.ray_decoder import import_ray

            # Fails now, in one line, if Ray is not installed.
            import_ray(args.ray_address)
        self.args = args
        self.started: list[RayDecoder] = []

    def open(self, spec: EngineSpec) -> Decoder:
        if self.args.executor == "local":
            from workflow.decoder import LocalDecoder

            return LocalDecoder(spec)
        from workflow.ray_decoder import RayDecoder

        self.started.append(
            RayDecoder(
                spec,
                address=self.args.ray_address,
                workers=self.args.workers,
                # Each worker decodes one batch at a time on the CPUs Ray gives it.
                threads=max(1, self.args.threads),
            )
        )
        return self.started[-1]

    def close(self) -> None:
        for started in self.started:
            started.close()


def _open_log(path: Path | None) -> TextIO | None:
    """The ``--log-json`` file, opened for appending; a usage error if it cannot be."""
    if path is None:
        return None
    try:
        return path.open("a", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot open the event log: {error.strerror}", path=path) from None


def _print_summary(
    report: Console, reporter: ConsoleReporter, result: BatchResult, *, verbose: bool
) -> None:
    """The end of a run: per-file lines with --verbose, one table, the engine's counts."""
    if verbose:
        for outcome in result.outcomes:
            for file in outcome.files:
                report.print(file.summary(), highlight=False)
    # One table for the batch: the counts of every file written, and
    # which articles failed (each failure's reason was printed as it came).
    report.print(reporter.summary(result))
    report.print(
        f"engine: {result.decoded} segment(s) decoded, {result.recalled} from translation memory",
        highlight=False,
    )


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it is inside it, as a user would type it."""
    try:
        return path.relative_to(Path.cwd()) if path.is_absolute() else path
    except ValueError:
        return path


def _glossary_origin(defaults: Sequence[Path]) -> str:
    """Where the default glossaries come from: ./glossaries, or the bundled copy."""
    if defaults and defaults[0].parent == Path.cwd() / "glossaries":
        return "from ./glossaries, not the bundled glossary"
    return "bundled"


@dataclass(frozen=True)
class _Device:
    """Where decoding runs, decided before any work: the device, its compute type, its GPUs."""

    device: Literal["cpu", "cuda"]
    compute_type: ComputeType
    #: The GPUs this machine's CTranslate2 sees; 0 on a CPU or a joined Ray cluster.
    gpus: int = 0


def _decode_device(args: argparse.Namespace) -> _Device:
    """``--device`` and ``--compute-type`` resolved, or refused in one line.

    "auto" and a missing GPU are decided by what CTranslate2 sees on this
    machine, which is where decoding runs, for a local run and for a Ray
    instance the run starts. The GPUs of a cluster joined with
    ``--ray-address`` are counted when joining it instead, so "auto" cannot
    be decided beforehand there.
    """
    if not ENGINES[args.engine].uses_models:
        # The decoding options are the models' (an engine without models
        # never checked them, and still does not).
        return _Device("cpu", DEFAULT_COMPUTE_TYPE["cpu"])
    joined = args.executor == "ray" and args.ray_address is not None
    if joined:
        if args.device == "auto":
            raise UsageError(
                "--device auto cannot see the GPUs of a cluster joined with --ray-address; "
                "give --device cuda or --device cpu"
            )
        device: Literal["cpu", "cuda"] = "cuda" if args.device == "cuda" else "cpu"
        gpus = 0
    else:
        gpus = cuda_devices() if args.device != "cpu" else 0
        device = resolve_device(args.device, gpus)
    compute_type: ComputeType = args.compute_type or DEFAULT_COMPUTE_TYPE[device]
    if args.compute_type is not None:
        if joined:
            # The workers' CPUs or GPUs are not this machine's: only the
            # GPU-only types are refused for a CPU here.
            if device == "cpu" and compute_type in GPU_COMPUTE_TYPES:
                check_compute_type(compute_type, "cpu")
        else:
            check_compute_type(compute_type, device)
    return _Device(device, compute_type, gpus)


def _engine_spec(
    args: argparse.Namespace, languages: Sequence[str], console: Console, device: _Device
) -> tuple[EngineSpec, str]:
    """The spec of the engine for `languages`, and what it is for the line a run starts with.

    Missing models are installed first, for an engine that uses them.
    """

    settings = DecodeSettings()
    models: dict[str, ModelFiles] = {}
    if ENGINES[args.engine].uses_models:
        tokens: int | None = args.batch_tokens
        if device.device == "cuda":
            # Larger batches, and a few of them in flight on every GPU
            # this machine has (a Ray worker keeps to the one it is given).
            settings = DecodeSettings(
                beam_size=args.beam_size,
                max_batch_tokens=GPU_BATCH_TOKENS if tokens is None else tokens,
                compute_type=device.compute_type,
                device="cuda",
                device_index=tuple(range(max(1, device.gpus))),
                intra_threads=args.threads,
                inter_threads=gpu_batches(len(languages)),
            )
        else:
            settings = DecodeSettings(
                beam_size=args.beam_size,
                max_batch_tokens=DecodeSettings.max_batch_tokens if tokens is None else tokens,
                compute_type=device.compute_type,
                intra_threads=args.threads,
                inter_threads=parallel_batches(len(languages), args.threads, os.cpu_count() or 1),
            )
        models = _model_files(languages, console, index=args.index, quiet=args.quiet)
    spec = EngineSpec(args.engine, tuple(languages), models, settings)
    return spec, engine_module(args.engine).describe(spec)


def _model_files(
    languages: Sequence[str], console: Console, *, index: str | None, quiet: bool
) -> dict[str, ModelFiles]:
    """The files of each language's installed model, installing the missing ones."""
    from workflow.models import find_model

    found = {lang: find_model("en", lang) for lang in languages}
    missing = [lang for lang, model in found.items() if model is None]
    installed = _install_missing(missing, console, index=index, quiet=quiet) if missing else {}
    return {lang: (found[lang] or installed[lang]).files() for lang in languages}


def _install_missing(
    langs: Sequence[str], console: Console, *, index: str | None, quiet: bool
) -> dict[str, InstalledModel]:
    """Install missing models from the package index, or say in one line how to get them.

    The index is fetched once for all of `langs`; if it cannot be, the error
    names every missing model. With `quiet` nothing is shown but errors.
    """
    from workflow.models import fetch_index, install_from_index, resolve_index
    from workflow.report import DownloadBar

    def advice(missing: Sequence[str], problem: str) -> ModelError:
        models = " and ".join(
            f"no en→{lang} translation model (package translate-en_{lang})" for lang in missing
        )
        names = " ".join(missing)
        files = " ".join(f"translate-en_{lang}.argosmodel" for lang in missing)
        are, them = ("is", "it") if len(missing) == 1 else ("are", "them")
        return ModelError(
            f"{models} {are} installed and {problem}; install {them} with "
            f"`l10n models install {names}` (online, or --index URL for a mirror) "
            f"or `l10n models install {names} --from {files}`"
        )

    url = resolve_index(index)
    try:
        entries = fetch_index(url)
    except ModelError as error:
        raise advice(langs, f"the package index failed ({error})") from None
    installed = {}
    for lang in langs:
        if not quiet:
            console.print(
                f"No en→{lang} model installed; fetching it from the package index {url}",
                highlight=False,
            )
        progress = DownloadBar(console, quiet=quiet)
        try:
            installed[lang] = install_from_index(
                lang, index_url=url, entries=entries, progress=progress
            )
        except ModelError as error:
            raise advice(
                [lang], f"installing it from the package index failed ({error})"
            ) from None
    return installed


def configure_segment(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``l10n segment``."""
    parser.add_argument(
        "article", type=Path, metavar="ARTICLE", help="the article to segment (text or HTML)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", help="source profile for chrome removal (default: detected)")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="list every line removed or marked (chrome, boilerplate, title, dateline, caption) "
        "with the rule or profile that decided",
    )


def segment(args: argparse.Namespace) -> int:
    """``l10n segment``: print an article's segments."""
    from workflow.article import read_article
    from workflow.segment import segment_article

    article = read_article(args.article, profile=args.profile)
    for note in article.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.explain:
        return _explain(article)
    segments = segment_article(article)
    if args.json:
        document = {"article": article.id, "segments": [s.to_json() for s in segments]}
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    for segment in segments:
        mark = "  (possible boilerplate)" if segment.possible_boilerplate else ""
        print(f"{segment.key:>6} {segment.kind:<8} line {segment.line:<4} {segment.text}{mark}")
    return 0


def _explain(article: Article) -> int:
    """``l10n segment --explain``: what was removed or marked, and by which rule."""
    from workflow.article import explain

    print(f"{article.path}: profile {article.profile}")
    for line, what, rule, text in explain(article):
        print(f"line {line:<5} {what:<8} [{rule}] {text}")
    return 0
