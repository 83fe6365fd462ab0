"""``l10n glossary``: lint, show, import and export glossaries."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workflow.commands import glossary_paths
from workflow.languages import DEFAULT_LANGS, DEFAULT_LANGUAGES


def configure_glossary(parser: argparse.ArgumentParser) -> None:
    """The actions of ``l10n glossary`` and their arguments."""
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
    lint.set_defaults(handler=glossary_lint)
    show = actions.add_parser(
        "show",
        help="what the glossary does with an English sentence",
        description="Which glossary rows match SENTENCE, what each language gets, "
        "and the masked text the engine would see. Country pairs (South Korea-Japan: "
        "한일, 日韓) and capitals standing for their governments (Seoul's call) are shown "
        "with the reading applied.",
    )
    show.add_argument("sentence", metavar="SENTENCE", help="an English sentence or term")
    show.add_argument("--glossary", action="append", metavar="FILE", help="default: as for run")
    show.add_argument(
        "--langs", default=DEFAULT_LANGS, help=f"languages (default: {DEFAULT_LANGS})"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=_glossary_show)
    imports = actions.add_parser(
        "import",
        help="convert a TBX termbase into a glossary TSV",
        description="Convert a TBX termbase (TBX 2 <martif> or TBX v3 <tbx>) into a glossary TSV "
        "that run, check and lint read.",
    )
    imports.add_argument("tbx", type=Path, metavar="FILE.tbx")
    imports.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tsv")
    imports.set_defaults(handler=_glossary_import)
    export = actions.add_parser(
        "export",
        help="convert glossary TSV into TBX-Basic for other tools (Weblate, OmegaT)",
        description="Convert glossary TSV files (later ones win, as in a run) into one "
        "TBX-Basic termbase for other tools (Weblate, OmegaT).",
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


_LINT_EPILOG = f"""checks (skip one with --skip ID):
  errors      what a run would refuse to load: unreadable, malformed-row (a
              forbidden variant equal to the row's target among them),
              stray-whitespace, conflict
  warnings    odd-whitespace, duplicate, override; missing-language: a row
              without a target for a language its file has a column for;
              nested: a term inside a longer term whose target does not
              render it (Supreme Court 대법원 in South Korean Supreme Court
              한국 최고법원)
  infos       missing-column: no column for {" or ".join(DEFAULT_LANGUAGES)}, which runs translate
              into by default; keep-english

A difference between a longer term and a term inside it that is meant
(Seoul's foreign ministry 외교부; a later mention such as Pompeo ポンペオ氏)
is marked by "(deliberate)" in the note of either row; nested then skips
the pair."""


def glossary_lint(args: argparse.Namespace) -> int:
    """``l10n glossary lint``: problems in glossary files; exit code 1 on errors."""
    from workflow.glossary_lint import has_errors, lint_glossaries

    findings = lint_glossaries(glossary_paths(args.files), skip=args.skip)
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
        args.sentence, load_glossaries(glossary_paths(args.glossary)), languages
    )
    if args.json:
        print(json.dumps([e.to_json() for e in explanations], ensure_ascii=False, indent=2))
    else:
        for explanation in explanations:
            print("\n".join(explanation.lines()))
    return 0


def _glossary_import(args: argparse.Namespace) -> int:
    from workflow.files import write_atomic
    from workflow.tbx import language_warnings, read_tbx, write_tsv

    terms = read_tbx(args.tbx)
    for warning in language_warnings(terms):
        print(f"l10n: warning: {warning}", file=sys.stderr)
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
