"""The fast path of segmentation and restoring: the same results as the slow ones."""

from __future__ import annotations

import random
import re

import pytest
from support import BUNDLED_ARTICLE

from workflow import sentences
from workflow.article import parse_article
from workflow.glossary import Term
from workflow.masking import mask, restore
from workflow.matcher import TermMatcher

ROOT = BUNDLED_ARTICLE.parent.parent
ARTICLES = [BUNDLED_ARTICLE, *sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))]

# Sentences that pysbd handles in ways the fast path must either copy or leave to it.
TRICKY = [
    'He said, "We will go. They stay." Then he left.',
    "The talks (in Seoul. Really) ended! why not? Kim left.",
    "Kang met the envoy -- who said so. Then -- and left.",
    "It is 9 a.m. in Seoul... Maybe.",
    "Sales rose 3.5 pct. in 2020. No. 2 was Kim.",
    "Apple Inc. rose. Samsung Electronics Co. Chairman Lee spoke.",
    "He met J. Lee. Then he met H.R. McMaster in the U.S. Moon spoke.",
    "The list: 1. apples 2. pears. Then it ended.",
    "a) one b) two. The end.",
    "She said 'no. never.' Then left.",
    '"Why?" he asked. "Because!" she said.',
    "It is. The man left. Ask me. Then go.",
    "Wow! the crowd cheered. Yahoo! Japan rose.",
    "In 2019. The year ended. The U.S.-led talks ended.",
    "(PHOTO NOT FOR SALE) (Yonhap) The talks ended.",
    '"We are ready" Kim said. "Fine," Lee said.',
    "(The talks ended) Kim said. He left.",
    "He cited ref.12 The report. It ended.",
]


def news_paragraphs() -> list[str]:
    """Body paragraphs of the bundled and test articles, and variations of them."""
    paragraphs = [
        paragraph.text[len(paragraph.dateline) :]
        for path in ARTICLES
        for paragraph in parse_article(
            path.read_text("utf-8"), article_id=path.stem, path=str(path)
        ).paragraphs
    ]
    chooser = random.Random(15)
    sentence_pool = [s for p in paragraphs + TRICKY for s in sentences.split_sentences(p)]
    mixed = [" ".join(chooser.sample(sentence_pool, 4)) for _ in range(300)]
    return paragraphs + TRICKY + mixed


def test_plain_prose_is_cut_as_pysbd_cuts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the news rules decide, the fast path may answer either way; so the
    # sentences are compared, with and without it.
    paragraphs = news_paragraphs()
    fast = [sentences.split_sentences(paragraph) for paragraph in paragraphs]
    monkeypatch.setattr(sentences, "_plain_starts", lambda *args: None)
    slow = [sentences.split_sentences(paragraph) for paragraph in paragraphs]
    differing = [(p, f, s) for p, f, s in zip(paragraphs, fast, slow, strict=True) if f != s]
    assert not differing


def test_most_news_prose_is_plain() -> None:
    paragraphs = news_paragraphs()[: -len(TRICKY) - 300]
    plain = [
        p
        for p in paragraphs
        if sentences._plain_starts(p, 0, len(p), sentences._inside_quotations(p)) is not None
    ]
    assert len(plain) >= 0.8 * len(paragraphs)


def test_refused_shapes_go_to_pysbd() -> None:
    for text in TRICKY[3], TRICKY[7], TRICKY[8], TRICKY[9]:
        quoted = sentences._inside_quotations(text)
        assert sentences._plain_starts(text, 0, len(text), quoted) is None, text


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_thousands_of_terms_in_one_segment_are_restored(lang: str) -> None:
    kang = Term("Kang Kyung-wha", {"ko": "강경화", "ja": "康京和"}, "person")
    seoul = Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place")
    text = " ".join("Kang Kyung-wha met" if i % 2 else "Seoul and" for i in range(6000)) + "."
    masked = mask(text, TermMatcher([kang, seoul]).find(text), lang)
    assert len(masked.slots) == 6000
    # A hypothesis with spaces around every placeholder, as models often write them.
    hypothesis = re.sub(r"(ZXQ\d+)", r" \1 ", masked.text)
    restored = restore(hypothesis, masked, lang)
    assert restored.count(kang.targets[lang]) == 3000
    assert restored.count(seoul.targets[lang]) == 3000
    assert "ZXQ" not in restored


def test_a_window_pysbd_alters_still_falls_back_to_the_regex_splitter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fallback of test_sentences' test of the same name, on a window that is
    # not plain (an ellipsis), so that it does reach pysbd.
    asked: list[str] = []

    class Altering:
        def __init__(self, text: str = "") -> None:
            self.text = text

        def processor(self, text: str) -> Altering:
            asked.append(text)
            return Altering(text)

        def process(self) -> list[str]:
            return [self.text.upper()]

    monkeypatch.setattr(sentences, "_segmenter", lambda: Altering())
    text = "The ministers met in Washington, D.C. The talks lasted... Sen. Kim left."
    assert sentences.split_sentences(text) == [
        "The ministers met in Washington, D.C.",
        "The talks lasted...",
        "Sen. Kim left.",
    ]
    assert asked == [text]
