"""Tests for workflow.sentences: golden news sentences and the span invariants."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workflow import sentences
from workflow.sentences import sentence_spans, split_sentences

ARTICLE = Path(__file__).resolve().parents[1] / "articles" / "yonhap-2020-01-15-kang-motegi.txt"

# The bundled article, paragraph by paragraph, with the sentences we expect.
ARTICLE_CASES = [
    pytest.param(
        "Top diplomats of S. Korea, Japan discuss row over history, trade",
        ["Top diplomats of S. Korea, Japan discuss row over history, trade"],
        id="article-title-no-final-punctuation",
    ),
    pytest.param(
        "WASHINGTON/SEOUL, Jan. 15 (Yonhap) -- The top diplomats of South Korea and Japan held "
        "one-on-one talks in the United States on Tuesday (U.S. time) and discussed a protracted "
        "row stemming from differences over wartime forced labor.",
        [
            "WASHINGTON/SEOUL, Jan. 15 (Yonhap) -- The top diplomats of South Korea and Japan "
            "held one-on-one talks in the United States on Tuesday (U.S. time) and discussed a "
            "protracted row stemming from differences over wartime forced labor."
        ],
        id="article-lead-with-dateline-one-sentence",
    ),
    pytest.param(
        "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu Motegi, "
        "near San Francisco, on the sidelines of a trilateral meeting with U.S. Secretary of "
        "State Mike Pompeo, Seoul's foreign ministry said.",
        [
            "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu "
            "Motegi, near San Francisco, on the sidelines of a trilateral meeting with U.S. "
            "Secretary of State Mike Pompeo, Seoul's foreign ministry said."
        ],
        id="article-us-secretary",
    ),
    pytest.param(
        "The meeting came as relations between Seoul and Tokyo have been strained following "
        "Tokyo's imposition of export restrictions on Seoul in protest of the South Korean "
        "Supreme Court's rulings that ordered Japanese firms to compensate victims of wartime "
        "forced labor.",
        [
            "The meeting came as relations between Seoul and Tokyo have been strained following "
            "Tokyo's imposition of export restrictions on Seoul in protest of the South Korean "
            "Supreme Court's rulings that ordered Japanese firms to compensate victims of "
            "wartime forced labor."
        ],
        id="article-long-sentence",
    ),
    pytest.param(
        "In response, the South decided to terminate a military information sharing pact with "
        "Japan -- the General Security of Military Information Agreement. But the planned "
        "termination was suspended at the last minute in November, with the two countries "
        "agreeing to hold talks on the issues of export controls and forced labor.",
        [
            "In response, the South decided to terminate a military information sharing pact "
            "with Japan -- the General Security of Military Information Agreement.",
            "But the planned termination was suspended at the last minute in November, with the "
            "two countries agreeing to hold talks on the issues of export controls and forced "
            "labor.",
        ],
        id="article-em-dash-then-two-sentences",
    ),
    pytest.param(
        "Foreign Minister Kang Kyung-wha (R) shakes hands with her Japanese counterpart, "
        "Toshimitsu Motegi, ahead of their bilateral talks near San Francisco on Jan. 14, 2020 "
        "(U.S. time), in this photo provided by Seoul's foreign ministry. "
        "(PHOTO NOT FOR SALE) (Yonhap)",
        [
            "Foreign Minister Kang Kyung-wha (R) shakes hands with her Japanese counterpart, "
            "Toshimitsu Motegi, ahead of their bilateral talks near San Francisco on Jan. 14, "
            "2020 (U.S. time), in this photo provided by Seoul's foreign ministry.",
            "(PHOTO NOT FOR SALE) (Yonhap)",
        ],
        id="article-caption-then-photo-credit",
    ),
    pytest.param(
        "In Tuesday's talks, Kang reiterated Seoul's call for Japan to retract the export "
        "controls and urged that the trade authorities of the two sides should speed up the "
        "dialogue process.",
        [
            "In Tuesday's talks, Kang reiterated Seoul's call for Japan to retract the export "
            "controls and urged that the trade authorities of the two sides should speed up the "
            "dialogue process."
        ],
        id="article-possessives",
    ),
    pytest.param(
        "She also repeated that her government respects the court decisions and any solution "
        "to the problem must have the support from the victims.",
        [
            "She also repeated that her government respects the court decisions and any "
            "solution to the problem must have the support from the victims."
        ],
        id="article-plain-sentence",
    ),
    pytest.param(
        "At the end of the meeting, the two ministers had a five-minute conversation on their "
        "own after asking all other officials to leave the room, raising speculation that it "
        "could have been about a solution for a real breakthrough.",
        [
            "At the end of the meeting, the two ministers had a five-minute conversation on "
            "their own after asking all other officials to leave the room, raising speculation "
            "that it could have been about a solution for a real breakthrough."
        ],
        id="article-hyphenated-words",
    ),
    pytest.param(
        '"An exclusive meeting happens often. They discussed topics of mutual concern," a '
        "ministry official told reporters.",
        [
            '"An exclusive meeting happens often. They discussed topics of mutual concern," a '
            "ministry official told reporters."
        ],
        # Principled: punctuation inside a closed quotation never ends the enclosing
        # sentence, so the quoted speech stays with its attribution.
        id="article-quote-with-attribution-one-segment",
    ),
    pytest.param(
        'The talks served as "an occasion where the two sides reaffirmed the importance of '
        'dialogue and cooperation," another ministry official said.',
        [
            'The talks served as "an occasion where the two sides reaffirmed the importance of '
            'dialogue and cooperation," another ministry official said.'
        ],
        id="article-partial-quote",
    ),
    pytest.param(
        "Kang and Motegi also agreed to continue close communication and coordination so as to "
        "keep alive the dialogue momentum created after last month's summit talks between "
        "President Moon Jae-in and Japanese Prime Minister Shinzo Abe in China.",
        [
            "Kang and Motegi also agreed to continue close communication and coordination so as "
            "to keep alive the dialogue momentum created after last month's summit talks between "
            "President Moon Jae-in and Japanese Prime Minister Shinzo Abe in China."
        ],
        id="article-names",
    ),
    pytest.param(
        "Regarding North Korea, they shared the need for continued bilateral and trilateral "
        "efforts with the U.S. to facilitate the stalled dialogue between Washington and "
        "Pyongyang for complete denuclearization and lasting peace in the region, according to "
        "the ministry.",
        [
            "Regarding North Korea, they shared the need for continued bilateral and trilateral "
            "efforts with the U.S. to facilitate the stalled dialogue between Washington and "
            "Pyongyang for complete denuclearization and lasting peace in the region, according "
            "to the ministry."
        ],
        id="article-us-then-lowercase",
    ),
]

GOLDEN = [
    *ARTICLE_CASES,
    # Abbreviations that may end a sentence: split only before a sentence starter.
    pytest.param(
        "The ministers met in Washington, D.C. The talks lasted an hour.",
        ["The ministers met in Washington, D.C.", "The talks lasted an hour."],
        id="dc-then-the",
    ),
    pytest.param(
        "The meeting ends at 3 p.m. He said it would be short.",
        ["The meeting ends at 3 p.m.", "He said it would be short."],
        id="pm-then-he",
    ),
    pytest.param(
        "Trading opens at 9 a.m. local time and closes at 3:30 p.m.",
        ["Trading opens at 9 a.m. local time and closes at 3:30 p.m."],
        id="am-then-lowercase",
    ),
    # A time followed by a day or a date is one expression.
    pytest.param(
        "The talks will resume at 2 p.m. Tuesday in Seoul.",
        ["The talks will resume at 2 p.m. Tuesday in Seoul."],
        id="pm-then-weekday",
    ),
    pytest.param(
        "The curfew stays in place until 9 a.m. Monday, police said.",
        ["The curfew stays in place until 9 a.m. Monday, police said."],
        id="am-then-weekday-comma",
    ),
    pytest.param(
        "Voting runs from 10 a.m. Feb. 27 to 6 p.m. March 1.",
        ["Voting runs from 10 a.m. Feb. 27 to 6 p.m. March 1."],
        id="am-then-abbreviated-month-and-day",
    ),
    pytest.param(
        "The rocket is to lift off at 7:30 p.m. local time Sunday.",
        ["The rocket is to lift off at 7:30 p.m. local time Sunday."],
        id="pm-local-time-then-weekday",
    ),
    pytest.param(
        "The polls close at 6 p.m. Sunday. Results are due Monday.",
        ["The polls close at 6 p.m. Sunday.", "Results are due Monday."],
        id="pm-weekday-then-sentence",
    ),
    pytest.param(
        "Trading was halted at 11 a.m. KST Thursday. It resumed an hour later.",
        ["Trading was halted at 11 a.m. KST Thursday.", "It resumed an hour later."],
        id="am-zone-weekday-then-sentence",
    ),
    pytest.param(
        "The ceasefire began at midnight and held until 6 a.m. The shelling then resumed.",
        ["The ceasefire began at midnight and held until 6 a.m.", "The shelling then resumed."],
        id="am-then-the-still-splits",
    ),
    pytest.param(
        "The office opens at 9 a.m. May 4 after the holiday.",
        ["The office opens at 9 a.m. May 4 after the holiday."],
        id="am-then-may-and-day",
    ),
    pytest.param(
        "The store closes at 9 p.m. May I ask why?",
        ["The store closes at 9 p.m.", "May I ask why?"],
        id="pm-then-may-not-a-date",
    ),
    pytest.param(
        "He works for Samsung Electronics Co. The company declined to comment.",
        ["He works for Samsung Electronics Co.", "The company declined to comment."],
        id="co-then-the",
    ),
    pytest.param(
        "Samsung Electronics Co. Chairman Lee Jae-yong attended the event.",
        ["Samsung Electronics Co. Chairman Lee Jae-yong attended the event."],
        # A capitalized word that is not a sentence starter continues the sentence.
        id="co-then-title-one-sentence",
    ),
    pytest.param(
        "Shares of Apple Inc. rose 2 percent. Hyundai Motor Corp. and LG Ltd. fell.",
        ["Shares of Apple Inc. rose 2 percent.", "Hyundai Motor Corp. and LG Ltd. fell."],
        id="inc-corp-ltd-mid-sentence",
    ),
    pytest.param(
        "The rally was held in Portland, Ore. It drew thousands.",
        ["The rally was held in Portland, Ore.", "It drew thousands."],
        id="state-abbreviation-ends-sentence",
    ),
    pytest.param(
        "He grew up in Boston, Mass., and moved to Los Angeles, Calif., in 2010.",
        ["He grew up in Boston, Mass., and moved to Los Angeles, Calif., in 2010."],
        id="state-abbreviations-with-commas",
    ),
    pytest.param(
        "The deal was struck in the U.S. It takes effect next month.",
        ["The deal was struck in the U.S.", "It takes effect next month."],
        id="us-ends-sentence",
    ),
    pytest.param(
        "S. Korea's exports rose. N. Korea fired a missile.",
        ["S. Korea's exports rose.", "N. Korea fired a missile."],
        id="s-korea-n-korea",
    ),
    pytest.param(
        "Martin Luther King Jr. The civil rights leader spoke here.",
        ["Martin Luther King Jr.", "The civil rights leader spoke here."],
        id="jr-then-the",
    ),
    pytest.param(
        "The church is on Main St. Its bells ring at noon. St. Mary's is older.",
        ["The church is on Main St.", "Its bells ring at noon.", "St. Mary's is older."],
        id="street-and-saint",
    ),
    # After an abbreviation that often ends a sentence, a capitalized word starts a new
    # one unless it continues a name ("U.S. President", "Co. Chairman").
    pytest.param(
        "It was signed at 3 p.m. Sen. Kim said so.",
        ["It was signed at 3 p.m.", "Sen. Kim said so."],
        id="pm-then-title",
    ),
    pytest.param(
        "The meeting ended at 3 p.m. Officials said it went well.",
        ["The meeting ended at 3 p.m.", "Officials said it went well."],
        id="pm-then-capitalized-noun",
    ),
    pytest.param(
        "He studied in the U.S. Moon returned to Seoul in 2019.",
        ["He studied in the U.S.", "Moon returned to Seoul in 2019."],
        id="us-then-name",
    ),
    pytest.param(
        "The ministers met in Washington, D.C. Kang said the talks went well.",
        ["The ministers met in Washington, D.C.", "Kang said the talks went well."],
        id="dc-then-name",
    ),
    pytest.param(
        "He spoke in Cupertino, Calif. Apple Inc. declined to comment.",
        ["He spoke in Cupertino, Calif.", "Apple Inc. declined to comment."],
        id="state-then-company",
    ),
    pytest.param(
        "The talks start at 10 a.m. Seoul time and end at 3 p.m. KST on Friday.",
        ["The talks start at 10 a.m. Seoul time and end at 3 p.m. KST on Friday."],
        id="time-zones-continue",
    ),
    pytest.param(
        "Kang met U.S. Forces Korea commander Gen. Paul LaCamera and U.S. Special "
        "Representative Sung Kim.",
        [
            "Kang met U.S. Forces Korea commander Gen. Paul LaCamera and U.S. Special "
            "Representative Sung Kim."
        ],
        id="us-name-continuations",
    ),
    pytest.param(
        "Apple Inc. CEO Tim Cook visited Samsung Electronics Co. Ltd. on Monday.",
        ["Apple Inc. CEO Tim Cook visited Samsung Electronics Co. Ltd. on Monday."],
        id="company-continuations",
    ),
    pytest.param(
        "Washington, D.C. Mayor Muriel Bowser and U.N. Secretary-General Guterres spoke.",
        ["Washington, D.C. Mayor Muriel Bowser and U.N. Secretary-General Guterres spoke."],
        id="acronym-continuations",
    ),
    pytest.param(
        "Security Adviser H.R. McMaster flew to St. Louis on Martin Luther King Jr. Day.",
        ["Security Adviser H.R. McMaster flew to St. Louis on Martin Luther King Jr. Day."],
        id="initials-saint-and-jr-day",
    ),
    pytest.param(
        "Cities such as Seoul, Busan, etc. Kang said all of them would join.",
        ["Cities such as Seoul, Busan, etc.", "Kang said all of them would join."],
        id="etc-then-name",
    ),
    # A full stop before a lowercase word never ends a sentence.
    pytest.param(
        "Growth was 2.5 pct. in 2020.",
        ["Growth was 2.5 pct. in 2020."],
        id="pct-then-lowercase",
    ),
    pytest.param(
        "Output rose approx. two percent, led by chips, cars, etc. and ships in Rm. three.",
        ["Output rose approx. two percent, led by chips, cars, etc. and ships in Rm. three."],
        id="abbreviations-then-lowercase",
    ),
    # Titles and dates never end a sentence.
    pytest.param(
        "Sen. John Smith and Rep. Jane Doe met Gov. Kim and Gen. Mark Milley.",
        ["Sen. John Smith and Rep. Jane Doe met Gov. Kim and Gen. Mark Milley."],
        id="political-titles",
    ),
    pytest.param(
        "Lt. Col. Park, Col. Lee, Maj. Choi and Adm. Kim arrived.",
        ["Lt. Col. Park, Col. Lee, Maj. Choi and Adm. Kim arrived."],
        id="military-titles",
    ),
    pytest.param(
        "Mr. Kim, Mrs. Lee, Ms. Park, Dr. Choi and Prof. Han attended.",
        ["Mr. Kim, Mrs. Lee, Ms. Park, Dr. Choi and Prof. Han attended."],
        id="personal-titles",
    ),
    pytest.param(
        "The report was written by Kim J. Lee and George W. Bush read it.",
        ["The report was written by Kim J. Lee and George W. Bush read it."],
        id="single-initials",
    ),
    pytest.param(
        "The talks resume on Jan. 20. Officials met on Sept. 19 and Dec. 3 last year.",
        ["The talks resume on Jan. 20.", "Officials met on Sept. 19 and Dec. 3 last year."],
        id="month-abbreviations-before-numbers",
    ),
    pytest.param(
        "Korea is the world's No. 2 chipmaker. The No. 1 spot went to Taiwan.",
        ["Korea is the world's No. 2 chipmaker.", "The No. 1 spot went to Taiwan."],
        id="number-abbreviation",
    ),
    pytest.param(
        "It was Korea vs. Japan in the final. Korea won.",
        ["It was Korea vs. Japan in the final.", "Korea won."],
        id="versus",
    ),
    # Numbers and money.
    pytest.param(
        "Exports rose 3.5 percent to US$45.6 billion. The KOSPI closed at 2,230.98.",
        ["Exports rose 3.5 percent to US$45.6 billion.", "The KOSPI closed at 2,230.98."],
        id="decimals-and-money",
    ),
    pytest.param(
        "The budget is 1.2 trillion won, up 0.5 percent. It was approved.",
        ["The budget is 1.2 trillion won, up 0.5 percent.", "It was approved."],
        id="trillion-won",
    ),
    # Quotations.
    pytest.param(
        'He said, "We will go." Then they left.',
        ['He said, "We will go."', "Then they left."],
        id="straight-quote-ends-sentence",
    ),
    pytest.param(
        "He said, \u201cWe will go.\u201d Then they left.",
        ["He said, \u201cWe will go.\u201d", "Then they left."],
        id="curly-double-quote-ends-sentence",
    ),
    pytest.param(
        "He said, \u2018We will go.\u2019 Then they left.",
        ["He said, \u2018We will go.\u2019", "Then they left."],
        id="curly-single-quote-ends-sentence",
    ),
    pytest.param(
        'She asked, "Will it work?" Nobody answered.',
        ['She asked, "Will it work?"', "Nobody answered."],
        id="question-inside-quote",
    ),
    pytest.param(
        'She shouted, "Stop!" Then she ran.',
        ['She shouted, "Stop!"', "Then she ran."],
        id="exclamation-inside-quote",
    ),
    pytest.param(
        '"Will you go?" he asked. She nodded.',
        ['"Will you go?" he asked.', "She nodded."],
        id="quoted-question-then-attribution",
    ),
    pytest.param(
        '"We met in Washington, D.C. The talks went well," he said.',
        ['"We met in Washington, D.C. The talks went well," he said.'],
        id="abbreviation-rule-does-not-split-inside-quote",
    ),
    # A closing quote whose opening quote is in an earlier paragraph.
    pytest.param(
        'He said they would fight to the end."',
        ['He said they would fight to the end."'],
        id="lone-closing-quote",
    ),
    pytest.param(
        "He said they would fight to the end.\u201d",
        ["He said they would fight to the end.\u201d"],
        id="lone-curly-closing-quote",
    ),
    pytest.param(
        "They will go on. They will fight to the end.\u201d Then he left.",
        ["They will go on.", "They will fight to the end.\u201d", "Then he left."],
        id="lone-curly-closing-quote-mid-paragraph",
    ),
    pytest.param(
        'They will fight to the end. "',
        ['They will fight to the end. "'],
        id="quote-mark-alone-after-a-space",
    ),
    # Question marks, exclamation marks, ellipses.
    pytest.param(
        "Is this the end? No! The talks go on.",
        ["Is this the end?", "No!", "The talks go on."],
        id="question-and-exclamation",
    ),
    pytest.param(
        "We will wait... and see what happens.",
        ["We will wait... and see what happens."],
        id="ellipsis-then-lowercase",
    ),
    pytest.param(
        "We will wait \u2026 and see. Then we act.",
        ["We will wait \u2026 and see.", "Then we act."],
        id="unicode-ellipsis-then-lowercase",
    ),
    # Parentheses, dashes, credits.
    pytest.param(
        "The envoy (a former U.S. Army Col. in Seoul) spoke -- briefly -- to reporters.",
        ["The envoy (a former U.S. Army Col. in Seoul) spoke -- briefly -- to reporters."],
        id="abbreviations-inside-parentheses-and-dashes",
    ),
    pytest.param(
        "President Moon Jae-in (2nd from L) and Prime Minister Abe (L) pose for a photo. (Yonhap)",
        [
            "President Moon Jae-in (2nd from L) and Prime Minister Abe (L) pose for a photo.",
            "(Yonhap)",
        ],
        id="caption-positions-then-bare-credit",
    ),
    pytest.param(
        "The ministers met in Washington, D.C. (Yonhap)",
        ["The ministers met in Washington, D.C.", "(Yonhap)"],
        id="credit-after-abbreviation",
    ),
    pytest.param(
        "The rally ended peacefully (Yonhap)",
        ["The rally ended peacefully (Yonhap)"],
        id="no-credit-split-without-final-period",
    ),
    # Wire-service styles.
    pytest.param(
        "TOKYO, Kyodo - Japan's economy shrank in the last quarter. Officials blamed the tax.",
        [
            "TOKYO, Kyodo - Japan's economy shrank in the last quarter.",
            "Officials blamed the tax.",
        ],
        id="kyodo-dateline",
    ),
    pytest.param(
        "SEOUL, April 19 (UPI) -- North Korea fired a missile on Friday, the military said. "
        "It was the third launch this month.",
        [
            "SEOUL, April 19 (UPI) -- North Korea fired a missile on Friday, the military said.",
            "It was the third launch this month.",
        ],
        id="upi-dateline",
    ),
    pytest.param(
        "SEOUL, Dec. 3 (Yonhap) -- Sen. Kim met Gen. Lee at 10 a.m. The talks lasted an hour.",
        [
            "SEOUL, Dec. 3 (Yonhap) -- Sen. Kim met Gen. Lee at 10 a.m.",
            "The talks lasted an hour.",
        ],
        id="yonhap-dateline-titles-and-am",
    ),
    # Whitespace and degenerate input.
    pytest.param(
        "  The first sentence.\n  The second\nsentence.  ",
        ["The first sentence.", "The second\nsentence."],
        id="surrounding-and-inner-whitespace",
    ),
    pytest.param(
        "Talks resume between Seoul and Tokyo",
        ["Talks resume between Seoul and Tokyo"],
        id="title-without-final-punctuation",
    ),
    pytest.param(
        "It rained. It rained. It rained.",
        ["It rained.", "It rained.", "It rained."],
        id="repeated-sentences",
    ),
    pytest.param("", [], id="empty"),
    pytest.param(" \n\t ", [], id="whitespace-only"),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_golden_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_the_golden_table_covers_every_body_paragraph_of_the_bundled_article() -> None:
    tested = {param.values[0] for param in ARTICLE_CASES}
    paragraphs = [p.strip() for p in ARTICLE.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    body = paragraphs[paragraphs.index(next(p for p in paragraphs if "(Yonhap) --" in p)) :]
    body = [p for p in body if not p.startswith("Send Feedback")]  # site chrome
    assert len(body) == 12
    assert set(body) <= tested
    assert paragraphs[1] in tested  # the title


def assert_spans_tile(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are in order, stripped and non-empty, and only whitespace lies between them."""
    pieces = []
    cursor = 0
    for start, end in spans:
        assert cursor <= start < end <= len(text)
        gap = text[cursor:start]
        assert gap.strip() == "", (gap, text)
        sentence = text[start:end]
        assert sentence == sentence.strip()
        pieces += [gap, sentence]
        cursor = end
    assert text[cursor:].strip() == ""
    assert "".join(pieces) + text[cursor:] == text


