from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from workflow.article import DATELINE, decode_text, parse_article, read_article
from workflow.errors import InputError

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
