"""``l10n eval``: score PO files against reviewed references."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workflow.commands import glossary_paths, open_console


def configure_eval(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``l10n eval``."""
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


def evaluate(args: argparse.Namespace) -> int:
    """``l10n eval``: chrF, term usage and particle agreement against references."""
    from rich.table import Table

    from workflow.checks import read_po_file
    from workflow.evaluate import evaluate
    from workflow.glossary import load_glossaries
    from workflow.languages import get_language
    from workflow.pofile import read_catalog

    glossary = load_glossaries(glossary_paths(args.glossary))
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
            if get_language(r.language).particles
            else "-",
        )
    open_console(stdout=True).print(table)
    return 0