PROPERTY_TEXTS = [
    "  The ministers met in Washington, D.C.  The talks lasted an hour.\n",
    "It rained.\tIt rained.\n\nIt rained.",
    "Foreign Minister Kang (R) shakes hands. \n(PHOTO NOT FOR SALE)  (Yonhap) ",
    '"We go. We win," he said.   "Really?" she asked. \u201cYes.\u201d Fine.',
    "a.b.c. ... !!! ??? (((( )))) \"\" '' -- ",
]


@pytest.mark.parametrize("text", PROPERTY_TEXTS)
def test_spans_and_gaps_reproduce_the_text(text: str) -> None:
    spans = sentence_spans(text)
    assert_spans_tile(text, spans)
    assert split_sentences(text) == [text[s:e] for s, e in spans]


FRAGMENTS = [
    "The", "talks", "U.S.", "D.C.", "Co.", "Sen.", "Jan.", "15", "p.m.", "J.", "It", "said.",
    "ended?", "No!", '"We', 'go."', "\u201cYes.\u201d", "(Yonhap)", "(R)", "--", "3.5", "wait...",
    "and", "He", "\u2026", "It's", "(PHOTO", "NOT", "FOR", "SALE)", "Mr.", "Kim",
]  # fmt: skip
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0"]


def test_random_news_like_texts_keep_the_span_invariants() -> None:
    # A seeded fuzz test in place of hypothesis, which is not a project dependency.
    rng = random.Random(20200115)
    for _ in range(300):
        words = rng.choices(FRAGMENTS, k=rng.randint(0, 40))
        text = rng.choice(["", " "]) + "".join(w + rng.choice(SPACES) for w in words)
        assert_spans_tile(text, sentence_spans(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * 4000, id="no-full-stop"),
        pytest.param("Wow!! " * 3400, id="many-exclamations"),
        pytest.param("Mr. Kim " * 2500, id="many-titles"),
        pytest.param('"a." ' * 4000, id="many-quotes"),
        pytest.param("The cat sat. " * 1600, id="many-sentences"),
    ],
)
def test_long_pathological_paragraphs(text: str) -> None:
    # Cut into bounded pieces before pysbd, whose cost grows faster than linearly.
    spans = sentence_spans(text)
    assert_spans_tile(text, spans)
    if "." not in text and "!" not in text:
        assert len(spans) == 1


def test_long_paragraph_is_cut_into_the_same_sentences() -> None:
    text = "The cat sat. " * 1600
    assert split_sentences(text) == ["The cat sat."] * 1600


def test_falls_back_to_the_regex_splitter_when_pysbd_alters_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Altering:
        def __init__(self, text: str = "") -> None:
            self.text = text

        def processor(self, text: str) -> Altering:
            return Altering(text)

        def process(self) -> list[str]:
            return [self.text.upper()]

    monkeypatch.setattr(sentences, "_segmenter", lambda: Altering())
    text = "The ministers met in Washington, D.C. The talks lasted. Sen. Kim left."
    assert split_sentences(text) == [
        "The ministers met in Washington, D.C.",
        "The talks lasted.",
        "Sen. Kim left.",
    ]


def test_pysbd_is_not_loaded_at_import() -> None:
    import subprocess
    import sys

    code = "import sys, workflow.sentences; print('pysbd' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
