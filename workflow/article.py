"""Reading an article: text in, `Article` out, with the site chrome removed.

An article is plain text, one paragraph per line or per block of lines
separated by blank lines. The first paragraph left after chrome removal is
the title; a body paragraph may open with a dateline, which is kept apart so
that it becomes its own segment.

What counts as chrome depends on where the page came from, so each source has
a *profile*, a small TOML file in ``workflow/profiles/`` (see `Profile`). A
line that no profile removes but that looks like page furniture (short, no
sentence punctuation) is kept and flagged ``possible_boilerplate``, never
dropped silently.

>>> text = "Go to Contents Go to Navigation\\n\\nTalks resume\\n\\n" \\
...        "SEOUL, Jan. 15 (Yonhap) -- The talks resumed. Both sides spoke.\\n"
>>> article = parse_article(text, article_id="demo", path="demo.txt")
>>> article.profile, [p.kind for p in article.paragraphs]
('yonhap', ['title', 'body'])
>>> article.paragraphs[1].dateline
'SEOUL, Jan. 15 (Yonhap) --'
"""

from __future__ import annotations

import bisect
import codecs
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from workflow.errors import InputError

ParagraphKind = Literal["title", "body", "caption"]

# "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --", "SEOUL, April 19 (UPI) --",
# "TOKYO, Kyodo -": place names in capitals, then a date and/or an agency,
# then a dash. Shared by every profile because agencies all write it this way.
DATELINE = re.compile(
    r"""
    ^(?P<dateline>
        [A-Z][A-Z.'\-]*(?:[ /][A-Z][A-Z.'\-]*)*        # WASHINGTON/SEOUL
        ,[ ]
        (?:
            [A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:[ ]\([A-Za-z.\- ]+\))?   # Jan. 15 (Yonhap)
          | \(?[A-Z][A-Za-z]+\)?                                      # Kyodo
        )
        [ ](?:--|-|\u2014|\u2013)
    )[ ]+(?=\S)
    """,
    re.VERBOSE,
)

# Page furniture is short and carries no sentence punctuation.
_SHORT_LINE_WORDS = 6
_SENTENCE_END = re.compile(r"""[.!?:;"'\u201d\u2019)]\s*$""")


@dataclass(frozen=True)
class Profile:
    """How one news source's pages look: what to detect, remove and call a caption."""

    name: str
    description: str
    detect: tuple[re.Pattern[str], ...]
    chrome: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]

    def recognizes(self, lines: Sequence[str]) -> bool:
        """Whether any line of the article matches one of the profile's detect patterns."""
        return any(pattern.search(line) for pattern in self.detect for line in lines)

    def is_chrome(self, line: str) -> bool:
        """Whether a whole line is site chrome to remove."""
        return any(pattern.search(line) for pattern in self.chrome)

    def is_caption(self, paragraph: str) -> bool:
        """Whether a paragraph is a photo caption."""
        return any(pattern.search(paragraph) for pattern in self.caption)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the article as it will be segmented."""

    index: int
    kind: ParagraphKind
    #: 1-based line of the file where the paragraph starts.
    line: int
    text: str
    #: The dateline the text opens with ("SEOUL, Jan. 15 (Yonhap) --"), or "".
    dateline: str = ""
    possible_boilerplate: bool = False
    #: Offsets in `text` where each further physical line of the paragraph starts.
    line_breaks: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int:
        """The file line that holds character `offset` of `text`."""
        return self.line + bisect.bisect_right(self.line_breaks, offset)


@dataclass(frozen=True)
class RemovedLine:
    """A line of chrome taken out of the article, kept for the record."""

    line: int
    text: str


@dataclass(frozen=True)
class Article:
    """An article ready for segmentation."""

    id: str
    path: str
    profile: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedLine, ...] = ()

    @property
    def title(self) -> str:
        """The title paragraph's text."""
        return self.paragraphs[0].text


