"""Which old entry each segment of the new article continues.

A segment is matched to the old live entries first exactly (on
`workflow.text.source_key`, so re-wrapping, CRLF and quote styles do not
count; the occurrences of a repeated sentence each to their own entry, by
paragraph and neighbours), then by similarity (`most_similar`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import polib

from workflow.segment import Segment
from workflow.text import source_key

#: How alike two English sentences must be (difflib ratio) to count as one edited sentence.
SIMILARITY = 0.6
#: A new sentence this long found inside an old one continues it (a sentence split in two).
_MIN_CONTAINED = 20

#: Rounds of matching repeated sentences, each anchoring the next (see
#: `match_occurrences`); a bound on the time an article of many repeats takes.
_MATCHING_ROUNDS = 8
# The msgctxt `message_contexts` writes: a segment's key.
_OUR_CONTEXT = re.compile(r"\d+\.\d+")


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


def match_occurrences(
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
    matching = _Matching(segments, entries)
    matching.pair_unique()
    matching.pair_repeats()
    return {index: matching.old[position] for index, position in matching.pairs.items()}


def _reference_line(entry: polib.POEntry) -> int:
    """The article line the entry's ``#:`` reference names; 0 when it names none."""
    for _, line in entry.occurrences:
        if line.isdigit():
            return int(line)
    return 0


#: A candidate pair, best first when sorted: minus its score, whether the old
#: entry is a reviewer's copy, its distance in the article, the old entry's
#: order, the segment's index and the old entry's position.
_Scored = tuple[int, bool, float, int, int, int]


class _Matching:
    """The state of `match_occurrences`: both sides, their paragraphs, the pairs so far."""

    def __init__(self, segments: Sequence[Segment], entries: Sequence[polib.POEntry]) -> None:
        self.segments = segments
        self.order = sorted(range(len(entries)), key=lambda i: (_reference_line(entries[i]), i))
        self.old = [entries[i] for i in self.order]
        self.old_keys = [source_key(entry.msgid) for entry in self.old]
        self.new_keys = [source_key(segment.text) for segment in segments]
        self.wanted = message_contexts(segments)
        self.old_at: defaultdict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(self.old_keys):
            self.old_at[key].append(position)
        # Paragraphs: the new article's own; the old article's as the lines its
        # entries point at (one line per paragraph in a news text; a wrapped
        # paragraph makes several groups, which only weakens the evidence).
        self.new_group = _group_numbers([segment.key.partition(".")[0] for segment in segments])
        self.old_group = _group_numbers(
            [
                line if line > 0 else -1 - position
                for position, line in enumerate(map(_reference_line, self.old))
            ]
        )
        self.new_group_keys = _keys_by_group(self.new_group, self.new_keys)
        self.old_group_keys = _keys_by_group(self.old_group, self.old_keys)
        self.pairs: dict[int, int] = {}
        self.paired_old: set[int] = set()
        self.anchored: set[tuple[int, int]] = set()

    def pair(self, index: int, position: int) -> None:
        self.pairs[index] = position
        self.paired_old.add(position)
        self.anchored.add((self.new_group[index], self.old_group[position]))

    def pair_unique(self) -> None:
        """Pair the sentences that occur once on each side."""
        new_count = Counter(self.new_keys)
        for index, key in enumerate(self.new_keys):
            if new_count[key] == 1 and len(self.old_at[key]) == 1:
                self.pair(index, self.old_at[key][0])

    def pair_repeats(self) -> None:
        """Pair the occurrences of repeated sentences, surest first.

        The surest matches are made first, and anchor the next round: a
        sentence matched in a paragraph is evidence for its paragraph's other
        repeated sentences. The last round takes what is left, best first.
        """
        for round_ in range(_MATCHING_ROUNDS):
            scored = self.scores()
            if not scored:
                break
            best = scored[0][0]
            for score, *_, index, position in scored:
                if score != best and round_ < _MATCHING_ROUNDS - 1:
                    break
                if index in self.pairs or position in self.paired_old:
                    continue
                self.pair(index, position)

    def scores(self) -> list[_Scored]:
        """Every pair still possible, best first."""
        scored = []
        for index, key in enumerate(self.new_keys):
            if index in self.pairs:
                continue
            for position in self.old_at.get(key, ()):
                if position not in self.paired_old:
                    scored.append(self.score(index, position, key))
        return sorted(scored)

    def score(self, index: int, position: int, key: str) -> _Scored:
        entry = self.old[position]
        new, old = self.new_group[index], self.old_group[position]
        score = self.group_score(new, old, key, same=True)
        score += self.group_score(new - 1, old - 1, key, same=False)
        score += self.group_score(new + 1, old + 1, key, same=False)
        score += (entry.msgctxt == self.wanted[index]) + (entry.msgid == self.segments[index].text)
        # A context this tool did not write marks a copy a reviewer made.
        foreign = entry.msgctxt is not None and not _OUR_CONTEXT.fullmatch(entry.msgctxt)
        distance = abs(index / max(len(self.new_keys), 1) - position / max(len(self.old_keys), 1))
        return (-score, foreign, distance, self.order[position], index, position)

    def group_score(self, new: int, old: int, key: str, *, same: bool) -> int:
        """How much says that new paragraph `new` is old paragraph `old` (around `key`)."""
        inside_new = 0 <= new < len(self.new_group_keys)
        inside_old = 0 <= old < len(self.old_group_keys)
        if not inside_new or not inside_old:
            # Both at the start, or both at the end, of their article.
            return 2 if not inside_new and not inside_old else 0
        # Evidence from the sentence's own paragraph outweighs all its
        # neighbours' together (at most 4 + 4, plus 2 for context and text),
        # and an anchored paragraph outweighs a shared one with both
        # neighbours anchored: a repeated credit after a unique sentence
        # stays with that sentence when its paragraph moves.
        if (new, old) in self.anchored:
            return 24 if same else 4
        shared = (self.new_group_keys[new] - {key}) & (self.old_group_keys[old] - {key})
        if shared:
            return 11 if same else 2
        return 0


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


def most_similar(text: str, entries: Sequence[polib.POEntry]) -> polib.POEntry | None:
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
