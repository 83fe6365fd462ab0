"""Property-based tests: segmenter, term matcher, masking and PO merge on generated input.

Each property is checked on a bounded number of generated examples, so the
file runs in seconds. No example database is written (``database=None``):
a failure prints the falsifying example, which is what a bug report needs.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections import Counter
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow.cli import main
from workflow.glossary import Term
from workflow.masking import PLACEHOLDER, mask, problems, restore
from workflow.matcher import Match, TermMatcher
from workflow.sentences import sentence_spans


def bounded(examples: int) -> settings:
    """Settings for one property: `examples` examples, no deadline, no database."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


# -- segmenter ----------------------------------------------------------------

PROSE = st.text(
    alphabet=st.sampled_from(
        [
            *"abcdeABCDE0123456789",
            *".!?\"'()",
            *",;:-",
            *[" ", " ", " ", "\n", "\t", "\u00a0", "\u2028", "\x0b", "\u3000"],
            *["\u201c", "\u201d", "\u2019", "\u2026"],
            # Characters that are not whitespace, though some are invisible.
            *["\u200b", "\ufeff", "\U0001f44d", "\u05e9", "\u0627"],
        ]
    ),
    max_size=300,
)
WORDISH = st.lists(
    st.sampled_from(
        [
            "The", "talks", "U.S.", "D.C.", "Co.", "Sen.", "Jan.", "15", "p.m.", "J.",
            "said.", "ended?", "No!", '"We', 'go."', "(Yonhap)", "(PHOTO", "SALE)",
            "wait...", "3.5", "It's", "Mr.", "Kim", "'", '"', "(", ")", ".", "!", "?",
        ]
    ),
    max_size=40,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", " ", "  ", "\n", "\t", " \n "]),
        min_size=len(words),
        max_size=len(words),
    ).map(lambda gaps: "".join(w + g for w, g in zip(words, gaps, strict=True)))
)  # fmt: skip


