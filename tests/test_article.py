from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from workflow.article import DATELINE, Article, decode_text, parse_article, read_article
from workflow.errors import InputError
from workflow.segment import segment_article

YONHAP_CHROME = [
    "Go to Contents Go to Navigation",
    "All News 10:53 January 15, 2020",
    "Send Feedback",
    "How can we improve?",
    "Thanks for your feedback!",
]


def test_bundled_article_loses_its_chrome_and_keeps_its_text(bundled_article: Path) -> None:
    article = read_article(bundled_article)
    assert article.id == "yonhap-2020-01-15-kang-motegi"
    assert article.profile == "yonhap"
    assert [r.text for r in article.removed] == YONHAP_CHROME
    texts = [p.text for p in article.paragraphs]
    assert not any(chrome in text for chrome in YONHAP_CHROME for text in texts)
    assert article.title == "Top diplomats of S. Korea, Japan discuss row over history, trade"
    assert len(article.paragraphs) == 13
    assert article.paragraphs[-1].text.startswith("Regarding North Korea")


def test_bundled_article_structure(bundled_article: Path) -> None:
    article = read_article(bundled_article)
    kinds = [p.kind for p in article.paragraphs]
    assert kinds[0] == "title"
    assert kinds.count("caption") == 1
    caption = article.paragraphs[kinds.index("caption")]
    assert caption.text.endswith("(PHOTO NOT FOR SALE) (Yonhap)")
    assert caption.line == 15
    assert article.paragraphs[1].dateline == "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --"
    assert not any(p.possible_boilerplate for p in article.paragraphs)


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("WASHINGTON/SEOUL, Jan. 15 (Yonhap) -- The top", "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --"),
        ("TOKYO, Kyodo - Japan's government", "TOKYO, Kyodo -"),
        ("SEOUL, April 19 (UPI) -- North Korea", "SEOUL, April 19 (UPI) --"),
        ("NEW YORK, Sept. 3 (Yonhap) -- A", "NEW YORK, Sept. 3 (Yonhap) --"),
        ("SEOUL, Jan. 15 -- The", "SEOUL, Jan. 15 --"),
    ],
)
def test_datelines(text: str, dateline: str) -> None:
    found = DATELINE.match(text)
    assert found is not None
    assert found.group("dateline") == dateline


def test_a_dateline_alone_is_a_dateline() -> None:
    found = DATELINE.match("SEOUL, Jan. 15 (Yonhap) --")
    assert found is not None
    assert found.group("dateline") == "SEOUL, Jan. 15 (Yonhap) --"


@pytest.mark.parametrize(
    "text",
    ["In response, the South decided.", "U.S. officials said -- again.", "SEOUL -- no date"],
)
def test_not_datelines(text: str) -> None:
    assert DATELINE.match(text) is None


def test_unknown_short_lines_are_kept_and_flagged() -> None:
    text = "Budget talks\n\nThe ministers met.\n\nShare this story\n\nMore sentences here.\n"
    article = parse_article(text, article_id="a", path="a.txt")
    assert article.profile == "generic"
    flagged = [p.text for p in article.paragraphs if p.possible_boilerplate]
    assert flagged == ["Share this story"]


def test_profiles_are_chosen_by_their_patterns() -> None:
    kyodo = parse_article("Title\n\nTOKYO, Kyodo - Japan said.\n", article_id="k", path="k")
    upi = parse_article("Title\n\nSEOUL, April 19 (UPI) -- It did.\n", article_id="u", path="u")
    assert (kyodo.profile, upi.profile) == ("kyodo", "upi")


def test_an_unknown_profile_is_an_error() -> None:
    with pytest.raises(InputError, match="unknown source profile 'nyt'"):
        parse_article("Title\n", article_id="a", path="a.txt", profile="nyt")


def test_hard_wrapped_paragraphs_keep_their_lines() -> None:
    text = "Title\n\nThe first line of a paragraph\ncontinues here.\n"
    article = parse_article(text, article_id="a", path="a.txt")
    paragraph = article.paragraphs[1]
    assert paragraph.text == "The first line of a paragraph continues here."
    assert paragraph.line_at(0) == 3
    assert paragraph.line_at(paragraph.text.index("continues")) == 4


