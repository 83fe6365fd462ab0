"""Reading a saved web page: the article is extracted, then parsed like a text article.

The extraction itself is trafilatura's (`bare_extraction`): it takes the
article's body out of the page and leaves navigation, share buttons,
related-article lists, cookie banners, scripts and styles behind. It was
chosen over readability-lxml and jusText on the test pages in
``tests/data/html/`` (seven outlets' layouts, scored by
``benchmarks/html_extractors.py``): jusText kept 23 of the 50 article
paragraphs (it marked most of the Yonhap, AP and NHK bodies as boilerplate
and garbled the Shift_JIS page); readability-lxml and trafilatura kept 47,
readability losing the AP caption, doubling Yonhap's and keeping share
buttons; trafilatura keeps the page's structure (paragraphs, headings, line
breaks, captions), falls back on other algorithms by itself, and its leaks
(bylines, time stamps, "ADVERTISEMENT") are lines the article rules remove.

What is added around it, and why:

* Decoding is done here, not by guessing: a byte order mark, else the
  ``<meta charset>`` (or ``http-equiv``) declaration, else UTF-8. EUC-KR
  and Shift_JIS are read as their Windows supersets (CP949, CP932), as
  browsers do. A page that does not decode is an `InputError` naming the
  line.
* The page is parsed once more with lxml, for what the extraction does not
  give: the title (the first ``<h1>`` outside the page's chrome, else
  ``og:title``, else ``<title>`` without the site's name) and the lines.
  A page whose parse lost much of its text (libxml2 stops at 256 levels of
  unclosed tags) is refused, naming the last line read.
* The extracted paragraphs are found again in the page, in order, which
  gives each its line in the HTML file (the line where its text starts; for
  text that follows an element spanning several lines, counted from that
  element's first line). A paragraph that cannot be found (the library
  changed its text) takes the line of the paragraph before it.
* Nothing real is dropped silently: prose the library left out (a sentence-
  ended text of at least `_RECOVER_WORDS` words, outside navigation,
  headers, footers and asides) between the first and the last paragraph it
  kept, a ``<figcaption>`` it dropped (it drops those without a credit), and
  an ``<h2>`` deck under the headline are put back in place, with a note.
  Text loose in a ``<div>`` after a photo is what trafilatura loses.
* Photo captions (``<figcaption>`` or an element whose class names a
  caption) become ``caption`` paragraphs; everything else is then judged by
  the same rules as text input (`workflow.article.parse_article`): dateline,
  profile, chrome, boilerplate marks, captions by their credits.

trafilatura is imported only when a page is read, so starting the CLI does
not pay for it (it adds about 0.3 s to the first page read).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.article import (
    Article,
    choose_profile,
    decode_text,
    furniture_reason,
    parse_article,
)
from workflow.errors import InputError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: Pages larger than this are refused (trafilatura ignores them silently).
MAX_PAGE_BYTES = 20_000_000
#: Suffixes read as HTML.
HTML_SUFFIXES = (".html", ".htm")

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
# Browsers read these labels as the Windows supersets, which hold the extra characters
# (Hangul syllables outside KS X 1001, NEC and IBM symbols) that real pages contain.
_SUPERSETS = {
    "euc_kr": "cp949",
    "ks_c_5601_1987": "cp949",
    "shift_jis": "cp932",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
}
_TAG = re.compile(r"<[A-Za-z!/][^>]*>")
_DOCTYPE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<!doctype\s+html|\A\s*<html[\s>]", re.I | re.S)
# Containers whose text is page chrome whatever its shape.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "script", "style", "noscript"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_RECOVER_WORDS = 8
# What the parser does not turn into text: comments, scripts, styles.
_UNPARSED = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template)\b.*?</\1\s*>|<!\[CDATA\[.*?\]\]>",
    re.I | re.S,
)
_COMPLETE_ABOVE = 200
_FAST_ABOVE = 1_000_000
_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]+$")
_PROSE_END = re.compile(r"""[.!?\u2026]["'\u201d\u2019)]*$""")
_CAPTION_CLASS = re.compile(r"caption|photo[-_]?desc|img[-_]?desc", re.I)


def looks_like_html(text: str) -> bool:
    """Whether a text file is really a web page: a doctype, or mostly tags.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi.</p></body></html>")
    True
    >>> looks_like_html("Talks resume\\n\\nKang met Motegi <b>again</b>.\\n")
    False
    """
    head = text[:4096]
    if _DOCTYPE.match(head):
        return True
    tags = _TAG.findall(head)
    return len(tags) >= 5 and sum(map(len, tags)) > len(head.strip()) / 3


