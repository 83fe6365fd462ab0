"""The reviewer's commands: ``l10n check``, ``l10n status`` and ``l10n build``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.commands import CommandParser, glossary_paths, open_console

if TYPE_CHECKING:
    from rich.console import JustifyMethod


def configure_check(parser: CommandParser) -> None:
    """The arguments of ``l10n check``; its list of checks is written only for ``--help``."""
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
        help="exit code 1 also while any entry is fuzzy or untranslated, and machine output "
        "accepted unchanged is an error (a gate before publishing, as for build)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _check_epilog() -> str:
    from workflow.checks import CHECKS

    listing = "\n".join(f"  {c.id:<22} {c.severity:<8} {c.title}" for c in CHECKS)
    return f"checks (switch one off with --skip ID):\n{listing}\n\n" + (
        "Exit code 1 when any error-level finding exists (with --require-reviewed, also\n"
        "while any entry is fuzzy or untranslated, and machine-accepted is an error), so a\n"
        "CI job can gate on it. Machine output is told by OUT/.l10n/state.sqlite3 of the\n"
        "output folder the PO file is in (OUT/LANG/ID.po).\n"
        "A PO file that `l10n run` would refuse (a syntax error, a duplicate entry, a\n"
        "charset other than UTF-8, no Language header) is not checked: one line names\n"
        "the file and line, and the exit code is 2."
    )


def check(args: argparse.Namespace) -> int:
    """``l10n check``: QA findings for PO files; exit code 1 on errors."""
    from rich.table import Table
    from rich.text import Text

    from workflow.checks import check_file
    from workflow.glossary import load_glossaries

    glossary = load_glossaries(glossary_paths(args.glossary))
    findings = [
        f
        for path in args.catalogs
        for f in check_file(
            path, glossary, disabled=args.skip, require_reviewed=args.require_reviewed
        )
    ]
    errors = sum(1 for f in findings if f.severity == "error")
    if args.json:
        document = {"findings": [dataclasses.asdict(f) for f in findings], "errors": errors}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        console = open_console(stdout=True)
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


def configure_status(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``l10n status``."""
    parser.epilog = """\
Every readable LANG/*.po is counted. A PO file that cannot be read (a syntax
error, a Language header that disagrees with its folder) is named on stderr
with its line, and listed under "unreadable" with --json; the exit code is
then 1."""
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("locales"),
        help="output folder (default: locales)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def status(args: argparse.Namespace) -> int:
    """``l10n status``: how much of each PO file is reviewed; exit code 1 if one is unreadable."""
    from rich.table import Table

    from workflow.status import CatalogStatus, scan_folder

    scanned = scan_folder(args.folder)
    statuses = scanned.catalogs
    # Every readable file is reported; a broken one is named on stderr, one line each.
    for unreadable in scanned.unreadable:
        print(f"l10n: error: {unreadable.error}", file=sys.stderr)
    code = 1 if scanned.unreadable else 0
    if args.json:
        document = {
            "catalogs": [s.to_json() for s in statuses],
            "unreadable": [u.to_json() for u in scanned.unreadable],
        }
        print(json.dumps(document, ensure_ascii=False))
        return code
    # One (header, justify, cell) per column: a new figure is one more line here.
    columns: list[tuple[str, JustifyMethod, Callable[[CatalogStatus], str]]] = [
        ("article", "left", lambda s: s.article_id),
        ("lang", "left", lambda s: s.language),
        ("total", "right", lambda s: str(s.total)),
        ("translated", "right", lambda s: str(s.translated)),
        ("fuzzy", "right", lambda s: str(s.fuzzy)),
        ("untranslated", "right", lambda s: str(s.untranslated)),
        ("reviewed", "right", lambda s: f"{s.percent_reviewed:.0f}%"),
        # Counted in "translated" too: nobody changed the engine's output.
        ("machine output accepted unchanged", "right", lambda s: str(s.machine_accepted)),
    ]
    table = Table(title=f"Review status of {args.folder}")
    for header, justify, _ in columns:
        # A name cut short with "…" names no file; folded over lines it stays whole.
        table.add_column(
            header, justify=justify, overflow="fold" if header == "article" else "ellipsis"
        )
    for status in statuses:
        table.add_row(*(cell(status) for _, _, cell in columns))
    console = open_console(stdout=True)
    if statuses:
        console.print(table)
    elif not scanned.unreadable:
        console.print(f"No PO files in {args.folder}.")
    if scanned.unreadable:
        console.print(
            f"{len(scanned.unreadable)} of {len(statuses) + len(scanned.unreadable)} PO files "
            "could not be read (named on stderr)"
        )
    return code


def configure_build(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``l10n build``."""
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


def build(args: argparse.Namespace) -> int:
    """``l10n build``: the finished articles from PO files."""
    from rich.text import Text

    from workflow.article import read_article
    from workflow.build import build_article, find_source_article
    from workflow.checks import read_po_file
    from workflow.files import write_atomic

    console = open_console()
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
