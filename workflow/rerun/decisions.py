"""What each entry of an existing PO file becomes on this run: the `Decision`.

Old entries that no segment continues become obsolete (``#~``) with their
translations. An entry counts as reviewed when its translation is not one the
engine produced for that English (the `workflow.store.Store` remembers), or
when a reviewer cleared its fuzzy flag.

>>> from workflow.segment import Segment
>>> old = polib.POFile()
>>> old.append(polib.POEntry(msgid="They met.", msgstr="MT 1", flags=["fuzzy"]))
>>> old.append(polib.POEntry(msgid="They left.", msgstr="MT 2", flags=["fuzzy"]))
>>> segments = [Segment(f"0.{i}", "body", 0, 1, e.msgid) for i, e in enumerate(old)]
>>> plan = plan_catalog(
...     segments, old, lambda english, text: True, is_current=lambda index, text: index == 0
... )
>>> [entry.decision for entry in plan.entries]
['unchanged', 'retranslated']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import polib

from workflow.rerun.matching import match_occurrences, most_similar
from workflow.segment import Segment
from workflow.text import source_key

Decision = Literal["new", "unchanged", "retranslated", "reviewed", "changed", "changed-reviewed"]

IsMachineOutput = Callable[[str, str], bool]
IsCurrent = Callable[[int, str], bool]


@dataclass(frozen=True)
class EntryPlan:
    """What happens to one segment's entry."""

    segment: Segment
    decision: Decision
    #: The old entry this one continues, if any.
    old: polib.POEntry | None = None

    @property
    def needs_decoding(self) -> bool:
        """Whether the engine must translate this segment."""
        return self.decision in ("new", "retranslated", "changed", "changed-reviewed")


@dataclass(frozen=True)
class CatalogPlan:
    """The decisions for one PO file."""

    entries: tuple[EntryPlan, ...]
    #: Entries no longer in the article, old obsolete ones included.
    obsolete: tuple[polib.POEntry, ...] = ()
    #: How many of `obsolete` this run made obsolete.
    newly_obsolete: int = 0
    #: The existing file's header, whose reviewer and editor fields are kept.
    old_header: dict[str, str] | None = None
    #: The existing file's header comment (translator credits, copyright).
    old_header_comment: str = ""

    def count(self, *decisions: Decision) -> int:
        """How many entries got one of `decisions`."""
        return sum(1 for entry in self.entries if entry.decision in decisions)

    def count_fuzzy_reviewed(self) -> int:
        """How many fuzzy entries count as a reviewer's work.

        They are translations a reviewer edited but left fuzzy, and, when
        there is no record of machine output, any fuzzy translation at all.
        """
        return sum(
            1
            for entry in self.entries
            if entry.decision in ("reviewed", "changed-reviewed")
            and entry.old is not None
            and "fuzzy" in entry.old.flags
        )


def is_reviewed(entry: polib.POEntry, is_machine_output: Callable[[str], bool]) -> bool:
    """Whether a person has touched this entry's translation.

    `is_machine_output` answers whether a translation of the entry's English
    came from an engine.
    """
    if not entry.msgstr:
        return False
    return "fuzzy" not in entry.flags or not is_machine_output(entry.msgstr)


def plan_catalog(
    segments: Sequence[Segment],
    existing: polib.POFile | None,
    is_machine_output: IsMachineOutput,
    *,
    is_current: IsCurrent = lambda index, translation: True,
) -> CatalogPlan:
    """Match `segments` to the entries of `existing` and decide each one's fate.

    `is_machine_output(english, translation)` tells whether an engine produced
    `translation` for `english`; `is_current(i, translation)` whether that
    machine translation of ``segments[i]`` is what this run would produce
    (same engine, same masked source and glossary targets).
    """
    if existing is None:
        return CatalogPlan(tuple(EntryPlan(s, "new") for s in segments))

    def reviewed(entry: polib.POEntry) -> bool:
        return is_reviewed(entry, lambda text: is_machine_output(entry.msgid, text))

    current = [e for e in existing if not e.obsolete and e.msgid]
    old_obsolete = [e for e in existing if e.obsolete]
    matched = match_occurrences(segments, current)
    used = {id(old) for old in matched.values()}
    spare: defaultdict[str, list[polib.POEntry]] = defaultdict(list)
    for entry in old_obsolete:
        spare[source_key(entry.msgid)].append(entry)

    plans: list[EntryPlan | None] = []
    for index, segment in enumerate(segments):
        found = matched.get(index)
        if found is None:
            # A sentence that came back continues its obsolete entry.
            candidates = spare.get(source_key(segment.text))
            found = candidates.pop(0) if candidates else None
        if found is None:
            plans.append(None)
            continue
        used.add(id(found))
        if reviewed(found):
            plans.append(EntryPlan(segment, "reviewed", found))
        elif found.msgstr and is_current(index, found.msgstr):
            plans.append(EntryPlan(segment, "unchanged", found))
        elif found.msgstr:
            plans.append(EntryPlan(segment, "retranslated", found))
        else:
            plans.append(EntryPlan(segment, "new", found))

    leftovers = [e for e in current if id(e) not in used]
    for index, segment in enumerate(segments):
        if plans[index] is not None:
            continue
        edited = most_similar(segment.text, leftovers)
        if edited is None:
            plans[index] = EntryPlan(segment, "new")
            continue
        used.add(id(edited))
        decision: Decision = "changed-reviewed" if reviewed(edited) else "changed"
        plans[index] = EntryPlan(segment, decision, edited)

    gone = [e for e in current if id(e) not in used and e.msgstr]
    still_obsolete = [e for e in old_obsolete if id(e) not in used]
    return CatalogPlan(
        entries=tuple(p for p in plans if p is not None),
        obsolete=tuple(gone + still_obsolete),
        newly_obsolete=len(gone),
        old_header=dict(existing.metadata),
        old_header_comment=existing.header,
    )
