"""The ``l10n`` command: parses arguments and wires the stages together.

Each subcommand is one small handler listed in `_COMMANDS`; the handlers call
the library and print, and nothing else in the package prints. Heavy modules
are imported inside the handler that needs them, so ``l10n --help`` starts
instantly.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workflow import __version__
from workflow.engines import ENGINES
from workflow.errors import InputError, ModelError, UsageError, WorkflowError

if TYPE_CHECKING:
    from rich.console import Console

    from workflow.engines import Engine
    from workflow.models import InstalledModel

_DESCRIPTION = """\
Translate English news articles into Korean and Japanese gettext files for
human review: strip the site chrome, cut sentences, enforce a proper-noun
glossary, machine-translate, and write one PO file per language plus a POT
template."""

_RUN_EPILOG = """\
defaults:
  ARTICLE   every *.txt in ./articles, else the bundled example article
  --glossary  every *.tsv in ./glossaries, else the bundled glossary
output:
  OUT/templates/ID.pot and OUT/LANG/ID.po, ID being the article file's stem.
  Every machine translation is marked fuzzy; reviewers clear the flag.
examples:
  l10n run --engine pseudo            dry run on the bundled article
  l10n run news/ --langs ko           every article in news/, Korean only
  l10n run story.txt --glossary names.tsv --out review/"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except WorkflowError as error:
        print(f"l10n: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("l10n: interrupted", file=sys.stderr)
        return 130


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="l10n",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"l10n-workflow {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, (handler, configure, summary) in _COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        configure(sub)
        sub.set_defaults(handler=handler)
    return parser


# -- l10n run ---------------------------------------------------------------


def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _RUN_EPILOG
    parser.add_argument("articles", nargs="*", metavar="ARTICLE|DIR", help="articles to translate")
    parser.add_argument(
        "--langs", default="ko,ja", help="target languages, comma-separated (default: ko,ja)"
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
    parser.add_argument(
        "--index",
        metavar="URL",
        help="package index to fetch missing models from (default: the argospm index)",
    )
    parser.add_argument(
        "--beam-size",
        type=int,
        default=4,
        metavar="N",
        help="argos: beam size (default: 4; 1, greedy search, is about 2.4 times faster, "
        "for drafts)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        metavar="N",
        help="argos: CPU threads per batch (default: 1; the languages decode at once and "
        "cores left over decode more batches in parallel; 0 lets each batch take all cores)",
    )
    parser.add_argument(
        "--compute-type",
        default="int8",
        choices=("int8", "float32", "int8_float32", "int16", "default", "auto"),
        help="argos: CTranslate2 compute type (default: int8, measured fastest here)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bars or summary (for cron)"
    )
    parser.add_argument(
        "--log-json",
        type=Path,
        metavar="FILE",
        help="append one JSON event per article (started, finished, failed) to FILE",
    )


def _run(args: argparse.Namespace) -> int:
    from workflow.batch import RunOptions, run_batch
    from workflow.languages import parse_language_list
    from workflow.report import ConsoleReporter
    from workflow.resources import default_files, expand_articles

    console = _console()
    languages = tuple(lang.code for lang in parse_language_list(args.langs))
    if args.engine not in ENGINES:
        raise UsageError(f"unknown engine {args.engine!r} (choose from: {', '.join(ENGINES)})")
    articles = expand_articles(args.articles) if args.articles else default_files("articles")
    if not articles:
        raise InputError("no article given, and no *.txt article in ./articles to default to")
    glossaries = _glossary_paths(args.glossary)
    options = RunOptions(tuple(articles), tuple(glossaries), languages, args.out, args.profile)
    log = args.log_json.open("a", encoding="utf-8") if args.log_json else None
    try:
        with ConsoleReporter(console, quiet=args.quiet, log=log) as reporter:
            reporter.started(articles)
            result = run_batch(
                options,
                open_engine=lambda langs: _open_engine(args, langs, console),
                reporter=reporter,
                now=_now(),
            )
    finally:
        if log is not None:
            log.close()
    for lang, count in result.unenforced.items():
        if count:
            reporter.warning(
                f"{lang}: {count} glossary term(s) could not be enforced; "
                "see the 'glossary term not enforced' comments"
            )
    if not args.quiet:
        for outcome in result.outcomes:
            for file in outcome.files:
                print(file.summary())
        if len(result.outcomes) > 1 or result.failed:
            _console(stdout=True).print(reporter.summary(result))
        print(
            f"engine: {result.decoded} segment(s) decoded, "
            f"{result.recalled} from translation memory"
        )
    return result.exit_code


def _open_engine(args: argparse.Namespace, languages: Sequence[str], console: Console) -> Engine:
    if args.engine == "pseudo":
        from workflow.engines.pseudo import PseudoEngine

        return PseudoEngine()
    from workflow.engines.argos import ArgosEngine, DecodeSettings, parallel_batches
    from workflow.models import find_model

    settings = DecodeSettings(
        beam_size=args.beam_size,
        compute_type=args.compute_type,
        intra_threads=args.threads,
        inter_threads=parallel_batches(len(languages), args.threads, os.cpu_count() or 1),
    )
    files = {}
    for lang in languages:
        model = find_model("en", lang) or _install_missing(lang, console, index_url=args.index)
        files[lang] = model.files()
    return ArgosEngine(files, settings)


def _install_missing(lang: str, console: Console, *, index_url: str | None) -> InstalledModel:
    """Install a missing model from the index, or explain the two ways to get it."""
    from workflow.models import install_from_index
    from workflow.report import DownloadBar

    console.print(f"No en→{lang} model installed; fetching it from the package index.")
    try:
        return install_from_index(lang, index_url=index_url, progress=DownloadBar(console))
    except ModelError as error:
        raise ModelError(
            f"no en→{lang} translation model (package translate-en_{lang}) and the package "
            f"index failed ({error}); install it with `l10n models install {lang}` "
            f"(online, or --index URL for a mirror) or `l10n models install {lang} "
            f"--from translate-en_{lang}.argosmodel`"
        ) from None


# -- l10n models ------------------------------------------------------------


def _configure_models(parser: argparse.ArgumentParser) -> None:
    parser.epilog = """\
Models are Argos Translate packages (translate-en_ko, translate-en_ja, about
120 MB each), kept where argostranslate keeps them (ARGOS_PACKAGES_DIR, else
~/.local/share/argos-translate/packages), so packages installed with argospm
are found and reused. ARGOS_PACKAGE_INDEX, like --index, points at a mirror."""
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list installed models")
    listing.set_defaults(handler=_models_list)
    install = actions.add_parser(
        "install",
        help="install models from the package index, a mirror, or files",
        description="Install English→LANG models. Each package is checked (one top folder, "
        "metadata, model and tokenizer, no unsafe paths, bounded size) before it is "
        "unpacked, and installed atomically.",
    )
    install.add_argument("langs", nargs="*", metavar="LANG", help="target languages, e.g. ko ja")
    install.add_argument(
        "--index", metavar="URL", help="package index URL (a mirror's index.json)"
    )
    install.add_argument(
        "--from",
        dest="files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=".argosmodel files to install (no network needed)",
    )
    install.set_defaults(handler=_models_install)
    remove = actions.add_parser("remove", help="remove installed models")
    remove.add_argument("langs", nargs="+", metavar="LANG", help="target languages")
    remove.set_defaults(handler=_models_remove)


def _models_list(args: argparse.Namespace) -> int:
    from rich.table import Table

    from workflow.models import format_size, installed_models, packages_dir

    models = installed_models()
    table = Table(title=f"Argos models in {packages_dir()}")
    for column in ("pair", "package", "version", "size", "path"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for model in models:
        table.add_row(
            model.pair,
            model.code,
            model.package_version,
            format_size(model.size_bytes),
            str(model.path),
        )
    _console(stdout=True).print(table if models else "No models installed.")
    return 0


def _models_install(args: argparse.Namespace) -> int:
    from workflow.languages import get_language
    from workflow.models import install_from_file, install_from_index, validate_package
    from workflow.report import DownloadBar

    console = _console()
    for lang in args.langs:
        get_language(lang)
    installed = []
    if args.files:
        for archive in args.files:
            package = validate_package(archive)
            if args.langs and package.to_code not in args.langs:
                raise UsageError(
                    f"{archive} is an {package.pair} package, not one of: {', '.join(args.langs)}"
                )
            installed.append(install_from_file(archive, to_code=package.to_code))
    else:
        if not args.langs:
            raise UsageError("name the languages to install (e.g. ko ja) or give --from FILE")
        for lang in args.langs:
            progress = DownloadBar(console)
            installed.append(install_from_index(lang, index_url=args.index, progress=progress))
    for model in installed:
        print(f"installed {model.label} ({model.pair}) in {model.path}")
    return 0


def _models_remove(args: argparse.Namespace) -> int:
    from workflow.models import remove_model

    for lang in args.langs:
        removed = remove_model(lang)
        if not removed:
            raise UsageError(f"no en→{lang} model is installed")
        for model in removed:
            print(f"removed {model.label} ({model.path})")
    return 0


# -- l10n segment -----------------------------------------------------------


def _configure_segment(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", type=Path, metavar="ARTICLE", help="the article to segment")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", help="source profile for chrome removal (default: detected)")


def _segment(args: argparse.Namespace) -> int:
    from workflow.article import read_article
    from workflow.segment import segment_article

    article = read_article(args.article, profile=args.profile)
    segments = segment_article(article)
    if args.json:
        document = {"article": article.id, "segments": [s.to_json() for s in segments]}
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    for segment in segments:
        mark = "  (possible boilerplate)" if segment.possible_boilerplate else ""
        print(f"{segment.key:>6} {segment.kind:<8} line {segment.line:<4} {segment.text}{mark}")
    return 0


# -- l10n check -------------------------------------------------------------


def _configure_check(parser: argparse.ArgumentParser) -> None:
    from workflow.checks import CHECKS

    listing = "\n".join(f"  {c.id:<22} {c.severity:<8} {c.title}" for c in CHECKS)
    parser.epilog = f"checks (switch one off with --skip ID):\n{listing}\n\n" + (
        "Exit code 1 when any error-level finding exists, so a CI job can gate on it."
    )
    parser.add_argument("catalogs", nargs="+", type=Path, metavar="PO", help="PO files to check")
    parser.add_argument(
        "--glossary",
        action="append",
        metavar="FILE",
        help="glossary TSV; repeat for several (default: as for run)",
    )
    parser.add_argument("--skip", action="append", default=[], metavar="ID", help="check to skip")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _check(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text

    from workflow.checks import check_file
    from workflow.glossary import load_glossaries

    glossary = load_glossaries(_glossary_paths(args.glossary))
    findings = [
        f for path in args.catalogs for f in check_file(path, glossary, disabled=args.skip)
    ]
    errors = sum(1 for f in findings if f.severity == "error")
    if args.json:
        document = {"findings": [dataclasses.asdict(f) for f in findings], "errors": errors}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        console = _console(stdout=True)
        styles = {"error": "red", "warning": "yellow", "info": "dim"}
        for path in args.catalogs:
            table = Table(title=str(path), title_justify="left")
            for column in ("line", "severity", "check", "entry", "finding"):
                table.add_column(column, overflow="fold", no_wrap=column == "line")
            for f in (f for f in findings if f.path == str(path)):
                entry = (f"[{f.msgctxt}] " if f.msgctxt else "") + _shorten(f.msgid, 30)
                severity = Text(f.severity, style=styles[f.severity])
                table.add_row(str(f.line), severity, f.check, entry, f.message)
            console.print(table if table.row_count else f"{path}: no findings")
        console.print(f"{len(findings)} finding(s), {errors} error(s)")
    return 1 if errors else 0


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- l10n glossary ----------------------------------------------------------


def _configure_glossary(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    lint = actions.add_parser(
        "lint",
        help="find duplicates, conflicts, stray whitespace and other problems",
        description="Lint glossary files as a run would load them (later files override). "
        "Exit code 1 when any error is found.",
    )
    lint.add_argument("files", nargs="*", type=Path, metavar="FILE", help="default: as for run")
    lint.add_argument("--skip", action="append", default=[], metavar="ID", help="check to skip")
    lint.set_defaults(handler=_glossary_lint)
    show = actions.add_parser(
        "show",
        help="what the glossary does with an English sentence",
        description="Which glossary rows match SENTENCE, what each language gets, "
        "and the masked text the engine would see.",
    )
    show.add_argument("sentence", metavar="SENTENCE", help="an English sentence or term")
    show.add_argument("--glossary", action="append", metavar="FILE", help="default: as for run")
    show.add_argument("--langs", default="ko,ja", help="languages (default: ko,ja)")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_glossary_show)
    imports = actions.add_parser("import", help="convert a TBX termbase into a glossary TSV")
    imports.add_argument("tbx", type=Path, metavar="FILE.tbx")
    imports.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tsv")
    imports.set_defaults(handler=_glossary_import)
    export = actions.add_parser(
        "export", help="convert glossary TSV into TBX (TBX-Basic, TBX v3) for other tools"
    )
    export.add_argument("tsv", type=Path, nargs="+", metavar="FILE.tsv")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tbx")
    export.set_defaults(handler=_glossary_export)


def _glossary_paths(given: Sequence[str | Path] | None) -> list[Path]:
    from workflow.resources import default_files

    return [Path(p) for p in given] if given else default_files("glossaries")


def _glossary_lint(args: argparse.Namespace) -> int:
    from workflow.glossary_lint import has_errors, lint_glossaries

    findings = lint_glossaries(_glossary_paths(args.files), skip=args.skip)
    for finding in findings:
        print(finding)
    errors = sum(1 for f in findings if f.severity == "error")
    print(f"{len(findings)} finding(s), {errors} error(s)")
    return 1 if has_errors(findings) else 0


def _glossary_show(args: argparse.Namespace) -> int:
    from workflow.glossary import load_glossaries
    from workflow.glossary_show import explain
    from workflow.languages import parse_language_list

    languages = [lang.code for lang in parse_language_list(args.langs)]
    explanations = explain(
        args.sentence, load_glossaries(_glossary_paths(args.glossary)), languages
    )
    if args.json:
        print(json.dumps([e.to_json() for e in explanations], ensure_ascii=False, indent=2))
    else:
        for explanation in explanations:
            print("\n".join(explanation.lines()))
    return 0


def _glossary_import(args: argparse.Namespace) -> int:
    from workflow.files import write_atomic
    from workflow.tbx import read_tbx, write_tsv

    terms = read_tbx(args.tbx)
    write_atomic(args.output, write_tsv(terms))
    print(f"wrote {args.output} ({len(terms)} rows)")
    return 0


def _glossary_export(args: argparse.Namespace) -> int:
    from workflow.files import write_atomic
    from workflow.glossary import load_glossaries
    from workflow.tbx import write_tbx

    glossary = load_glossaries(args.tsv)
    write_atomic(args.output, write_tbx(glossary.terms))
    print(f"wrote {args.output} ({len(glossary.terms)} terms)")
    return 0


# -- l10n eval --------------------------------------------------------------


def _configure_eval(parser: argparse.ArgumentParser) -> None:
    parser.epilog = """\
figures:
  chrF             character n-gram F-score against the reference (sacrebleu's
                   chrF: character based, so it needs no Korean or Japanese
                   word segmentation); 100 is identical
  term usage       share of glossary hits in the English whose required
                   rendering appears in the translation
  particle agreement  (Korean) share of inserted terms followed by a particle
                   whose form agrees with the term's last sound"""
    parser.add_argument("catalogs", nargs="+", type=Path, metavar="PO", help="PO files to score")
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="REF",
        help="reviewed reference PO, or a folder holding LANG/ID.po references",
    )
    parser.add_argument("--glossary", action="append", metavar="FILE", help="default: as for run")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _eval(args: argparse.Namespace) -> int:
    from rich.table import Table

    from workflow.evaluate import evaluate
    from workflow.glossary import load_glossaries
    from workflow.pofile import read_catalog

    glossary = load_glossaries(_glossary_paths(args.glossary))
    results = []
    for path in args.catalogs:
        language = path.parent.name
        catalog = read_catalog(path, language=language)
        reference = None
        if args.reference:
            ref_path = args.reference
            if ref_path.is_dir():
                ref_path = ref_path / language / path.name
            reference = read_catalog(ref_path, language=language)
        results.append(
            evaluate(catalog, glossary, reference=reference, language=language, path=str(path))
        )
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
        return 0

    def percent(rate: float | None) -> str:
        return "-" if rate is None else f"{100 * rate:.1f}%"

    table = Table(title="Translation quality")
    for column in ("file", "lang", "segments", "chrF", "term usage", "particle agreement"):
        table.add_column(column, justify="left" if column in ("file", "lang") else "right")
    for r in results:
        table.add_row(
            r.path,
            r.language,
            str(r.segments),
            "-" if r.chrf is None else f"{r.chrf:.1f}",
            f"{percent(r.term_usage_rate)} ({r.term_kept}/{r.term_hits})",
            f"{percent(r.particle_agreement_rate)} ({r.particle_agreeing}/{r.particle_checked})"
            if r.language == "ko"
            else "-",
        )
    _console(stdout=True).print(table)
    return 0


# -- l10n status ------------------------------------------------------------


def _configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("locales"),
        help="output folder (default: locales)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _status(args: argparse.Namespace) -> int:
    from rich.table import Table

    from workflow.status import scan_status

    statuses = scan_status(args.folder)
    if args.json:
        print(json.dumps({"catalogs": [s.to_json() for s in statuses]}, ensure_ascii=False))
        return 0
    table = Table(title=f"Review status of {args.folder}")
    table.add_column("article")
    table.add_column("lang")
    for column in ("total", "translated", "fuzzy", "untranslated", "reviewed"):
        table.add_column(column, justify="right")
    for status in statuses:
        table.add_row(
            status.article_id,
            status.language,
            str(status.total),
            str(status.translated),
            str(status.fuzzy),
            str(status.untranslated),
            f"{status.percent_reviewed:.0f}%",
        )
    _console(stdout=True).print(table if statuses else f"No PO files in {args.folder}.")
    return 0


# -- l10n build -------------------------------------------------------------


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.epilog = """\
Each PO file's English article is found through its "#:" references and read
again for its structure: title, dateline, paragraphs and captions in order.
Sentences are joined as the language writes them (a space between Korean
sentences, none between Japanese ones). An untranslated entry falls back to
the English, with a warning."""
    parser.add_argument("catalogs", nargs="+", type=Path, metavar="PO", help="PO files to build")
    parser.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder (default: build)"
    )
    parser.add_argument(
        "--require-reviewed",
        action="store_true",
        help="refuse (exit 1, nothing written) if any entry is fuzzy or untranslated",
    )


def _build(args: argparse.Namespace) -> int:
    from rich.text import Text

    from workflow.article import read_article
    from workflow.build import build_article, find_source_article
    from workflow.files import write_atomic
    from workflow.pofile import read_catalog

    console = _console()
    built = []
    for po_path in args.catalogs:
        language = po_path.parent.name
        catalog = read_catalog(po_path, language=language)
        article = read_article(find_source_article(po_path, catalog))
        built.append((po_path, build_article(catalog, article, language=language)))
    incomplete = [(path, result) for path, result in built if not result.is_complete]
    if args.require_reviewed and incomplete:
        for path, result in incomplete:
            console.print(
                f"{path}: {len(result.unreviewed)} fuzzy, {len(result.fallbacks)} untranslated",
                highlight=False,
            )
        print("l10n: error: not every entry is reviewed; nothing built", file=sys.stderr)
        return 1
    for path, result in built:
        for english in result.fallbacks:
            console.print(
                Text.assemble(("warning:", "yellow"), f" {path}: left in English: {english}")
            )
        target = args.out / result.language / f"{result.article_id}.txt"
        write_atomic(target, result.text)
        print(f"built {target}")
    return 0


# -- l10n tm ----------------------------------------------------------------


def _configure_tm(parser: argparse.ArgumentParser) -> None:
    parser.epilog = """\
Every engine result is kept in OUT/.l10n/state.sqlite3, keyed by engine,
model package and version, decoding settings and the masked source, so a
re-run decodes only sentences it has never seen."""
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    stats = actions.add_parser("stats", help="what the translation memory holds")
    stats.add_argument("--out", type=Path, default=Path("locales"), help="output folder")
    stats.set_defaults(handler=_tm_stats)
    export = actions.add_parser(
        "export",
        help="export as TMX 1.4, reviewed translations winning over machine output",
    )
    export.add_argument(
        "--tmx", type=Path, required=True, metavar="FILE", help="TMX file to write"
    )
    export.add_argument("--out", type=Path, default=Path("locales"), help="output folder")
    export.set_defaults(handler=_tm_export)


def _tm_stats(args: argparse.Namespace) -> int:
    from rich.table import Table

    from workflow.store import Store

    stats = Store.at(args.out).stats()
    table = Table(title=f"Translation memory of {args.out}")
    for column in ("lang", "machine translations", "memory entries"):
        table.add_column(column, justify="left" if column == "lang" else "right")
    for row in stats:
        table.add_row(row.lang, str(row.machine_outputs), str(row.memory_entries))
    _console(stdout=True).print(table if stats else f"No translation memory in {args.out}.")
    return 0


def _tm_export(args: argparse.Namespace) -> int:
    from workflow.files import write_atomic
    from workflow.pofile import read_catalog
    from workflow.store import Store
    from workflow.tmx import Origin, collect_units, write_tmx

    store = Store.at(args.out)
    pairs: list[tuple[str, str, str, Origin]] = []
    for stat in store.stats():
        pairs += [(stat.lang, en, text, "mt") for en, text in store.machine_outputs(stat.lang)]
    for po_path in sorted(args.out.glob("*/*.po")):
        lang = po_path.parent.name
        for entry in read_catalog(po_path, language=lang):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                pairs.append((lang, entry.msgid, entry.msgstr, "reviewed"))
    units = collect_units(pairs)
    write_atomic(args.tmx, write_tmx(units, created=_now().strftime("%Y%m%dT%H%M%SZ")))
    print(f"wrote {args.tmx} ({len(units)} translations)")
    return 0


# -- shared -----------------------------------------------------------------


def _console(*, stdout: bool = False) -> Console:
    from rich.console import Console

    # Messages and progress go to stderr, so stdout stays clean for pipes.
    # Text from articles, glossaries and PO files is printed as it is, never
    # read as rich markup ("[/x]" in a sentence must not raise); styles are
    # given with rich.text.Text. Messages are not wrapped, so that a log line
    # stays one line in cron mail and CI logs.
    return Console(stderr=not stdout, markup=False, soft_wrap=True)


def _now() -> datetime:
    """The run's timestamp; SOURCE_DATE_EPOCH pins it for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now().astimezone()


Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]

_COMMANDS: dict[str, tuple[Handler, Configure, str]] = {
    "run": (_run, _configure_run, "translate articles into PO files for review"),
    "segment": (_segment, _configure_segment, "show how an article is cut into segments"),
    "check": (_check, _configure_check, "QA checks on reviewed and unreviewed PO files"),
    "status": (_status, _configure_status, "how much of each PO file is reviewed"),
    "eval": (_eval, _configure_eval, "score translations: chrF, term usage, particle agreement"),
    "build": (_build, _configure_build, "assemble finished articles from reviewed PO files"),
    "glossary": (_glossary_lint, _configure_glossary, "lint, show, import and export glossaries"),
    "models": (_models_list, _configure_models, "list, install and remove translation models"),
    "tm": (_tm_stats, _configure_tm, "inspect and export the translation memory"),
}