def read_article(path: Path, *, profile: str | None = None) -> Article:
    """Read and parse the article at `path`; its id is the file's stem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read article: {error.strerror}", path=path) from None
    return parse_article(
        decode_text(data, path=path), article_id=path.stem, path=str(path), profile=profile
    )


def decode_text(data: bytes, *, path: str | Path) -> str:
    """Decode a text file: UTF-8 (BOM allowed) or UTF-16 with a BOM; newlines normalized.

    >>> decode_text(b"Title\\r\\rCaf\\xe9", path="a.txt")
    Traceback (most recent call last):
    ...
    workflow.errors.InputError: a.txt:3: not valid UTF-8 (byte 0xe9); save the file as UTF-8
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # Checked first: the UTF-32-LE mark begins with the UTF-16-LE one.
        raise InputError("UTF-32 text; save the file as UTF-8", path=path, line=1)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = _line_of(data.decode("utf-16", errors="replace"), error.start // 2)
            raise InputError(
                "broken UTF-16 (truncated, or a lone surrogate); save the file as UTF-8",
                path=path,
                line=line,
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            text = data[: error.start].decode("utf-8-sig")
            # A NUL before the first undecodable byte says "binary" better; see below.
            if "\x00" not in text:
                raise InputError(
                    f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                    path=path,
                    line=_line_of(text, len(text)),
                ) from None
    if "\x00" in text:
        raise InputError(
            "contains NUL bytes: a binary file, or UTF-16 without a BOM; save it as UTF-8",
            path=path,
            line=_line_of(text, text.index("\x00")),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`, whatever its line ends (LF, CRLF, CR)."""
    before = text[:offset]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def parse_article(text: str, *, article_id: str, path: str, profile: str | None = None) -> Article:
    """Split `text` into paragraphs, remove chrome, and find title, dateline and captions.

    `profile` names a profile to use; by default the first one that recognizes
    the article is used, and ``generic`` when none does.
    """
    lines = text.split("\n")
    chosen = choose_profile(lines, profile)
    removed: list[RemovedLine] = []
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = " ".join(raw.split())
        if line and chosen.is_chrome(line):
            removed.append(RemovedLine(number, line))
            line = ""
        if not line:
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    if not blocks:
        raise InputError("empty article: no text left after removing site chrome", path=path)
    paragraphs = tuple(
        _make_paragraph(index, line, parts, chosen) for index, (line, parts) in enumerate(blocks)
    )
    return Article(article_id, path, chosen.name, paragraphs, tuple(removed))


def _make_paragraph(index: int, line: int, parts: list[str], profile: Profile) -> Paragraph:
    text = " ".join(parts)
    breaks: list[int] = []
    offset = 0
    for part in parts[:-1]:
        offset += len(part) + 1
        breaks.append(offset)
    if index == 0:
        return Paragraph(index, "title", line, text, line_breaks=tuple(breaks))
    kind: ParagraphKind = "caption" if profile.is_caption(text) else "body"
    dateline = DATELINE.match(text)
    looks_like_furniture = (
        dateline is None
        and len(text.split()) <= _SHORT_LINE_WORDS
        and not _SENTENCE_END.search(text)
    )
    return Paragraph(
        index,
        kind,
        line,
        text,
        dateline=dateline.group("dateline") if dateline else "",
        possible_boilerplate=looks_like_furniture,
        line_breaks=tuple(breaks),
    )


def choose_profile(lines: Sequence[str], name: str | None = None) -> Profile:
    """The profile called `name`, or the first that recognizes `lines`, else ``generic``."""
    profiles = load_profiles()
    if name is not None:
        for candidate in profiles:
            if candidate.name == name:
                return candidate
        known = ", ".join(p.name for p in profiles)
        raise InputError(f"unknown source profile {name!r} (known: {known})")
    for candidate in profiles:
        if candidate.recognizes(lines):
            return candidate
    return next(p for p in profiles if p.name == "generic")


@cache
def load_profiles() -> tuple[Profile, ...]:
    """Every bundled profile, ``generic`` last; read once, on first use."""
    folder = resources.files("workflow") / "profiles"
    profiles = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            profiles.append(_parse_profile(entry.name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(profiles, key=lambda p: p.name == "generic"))


def _parse_profile(filename: str, source: str) -> Profile:
    try:
        data = tomllib.loads(source)
        return Profile(
            name=str(data["name"]),
            description=str(data.get("description", "")),
            detect=tuple(re.compile(p) for p in data.get("detect", [])),
            chrome=tuple(re.compile(p) for p in data.get("chrome", [])),
            caption=tuple(re.compile(p) for p in data.get("caption", [])),
        )
    except (tomllib.TOMLDecodeError, KeyError, re.error) as error:
        raise InputError(f"broken source profile: {error}", path=filename) from None