def test_empty_article_is_an_error() -> None:
    with pytest.raises(InputError, match="empty article") as caught:
        parse_article("\n\nSend Feedback\n", article_id="a", path="a.txt", profile="yonhap")
    assert str(caught.value).startswith("a.txt: ")


def test_invalid_utf8_names_the_line() -> None:
    data = b"Title\n\nGood line.\nBad \xff byte.\n"
    with pytest.raises(InputError) as caught:
        decode_text(data, path="story.txt")
    assert str(caught.value) == (
        "story.txt:4: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    )


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="NUL bytes"):
        decode_text("Title".encode("utf-16-le"), path="a.txt")


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"Title\r\n\r\nBody.\r\n",
        codecs.BOM_UTF16_LE + "Title\n\nBody.\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Title\r\rBody.\r".encode("utf-16-be"),
    ],
    ids=["utf8-bom-crlf", "utf16le-bom", "utf16be-bom-cr"],
)
def test_accepted_encodings_and_line_ends(data: bytes) -> None:
    assert decode_text(data, path="a.txt").split("\n")[:3] == ["Title", "", "Body."]


def test_bad_utf8_after_a_bom_names_its_own_line_and_byte() -> None:
    with pytest.raises(InputError) as caught:
        decode_text(codecs.BOM_UTF8 + b"Title\n\nab\xff c.\n", path="a.txt")
    assert str(caught.value) == "a.txt:3: not valid UTF-8 (byte 0xff); save the file as UTF-8"


# -- paragraphs, line by line ---------------------------------------------------


def parse(text: str, profile: str | None = None) -> Article:
    return parse_article(text, article_id="a", path="a.txt", profile=profile)


def described(article: Article) -> list[tuple[str, int, str, bool]]:
    """(kind, line, text, possible boilerplate) of each paragraph."""
    return [(p.kind, p.line, p.text, p.possible_boilerplate) for p in article.paragraphs]


def test_chrome_like_lines_in_one_block_are_each_kept_and_marked() -> None:
    text = (
        "Budget talks\n\nThe ministers met.\n\n"
        "Related Articles\nSeoul, Tokyo to hold talks\nKang to visit Japan next week\n\n"
        "Share this article\nFollow us on Twitter\nCopyright 2020 Yonhap\n"
    )
    assert described(parse(text))[2:] == [
        ("body", 5, "Related Articles", True),
        ("body", 6, "Seoul, Tokyo to hold talks", True),
        ("body", 7, "Kang to visit Japan next week", True),
        ("body", 9, "Share this article", True),
        ("body", 10, "Follow us on Twitter", True),
        ("body", 11, "Copyright 2020 Yonhap", True),
    ]
    segments = segment_article(parse(text))
    assert [(s.text, s.possible_boilerplate) for s in segments[2:4]] == [
        ("Related Articles", True),
        ("Seoul, Tokyo to hold talks", True),
    ]


