"""The ``l10n`` command: parses arguments and hands each subcommand to its handler.

The subcommands live in `workflow.commands`, one module per family (run and
segment, models, review, glossary, quality, tm); `_COMMANDS` lists them.
Their handlers call the library and print (a failure's one-line error
too: see `workflow.commands.call`); besides them, only `workflow.report`,
which renders a run's progress and summary for them, and argparse's usage
and help write to the terminal: library code never prints. Heavy modules are
imported inside the handler that needs them, so ``l10n --help`` starts
instantly.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from workflow import __version__
from workflow.commands import (
    CommandParser,
    Configure,
    Handler,
    call,
    glossary,
    models,
    quality,
    review,
    run,
    silence_output,
    tm,
)

_DESCRIPTION = """\
Translate English news articles into Korean and Japanese gettext files for
human review: strip the site chrome, cut sentences, enforce a proper-noun
glossary, machine-translate, and write one PO file per language plus a POT
template."""


#: The exit code when the reader of the output went away (``l10n segment | head``):
#: 128 + SIGPIPE, what a shell reports for ``cat`` or ``yes`` in the same place.
BROKEN_PIPE_EXIT = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        code = _run(argv)
        # Output to a pipe is buffered: flush it here, where a closed pipe
        # can still be caught, not at exit where it becomes a traceback.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        silence_output()
        return BROKEN_PIPE_EXIT


def _run(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    handler: Handler = args.handler
    with _no_cycle_collection():
        return call(handler, args)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Run a command without Python's cyclic garbage collector.

    A command builds large structures without reference cycles (a 5 MB
    article makes hundreds of thousands of segments, masks and PO entries),
    and each full pass of the collector walks all of them again: a quarter
    of such a run's CPU time (measured, 47 s against 34 s). Reference
    counting still frees everything; the collector is back once the command
    is done, for whoever called `main` in-process.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="l10n",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"l10n-workflow {__version__}")
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=CommandParser
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


_COMMANDS: dict[str, tuple[Handler, Configure, str]] = {
    "run": (run.run, run.configure_run, "translate articles into PO files for review"),
    "segment": (run.segment, run.configure_segment, "show how an article is cut into segments"),
    "check": (
        review.check,
        review.configure_check,
        "QA checks on reviewed and unreviewed PO files",
    ),
    "status": (review.status, review.configure_status, "how much of each PO file is reviewed"),
    "eval": (
        quality.evaluate,
        quality.configure_eval,
        "score translations: chrF, term usage, particle agreement",
    ),
    "build": (
        review.build,
        review.configure_build,
        "assemble finished articles from reviewed PO files",
    ),
    "glossary": (
        glossary.glossary_lint,
        glossary.configure_glossary,
        "lint, show, import and export glossaries",
    ),
    "models": (
        models.models_list,
        models.configure_models,
        "list, install and remove translation models",
    ),
    "tm": (tm.tm_stats, tm.configure_tm, "inspect and export the translation memory"),
}
