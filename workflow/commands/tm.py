"""``l10n tm``: what the translation memory holds, and its TMX export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workflow.commands import now, open_console


def configure_tm(parser: argparse.ArgumentParser) -> None:
    """The actions of ``l10n tm`` and their arguments."""
    parser.epilog = """\
Every engine result is kept in OUT/.l10n/state.sqlite3, keyed by engine,
model package and version, decoding settings and the masked source, so a
re-run decodes only sentences it has never seen."""
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    stats = actions.add_parser(
        "stats",
        help="what the translation memory holds",
        description="How many machine translations and memory entries the translation memory "
        "of an output folder holds, per language.",
    )
    stats.add_argument("--out", type=Path, default=Path("locales"), help="output folder")
    stats.set_defaults(handler=tm_stats)
    export = actions.add_parser(
        "export",
        help="export the reviewed translations as TMX 1.4",
        description="Export the reviewed entries of every readable LANG/*.po as TMX 1.4 "
        "(machine output too with --include-machine). A PO file that cannot be read is "
        "named on stderr and left out; the exit code is then 1.",
    )
    export.add_argument(
        "--tmx", type=Path, required=True, metavar="FILE", help="TMX file to write"
    )
    export.add_argument("--out", type=Path, default=Path("locales"), help="output folder")
    export.add_argument(
        "--include-machine",
        action="store_true",
        help="also export machine output, for sentences no reviewer translated, marked "
        "with the TMX property x-origin=mt (pseudo-translations are never exported)",
    )
    export.set_defaults(handler=_tm_export)
    rebuild = actions.add_parser(
        "rebuild",
        help="after the state was lost: record every fuzzy translation as machine output",
        description="Put every fuzzy translation of OUT/LANG/*.po on record as machine "
        "output, as OUT/.l10n/state.sqlite3 would have it. Only for a lost state, and only "
        "when every fuzzy entry is machine output: a reviewer's edit left fuzzy would then "
        "count as machine output and be translated again when the engine or glossary changes.",
    )
    rebuild.add_argument("--out", type=Path, default=Path("locales"), help="output folder")
    rebuild.set_defaults(handler=_tm_rebuild)


def tm_stats(args: argparse.Namespace) -> int:
    """``l10n tm stats``: what the translation memory holds."""
    from rich.table import Table

    from workflow.store import Store

    stats = Store.at(args.out).stats()
    table = Table(title=f"Translation memory of {args.out}")
    for column in ("lang", "machine translations", "memory entries"):
        table.add_column(column, justify="left" if column == "lang" else "right")
    for row in stats:
        table.add_row(row.lang, str(row.machine_outputs), str(row.memory_entries))
    open_console(stdout=True).print(table if stats else f"No translation memory in {args.out}.")
    return 0


def _tm_export(args: argparse.Namespace) -> int:
    """``l10n tm export``: memory and reviewed entries as TMX; exit 1 if a PO file is broken."""
    from workflow.errors import InputError
    from workflow.files import write_atomic
    from workflow.output import OutputFolder
    from workflow.pofile import read_catalog
    from workflow.store import Store
    from workflow.tmx import Origin, collect_units, conflicts, write_tmx

    store = Store.at(args.out)
    pairs: list[tuple[str, str, str, Origin]] = []
    for stat in store.stats():
        pairs += [(stat.lang, en, text, "mt") for en, text in store.machine_outputs(stat.lang)]
    unreadable = []
    for lang, po_path in OutputFolder(args.out).catalog_files():
        try:
            catalog = read_catalog(po_path, language=lang)
        except InputError as error:
            # One broken file must not hold back the reviewed work of all the others.
            unreadable.append(error)
            continue
        for entry in catalog:
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                pairs.append((lang, entry.msgid, entry.msgstr, "reviewed"))
    units = collect_units(pairs, machine=args.include_machine)
    for lang, english, count in conflicts(units):
        print(
            f"l10n: warning: {count} different reviewed {lang} translations of "
            f"{english[:60]!r}: each exported in a <tu> of its own",
            file=sys.stderr,
        )
    write_atomic(args.tmx, write_tmx(units, created=now().strftime("%Y%m%dT%H%M%SZ")))
    for problem in unreadable:
        print(f"l10n: error: {problem}", file=sys.stderr)
    skipped = f"; {len(unreadable)} unreadable PO file(s) left out" if unreadable else ""
    print(f"wrote {args.tmx} ({len(units)} translations{skipped})")
    return 1 if unreadable else 0


def _tm_rebuild(args: argparse.Namespace) -> int:
    from workflow.errors import InputError
    from workflow.store import rebuild_record

    if not args.out.is_dir():
        raise InputError("no such folder", path=args.out)
    recorded, files = rebuild_record(args.out)
    print(f"recorded {recorded} fuzzy translation(s) of {files} PO file(s) as machine output")
    return 0
