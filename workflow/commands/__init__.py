"""The subcommands of ``l10n``, one module per family, and what they share.

Each module defines, per subcommand, ``configure_NAME`` (its arguments) and
a handler that calls the library and prints; `workflow.cli` lists them.
Heavy modules are imported inside the handler that needs them, so that
``l10n --help`` starts instantly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser, whose epilog may be written only when help is shown.

    Some epilogs list what a heavy module defines; importing it for every
    ``l10n --help`` would slow every start.
    """

    lazy_epilog: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.lazy_epilog is not None:
            self.epilog = self.lazy_epilog()
        return super().format_help()


def open_console(*, stdout: bool = False) -> Console:
    """A rich console for messages (stderr) or for a command's output (stdout)."""
    from rich.console import Console

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with 1 here; `workflow.cli.main` ends every
            # command whose reader went away the same way, with 141.
            self.quiet = True
            raise BrokenPipeError

    # Messages and progress go to stderr, so stdout stays clean for pipes.
    # Text from articles, glossaries and PO files is printed as it is, never
    # read as rich markup ("[/x]" in a sentence must not raise); styles are
    # given with rich.text.Text. Messages are not wrapped, so that a log line
    # stays one line in cron mail and CI logs.
    return PipeAwareConsole(stderr=not stdout, markup=False, soft_wrap=True)


def silence_output() -> None:
    """Point stdout and stderr at /dev/null, so that what is still to be written goes nowhere.

    For when the reader of the output went away (``l10n segment | head``):
    like ``cat`` stopped by SIGPIPE, say nothing more, and no traceback at exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):
                os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def now() -> datetime:
    """The run's timestamp; SOURCE_DATE_EPOCH pins it for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now().astimezone()


def glossary_paths(given: Sequence[str | Path] | None) -> list[Path]:
    """The glossaries given with ``--glossary``, else the default ones."""
    from workflow.resources import default_files

    return [Path(p) for p in given] if given else default_files("glossaries")


Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[CommandParser], None]


def call(handler: Handler, args: argparse.Namespace) -> int:
    """Run a subcommand's handler; return its exit code.

    A `WorkflowError` or Ctrl-C ends the command with one line on stderr
    (the error names the file and line) and the error's exit code.
    """
    from workflow.errors import WorkflowError

    try:
        return handler(args)
    except WorkflowError as error:
        print(f"l10n: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("l10n: interrupted", file=sys.stderr)
        return 130
