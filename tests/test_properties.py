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
import unicodedata
from collections import Counter
from itertools import pairwise
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow.article import load_profiles, parse_article
from workflow.chrome import general_chrome
from workflow.cli import main
from workflow.glossary import Term
from workflow.korean import attach
from workflow.masking import PLACEHOLDER, Slot, mask, placeholders, problems, restore
from workflow.matcher import Match, TermMatcher
from workflow.segment import segment_article
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


@bounded(200)
@given(PROSE)
def test_sentence_spans_tile_any_text(text: str) -> None:
    assert_tiles(text, sentence_spans(text))


@bounded(200)
@given(WORDISH)
def test_sentence_spans_tile_news_like_text(text: str) -> None:
    assert_tiles(text, sentence_spans(text))


# -- the segmenter over whole articles ----------------------------------------

# Lines of site chrome, one set per profile (each is checked against its profile below).
CHROME = {
    "yonhap": [
        "Go to Contents Go to Navigation",
        "All News 16:20 December 3, 2020",
        "Send Feedback",
        "How can we improve?",
        "Thanks for your feedback!",
        "(END)",
    ],
    "upi": ["Advertisement", "Read More", "Latest Headlines"],
    "kyodo": ["KYODO NEWS - Jan 15, 2020 - 10:53", "Related coverage:", "Share"],
    "generic": [],
}
DATELINES = {
    "yonhap": ["SEOUL, Jan. 15 (Yonhap) --", "WASHINGTON/SEOUL, Dec. 3 (Yonhap) --"],
    "upi": ["SEOUL, April 19 (UPI) --"],
    "kyodo": ["TOKYO, Kyodo -"],
    "generic": ["SEOUL, Jan. 15 --", "BEIJING, Sept. 4 (AP) \u2014"],
}
HEADLINES = [
    "S. Korea, Japan trade ministers discuss export curbs in video talks",
    "Kang, Motegi agree to keep talking",
    "U.S. envoy to visit Seoul next week",
    "(LEAD) N. Korea fires 2 missiles into East Sea: JCS",
]
SENTENCES = [
    "The trade ministers of South Korea and Japan held video talks on Thursday.",
    "Sen. Kim met U.S. Secretary of State Mike Pompeo in Washington, D.C. on Jan. 15.",
    "The ministers met in Washington, D.C. The talks lasted an hour.",
    "The talks ended at 3 p.m. KST, the ministry said.",
    "Lt. Col. Park said the U.S. Forces Korea would stay.",
    '"We will keep talking," he said.',
    "Samsung Electronics Co. Chairman Lee Jae-yong did not attend.",
    "Exports rose 2.5 pct. in 2020, according to Statistics Korea.",
    "George W. Bush and H.R. McMaster were not there.",
    "It was cold in St. Louis. Its mayor left early.",
    "Did they agree? No!",
    "Prices fell by half\u2026 then recovered.",
]
CAPTIONS = [
    "Industry Minister Sung Yun-mo speaks in Sejong on Dec. 3, 2020, in this photo provided "
    "by the ministry. (PHOTO NOT FOR SALE) (Yonhap)",
    "(PHOTO NOT FOR SALE) (Yonhap)",
    "Photo by Thomas Maresca/UPI",
    "Foreign Minister Kang Kyung-wha is seen in this file photo. (Kyodo)",
]
FURNITURE = [
    "Share this article",
    "By Kim Soo-yeon",
    "Updated 10:53",
    "Copyright (c) 2020 Yonhap News Agency",
    "All rights reserved.",
]
# Whitespace an editor or a paste leaves inside and around a line.
SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " \u3000"])
BREAKS = st.sampled_from(["\n\n", "\n\n", "\n", "\n \n", "\n\n\n"])


@st.composite
def wrapped(draw: st.DrawFn, text: str, *, wrap: bool = True) -> str:
    """`text` with odd whitespace between its words, hard-wrapped at some of them if `wrap`."""
    words = text.split(" ")
    gaps = st.one_of(SPACES, st.just("\n")) if wrap else SPACES
    out = words[0]
    for word in words[1:]:
        out += draw(gaps) if draw(st.booleans()) else " "
        out += word
    return out + draw(st.sampled_from(["", "", " ", "\t"]))