def test_hard_wrapped_prose_stays_one_paragraph_and_furniture_after_it_does_not() -> None:
    text = (
        "Talks resume\n\n"
        "The talks resumed on Tuesday after a\n"
        "long pause. Both sides spoke of progress\n"
        "and agreed to meet again with the U.S.\n"
        "President on Friday. Officials said\n"
        "the next round would be in Tokyo.\n"
        "Share this article\n"
    )
    article = parse(text)
    assert described(article)[1:] == [
        (
            "body",
            3,
            "The talks resumed on Tuesday after a long pause. Both sides spoke of progress "
            "and agreed to meet again with the U.S. President on Friday. Officials said the "
            "next round would be in Tokyo.",
            False,
        ),
        ("body", 8, "Share this article", True),
    ]
    assert [(s.line, s.text) for s in segment_article(article)][1:4] == [
        (3, "The talks resumed on Tuesday after a long pause."),
        (4, "Both sides spoke of progress and agreed to meet again with the U.S. President on "
         "Friday."),
        (6, "Officials said the next round would be in Tokyo."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        pytest.param("Seoul and\nTokyo met.", ["Seoul and Tokyo met."], id="short-line-runs-on"),
        pytest.param(
            "The talks resumed on Tuesday with\nForeign Minister Kang present.",
            ["The talks resumed on Tuesday with Foreign Minister Kang present."],
            id="sentence-goes-on-before-a-capital",
        ),
        pytest.param(
            "The talks resumed on Tuesday, and Kang met the U.S.\nPresident on Friday.",
            ["The talks resumed on Tuesday, and Kang met the U.S. President on Friday."],
            id="abbreviation-that-does-not-end-the-sentence",
        ),
        pytest.param(
            "SEOUL, Jan. 15 (Yonhap) --\nThe talks resumed.",
            ["SEOUL, Jan. 15 (Yonhap) -- The talks resumed."],
            id="dateline-runs-on",
        ),
        pytest.param(
            "The talks resumed.\nBoth sides spoke.",
            ["The talks resumed.", "Both sides spoke."],
            id="one-paragraph-per-line",
        ),
    ],
)
def test_line_breaks_inside_a_block(lines: str, paragraphs: list[str]) -> None:
    article = parse(f"Talks resume\n\n{lines}\n")
    assert [p.text for p in article.paragraphs[1:]] == paragraphs


def test_a_caption_credit_on_its_own_line_stays_with_its_caption() -> None:
    text = (
        "Talks resume\n\nSEOUL, Jan. 15 (Yonhap) -- The talks resumed.\n\n"
        "Kang (R) and Motegi shake hands before the talks.\n(PHOTO NOT FOR SALE) (Yonhap)\n"
    )
    caption = parse(text).paragraphs[-1]
    assert (caption.kind, caption.line, caption.possible_boilerplate) == ("caption", 5, False)
    assert caption.text.endswith("talks. (PHOTO NOT FOR SALE) (Yonhap)")


def test_the_yonhap_end_mark_is_removed_and_marked_elsewhere() -> None:
    body = "Talks resume\n\nSEOUL, Jan. 15 (Yonhap) -- The talks resumed.\n(END)\n"
    yonhap = parse(body)
    assert yonhap.profile == "yonhap"
    assert [r.text for r in yonhap.removed] == ["(END)"]
    assert yonhap.paragraphs[-1].text.endswith("The talks resumed.")
    generic = parse("Talks resume\n\nThe talks resumed.\n(END)\n")
    assert generic.profile == "generic"
    assert described(generic)[-1] == ("body", 4, "(END)", True)


def without_blank_lines(path: Path, tmp_path: Path) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    squeezed = tmp_path / path.name
    squeezed.write_text("\n".join(line for line in lines if line.strip()) + "\n", "utf-8")
    return squeezed


@pytest.mark.parametrize(
    "name",
    [
        "articles/yonhap-2020-01-15-kang-motegi.txt",
        "tests/data/articles/yonhap-2020-12-03-sung-kajiyama.txt",
        "tests/data/articles/yonhap-2021-06-22-lee-sung-kim.txt",
    ],
)
def test_one_paragraph_per_line_segments_like_blank_line_paragraphs(
    name: str, tmp_path: Path
) -> None:
    original = Path(__file__).resolve().parents[1] / name
    squeezed = read_article(without_blank_lines(original, tmp_path))
    expected = read_article(original)
    assert [(p.kind, p.text, p.dateline) for p in squeezed.paragraphs] == [
        (p.kind, p.text, p.dateline) for p in expected.paragraphs
    ]
    assert [(s.key, s.kind, s.text) for s in segment_article(squeezed)] == [
        (s.key, s.kind, s.text) for s in segment_article(expected)
    ]


