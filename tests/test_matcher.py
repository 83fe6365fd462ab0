"""Finding glossary terms in text: longest, whole-word, non-overlapping matches."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workflow.glossary import Term, load_glossaries, read_glossary
from workflow.matcher import Match, TermMatcher


def terms(*english: str) -> list[Term]:
    return [Term(en, {"ko": f"<{en}>"}) for en in english]


def found(text: str, *english: str, ignore_case: bool = False) -> list[str]:
    """The matched spans, each followed by its possessive in brackets when there is one."""
    matches = TermMatcher(terms(*english), ignore_case=ignore_case).find(text)
    return [text[m.start : m.end] + (f"[{m.possessive}]" if m.possessive else "") for m in matches]


def test_match_positions_and_terms() -> None:
    seoul, tokyo = terms("Seoul", "Tokyo")
    text = "Seoul and Tokyo."
    assert TermMatcher([seoul, tokyo]).find(text) == [
        Match(0, 5, seoul, ""),
        Match(10, 15, tokyo, ""),
    ]


def test_empty_text_and_empty_glossary() -> None:
    assert TermMatcher(terms("Seoul")).find("") == []
    assert TermMatcher([]).find("Seoul") == []
    assert TermMatcher(terms("", "  ")).find("Seoul  ") == []


def test_longest_match_wins_at_the_same_start() -> None:
    assert found("South Korea and Korea", "Korea", "South Korea") == ["South Korea", "Korea"]
    text = "Foreign Minister Kang Kyung-wha met Kang Kyung-wha's aide and Kang."
    assert found(text, "Kang", "Kang Kyung-wha", "Foreign Minister Kang Kyung-wha") == [
        "Foreign Minister Kang Kyung-wha",
        "Kang Kyung-wha['s]",
        "Kang",
    ]


def test_leftmost_match_wins_over_a_longer_overlapping_one() -> None:
    assert found("New York Times", "York Times", "New York") == ["New York"]
    assert found("in New York Times Square", "New York Times", "Times Square") == [
        "New York Times"
    ]
    # A shorter term nested inside a longer one that failed can still match.
    assert found("ab cd ef", "ab cd ef gh", "cd") == ["cd"]


def test_overlapping_terms_do_not_overlap_in_the_result() -> None:
    text = "the Japan Korea Japan Korea summit"
    assert found(text, "Japan Korea", "Korea Japan") == ["Japan Korea", "Japan Korea"]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Koreans voted", "Korea"),
        ("in Kangwon Province", "Kang"),
        ("the South Korean court", "South Korea"),
        ("NorthKorea", "Korea"),
        ("Korea2020", "Korea"),
        ("O'Brien said", "Brien"),
        ("O'Brien said", "O"),
        ("Kang Kyung-wha said", "Kyung"),
        ("Kang Kyung-wha said", "wha"),
        ("Japan-made chips", "Japan"),
        ("COVID-19 cases", "COVID"),
        ("the U.S.A. said", "U.S."),
    ],
)
def test_whole_words_only(text: str, term: str) -> None:
    assert found(text, term) == []


def test_hyphen_joins_only_a_lowercase_or_numeric_continuation() -> None:
    assert found("Kang Kyung-wha said", "Kang Kyung-wha") == ["Kang Kyung-wha"]
    assert found("Moon Jae-in", "Moon Jae-in", "Moon") == ["Moon Jae-in"]
    assert found("Seoul-Tokyo ties", "Seoul", "Tokyo") == ["Seoul", "Tokyo"]
    assert found("U.S.-Japan alliance", "U.S.", "Japan") == ["U.S.", "Japan"]
    assert found("the Korea-Japan -- Korea deal", "Korea") == ["Korea", "Korea"]


def test_punctuation_around_a_term_is_a_boundary() -> None:
    text = '(Yonhap) "Seoul," said Tokyo. [Japan]/Korea'
    assert found(text, "Yonhap", "Seoul", "Tokyo", "Japan", "Korea") == [
        "Yonhap",
        "Seoul",
        "Tokyo",
        "Japan",
        "Korea",
    ]
    assert found("the U.S. said", "U.S.") == ["U.S."]
    assert found("WASHINGTON/SEOUL, Jan. 15", "WASHINGTON", "SEOUL") == ["WASHINGTON", "SEOUL"]


def test_possessives() -> None:
    assert found("Seoul's call and Japan's reply", "Seoul", "Japan") == [
        "Seoul['s]",
        "Japan['s]",
    ]
    assert found("Seoul\u2019s call", "Seoul") == ["Seoul[\u2019s]"]
    assert found("the Philippines' capital", "Philippines") == ["Philippines[']"]
    assert found("SEOUL'S CALL", "SEOUL") == ["SEOUL['S]"]
    # A quote after a term that does not end in s is not a possessive.
    assert found("he said 'Seoul' twice", "Seoul") == ["Seoul"]
    # Neither is an apostrophe that goes on into a longer word.
    assert found("Seoul'sque", "Seoul") == []
    # A term that includes the possessive wins as the longer match.
    assert found("Seoul's foreign ministry said", "Seoul", "Seoul's foreign ministry") == [
        "Seoul's foreign ministry"
    ]


def test_the_match_after_a_possessive_starts_after_it() -> None:
    matcher = TermMatcher(terms("Tokyo", "s"))
    text = "Tokyo's s"
    assert [(m.start, m.end, m.possessive) for m in matcher.find(text)] == [
        (0, 5, "'s"),
        (8, 9, ""),
    ]


def test_case_sensitive_by_default() -> None:
    assert found("SEOUL and seoul and Seoul", "Seoul") == ["Seoul"]
    assert found("Foreign Ministry", "foreign ministry") == []
    assert found("SEOUL and seoul", "Seoul", ignore_case=True) == ["SEOUL", "seoul"]
    assert found("STRASSE", "Straße", ignore_case=True) == ["STRASSE"]


def test_with_ignore_case_an_exact_spelling_is_preferred() -> None:
    lower, upper = terms("foreign ministry", "Foreign Ministry")
    matcher = TermMatcher([lower, upper], ignore_case=True)
    assert [m.term for m in matcher.find("Foreign Ministry and foreign ministry")] == [
        upper,
        lower,
    ]
    assert [m.term for m in matcher.find("FOREIGN MINISTRY")] == [lower]


def test_typographic_variants_and_line_breaks_match() -> None:
    assert found("Seoul\u2019s foreign ministry", "Seoul's foreign ministry") == [
        "Seoul\u2019s foreign ministry"
    ]
    assert found("Kang Kyung\u2011wha", "Kang Kyung-wha") == ["Kang Kyung\u2011wha"]
    assert found("Foreign Minister\nKang", "Foreign Minister Kang") == ["Foreign Minister\nKang"]
    assert found("Foreign  Minister\u00a0Kang", "Foreign Minister Kang") == [
        "Foreign  Minister\u00a0Kang"
    ]


@pytest.mark.parametrize(
    "term",
    [
        "(Yonhap)",
        "C++",
        "a.b*c?",
        "[T1]",
        "50%",
        "%s Agency",
        "{0} Group",
        '"Quoted" Co.',
        "Back\\slash",
        "msgid",
        "#, fuzzy",
        "$100 Fund",
        "A|B",
    ],
)
def test_terms_with_regex_and_po_metacharacters_match_literally(term: str) -> None:
    text = f"before {term} after"
    assert found(text, term) == [term]
    # ...and only literally: a regex reading of the term would match here.
    assert found("before aXb after C+ [T] 5% xs Agency", term) == []


def test_agrees_with_a_naive_scan_on_random_texts() -> None:
    """The automaton against a brute-force leftmost-longest scan, on texts built to
    have many partial and overlapping matches (so the fail links are exercised)."""
    rng = random.Random(20200115)
    vocabulary = ["a", "ab", "b", "ba", "aba"]
    for _ in range(200):
        english = {
            " ".join(rng.choices(vocabulary, k=rng.randint(1, 4)))
            for _ in range(rng.randint(1, 8))
        }
        words = rng.choices(vocabulary, k=rng.randint(0, 30))
        text = " ".join(words)
        expected = []
        index = 0
        while index < len(words):
            lengths = [
                len(en.split())
                for en in english
                if en.split() == words[index : index + len(en.split())]
            ]
            if lengths:
                expected.append(" ".join(words[index : index + max(lengths)]))
                index += max(lengths)
            else:
                index += 1
        assert found(text, *english) == expected, (english, text)


def test_bundled_article_sentences(bundled_article: Path, default_glossary: Path) -> None:
    matcher = TermMatcher(load_glossaries([default_glossary]).terms)
    article = bundled_article.read_text(encoding="utf-8")

    def hits(sentence: str) -> list[str]:
        assert sentence in article
        return [sentence[m.start : m.end] + m.possessive for m in matcher.find(sentence)]

    assert hits(
        "Foreign Minister Kang Kyung-wha met with her Japanese counterpart, Toshimitsu "
        "Motegi, near San Francisco, on the sidelines of a trilateral meeting with U.S. "
        "Secretary of State Mike Pompeo, Seoul's foreign ministry said."
    ) == [
        "Foreign Minister Kang Kyung-wha",
        "Toshimitsu Motegi",
        "San Francisco",
        "U.S. Secretary of State Mike Pompeo",
        "Seoul's foreign ministry",
    ]
    assert hits(
        "The meeting came as relations between Seoul and Tokyo have been strained following "
        "Tokyo's imposition of export restrictions on Seoul in protest of the South Korean "
        "Supreme Court's rulings that ordered Japanese firms to compensate victims of wartime "
        "forced labor."
    ) == [
        "Seoul",
        "Tokyo",
        "Tokyo's",
        "export restrictions",
        "Seoul",
        "South Korean Supreme Court's",
        "victims of wartime forced labor",
    ]
    assert hits(
        "In Tuesday's talks, Kang reiterated Seoul's call for Japan to retract the export "
        "controls and urged that the trade authorities of the two sides should speed up the "
        "dialogue process."
    ) == ["Kang", "Seoul's", "Japan", "export controls"]
    assert hits(
        "Kang and Motegi also agreed to continue close communication and coordination so as "
        "to keep alive the dialogue momentum created after last month's summit talks between "
        "President Moon Jae-in and Japanese Prime Minister Shinzo Abe in China."
    ) == ["Kang", "Motegi", "President Moon Jae-in", "Japanese Prime Minister Shinzo Abe", "China"]
    assert hits("Top diplomats of S. Korea, Japan discuss row over history, trade") == [
        "S. Korea",
        "Japan",
    ]
    assert (
        hits(
            "She also repeated that her government respects the court decisions and any solution "
            "to the problem must have the support from the victims."
        )
        == []
    )


def test_a_generated_50000_row_glossary_loads_and_matches(tmp_path: Path) -> None:
    # 50,625 distinct two-syllable names ("Bada Kemo"); every third gets a third
    # word and every fifth a hyphenated syllable, so many terms share prefixes.
    syllables = [c + v for c in "bdghjklmnprstwy" for v in "aeiou"]
    words = [(a + b).capitalize() for a in syllables for b in syllables]
    english: dict[str, str] = {}
    for index in range(50_000):
        en = f"{words[index % len(words)]} {words[index // len(words)]}"
        if index % 3 == 0:
            en += " " + words[(index * 7) % len(words)]
        if index % 5 == 0:
            en += "-" + syllables[index % len(syllables)]
        english[en] = f"용어{index}"
    assert len(english) == 50_000
    rows = "".join(f"{en}\t{ko}\tperson\n" for en, ko in english.items())
    path = tmp_path / "big.tsv"
    path.write_text("en\tko\ttype\n" + rows, encoding="utf-8")

    glossary = read_glossary(path)
    assert len(glossary) == 50_000
    matcher = TermMatcher(glossary)
    picked = random.Random(50_000).sample(sorted(english), 100)
    text = " said the minister, and ".join(picked) + "."
    matches = matcher.find(text)
    # Every picked term is found whole (a longer term would need another
    # capitalized word after it), with its own target.
    assert [text[m.start : m.end] for m in matches] == picked
    assert all(m.term.target("ko") == english[m.term.en] for m in matches)


@pytest.mark.parametrize("text", ["e\u0301Kim said.", "Kim\u0301 said.", "Jose\u0301Kim said."])
def test_combining_marks_join_the_word_on_either_side(text: str) -> None:
    assert TermMatcher([Term("Kim", {"ko": "김"})]).find(text) == []