@st.composite
def news_articles(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(profile, headline or "", dateline, text): chrome, headline, dateline, then the rest."""
    profile = draw(st.sampled_from(sorted(CHROME)))
    # Chrome is a whole line: odd spaces inside, never wrapped.
    chrome = st.sampled_from(CHROME[profile] or [""]).flatmap(
        lambda line: wrapped(line, wrap=False)
    )
    body = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map(" ".join)
    parts = [line + "\n" for line in draw(st.lists(chrome, max_size=2))]
    headline = draw(st.one_of(st.just(""), st.sampled_from(HEADLINES)))
    parts += [f"\n{headline}\n\n"] if headline else []
    parts += [line + "\n" for line in draw(st.lists(chrome, max_size=1))]
    dateline = draw(st.sampled_from(DATELINES[profile]))
    lead = draw(st.one_of(st.just(""), body.flatmap(wrapped)))
    parts.append(f"\n{dateline} {lead}".rstrip(" ") + draw(BREAKS))
    others = st.one_of(body, body, st.sampled_from(CAPTIONS), st.sampled_from(FURNITURE))
    for item in draw(st.lists(st.one_of(others.flatmap(wrapped), chrome), max_size=6)):
        parts.append(item + draw(BREAKS))
    return profile, headline, dateline, "".join(parts)


def _line_of_text(raw: str) -> str:
    """A line as the article keeps it: whitespace runs made one space, ends trimmed."""
    return " ".join(raw.split())


def test_the_chrome_lines_are_chrome_of_their_profile() -> None:
    profiles = {profile.name: profile for profile in load_profiles()}
    for name, lines in CHROME.items():
        assert all(profiles[name].is_chrome(line) for line in lines), name


@bounded(120)
@given(news_articles())
def test_segments_cover_every_line_of_a_whole_article(
    written: tuple[str, str, str, str],
) -> None:
    intended, headline, dateline, text = written
    article = parse_article(text, article_id="story", path="story.txt")
    assert article.profile == intended
    profile = next(p for p in load_profiles() if p.name == article.profile)
    lines = [_line_of_text(raw) for raw in text.split("\n")]

    # Chrome of the profile chosen and of the general rules (bylines, time stamps),
    # and nothing else, is removed.
    def is_chrome(line: str) -> bool:
        return profile.is_chrome(line) or bool(general_chrome(line))

    removed = [(n, line) for n, line in enumerate(lines, start=1) if line and is_chrome(line)]
    assert [(r.line, r.text) for r in article.removed] == removed
    # Every other line is in exactly one paragraph, in order, at its own line number.
    kept = [(n, line) for n, line in enumerate(lines, start=1) if line and not is_chrome(line)]
    held = []
    for paragraph in article.paragraphs:
        edges = [0, *paragraph.line_breaks, len(paragraph.text) + 1]
        for number, (a, b) in enumerate(pairwise(edges)):
            held.append((paragraph.line + number, paragraph.text[a : b - 1]))
    assert held == kept
    segments = segment_article(article)
    assert len({segment.key for segment in segments}) == len(segments), "keys repeat"
    for paragraph in article.paragraphs:
        mine = [s for s in segments if s.paragraph == paragraph.index]
        assert mine, paragraph
        # The segments and the whitespace dropped between them give the paragraph back.
        cursor = 0
        for segment in mine:
            assert segment.text and segment.text == segment.text.strip(), segment
            start = paragraph.text.index(segment.text, cursor)
            assert paragraph.text[cursor:start].strip() == "", (paragraph.text, segment)
            cursor = start + len(segment.text)
            # The segment begins on its line and goes on over the lines after it.
            first = lines[segment.line - 1]
            following = " ".join(lines[segment.line - 1 :])
            assert following.find(segment.text) in range(len(first)), (segment, first)
        assert paragraph.text[cursor:].strip() == ""
        if paragraph.kind == "title":
            assert [(s.kind, s.text) for s in mine] == [("title", paragraph.text)]
        elif paragraph.dateline:
            assert (mine[0].kind, mine[0].text) == ("dateline", paragraph.dateline)
    # The headline above the dateline is the title, and the dateline a segment of its own.
    assert article.title == headline
    assert ("dateline", dateline) in [(s.kind, s.text) for s in segments]


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


@bounded(200)
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


@bounded(150)
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


@bounded(120)
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


# -- masking and restoring: any text, any glossary ----------------------------

# Characters that make masking hard, drawn beside the whole of Unicode (surrogates
# aside): placeholder letters and digits, Hangul (particles among them), CJK and kana,
# the brackets and quotes a particle may hide behind, odd whitespace, emoji, combining
# marks and invisible characters.
HARD_CHARS = [
    *"ZXQzxq0123456789AaKkSs",
    *"강경화서울은는이가을를과와로으도의에서야다",
    *"東京康京和のはをソウルー",
    *"()[]\uff08\uff09\uff3b\uff3d'\"\u2019“”«»「」『』〉》.,!?-\u2010\u2011/&、。",
    *[" ", "\n", "\t", "\u00a0", "\u3000", "\u2028", "\x1c", "\x85"],
    *["\U0001f600", "\U0001f1f0", "\u0301", "\u0308", "\u200b", "\ufeff"],
]
any_char = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(HARD_CHARS))
# Whole words, so that terms have something to match: Latin, Hangul, digits, placeholders.
word_chunks = st.one_of(
    st.text(st.sampled_from("abcdeKLMSZXQ"), min_size=1, max_size=5),
    st.sampled_from(["Kim", "Lee", "Seoul", "Korea", "U.S.", "ZXQ", "ZXQ1", "ZXQ2", "zxq3"]),
    st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=3),
    st.integers(0, 2030).map(str),
)
# Between words: what a particle may follow, spaces beside CJK, or anything at all.
gaps = st.one_of(
    st.sampled_from(
        [" ", " ", "  ", "\n", "\u3000", "、", ")", "”가 ", ")은 ", "(서울)는", "'s "]
    ),
    st.text(any_char, max_size=3),
)
any_texts = st.lists(st.tuples(word_chunks, gaps).map("".join), max_size=20).map("".join)
# What a glossary cell cannot hold (see workflow.glossary): line breaks and controls.
_NOT_IN_A_CELL = re.compile("[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029\x00-\x08\x0e-\x1b\x7f]")
cell_texts = (
    st.text(any_char, min_size=1, max_size=8)
    .map(lambda text: _NOT_IN_A_CELL.sub("", text).strip())
    .filter(bool)
)
# Targets restoring must never read twice, and targets particles cling to.
SPECIAL_TARGETS = ["ZXQ1", "ZXQ2", "zxq1", "ZXQ 3", "[ZXQ1]", "(ZXQ2)", "“서울”", "'Kim'"]
SPECIAL_TARGETS += ['"NATO"', "군사정보보호협정(GSOMIA)", "강 장관(아베 총리)", "康京和", "2020"]
any_targets = st.one_of(cell_texts, st.sampled_from(SPECIAL_TARGETS))


@st.composite
def any_glossaries(draw: st.DrawFn, text: str, lang: str) -> list[Term]:
    """Terms of word sequences from `text` or of any characters; some have no `lang` rule."""
    words = list(re.finditer(r"[^\W_]+", text))
    ens = st.lists(cell_texts, min_size=1, max_size=6)
    if words:
        spans = st.tuples(st.integers(0, len(words) - 1), st.integers(0, 3))
        sequence = spans.map(
            lambda pick: text[
                words[pick[0]].start() : words[min(pick[0] + pick[1], len(words) - 1)].end()
            ]
        )
        ens = st.lists(st.one_of(sequence, sequence, cell_texts), min_size=1, max_size=6)
    # As a glossary writes them: one space between words.
    names = [" ".join(en.split()) for en in draw(ens)]
    rules = draw(
        st.lists(st.one_of(any_targets, st.none()), min_size=len(names), max_size=len(names))
    )
    return [
        Term(en, {lang: target} if target is not None else {"zh": "詞"})
        for en, target in zip(names, rules, strict=True)
        if en
    ]


# What may stand between a term and its particle (see workflow.korean): a bracketed
# group opened right after it, then closing quotes and brackets; then the joined word.
_KO_OPEN, _KO_CLOSE = re.escape("([\uff08\uff3b"), re.escape(")]\uff09\uff3d")
_KO_MARKS = re.escape("'\"\u2019”»」』〉》") + _KO_CLOSE
_KO_FOLLOWING = re.compile(
    rf"(?P<group>[{_KO_OPEN}][^{_KO_OPEN}{_KO_CLOSE}\n]*[{_KO_CLOSE}])?"
    rf"(?P<marks>[{_KO_MARKS}]*)(?P<word>[가-힣]+)"
)


def expected_korean(text: str, slots: tuple[Slot, ...]) -> str:
    """`text` with each slot's target in place of its match, as the Korean rules allow.

    Nothing changes but this: a space goes between two terms that touch (the matcher
    never lets a term touch a letter or digit before it), and the Hangul word joined
    to each term, possibly after a bracketed group and closing marks, becomes what
    `attach` makes of it after what is said before it on its line (after closing
    marks, which may close a group opened before the term) or from the term on.
    `attach` leaves a word that is not all particles as it is.
    """
    out, spans, cursor = "", [], 0
    for slot in slots:
        out += text[cursor : slot.match.start]
        if spans and spans[-1][1] == len(out):
            out += " "
        spans.append((len(out), len(out) + len(slot.target)))
        out += slot.target
        cursor = slot.match.end
    out += text[cursor:]
    # From the last term back, so that the offsets of earlier ones stay valid.
    for index in reversed(range(len(spans))):
        start, end = spans[index]
        limit = spans[index + 1][0] if index + 1 < len(spans) else len(out)
        found = _KO_FOLLOWING.match(out, end, limit)
        if found is None:
            continue
        said = out[
            out.rfind("\n", 0, start) + 1 if found["marks"] else start : found.start("word")
        ]
        agreeing = attach(said, found["word"])[len(said) :]
        out = out[: found.start("word")] + agreeing + out[found.end() :]
    return out


def _unspaced(char: str) -> bool:
    """A character Japanese writes without spaces around it: CJK, kana, fullwidth forms."""
    name = unicodedata.name(char, "")
    kinds = ("CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "IDEOGRAPHIC")
    return name.startswith(kinds) or "\u3000" <= char <= "\u303f"


def expected_japanese(text: str, slots: tuple[Slot, ...]) -> str:
    """`text` with each slot's target in place of its match, as the Japanese rules allow.

    Nothing changes but this: a run of whitespace between a term and its neighbour (a
    character of the text, or another term) goes when either side is written without
    spaces (`_unspaced`); a run at either end of the text, with no neighbour, stays.
    """
    edges = [0, *(i for slot in slots for i in (slot.match.start, slot.match.end)), len(text)]
    out = ""
    for index, (a, b) in enumerate(zip(edges[::2], edges[1::2], strict=True)):
        piece = text[a:b]
        # The facing characters of the terms around the piece, if any.
        before = slots[index - 1].target[-1] if index > 0 else ""
        after = slots[index].target[0] if index < len(slots) else ""
        core = piece.strip()
        if not core:
            if before and after and (_unspaced(before) or _unspaced(after)):
                piece = ""
        else:
            if before and (_unspaced(before) or _unspaced(core[0])):
                piece = piece.lstrip()
            if after and (_unspaced(core[-1]) or _unspaced(after)):
                piece = piece.rstrip()
        out += piece + (slots[index].target if index < len(slots) else "")
    return out


@bounded(200)
@given(any_texts, st.data())
def test_restoring_an_identity_hypothesis_in_korean_on_any_text(
    text: str, data: st.DataObject
) -> None:
    terms = data.draw(any_glossaries(text, "ko"), label="glossary")
    masked = mask(text, TermMatcher(terms).find(text), "ko")
    assert problems(masked.text, masked) == []
    assert restore(masked.text, masked, "ko") == expected_korean(text, masked.slots)


@bounded(200)
@given(any_texts, st.data())
def test_restoring_an_identity_hypothesis_in_japanese_on_any_text(
    text: str, data: st.DataObject
) -> None:
    terms = data.draw(any_glossaries(text, "ja"), label="glossary")
    masked = mask(text, TermMatcher(terms).find(text), "ja")
    assert problems(masked.text, masked) == []
    assert restore(masked.text, masked, "ja") == expected_japanese(text, masked.slots)


def _listed(words: str) -> list[str]:
    return words.split()


# Every particle form the rules know (both forms of each pair, compounds, particles
# without a pair), forms they leave alone on purpose (지, 면), and words that merely
# begin like a particle (장관은, 이번, 이에).
PARTICLES = _listed(
    """
    은 는 이 가 을 를 과 와 으로 로 이나 나 이랑 랑 아 야 이여 여 이든 든 이라도 라도
    이야말로 야말로 이야 이라 라 이란 란 이라고 라고 이라는 라는 이라며 라며 이라면 라면
    이라서 라서 이에요 예요 이었다 였다 이었던 였던 이다 다 이고 고 이며 며 이지만 지만
    이죠 죠 이니까 니까 이던 던 인 입니다 일 임 의 에 에서 도 만 과의 와의 으로부터
    로부터 에서는 만으로도 으로도 로도 과는 와는 이지 지 이면 면 장관은 이번 이에
    """
)
# Terms of every last sound: vowel, ㄹ, other consonant, numbers, Latin, kanji, brackets.
KOREAN_TERMS = [
    *_listed(
        """
        서울 강경화 대법원 외교부 도쿄 모테기 NATO NHK UN 2020 2019 100 3.5 康京和 Google
        Samsung Twitter Trump Facebook 군사정보보호협정(GSOMIA) U.S. 강 아베
        """
    ),
    "강 장관",
    "“도쿄”",
]
hangul_terms = st.text(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=4
)
# What a model writes around a placeholder: (before, after the placeholder, before the
# particle). A word joined before it gets a space; quotes and brackets do not.
FRAMES = [
    ("", ""),
    (" ", ""),
    ("외교부", ""),
    ("\u201c", "\u201d"),
    ("'", "'"),
    ("강 장관(", ")"),
    ("", "(한국)"),
    ("", " "),
    ("\n", ""),
]


@bounded(150)
@given(
    st.lists(st.one_of(st.sampled_from(KOREAN_TERMS), hangul_terms), min_size=1, max_size=5),
    st.data(),
)
def test_the_particle_after_each_restored_term_agrees_with_attach(
    renderings: list[str], data: st.DataObject
) -> None:
    names = [f"Name{i}" for i in range(len(renderings))]
    terms = [Term(en, {"ko": ko}) for en, ko in zip(names, renderings, strict=True)]
    source = " and ".join(names) + "."
    masked = mask(source, TermMatcher(terms).find(source), "ko")
    slots = data.draw(st.permutations(masked.slots), label="order in the translation")
    hypothesis, expected = "", ""
    for slot in slots:
        before, after = data.draw(st.sampled_from(FRAMES), label="frame")
        particle = data.draw(st.sampled_from(PARTICLES), label="particle")
        end = data.draw(st.sampled_from([" 만났다 ", ", ", ". ", "\n", " "]), label="then")
        hypothesis += before + slot.token + after + particle + end
        # A word or a term right before the term is kept apart from it.
        apart = " " if before[-1:].isalnum() else ""
        expected += before + apart + slot.target + after
        if after.endswith(" "):
            # Detached: a word of its own, never changed.
            expected += particle
        else:
            said = expected[expected.rfind("\n") + 1 :]
            expected += attach(said, particle)[len(said) :]
        expected += end
    assert problems(hypothesis, masked) == []
    assert restore(hypothesis, masked, "ko") == expected


# How a model garbles a placeholder: glued to a word before it, case, split, digits lost.
GARBLINGS = {
    "glued-to-letter": lambda token: "A" + token,
    "glued-to-digit": lambda token: "7" + token,
    "lower-case": str.lower,
    "split": lambda token: f"{token[:3]} {token[3:]}",
    "digits-lost": lambda token: token[:3],
}


@bounded(100)
@given(
    st.lists(term_texts, min_size=1, max_size=6, unique=True),
    st.lists(korean_targets, min_size=6, max_size=6),
    masking_texts,
    st.sampled_from(sorted(GARBLINGS)),
    st.data(),
)
def test_a_garbled_placeholder_is_always_a_problem(
    ens: list[str], targets: list[str], text: str, garbling: str, data: st.DataObject
) -> None:
    terms = _glossary_with_targets(ens, targets, "ko")
    masked = mask(text, TermMatcher(terms).find(text), "ko")
    tokens = {slot.token for slot in masked.slots}
    found = [m for m in placeholders(masked.text) if m.group(0) in tokens]
    if not found:
        return
    chosen = data.draw(st.sampled_from(found), label="garbled placeholder")
    garbled = GARBLINGS[garbling](chosen.group(0))
    hypothesis = masked.text[: chosen.start()] + garbled + masked.text[chosen.end() :]
    assert problems(hypothesis, masked), hypothesis


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
