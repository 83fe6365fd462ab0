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
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=_CommandParser
    )
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


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser, whose epilog may be written only when help is shown.

    Some epilogs list what a heavy module defines; importing it for every
    ``l10n --help`` would slow every start.
    """

    lazy_epilog: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.lazy_epilog is not None:
            self.epilog = self.lazy_epilog()
        return super().format_help()


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
        help=f"where missing models are fetched from; {_INDEX_HELP}",
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
        "--batch-tokens",
        type=int,
        default=1024,
        metavar="N",
        help="argos: source tokens per decoding batch (default: 1024; Argos's own 32 took "
        "twice as long, more only costs memory)",
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
        help="append one JSON event per article (started, then finished or failed) to FILE, "
        "and 'aborted' if the whole run stops",
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
    try:
        log = args.log_json.open("a", encoding="utf-8") if args.log_json else None
    except OSError as error:
        raise UsageError(
            f"cannot open the event log: {error.strerror}", path=args.log_json
        ) from None
    try:
        with ConsoleReporter(console, quiet=args.quiet, log=log) as reporter:
            reporter.started(articles)
            try:
                result = run_batch(
                    options,
                    open_engine=lambda langs: _open_engine(args, langs, console),
                    reporter=reporter,
                    now=_now(),
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
        if log is not None:
            log.close()
    for message in result.unenforced_warnings():
        reporter.warning(message)
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
        max_batch_tokens=args.batch_tokens,
        compute_type=args.compute_type,
        intra_threads=args.threads,
        inter_threads=parallel_batches(len(languages), args.threads, os.cpu_count() or 1),
    )
    found = {lang: find_model("en", lang) for lang in languages}
    missing = [lang for lang, model in found.items() if model is None]
    installed = (
        _install_missing(missing, console, index=args.index, quiet=args.quiet) if missing else {}
    )
    files = {}
    for lang in languages:
        model = found[lang] or installed[lang]
        files[lang] = model.files()
    return ArgosEngine(files, settings)


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


# -- l10n models ------------------------------------------------------------

_INDEX_HELP = (
    "package index: a mirror's base URL or folder, to which index.json is appended, "
    "or the index file itself (a URL or path ending in .json); "
    "default: ARGOS_PACKAGE_INDEX, else the argospm index"
)


def _configure_models(parser: argparse.ArgumentParser) -> None:
    parser.epilog = """\
