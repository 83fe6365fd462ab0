"""The one exception hierarchy of the workflow.

Library code raises these and never prints; the CLI turns each into a single
line on stderr and an exit code. An error that concerns a file names it, and
the line when one is known:

>>> str(InputError("empty glossary term", path="glossaries/news.tsv", line=12))
'glossaries/news.tsv:12: empty glossary term'
>>> str(UsageError("unknown engine 'deepl' (choose from: argos, pseudo)"))
"unknown engine 'deepl' (choose from: argos, pseudo)"
"""

from __future__ import annotations

from os import PathLike


class WorkflowError(Exception):
    """Something the user can fix; ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(
        self, message: str, *, path: str | PathLike[str] | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class InputError(WorkflowError):
    """An article, glossary or PO file that cannot be used as it is."""


class UsageError(WorkflowError):
    """A command line that asks for something that does not exist."""


class ModelError(WorkflowError):
    """A translation model that is missing, broken or cannot be installed."""
