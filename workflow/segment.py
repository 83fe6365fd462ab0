"""Cutting an `Article` into the segments that become PO entries.

A title is one segment, a dateline is one segment, and body and caption
paragraphs are split into sentences by `workflow.sentences`. Each segment
remembers its kind, paragraph and file line, which the PO file's comments and
the finished article's layout are built from.

>>> from workflow.article import parse_article
>>> article = parse_article(
...     "Talks resume\\n\\nSEOUL, Jan. 15 (Yonhap) -- The talks resumed. Both sides spoke.\\n",
...     article_id="demo", path="demo.txt")
>>> [(s.key, s.kind, s.text) for s in segment_article(article)]  # doctest: +NORMALIZE_WHITESPACE
[('0.0', 'title', 'Talks resume'),
 ('1.0', 'dateline', 'SEOUL, Jan. 15 (Yonhap) --'),
 ('1.1', 'body', 'The talks resumed.'),
 ('1.2', 'body', 'Both sides spoke.')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workflow.article import Article, Paragraph
from workflow.sentences import sentence_spans

SegmentKind = Literal["title", "dateline", "body", "caption"]


@dataclass(frozen=True)
class Segment:
    """One translatable unit: a title, a dateline or a sentence."""

    #: "PARAGRAPH.N", unique within the article and stable for a given text.
    key: str
    kind: SegmentKind
    paragraph: int
    line: int
    text: str
    possible_boilerplate: bool = False

    def to_json(self) -> dict[str, object]:
        """The segment as printed by ``l10n segment --json``."""
        return {
            "key": self.key,
            "kind": self.kind,
            "paragraph": self.paragraph,
            "line": self.line,
            "text": self.text,
        }


def segment_article(article: Article) -> list[Segment]:
    """The article's segments in reading order."""
    segments: list[Segment] = []
    for paragraph in article.paragraphs:
        segments.extend(segment_paragraph(paragraph))
    return segments


def segment_paragraph(paragraph: Paragraph) -> list[Segment]:
    """A paragraph's segments: the whole title, or its dateline and sentences."""

    def make(number: int, kind: SegmentKind, offset: int, text: str) -> Segment:
        return Segment(
            key=f"{paragraph.index}.{number}",
            kind=kind,
            paragraph=paragraph.index,
            line=paragraph.line_at(offset),
            text=text,
            possible_boilerplate=paragraph.possible_boilerplate,
        )

    if paragraph.kind == "title":
        return [make(0, "title", 0, paragraph.text)]
    segments = []
    body_start = 0
    if paragraph.dateline:
        segments.append(make(0, "dateline", 0, paragraph.dateline))
        body_start = len(paragraph.dateline)
    kind: SegmentKind = "caption" if paragraph.kind == "caption" else "body"
    body = paragraph.text[body_start:]
    for start, end in sentence_spans(body):
        segments.append(make(len(segments), kind, body_start + start, body[start:end]))
    return segments