def test_one_paragraph_per_line_caption_is_its_own_line(
    bundled_article: Path, tmp_path: Path
) -> None:
    article = read_article(without_blank_lines(bundled_article, tmp_path))
    captions = [p for p in article.paragraphs if p.kind == "caption"]
    assert [(p.line, p.text[-29:]) for p in captions] == [(8, "(PHOTO NOT FOR SALE) (Yonhap)")]
    credit = [s for s in segment_article(article) if s.text.startswith("(PHOTO")]
    assert [(s.kind, s.line, s.text) for s in credit] == [
        ("caption", 8, "(PHOTO NOT FOR SALE) (Yonhap)")
    ]


# -- title ----------------------------------------------------------------------


def test_chrome_above_the_headline_is_marked_and_the_headline_is_the_title() -> None:
    text = "Skip to main content\n\nTalks resume\n\nThe talks resumed on Tuesday.\n"
    article = parse(text)
    assert described(article) == [
        ("body", 1, "Skip to main content", True),
        ("title", 3, "Talks resume", False),
        ("body", 5, "The talks resumed on Tuesday.", False),
    ]
    assert article.title == "Talks resume"


def test_an_article_opening_with_its_lead_has_no_title() -> None:
    text = "SEOUL, Jan. 15 (Yonhap) -- The talks resumed on Tuesday. Both sides spoke.\n"
    article = parse(text)
    assert article.title == ""
    assert [(s.key, s.kind, s.text) for s in segment_article(article)] == [
        ("0.0", "dateline", "SEOUL, Jan. 15 (Yonhap) --"),
        ("0.1", "body", "The talks resumed on Tuesday."),
        ("0.2", "body", "Both sides spoke."),
    ]


def test_the_title_is_the_last_headline_before_the_dateline() -> None:
    text = (
        "Go to Contents Go to Navigation\nMenu\nTalks resume between Seoul and Tokyo\n"
        "SEOUL, Jan. 15 (Yonhap) -- The talks resumed.\nBoth sides spoke.\n"
    )
    article = parse(text)
    assert described(article)[:3] == [
        ("body", 2, "Menu", True),
        ("title", 3, "Talks resume between Seoul and Tokyo", False),
        ("body", 4, "SEOUL, Jan. 15 (Yonhap) -- The talks resumed.", False),
    ]


def test_a_dateline_alone_in_its_paragraph_is_the_dateline() -> None:
    text = "Talks resume\n\nSEOUL, Jan. 15 (Yonhap) --\n\nThe talks resumed on Tuesday.\n"
    segments = segment_article(parse(text))
    assert [(s.kind, s.line, s.text, s.possible_boilerplate) for s in segments] == [
        ("title", 1, "Talks resume", False),
        ("dateline", 3, "SEOUL, Jan. 15 (Yonhap) --", False),
        ("body", 5, "The talks resumed on Tuesday.", False),
    ]


LINES = [
    "Talks resume", "SEOUL, Jan. 15 (Yonhap) --", "SEOUL, Jan. 15 (Yonhap) -- Kang met Motegi.",
    "The talks resumed.", "Kang met the U.S.", "President on Friday.", "and agreed to meet",
    "Share this article", "(END)", "(PHOTO NOT FOR SALE) (Yonhap)", "Seoul and",
    "Kang shook hands in this photo.", "Copyright 2020 Yonhap", '"We will go," he said.', "",
]  # fmt: skip


def test_random_layouts_lose_no_text_and_keep_their_lines() -> None:
    # A seeded fuzz test: whatever the layout, every line ends up in one paragraph, in order.
    rng = random.Random(15)
    for _ in range(300):
        lines = ["Title", *rng.choices(LINES, k=rng.randint(0, 12))]
        article = parse("\n".join(lines), profile="generic")
        assert " ".join(p.text for p in article.paragraphs) == " ".join(filter(None, lines))
        for paragraph in article.paragraphs:
            first = paragraph.text.split(" ", 1)[0]
            assert lines[paragraph.line - 1].startswith(first)
        for segment in segment_article(article):
            assert segment.text.split(" ", 1)[0] in lines[segment.line - 1].split()
        assert sum(p.kind == "title" for p in article.paragraphs) <= 1