def decode_html(data: bytes, *, path: str | Path) -> str:
    """The page's text: BOM, else ``<meta charset>``, else UTF-8.

    >>> decode_html('<meta charset="euc-kr"><p>서울</p>'.encode("euc-kr"), path="a.html")
    '<meta charset="euc-kr"><p>서울</p>'
    >>> decode_html(b'<meta charset="nope"><p>x</p>', path="a.html")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: a.html:1: unknown character encoding 'nope' in <meta charset>
    """
    declared = _META_CHARSET.search(data[:4096])
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, path=path)
    if declared is None:
        return decode_text(data, path=path)
    label = declared.group(1).decode("ascii", "replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        line = data[: declared.start()].count(b"\n") + 1
        raise InputError(
            f"unknown character encoding {label!r} in <meta charset>", path=path, line=line
        ) from None
    if name in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        # A page saved as UTF-8 keeps its old declaration more often than not.
        return decode_text(data, path=path)
    codec = _SUPERSETS.get(name.replace("-", "_"), name)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not valid {label} (byte 0x{data[error.start]:02x}), as its <meta charset> says",
            path=path,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_html_article(
    data: bytes, *, path: Path, profile: str | None = None, note: str = ""
) -> Article:
    """Extract the article from a saved page and parse it like text input."""
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(
            f"page too large ({len(data) / 1e6:.0f} MB; at most {MAX_PAGE_BYTES // 1_000_000} "
            "MB are read)",
            path=path,
        )
    html = decode_html(data, path=path)
    extracted = extract(html, path=path)
    return _to_article(extracted, path=path, profile=profile, note=note)


@dataclass(frozen=True)
class Block:
    """One paragraph of the extracted article with its line in the page."""

    text: str
    line: int
    caption: bool = False


@dataclass(frozen=True)
class Extracted:
    """What was taken out of a page: its title, and its paragraphs in reading order."""

    title: str
    title_line: int
    blocks: tuple[Block, ...]
    #: How many paragraphs were put back that the library had left out.
    recovered: int = 0


def extract(html: str, *, path: str | Path) -> Extracted:
    """The title and paragraphs of the article in `html` (see the module docstring)."""
    import lxml.html
    import trafilatura
    from lxml import etree

    if not html.strip():
        raise InputError("empty page", path=path)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"not readable as HTML: {error}", path=path) from None
    pieces = _source_pieces(tree)
    _check_complete(html, pieces, path=path)
    captions = {_squeeze(t) for t in _caption_texts(tree)}
    # The library's metadata search (authors, dates) and its second extractor
    # cost more than the body itself; the title is taken from the page below, and
    # a large page (a live blog, an endless related list) is read in one pass.
    document: Any = trafilatura.bare_extraction(
        html,
        fast=len(html) > _FAST_ABOVE,
        include_comments=False,
        include_tables=True,
        include_images=True,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    title = _page_title(tree)
    paragraphs: list[str] = []
    if body is not None:
        for element in body.iter("p", "head", "item", "cell", "quote"):
            if element.tag == "head" and _squeeze(_text(element)) == _squeeze(title):
                continue
            if any(a.tag in ("p", "item", "cell", "quote") for a in element.iterancestors()):
                continue  # its text is in the enclosing paragraph's
            # <lb/> (a <br> in the page) ends a line, and the text rules judge the break;
            # two in a row ("<br><br>") leave a blank line: a paragraph break.
            text = _text(element, line_breaks=True)
            lines = [" ".join(line.split()) for line in text.split("\n")]
            for block in "\n".join(lines).split("\n\n"):
                if block.strip():
                    paragraphs.append(block.strip("\n"))
    # A page of links and labels ("Home World") has no article, whatever was extracted.
    if not any(_PROSE_END.search(p) or len(p.split()) >= _RECOVER_WORDS for p in paragraphs):
        raise InputError("no article found in this page", path=path)
    located = _locate(paragraphs, pieces)
    blocks, recovered = _with_recovered(paragraphs, located, pieces)
    key = _squeeze(title)
    title_line = next(
        (p.line for p in pieces if key and p.squeezed == key),
        next((p.line for p in pieces if key and key in p.squeezed), 1),
    )
    blocks, more = _with_lost_elements(blocks, tree, title_line)
    return Extracted(
        title,
        title_line,
        tuple(replace(b, caption=b.caption or _squeeze(b.text) in captions) for b in blocks),
        recovered + more,
    )


@dataclass(frozen=True)
class _Piece:
    """A run of text in the page, in document order."""

    text: str
    squeezed: str
    line: int
    chrome: bool


def _source_pieces(tree: HtmlElement) -> list[_Piece]:
    """Every element's text and tail in document order, with its line and whether in chrome."""
    pieces: list[_Piece] = []

    def add(text: str | None, line: int, chrome: bool) -> None:
        if text and text.strip():
            leading = text[: len(text) - len(text.lstrip())]
            words = " ".join(text.split())
            pieces.append(_Piece(words, _squeeze(words), line + leading.count("\n"), chrome))

    # A stack rather than recursion: broken pages nest thousands of unclosed tags.
    # Each element comes off it twice: first for its text and children, then its tail.
    stack: list[tuple[HtmlElement, bool, bool]] = [(tree, False, False)]
    while stack:
        element, chrome, tail = stack.pop()
        line = element.sourceline or 1
        if tail:
            add(element.tail, line, chrome)
            continue
        stack.append((element, chrome, True))
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and tag not in _SKIPPED_TAGS:
            inner = chrome or tag in _CHROME_TAGS
            add(element.text, line, inner)
            stack.extend((child, inner, False) for child in reversed(element))
    return pieces


def _check_complete(html: str, pieces: list[_Piece], *, path: str | Path) -> None:
    """Refuse a page whose parse lost much of its text, rather than lose it silently.

    libxml2 stops building the tree past 256 levels of nesting, which a page
    full of unclosed tags can reach; the text after that point is missing.
    """
    import html as entities

    raw = _UNPARSED.sub(" ", html)
    expected = len(_squeeze(entities.unescape(_TAG.sub(" ", raw))))
    parsed = sum(len(piece.squeezed) for piece in pieces)
    if expected > _COMPLETE_ABOVE and parsed < 0.8 * expected:
        line = pieces[-1].line if pieces else 1
        raise InputError(
            "the page's markup is too broken (or nested too deeply) to read past this line; "
            "the rest of the page would be lost",
            path=path,
            line=line,
        )


def _page_title(tree: HtmlElement) -> str:
    """The article's headline: the first <h1> outside the page's chrome, else its metadata."""
    for heading in tree.iter("h1"):
        inside_chrome = any(a.tag in _CHROME_TAGS for a in heading.iterancestors())
        text = " ".join(heading.text_content().split())
        if text and not inside_chrome:
            return text
    for meta in tree.iter("meta"):
        if meta.get("property") == "og:title" and (meta.get("content") or "").strip():
            return " ".join((meta.get("content") or "").split())
    for element in tree.iter("title"):
        # "Headline | Site name": the site's name is not the article's.
        return _TITLE_SEPARATOR.sub("", " ".join(element.text_content().split()))
    return ""


def _caption_texts(tree: HtmlElement) -> list[str]:
    found = list(tree.iter("figcaption"))
    found += [
        e
        for e in tree.iter()
        if isinstance(e.tag, str) and _CAPTION_CLASS.search(e.get("class", "") or "")
    ]
    return [e.text_content() for e in found]


def _locate(paragraphs: list[str], pieces: list[_Piece]) -> list[int | None]:
    """For each paragraph, the index of the page piece where it starts, or None."""
    joined = "".join(p.squeezed for p in pieces)
    owner: list[int] = []
    for number, piece in enumerate(pieces):
        owner.extend([number] * len(piece.squeezed))
    found: list[int | None] = []
    cursor = 0
    for paragraph in paragraphs:
        at = -1
        # The whole paragraph, else its first line (its lines may be apart in the page).
        for key in dict.fromkeys((_squeeze(paragraph), _squeeze(paragraph.split("\n")[0]))):
            at = joined.find(key, cursor) if key else -1
            if at < 0:
                at = joined.find(key) if key else -1
            if at >= 0:
                cursor = at + len(key)
                break
        found.append(owner[at] if at >= 0 else None)
    return found


def _with_recovered(
    paragraphs: list[str], located: list[int | None], pieces: list[_Piece]
) -> tuple[list[Block], int]:
    """The paragraphs as blocks with lines, and prose the library skipped put back in place."""
    blocks: list[Block] = []
    recovered = 0
    previous: int | None = None
    last_line = 1
    for paragraph, index in zip(paragraphs, located, strict=True):
        if index is not None and previous is not None:
            for between in range(previous + 1, index):
                piece = pieces[between]
                if _is_lost_prose(piece, paragraphs):
                    blocks.append(Block(piece.text, piece.line))
                    recovered += 1
        if index is not None:
            last_line = pieces[index].line
            previous = max(index, previous) if previous is not None else index
        blocks.append(Block(paragraph, last_line))
    return blocks, recovered


def _with_lost_elements(
    blocks: list[Block], tree: HtmlElement, title_line: int
) -> tuple[list[Block], int]:
    """Photo captions, and a deck right under the headline, that the library left out.

    trafilatura drops a ``<figcaption>`` without a credit in it, and the
    ``<h2>`` deck under an ``<h1>``; both are put back where they stand in the
    page, between the headline and the last paragraph kept.
    """
    if not blocks:
        return blocks, 0
    kept = _squeeze(" ".join(b.text for b in blocks))
    first, last = blocks[0].line, blocks[-1].line
    lost: list[Block] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.sourceline is None:
            continue
        line = element.sourceline
        if not title_line < line <= last:
            continue
        text = " ".join(element.text_content().split())
        caption = element.tag == "figcaption" or bool(
            _CAPTION_CLASS.search(element.get("class", "") or "")
        )
        deck = element.tag in ("h2", "h3") and line < first and len(text.split()) >= 4
        if not (caption or deck) or not text or _squeeze(text) in kept:
            continue
        if any(a.tag in _CHROME_TAGS for a in element.iterancestors()):
            continue
        lost.append(Block(text, line, caption=caption))
        kept += _squeeze(text)
    if not lost:
        return blocks, 0
    merged = sorted([*blocks, *lost], key=lambda b: b.line)
    return merged, len(lost)


def _is_lost_prose(piece: _Piece, paragraphs: list[str]) -> bool:
    if piece.chrome or len(piece.text.split()) < _RECOVER_WORDS:
        return False
    if not _PROSE_END.search(piece.text):
        return False
    # Part of a paragraph that was kept (a run of text inside a <p> with a link in it).
    return not any(piece.squeezed in _squeeze(p) for p in paragraphs)


def _to_article(extracted: Extracted, *, path: Path, profile: str | None, note: str) -> Article:
    """The extracted paragraphs parsed by the text rules, with the page's lines put back."""
    lines: list[str] = []
    origin: dict[int, Block] = {}
    if extracted.title:
        lines += [extracted.title, ""]
    for block in extracted.blocks:
        for line in block.text.split("\n"):
            origin[len(lines) + 1] = block
            lines.append(line)
        lines.append("")
    article = parse_article(
        "\n".join(lines), article_id=path.stem, path=str(path), profile=profile
    )
    chosen = choose_profile([], article.profile)
    paragraphs = []
    for paragraph in article.paragraphs:
        source = origin.get(paragraph.line)
        if source is None:  # the title
            paragraphs.append(
                replace(
                    paragraph,
                    kind="title",
                    line=extracted.title_line,
                    possible_boilerplate=False,
                    reason="",
                )
            )
            continue
        if paragraph.reason == "above the title":
            # Nothing stands above the page's own headline, which comes first here.
            reason = furniture_reason(chosen, paragraph.text)
            paragraph = replace(paragraph, possible_boilerplate=bool(reason), reason=reason)
        kind = paragraph.kind
        if kind == "title":
            kind = "body"  # only the page's own title is one
        if source.caption and kind == "body":
            kind = "caption"
        paragraphs.append(replace(paragraph, kind=kind, line=source.line))
    removed = tuple(
        replace(r, line=origin[r.line].line if r.line in origin else extracted.title_line)
        for r in article.removed
    )
    notes: tuple[str, ...] = (note,) if note else ()
    if extracted.recovered:
        notes += (f"{path}: {extracted.recovered} paragraph(s) the extractor left out were kept",)
    return replace(
        article,
        paragraphs=tuple(paragraphs),
        removed=removed,
        notes=article.notes + notes,
    )


def _text(element: Any, *, line_breaks: bool = False) -> str:
    """The text of an extracted element, its <lb/> as line breaks when asked."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n" if line_breaks else " ")
        else:
            parts.append(_text(child, line_breaks=line_breaks))
        parts.append(child.tail or "")
    return "".join(parts)


def _squeeze(text: str) -> str:
    """`text` without whitespace, for finding the library's text in the page's."""
    return "".join(text.split())
