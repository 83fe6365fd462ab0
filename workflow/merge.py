"""Deciding, entry by entry, what a re-run does to an existing PO file.

The semantics are those of ``msgmerge --previous``, with guarantees msgmerge
does not give. Each segment of the new article is matched to the old entries,
first exactly (on `workflow.text.source_key`, so re-wrapping, CRLF and quote
styles do not count; the occurrences of a repeated sentence each to their own
entry, by paragraph and neighbours), then by similarity, and gets one
`Decision`:

====================  ====================================================
``new``               no old entry: translate
``unchanged``         same English, an unreviewed machine translation that
                      is current: keep, do not re-send
``retranslated``      same English, an unreviewed machine translation made
                      by another engine (model, settings) or from another
                      masked source (glossary changed): translate again
``reviewed``          same English, a reviewer's translation: keep as it is
``changed``           English edited, old entry unreviewed: translate again
``changed-reviewed``  English edited, old entry reviewed: keep the reviewer's
                      text, mark it fuzzy with the English the reviewer
                      translated as ``#|``, and offer the new machine
                      translation in a comment
====================  ====================================================

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

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import polib

from workflow.segment import Segment
from workflow.text import source_key

Decision = Literal["new", "unchanged", "retranslated", "reviewed", "changed", "changed-reviewed"]

#: How alike two English sentences must be (difflib ratio) to count as one edited sentence.
SIMILARITY = 0.6
#: A new sentence this long found inside an old one continues it (a sentence split in two).
_MIN_CONTAINED = 20

#: Rounds of matching repeated sentences, each anchoring the next (see
#: `_match_occurrences`); a bound on the time an article of many repeats takes.
_MATCHING_ROUNDS = 8
# The msgctxt `message_contexts` writes: a segment's key.
_OUR_CONTEXT = re.compile(r"\d+\.\d+")

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
    matched = _match_occurrences(segments, current)
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
        edited = _most_similar(segment.text, leftovers)
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


def message_contexts(segments: Sequence[Segment]) -> list[str | None]:
    """A msgctxt for each repeat of an English sentence; None where the text is unique.

    The first occurrence keeps no context, so a sentence that becomes unique
    again needs no change.
    """
    seen: set[str] = set()
    contexts: list[str | None] = []
    for segment in segments:
        contexts.append(segment.key if segment.text in seen else None)
        seen.add(segment.text)
    return contexts


def _reference_line(entry: polib.POEntry) -> int:
    """The article line the entry's ``#:`` reference names; 0 when it names none."""
    for _, line in entry.occurrences:
        if line.isdigit():
            return int(line)
    return 0


