"""``l10n models``: list, install and remove the Argos packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workflow.commands import open_console
from workflow.errors import UsageError

INDEX_HELP = (
    "package index: a mirror's base URL or folder, to which index.json is appended, "
    "or the index file itself (a URL or path ending in .json); "
    "default: ARGOS_PACKAGE_INDEX, else the argospm index"
)


def configure_models(parser: argparse.ArgumentParser) -> None:
    """The actions of ``l10n models`` and their arguments."""
    parser.epilog = """\
Models are Argos Translate packages (translate-en_ko, translate-en_ja, about
120 MB each), kept where argostranslate keeps them (ARGOS_PACKAGES_DIR, else
~/.local/share/argos-translate/packages), so packages installed with argospm
are found and reused. Installs download and unpack in .l10n-staging beside
that folder, then move the finished package into it.
ARGOS_PACKAGE_INDEX, like --index, points at a mirror: its base URL or
folder (index.json is appended, as argospm does) or its index file (.json)."""
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="list installed models",
        description="List the installed English→LANG models: package, version, size and folder.",
    )
    listing.set_defaults(handler=models_list)
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
    install.add_argument("--index", metavar="URL", help=INDEX_HELP)
    install.add_argument(
        "--from",
        dest="files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=".argosmodel files to install, one per language (no network needed)",
    )
    install.set_defaults(handler=_models_install)
    remove = actions.add_parser(
        "remove",
        help="remove installed models",
        description="Remove the installed English→LANG models of the languages given.",
    )
    remove.add_argument("langs", nargs="+", metavar="LANG", help="target languages")
    remove.set_defaults(handler=_models_remove)


def models_list(args: argparse.Namespace) -> int:
    """``l10n models list``: the installed packages in a table."""
    from rich.table import Table

    from workflow.models import installed_models, packages_dir
    from workflow.units import format_size

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
    open_console(stdout=True).print(table if models else "No models installed.")
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
    console = open_console()
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
