"""What every check reports, and the shape of a check table.

PO file QA (`workflow.checks`) and glossary lint (`workflow.glossary_lint`)
share both: a `Finding` is one problem at ``path:line``, found by the check
with id ``check``; a `Check` is one row of a table (an id to name or skip
it, a severity, and a function whose docstring's first line is the title).
Each table's functions take what its files are read into (a PO entry, a
set of glossary sheets); the runner of the table adds id and severity.

>>> def _shouting(text: str) -> list[str]:
...     '''Text in capitals only.'''
...     return ["all capitals"] if text.isupper() else []
>>> table = (Check("shouting", "warning", _shouting),)
>>> for c in table:
...     for message in c.function("HI"):
...         print(Finding(c.id, c.severity, "a.txt", 1, message))
a.txt:1: warning: all capitals [shouting]
>>> table[0].title, unknown_ids(table, ["shouting", "shout"])
('Text in capitals only.', ['shout'])
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

#: ``error`` must be fixed (before publishing, or the file would not load),
#: ``warning`` needs a look, ``info`` is for the record.
Severity = Literal["error", "warning", "info"]

FunctionT = TypeVar("FunctionT", bound=Callable[..., object])


@dataclass(frozen=True)
class Finding:
    """One problem, at ``path:line``.

    Line 0 stands for a file as a whole, or for an entry never read from a
    file. A finding in a PO entry names the entry too (``msgctxt``, ``msgid``).
    Field order is also the order of a finding's keys in ``l10n check --json``.

    >>> print(Finding("conflict", "error", "g.tsv", 3, "'Seoul' is already on line 2"))
    g.tsv:3: error: 'Seoul' is already on line 2 [conflict]
    >>> print(Finding("fuzzy", "info", "ko/a.po", 0, "fuzzy", msgid="Hi."))
    ko/a.po: info: fuzzy [fuzzy]
    """

    #: The id of the check that found it.
    check: str
    severity: Severity
    path: str
    line: int
    msgctxt: str | None = field(default=None, kw_only=True)
    msgid: str = field(default="", kw_only=True)
    message: str

    @property
    def where(self) -> str:
        """``path:line``, or the path alone for line 0."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message} [{self.check}]"


@dataclass(frozen=True)
class Check(Generic[FunctionT]):
    """One row of a check table: an id (to name the check, e.g. to skip it), severity, function."""

    id: str
    severity: Severity
    function: FunctionT

    @property
    def title(self) -> str:
        """What the check looks for: the first line of its function's docstring."""
        return (self.function.__doc__ or "").strip().partition("\n")[0]


def unknown_ids(table: Iterable[Check[FunctionT]], ids: Collection[str]) -> list[str]:
    """The ids in ``ids`` that name no check of ``table``, sorted."""
    return sorted(set(ids) - {check.id for check in table})


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error.

    >>> has_errors([Finding("keep-english", "info", "g.tsv", 2, "...")])
    False
    """
    return any(finding.severity == "error" for finding in findings)