Models are Argos Translate packages (translate-en_ko, translate-en_ja, about
120 MB each), kept where argostranslate keeps them (ARGOS_PACKAGES_DIR, else
~/.local/share/argos-translate/packages), so packages installed with argospm
are found and reused. Installs download and unpack in .l10n-staging beside
that folder, then move the finished package into it.
ARGOS_PACKAGE_INDEX, like --index, points at a mirror: its base URL or
folder (index.json is appended, as argospm does) or its index file (.json)."""
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list installed models")
    listing.set_defaults(handler=_models_list)
    install = actions.add_parser(
        "install",
        help="install models from the package index, a mirror, or files",
        description="Install English→LANG models. Each package is checked (one top folder, "
        "metadata, model, vocabulary and tokenizer, no unsafe paths, bounded size) before "
        "it is unpacked, and installed atomically. With --from, every file is checked "
        "before any is installed; a LANG that no file provides is reported and the "
        "command exits with 1.",
    )
    install.add_argument("langs", nargs="*", metavar="LANG", help="target languages, e.g. ko ja")
    install.add_argument("--index", metavar="URL", help=_INDEX_HELP)
    install.add_argument(
        "--from",
        dest="files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=".argosmodel files to install, one per language (no network needed)",
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
    for column in ("pair", "package", "version", "size"):
        table.add_column(column, justify="right" if column == "size" else "left", no_wrap=True)
    # A path cut short with "…" is useless; folded over lines it stays whole.
    table.add_column("path", overflow="fold")
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
    from workflow.models import (
        fetch_index,
        install_from_file,
        install_from_index,
        plan_file_install,
        resolve_index,
    )
    from workflow.report import DownloadBar

    langs = list(dict.fromkeys(args.langs))
    for lang in langs:
        get_language(lang)
    if args.files:
        if args.index:
            raise UsageError("give either --from FILE or --index URL, not both")
        plan = plan_file_install(args.files, langs)
        for package in plan.packages:
            model = install_from_file(package.archive, to_code=package.to_code)
            print(f"installed {model.label} ({model.pair}) in {model.path}")
        for lang in plan.missing:
            print(
                f"l10n: error: en→{lang} not installed: none of the files given "
                f"is an en→{lang} package",
                file=sys.stderr,
            )
        return 1 if plan.missing else 0
    if not langs:
        raise UsageError("name the languages to install (e.g. ko ja) or give --from FILE")
    console = _console()
    url = resolve_index(args.index)
    entries = fetch_index(url)
    for lang in langs:
        model = install_from_index(
            lang, index_url=url, entries=entries, progress=DownloadBar(console)
        )
        print(f"installed {model.label} ({model.pair}) in {model.path}")
    return 0


def _models_remove(args: argparse.Namespace) -> int:
    from workflow.models import remove_model

    for lang in args.langs:
        removed = remove_model(lang)
        if not removed:
            # Only when a concurrent removal got there first.
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
    if isinstance(parser, _CommandParser):
        parser.lazy_epilog = _check_epilog
    parser.add_argument("catalogs", nargs="+", type=Path, metavar="PO", help="PO files to check")
    parser.add_argument(
        "--glossary",
        action="append",
        metavar="FILE",
        help="glossary TSV; repeat for several (default: as for run)",
    )
    parser.add_argument("--skip", action="append", default=[], metavar="ID", help="check to skip")
    parser.add_argument(
        "--require-reviewed",
        action="store_true",
        help="exit code 1 also while any entry is fuzzy or untranslated (a gate before "
        "publishing, as for build)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _check_epilog() -> str:
    from workflow.checks import CHECKS

    listing = "\n".join(f"  {c.id:<22} {c.severity:<8} {c.title}" for c in CHECKS)
    return f"checks (switch one off with --skip ID):\n{listing}\n\n" + (
        "Exit code 1 when any error-level finding exists (with --require-reviewed, also\n"
        "while any entry is fuzzy or untranslated), so a CI job can gate on it.\n"
        "A PO file that `l10n run` would refuse (a syntax error, a duplicate entry, a\n"
        "charset other than UTF-8, no Language header) is not checked: one line names\n"
        "the file and line, and the exit code is 2."
    )


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
    unreviewed = any(f.check in {"fuzzy", "untranslated"} for f in findings)
    return 1 if errors or (args.require_reviewed and unreviewed) else 0


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
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_LINT_EPILOG,
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
        "export", help="convert glossary TSV into TBX-Basic for other tools (Weblate, OmegaT)"
    )
    export.add_argument("tsv", type=Path, nargs="+", metavar="FILE.tsv")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tbx")
    export.add_argument(
        "--format",
        choices=("v2", "v3"),
        default="v2",
        help="v2 (default): a <martif> root (TBX 2), which Weblate and the Translate Toolkit "
        "read; v3: a TBX v3 DCA <tbx> root",
    )
    export.set_defaults(handler=_glossary_export)


_LINT_EPILOG = """checks (skip one with --skip ID):
  errors      what a run would refuse to load: unreadable, malformed-row (a
              forbidden variant equal to the row's target among them),
              stray-whitespace, conflict
  warnings    odd-whitespace, duplicate, override; missing-language: a row
              without a target for a language its file has a column for;
              nested: a term inside a longer term whose target does not
              render it (Supreme Court 대법원 in South Korean Supreme Court
              한국 최고법원)
  infos       missing-column: no column for ko or ja, which runs translate
              into by default; keep-english

A difference between a longer term and a term inside it that is meant
(Seoul's foreign ministry 외교부; a later mention such as Pompeo ポンペオ氏)
is marked by "(deliberate)" in the note of either row; nested then skips
the pair."""


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
    write_atomic(args.output, write_tbx(glossary.terms, version=args.format))
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
                   rendering appears in the translation; each hit needs its
                   own occurrence (Seoul twice in the English needs 서울
                   twice), and one inside a longer required rendering counts
                   only for that one (한국 in 한국 대법원)
  particle agreement  (Korean) share of inserted terms followed by a particle
                   whose form agrees with the term's last sound
The language of each PO file is its Language header."""
    parser.add_argument("catalogs", nargs="+", type=Path, metavar="PO", help="PO files to score")
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="REF",
        help="reviewed reference PO, or a folder holding LANG/ID.po references "
        "(LANG from the PO file's Language header, ID its file name)",
    )
    parser.add_argument("--glossary", action="append", metavar="FILE", help="default: as for run")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _eval(args: argparse.Namespace) -> int:
    from rich.table import Table

    from workflow.checks import read_po_file
    from workflow.evaluate import evaluate
    from workflow.glossary import load_glossaries
    from workflow.pofile import read_catalog

    glossary = load_glossaries(_glossary_paths(args.glossary))
    results = []
    for path in args.catalogs:
        catalog, language = read_po_file(path)
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
    # A path cut short with "…" names no file; folded over lines it stays whole.
    table.add_column("file", overflow="fold")
    table.add_column("lang", no_wrap=True)
    for column in ("segments", "chrF", "term usage", "particle agreement"):
        table.add_column(column, justify="right")
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
the English, with a warning. The language is the PO file's Language header;
the output is OUT/LANG/ID.txt, ID being the English article's file stem."""
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
    from workflow.checks import read_po_file
    from workflow.files import write_atomic

    console = _console()
    built = []
    for po_path in args.catalogs:
        catalog, language = read_po_file(po_path)
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
        if result.unreviewed:
            console.print(
                Text.assemble(
                    ("warning:", "yellow"),
                    f" {path}: {len(result.unreviewed)} fuzzy entries built as they are "
                    "(--require-reviewed refuses them)",
                )
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