def _match_occurrences(
    segments: Sequence[Segment], entries: Sequence[polib.POEntry]
) -> dict[int, polib.POEntry]:
    """Each segment's own old live entry, for the segments whose English is still there.

    Old entries are put in the order of the article they were written from
    (their ``#:`` line, not their place in the file, which a reviewer or an
    editor may have changed). A sentence that occurs once on each side is
    matched outright. The occurrences of a repeated sentence are matched by
    their surroundings: an occurrence whose neighbours are matched to the old
    entry's neighbours is that entry, then one whose neighbours have the same
    English, then the context this run writes and the exact text (which tell
    the entry this tool wrote from a copy a reviewer made of it), then the
    nearest place in the article. Never "first in file order", which moved a
    reviewed translation to another occurrence when one was deleted.
    """
    order = sorted(range(len(entries)), key=lambda i: (_reference_line(entries[i]), i))
    old = [entries[i] for i in order]
    old_keys = [source_key(entry.msgid) for entry in old]
    new_keys = [source_key(segment.text) for segment in segments]
    wanted = message_contexts(segments)
    new_count = Counter(new_keys)
    old_at: defaultdict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(old_keys):
        old_at[key].append(position)

    pairs: dict[int, int] = {}
    for index, key in enumerate(new_keys):
        if new_count[key] == 1 and len(old_at[key]) == 1:
            pairs[index] = old_at[key][0]
    paired_old = set(pairs.values())

    # Paragraphs: the new article's own; the old article's as the lines its
    # entries point at (one line per paragraph in a news text; a wrapped
    # paragraph makes several groups, which only weakens the evidence).
    new_group = _group_numbers([segment.key.partition(".")[0] for segment in segments])
    old_group = _group_numbers(
        [
            line if line > 0 else -1 - position
            for position, line in enumerate(map(_reference_line, old))
        ]
    )
    new_group_keys = _keys_by_group(new_group, new_keys)
    old_group_keys = _keys_by_group(old_group, old_keys)
    anchored = {(new_group[index], old_group[position]) for index, position in pairs.items()}

    def group_score(new: int, old_: int, key: str, same: bool) -> int:
        """How much says that new paragraph `new` is old paragraph `old_` (around `key`)."""
        inside_new = 0 <= new < len(new_group_keys)
        inside_old = 0 <= old_ < len(old_group_keys)
        if not inside_new or not inside_old:
            # Both at the start, or both at the end, of their article.
            return 2 if not inside_new and not inside_old else 0
        # Evidence from the sentence's own paragraph outweighs all its
        # neighbours' together (at most 4 + 4, plus 2 for context and text),
        # and an anchored paragraph outweighs a shared one with both
        # neighbours anchored: a repeated credit after a unique sentence
        # stays with that sentence when its paragraph moves.
        if (new, old_) in anchored:
            return 24 if same else 4
        shared = (new_group_keys[new] - {key}) & (old_group_keys[old_] - {key})
        if shared:
            return 11 if same else 2
        return 0

    def scores() -> list[tuple[int, bool, float, int, int, int]]:
        scored = []
        for index, key in enumerate(new_keys):
            if index in pairs:
                continue
            for position in old_at.get(key, ()):
                if position in paired_old:
                    continue
                entry = old[position]
                new, old_ = new_group[index], old_group[position]
                score = group_score(new, old_, key, same=True)
                score += group_score(new - 1, old_ - 1, key, same=False)
                score += group_score(new + 1, old_ + 1, key, same=False)
                score += (entry.msgctxt == wanted[index]) + (entry.msgid == segments[index].text)
                # A context this tool did not write marks a copy a reviewer made.
                foreign = entry.msgctxt is not None and not _OUR_CONTEXT.fullmatch(entry.msgctxt)
                distance = abs(index / max(len(new_keys), 1) - position / max(len(old_keys), 1))
                scored.append((-score, foreign, distance, order[position], index, position))
        return sorted(scored)

    # The surest matches are made first, and anchor the next round: a
    # sentence matched in a paragraph is evidence for its paragraph's other
    # repeated sentences. The last round takes what is left, best first.
    for round_ in range(_MATCHING_ROUNDS):
        scored = scores()
        if not scored:
            break
        best = scored[0][0]
        for score, *_, index, position in scored:
            if score != best and round_ < _MATCHING_ROUNDS - 1:
                break
            if index in pairs or position in paired_old:
                continue
            pairs[index] = position
            paired_old.add(position)
            anchored.add((new_group[index], old_group[position]))
    return {index: old[position] for index, position in pairs.items()}


def _group_numbers(labels: Sequence[object]) -> list[int]:
    """Consecutive equal labels numbered as one group: ``a a b a`` gives 0 0 1 2."""
    numbers: list[int] = []
    for index, label in enumerate(labels):
        if index == 0:
            numbers.append(0)
        else:
            numbers.append(numbers[-1] + (label != labels[index - 1]))
    return numbers


def _keys_by_group(groups: Sequence[int], keys: Sequence[str]) -> list[set[str]]:
    found: list[set[str]] = [set() for _ in range(groups[-1] + 1 if groups else 0)]
    for group, key in zip(groups, keys, strict=True):
        found[group].add(key)
    return found


def _most_similar(text: str, entries: Sequence[polib.POEntry]) -> polib.POEntry | None:
    """The old entry `text` is most likely an edit of, if any is close enough.

    Several new sentences may continue one old entry, as when a sentence is
    split in two: each half keeps the reviewer's translation to work from.
    """
    key = source_key(text)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    best: polib.POEntry | None = None
    best_score = SIMILARITY
    for entry in entries:
        old_key = source_key(entry.msgid)
        if len(key) >= _MIN_CONTAINED and key.rstrip(".") in old_key:
            score = 1.0 - 1e-9
        else:
            matcher.set_seq1(old_key)
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
        if score >= best_score:
            best, best_score = entry, score
    return best