def assert_tiles(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, non-empty and stripped, and only whitespace lies between."""
    cursor = 0
    pieces = []
    for start, end in spans:
        assert cursor <= start < end <= len(text), (spans, text)
        gap = text[cursor:start]
        assert gap.strip() == "", (gap, text)
        sentence = text[start:end]
        assert sentence == sentence.strip() and sentence, (sentence, text)
        pieces += [gap, sentence]
        cursor = end
    assert text[cursor:].strip() == ""
    assert "".join(pieces) + text[cursor:] == text


@bounded(250)
@given(PROSE)
def test_sentence_spans_tile_any_text(text: str) -> None:
    assert_tiles(text, sentence_spans(text))


@bounded(200)
@given(WORDISH)
def test_sentence_spans_tile_news_like_text(text: str) -> None:
    assert_tiles(text, sentence_spans(text))


# -- glossary matcher ---------------------------------------------------------

WORDS = ["Kim", "Lee", "Park", "Seoul", "Bank", "Korea", "Koreas", "of", "news", "Un", "7"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\u00a0", ", ", ". ", "-", "\u2011", "'s ", "\u2019s "]
SEPARATORS += ["'S ", "' ", "\u2019 ", "'", "(", ")", "\u200b"]
# What the matcher treats as the same character (see workflow.matcher).
FOLDED = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})

term_texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "-"]), min_size=len(words) - 1, max_size=len(words) - 1
    ).map(lambda joins: words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True)))
)
glossaries = st.lists(term_texts, min_size=1, max_size=8, unique=True).map(
    lambda ens: [Term(en, {"ko": f"용어{i}", "ja": f"語{i}"}) for i, en in enumerate(ens)]
)
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


def _term_pattern(en: str) -> re.Pattern[str]:
    """A term as written, any run of whitespace matching its spaces."""
    return re.compile(r"\s+".join(re.escape(part) for part in en.split(" ")))


def _continues_word(text: str, index: int, *, before: bool) -> bool:
    """The documented whole-word rule, at the character next to a match."""
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    if char.isalnum():
        return True
    if char == "'":
        neighbour = text[index - 1 : index] if before else text[index + 1 : index + 2]
        return neighbour.isalnum()
    if char == "-":
        following = text[index + 1 : index + 2]
        return following.islower() or following.isdigit()
    return False


def _possessive(text: str, end: int) -> str:
    """The documented possessive after a term ending at `end`: "'s", "'" or ""."""
    if text[end : end + 1] != "'":
        return ""
    if text[end + 1 : end + 2] in ("s", "S") and not _continues_word(text, end + 2, before=False):
        return text[end : end + 2]
    if text[end - 1 : end] in ("s", "S") and not _continues_word(text, end + 1, before=False):
        return text[end]
    return ""


def reference_matches(text: str, terms: list[Term]) -> list[tuple[int, int, str, str]]:
    """Leftmost-longest whole-word matches by brute force: (start, end, en, possessive)."""
    written, text = text, text.translate(FOLDED)
    candidates: dict[int, tuple[int, str, str]] = {}
    for term in terms:
        pattern = _term_pattern(term.en)
        for start in range(len(text)):
            found = pattern.match(text, start)
            if found is None:
                continue
            end = found.end()
            if _continues_word(text, start - 1, before=True):
                continue
            possessive = _possessive(text, end)
            if not possessive and _continues_word(text, end, before=False):
                continue
            if start not in candidates or candidates[start][0] < end:
                candidates[start] = (end, term.en, possessive)
    result = []
    resume = 0
    for start in sorted(candidates):
        if start < resume:
            continue
        end, en, possessive = candidates[start]
        result.append((start, end, en, written[end : end + len(possessive)]))
        resume = end + len(possessive)
    return result


def _as_tuples(matches: list[Match]) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.term.en, m.possessive) for m in matches]


@bounded(300)
@given(glossaries, texts)
def test_matcher_is_leftmost_longest_whole_word(terms: list[Term], text: str) -> None:
    matches = TermMatcher(terms).find(text)
    written = text.translate(FOLDED)
    cursor = 0
    for match in matches:
        assert match.start >= cursor, "matches overlap"
        assert _term_pattern(match.term.en).fullmatch(written, match.start, match.end)
        cursor = match.end + len(match.possessive)
    assert _as_tuples(matches) == reference_matches(text, terms)


@bounded(100)
@given(glossaries, texts)
def test_a_longer_term_wins_at_the_same_start(terms: list[Term], text: str) -> None:
    # Every term also gets a longer variant; wherever both match at one start, it wins.
    longer = [Term(f"{t.en} Bank of Korea", {"ko": f"{t.target('ko')}은행"}) for t in terms]
    text = text.replace("Park", "Park Bank of Korea")  # so that the longer variants occur
    matches = TermMatcher(terms + longer).find(text)
    written = text.translate(FOLDED)
    for match in matches:
        extended = _term_pattern(f"{match.term.en} Bank of Korea").match(written, match.start)
        if extended and not _continues_word(written, extended.end(), before=False):
            assert match.end >= extended.end(), (match, text)
    assert _as_tuples(matches) == reference_matches(text, terms + longer)


# -- masking and restoring ----------------------------------------------------

PLACEHOLDER_LIKE = ["ZXQ1", "ZXQ2", "ZXQ12"]
masking_texts = st.lists(
    st.tuples(st.sampled_from(WORDS + PLACEHOLDER_LIKE), st.sampled_from(SEPARATORS)),
    max_size=25,
).map(lambda pairs: "".join(w + s for w, s in pairs))
korean_targets = st.sampled_from(["김", "이민호", "서울", "한국은행", "박", "뉴스"])
japanese_targets = st.sampled_from(["金", "李", "ソウル", "日本銀行", "パク", "ニュース"])


def _glossary_with_targets(ens: list[str], targets: list[str], lang: str) -> list[Term]:
    # Some terms have no rule for `lang`: they must be left alone.
    return [
        Term(en, {lang: target} if i % 4 != 3 else {"zh": target})
        for i, (en, target) in enumerate(zip(ens, targets, strict=False))
    ]


def _replaced(text: str, matches: list[Match], lang: str) -> str:
    pieces, cursor = [], 0
    for match in matches:
        target = match.term.target(lang)
        if target is None:
            continue
        pieces += [text[cursor : match.start], target]
        cursor = match.end
    return "".join(pieces) + text[cursor:]


@bounded(250)
@given(
    st.lists(term_texts, min_size=1, max_size=6, unique=True),
    st.lists(korean_targets, min_size=6, max_size=6),
    masking_texts,
)
def test_restoring_an_identity_hypothesis_gives_the_text_with_targets_in_korean(
    ens: list[str], targets: list[str], text: str
) -> None:
    # Only English and placeholders follow a term here, so no particle rule applies.
    terms = _glossary_with_targets(ens, targets, "ko")
    matches = TermMatcher(terms).find(text)
    masked = mask(text, matches, "ko")
    assert problems(masked.text, masked) == []
    restored = restore(masked.text, masked, "ko")
    assert restored == _replaced(text, matches, "ko")
    assert Counter(PLACEHOLDER.findall(restored)) == Counter(PLACEHOLDER.findall(text))


@bounded(200)
@given(
    st.lists(term_texts, min_size=1, max_size=6, unique=True),
    st.lists(japanese_targets, min_size=6, max_size=6),
    masking_texts,
)
def test_restoring_in_japanese_changes_only_spaces_next_to_terms(
    ens: list[str], targets: list[str], text: str
) -> None:
    # Every target is Japanese, so every space between a term and a neighbour goes;
    # spaces with no neighbour (at either end of the text) stay.
    terms = _glossary_with_targets(ens, targets, "ja")
    matches = [m for m in TermMatcher(terms).find(text) if m.term.target("ja")]
    masked = mask(text, matches, "ja")
    restored = restore(masked.text, masked, "ja")
    edges = [0, *(i for m in matches for i in (m.start, m.end)), len(text)]
    pieces = [text[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True)]
    expected = ""
    for index, piece in enumerate(pieces):
        after_term, before_term = index > 0, index < len(matches)
        if piece.strip() or (after_term and before_term):
            piece = piece.lstrip() if after_term else piece
            piece = piece.rstrip() if before_term else piece
        expected += piece + (str(matches[index].term.target("ja")) if before_term else "")
    assert restored == expected
    assert Counter(PLACEHOLDER.findall(restored)) == Counter(PLACEHOLDER.findall(text))


# -- PO merge -----------------------------------------------------------------

SENTENCE_WORDS = ["talks", "resumed", "in", "Seoul", "with", "officials", "from", "Tokyo", "on"]
sentences = st.lists(st.sampled_from(SENTENCE_WORDS), min_size=2, max_size=6).map(
    lambda words: words[0][:1].upper() + " ".join(words)[1:] + "."
)
articles = st.lists(sentences, min_size=1, max_size=8)
GLOSSARY = "en\tko\tja\nSeoul\t서울\tソウル\nTokyo\t도쿄\t東京\n"

# What a reviewer may do to an entry: new text and flag cleared, flag cleared only,
# or new text with the flag kept (work in progress).
EDITS = st.sampled_from(["rewrite", "approve", "draft"])


def _blocks(path: Path) -> dict[tuple[str, ...], str]:
    """Each entry of a PO file exactly as written, keyed by its msgctxt and msgid lines."""
    blocks = {}
    for block in path.read_text("utf-8").split("\n\n"):
        key = tuple(line for line in block.splitlines() if line.startswith(("msgctxt", "msgid")))
        blocks[key] = block.strip("\n")
    return blocks


def _run(article: Path, glossary: Path, out: Path) -> None:
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        arguments = ["run", str(article), "--engine", "pseudo", "--quiet"]
        code = main([*arguments, "--glossary", str(glossary), "--out", str(out)])
    assert code == 0, stderr.getvalue()


@bounded(25)
@given(articles, st.data())
def test_rerun_with_the_same_english_keeps_every_reviewed_entry(
    body: list[str], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        article = root / "story.txt"
        article.write_text("Talks in Seoul\n\n" + "\n\n".join(body) + "\n", "utf-8")
        glossary = root / "g.tsv"
        glossary.write_text(GLOSSARY, "utf-8")
        out = root / "out"
        _run(article, glossary, out)
        po_path = out / "ko" / "story.po"
        catalog = polib.pofile(str(po_path), wrapwidth=0)
        assert [e.msgid for e in catalog] == ["Talks in Seoul", *body]
        chosen = data.draw(
            st.lists(st.integers(0, len(catalog) - 1), unique=True), label="edited entries"
        )
        edits = data.draw(
            st.lists(EDITS, min_size=len(chosen), max_size=len(chosen)), label="edits"
        )
        for index, edit in zip(chosen, edits, strict=True):
            entry = catalog[index]
            if edit in ("rewrite", "draft"):
                entry.msgstr = f'검토한 번역 {index} "{entry.msgid}"'
            if edit in ("rewrite", "approve"):
                entry.flags.remove("fuzzy")
        catalog.save(str(po_path))
        before = _blocks(po_path)

        _run(article, glossary, out)

        again = polib.pofile(str(po_path), wrapwidth=0)
        assert [e.msgid for e in again] == [e.msgid for e in catalog]
        blocks = _blocks(po_path)
        for index in chosen:
            key = _quoted(catalog[index])
            assert blocks[key] == before[key], "a reviewed entry changed"
        after = {(e.msgctxt, e.msgid): e for e in again}
        for index, edit in zip(chosen, edits, strict=True):
            entry = after[catalog[index].msgctxt, catalog[index].msgid]
            assert entry.msgstr == catalog[index].msgstr
            assert ("fuzzy" in entry.flags) == (edit == "draft")
        untouched = [e for i, e in enumerate(again) if i not in chosen]
        assert all("fuzzy" in e.flags and e.msgstr.startswith("⟦ko⟧ ") for e in untouched)


def _quoted(entry: polib.POEntry) -> tuple[str, ...]:
    """The msgctxt and msgid lines that `_blocks` keys an entry by."""
    lines = [f'msgctxt "{polib.escape(entry.msgctxt)}"'] if entry.msgctxt else []
    return (*lines, f'msgid "{polib.escape(entry.msgid)}"')
