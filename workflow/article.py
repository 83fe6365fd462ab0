"""Reading an article: text in, `Article` out, with the site chrome removed.

An article is plain text: a title, then paragraphs, either separated by
blank lines (a paragraph may be hard-wrapped over several lines) or one
paragraph per line. Lines with no blank line between them form a block, and
each line break in a block is judged (`ends_sentence` and the shape of the
lines):

* it starts a new paragraph before a dateline, around a line a profile marks
  as boilerplate, after a short unpunctuated line (page furniture such as
  "Related Articles", "Share this article") that the next line does not
  visibly continue (by starting in lowercase, or after a comma or dash), and
  after a photo caption's line;
* it stays inside the paragraph where the sentence goes on ("... with her\n
  Japanese counterpart"), and before a lone photo credit closing the line
  above ("(PHOTO NOT FOR SALE) (Yonhap)");
* where a sentence ends and the next line starts another, the block decides:
  when more of its line breaks fall inside a sentence than between
  sentences, it is a hard-wrapped paragraph and stays whole; otherwise it is
  written one paragraph per line and each line is a paragraph. (A short
  hard-wrapped paragraph whose lines all end sentences is thus cut into
  paragraphs; its sentences are the same.)

The body starts at the first paragraph that opens with a dateline or reads
as prose (ends with a full stop, or is longer than a headline). The title is
the last headline-like paragraph before it (no final full stop, not a
byline, time stamp or credit), and an article that opens with its lead has
none. Anything above the title is kept but marked ``possible_boilerplate``.
A paragraph that opens with a dateline keeps it apart, so that it becomes
its own segment; a dateline alone on its line is a paragraph of its own.

What counts as chrome depends on where the page came from, so each source has
a *profile*, a small TOML file in ``workflow/profiles/`` (see `Profile`). A
line that no profile removes but that looks like page furniture (short, no
sentence punctuation, or matched by the profile's ``boilerplate`` patterns)
is kept and flagged ``possible_boilerplate``, never dropped silently.

Some furniture is written alike on every site, so general rules
(`workflow.chrome`) apply whatever the profile: `GENERAL_CHROME` removes bylines, time stamps,
advertisement labels, separators, e-mail addresses and long copyright
notices; `PHOTO_CREDIT` makes a paragraph closed by a photo credit ("(AP
Photo/...)", "[YONHAP]", "Photo: ...", "/ Courtesy of ...") a caption; the
headlines under a `RELATED_HEADER` are marked. `explain` lists every line
removed or marked with the profile or rule that decided.

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
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Literal

from workflow.chrome import RELATED_HEADER, ends_with_photo_credit, general_chrome, is_credit
from workflow.errors import InputError
from workflow.files import decode_text as decode_text  # re-exported for its readers
from workflow.sentences import ends_sentence

ParagraphKind = Literal["title", "body", "caption"]

# "WASHINGTON/SEOUL, Jan. 15 (Yonhap) --", "SEOUL, April 19 (UPI) --",
# "TOKYO, Kyodo -": place names in capitals, then a date and/or an agency,
# then a dash. Also "TOKYO (AP) —", "Tokyo (AFP) -", "Tokyo, Dec 17 (NNA) -"
# (a place in title case only before an agency in parentheses) and the colon
# style "TOKYO: Japan's ..." (not "BREAKING:", "UPDATE:" and the like). Shared
# by every profile because agencies all write them this way.
DATELINE = re.compile(
    r"""
    ^(?P<dateline>
        (?!(?:BREAKING|UPDATES?|UPDATED|NOTE|EDITOR'S[ ]NOTE|CORRECTION|EXCLUSIVE|ANALYSIS
             |LIVE|OPINION|WATCH|PHOTOS?|VIDEOS?|FILE|FACTBOX|EXPLAINER|REVIEW|Q&A):)
        (?:
            [A-Z][A-Z.'\-]*(?:[ /][A-Z][A-Z.'\-]*)*        # WASHINGTON/SEOUL
            (?:
                ,[ ]
                (?:
                    [A-Z][a-z]{2,8}\.?[ ]\d{1,2}(?:[ ]\([A-Za-z.\- ]+\))?   # Jan. 15 (Yonhap)
                  | \(?[A-Z][A-Za-z]+\)?                                      # Kyodo
                )
                [ ](?:--|-|\u2014|\u2013)
              | [ ]\([A-Za-z.\- ]+\)[ ](?:--|-|\u2014|\u2013)               # TOKYO (AP) --
              | :(?=[ ]+["'\u201c\u2018]?[A-Z0-9])                           # TOKYO: Japan's
            )
          | [A-Z][a-z]+(?:[ /][A-Z][a-z]+)*                 # Tokyo, in title case
            (?:,[ ][A-Z][a-z]{2,8}\.?[ ]\d{1,2})?[ ]\([A-Za-z.\- ]+\)[ ](?:--|-|\u2014|\u2013)
        )
    )(?:[ ]+(?=\S)|[ ]*\Z)                             # text follows, or nothing
    """,
    re.VERBOSE,
)

# Page furniture is short and carries no sentence punctuation.
_SHORT_LINE_WORDS = 6
_SENTENCE_END = re.compile(r"""[.!?:;"'\u201d\u2019)]\s*$""")
# Credits and markers in parentheses closing a line: "(Yonhap)", "(END)"; looked
# for in the last `_CREDIT_REACH` characters only, which keeps the search linear.
_TRAILING_PARENTHESES = re.compile(r"(?:\s*\([^()]*\))+\s*\Z")
_CREDIT_REACH = 200
# Headlines are at most this long and do not end with a full stop; prose does.
_HEADLINE_WORDS = 20
_DECK_WORDS = 5
_PROSE_END = re.compile(r"""[.\u2026]["'\u201d\u2019)]*$""")
# Bylines ("By Kim Soo-yeon") and time stamps ("Updated 10:53") are not headlines.
_NOT_A_HEADLINE = re.compile(r"^By [A-Z][a-z]+ [A-Z]|\b\d{1,2}:\d{2}\b")
# A line ending with one of these runs on into the next: "Seoul,", "one-", "--",
# "Seoul and", "talks with".
_RUNS_ON = re.compile(
    r"(?:[,;:\-\u2013\u2014/&(]"
    r"|\b(?:a|an|and|as|at|but|by|for|from|in|into|of|on|or|than|that|the|to|with))$"
)


@dataclass(frozen=True)
class Profile:
    """How one news source's pages look: what to detect, remove, mark and call a caption."""

    name: str
    description: str
    detect: tuple[re.Pattern[str], ...]
    chrome: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    #: Whole lines kept but marked possible boilerplate (copyright notices, "(END)").
    boilerplate: tuple[re.Pattern[str], ...] = ()

    def recognizes(self, lines: Sequence[str]) -> bool:
        """Whether any line of the article matches one of the profile's detect patterns."""
        return any(pattern.search(line) for pattern in self.detect for line in lines)

    def is_chrome(self, line: str) -> bool:
        """Whether a whole line is site chrome to remove."""
        return any(pattern.search(line) for pattern in self.chrome)

    def is_caption(self, paragraph: str) -> bool:
        """Whether a paragraph is a photo caption."""
        return any(pattern.search(paragraph) for pattern in self.caption)

    def is_boilerplate(self, line: str) -> bool:
        """Whether a whole line is to be kept but marked as possible boilerplate."""
        return any(pattern.search(line) for pattern in self.boilerplate)


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
    #: Why the paragraph is marked possible boilerplate ("" when it is not).
    reason: str = ""

    def line_at(self, offset: int) -> int:
        """The file line that holds character `offset` of `text`."""
        return self.line + bisect.bisect_right(self.line_breaks, offset)


@dataclass(frozen=True)
class RemovedLine:
    """A line of chrome taken out of the article, kept for the record."""

    line: int
    text: str
    #: What removed it: "profile yonhap" (its chrome patterns) or a general rule.
    rule: str = ""


@dataclass(frozen=True)
class Article:
    """An article ready for segmentation."""

    id: str
    path: str
    profile: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedLine, ...] = ()
    #: One-line remarks on how the file was read, for the CLI to show.
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The title paragraph's text, or "" when the article has no title."""
        return next((p.text for p in self.paragraphs if p.kind == "title"), "")


def read_article(path: Path, *, profile: str | None = None) -> Article:
    """Read and parse the article at `path`; its id is the file's stem.

    A saved web page (``.html``, ``.htm``, or a text file that is really
    HTML) is read by `workflow.html_input`.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read article: {error.strerror}", path=path) from None
    from workflow.html_input import HTML_SUFFIXES, looks_like_html, read_html_article

    if path.suffix.lower() in HTML_SUFFIXES:
        return read_html_article(data, path=path, profile=profile)
    text = decode_text(data, path=path)
    if looks_like_html(text):
        note = f"{path}: this text file is a web page (HTML); reading it as one"
        return read_html_article(data, path=path, profile=profile, note=note)
    return parse_article(text, article_id=path.stem, path=str(path), profile=profile)


def parse_article(text: str, *, article_id: str, path: str, profile: str | None = None) -> Article:
    """Split `text` into paragraphs, remove chrome, and find title, dateline and captions.

    `profile` names a profile to use; by default the first one that recognizes
    the article is used, and ``generic`` when none does.

    >>> text = "Skip to main content\\nTalks resume\\n\\nSEOUL, Jan. 15 (Yonhap) --\\n\\n" \\
    ...        "The talks resumed.\\nBoth sides spoke.\\n"
    >>> for p in parse_article(text, article_id="demo", path="demo.txt").paragraphs:
    ...     print(p.index, p.kind, p.line, repr(p.text), p.dateline != "", p.possible_boilerplate)
    0 body 1 'Skip to main content' False True
    1 title 2 'Talks resume' False False
    2 body 4 'SEOUL, Jan. 15 (Yonhap) --' True False
    3 body 6 'The talks resumed.' False False
    4 body 7 'Both sides spoke.' False False
    """
    lines = text.split("\n")
    chosen = choose_profile(lines, profile)
    removed: list[RemovedLine] = []
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, raw in enumerate(lines, start=1):
        line = " ".join(raw.split())
        if line and chosen.is_chrome(line):
            removed.append(RemovedLine(number, line, f"profile {chosen.name}"))
            line = ""
        elif line and (rule := general_chrome(line)):
            removed.append(RemovedLine(number, line, rule))
            line = ""
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((number, line))
    if current:
        blocks.append(current)
    groups = [group for block in blocks for group in _split_block(block, chosen)]
    if not groups:
        raise InputError("empty article: no text left after removing site chrome", path=path)
    texts = [" ".join(line for _, line in group) for group in groups]
    title = _find_title(texts, chosen)
    paragraphs = tuple(
        _mark_related_lists(
            [_make_paragraph(index, group, chosen, title) for index, group in enumerate(groups)],
            removed,
        )
    )
    return Article(article_id, path, chosen.name, paragraphs, tuple(removed))


#: (file line, text with whitespace runs collapsed)
_Line = tuple[int, str]
_Break = Literal["new paragraph", "same paragraph", "runs on", "between sentences"]


def _split_block(block: list[_Line], profile: Profile) -> list[list[_Line]]:
    """A block of consecutive lines cut into paragraphs (see the module's docstring)."""
    if len(block) == 1:
        return [block]
    texts = [text for _, text in block]
    furniture = [_looks_like_furniture(text, profile) for text in texts]
    runs_on = [_runs_on(a, b) for a, b in pairwise(texts)] + [False]
    breaks = [
        _line_break(
            texts[i],
            texts[i + 1],
            profile,
            furniture=furniture[i],
            runs_on=runs_on[i],
            standalone=furniture[i + 1] and not runs_on[i + 1],
        )
        for i in range(len(texts) - 1)
    ]
    one_per_line = breaks.count("between sentences") > breaks.count("runs on")
    paragraphs = [[block[0]]]
    for line, kind in zip(block[1:], breaks, strict=True):
        if kind == "new paragraph" or (kind == "between sentences" and one_per_line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _line_break(
    line: str,
    following: str,
    profile: Profile,
    *,
    furniture: bool,
    runs_on: bool,
    standalone: bool,
) -> _Break:
    """What the break between `line` and `following` is.

    `furniture`: `line` looks like page furniture; `runs_on`: `line` visibly
    goes on in `following`; `standalone`: `following` is furniture that does
    not visibly go on in the line after it.
    """
    if DATELINE.match(following):
        return "new paragraph"
    if profile.is_boilerplate(line) or profile.is_boilerplate(following):
        return "new paragraph"
    if runs_on:
        return "runs on"
    if furniture:
        return "new paragraph"
    if not ends_sentence(line, following):
        return "runs on"
    if (not _without_credits(following) or is_credit(following)) and _is_caption(
        profile, following
    ):
        return "same paragraph"  # the credit of the caption above
    if _is_caption(profile, line) or standalone:
        return "new paragraph"
    return "between sentences"


def _runs_on(line: str, following: str) -> bool:
    """Whether `line` visibly goes on in `following`.

    It does when `following` starts in lowercase, or `line` ends with a comma,
    a dash or a word that cannot end a sentence ("and", "of", "the").
    """
    return following[:1].islower() or bool(_RUNS_ON.search(line))


def _looks_like_furniture(text: str, profile: Profile) -> bool:
    """Short and unpunctuated ("Share this article", "(END)"), or marked by the profile."""
    return profile.is_boilerplate(text) or _short_and_unpunctuated(text, profile)


def _short_and_unpunctuated(text: str, profile: Profile) -> bool:
    """`_looks_like_furniture` without the profile's boilerplate patterns."""
    # The word count first: it settles most paragraphs without an expression.
    if len(text.split()) > _SHORT_LINE_WORDS or DATELINE.match(text) or _is_caption(profile, text):
        return False
    core = _without_credits(text)
    return not core or not _SENTENCE_END.search(core)


def _is_caption(profile: Profile, text: str) -> bool:
    """A photo caption by the profile's patterns, or by a photo credit closing it."""
    return profile.is_caption(text) or bool(ends_with_photo_credit(text))


def _mark_related_lists(
    paragraphs: Sequence[Paragraph], removed: Sequence[RemovedLine]
) -> list[Paragraph]:
    """Headlines under a "Related articles" header (kept, or removed as chrome) are marked."""
    headers = [r.line for r in removed if RELATED_HEADER.match(r.text)]
    marked: list[Paragraph] = []
    in_list = False
    previous_line = 0
    for paragraph in paragraphs:
        if any(previous_line < line < paragraph.line for line in headers):
            in_list = True
        previous_line = paragraph.line
        if RELATED_HEADER.match(paragraph.text):
            in_list = True
        elif in_list and paragraph.kind == "body" and not _is_prose(paragraph.text):
            if not paragraph.possible_boilerplate:
                paragraph = replace(
                    paragraph, possible_boilerplate=True, reason="in a list of related articles"
                )
        else:
            in_list = False
        marked.append(paragraph)
    return marked


def furniture_reason(profile: Profile, text: str) -> str:
    """Why a paragraph looks like page furniture to mark, or "" if it does not."""
    if profile.is_boilerplate(text):
        return f"profile {profile.name}: boilerplate pattern"
    if _short_and_unpunctuated(text, profile):
        return "short line without sentence punctuation"
    return ""


def caption_rule(profile: Profile, text: str) -> str:
    """Which rule makes `text` a photo caption: the profile's patterns, a photo credit, or ""."""
    if profile.is_caption(text):
        return f"profile {profile.name}: caption pattern"
    if ends_with_photo_credit(text):
        return "general: photo credit"
    return ""


def explain(article: Article) -> list[tuple[int, str, str, str]]:
    """(line, what, rule, text) for every line removed or marked, in file order.

    What is ``removed`` (chrome), ``marked`` (kept, possible boilerplate),
    ``title``, ``dateline`` or ``caption``.

    >>> text = "Send Feedback\\nTalks resume\\n\\nSEOUL, Jan. 15 (Yonhap) -- Talks resumed.\\n"
    >>> for row in explain(parse_article(text, article_id="a", path="a.txt")):
    ...     print(row)
    (1, 'removed', 'profile yonhap', 'Send Feedback')
    (2, 'title', 'last headline before the body', 'Talks resume')
    (4, 'dateline', 'general: dateline', 'SEOUL, Jan. 15 (Yonhap) --')
    """
    profile = choose_profile([], article.profile)
    rows = [(r.line, "removed", r.rule, r.text) for r in article.removed]
    for paragraph in article.paragraphs:
        line, text = paragraph.line, paragraph.text
        if paragraph.kind == "title":
            rows.append((line, "title", "last headline before the body", text))
        if paragraph.dateline:
            rows.append((line, "dateline", "general: dateline", paragraph.dateline))
        if paragraph.kind == "caption":
            rule = caption_rule(profile, text) or "page: photo caption element"
            rows.append((line, "caption", rule, text))
        if paragraph.possible_boilerplate:
            rows.append((line, "marked", paragraph.reason, text))
    return sorted(rows, key=lambda row: row[0])


def _without_credits(text: str) -> str:
    """`text` without the parenthesized credits or markers closing it: "" for "(END)"."""
    found = _TRAILING_PARENTHESES.search(text, max(0, len(text) - _CREDIT_REACH))
    return text[: found.start()] if found else text


def _find_title(texts: Sequence[str], profile: Profile) -> int | None:
    """The title paragraph's index: the last headline before the body, if any."""
    body = next((i for i, text in enumerate(texts) if _is_prose(text)), None)
    above = range(len(texts) if body is None else body)
    headlines = [i for i in above if _is_headline(texts[i], profile)]
    if not headlines:
        return None
    # With no body to stand above, the first headline-like line is the likeliest.
    if body is None:
        return headlines[0]
    title = headlines[-1]
    # A deck under the headline ("City asks companies to allow later start times")
    # is a headline-like line too: two full headlines in a row are headline and deck,
    # whereas page furniture above a headline is short ("Menu", "National").
    if title - 1 in headlines and all(
        len(texts[i].split()) >= _DECK_WORDS for i in (title - 1, title)
    ):
        return title - 1
    return title


def _is_prose(text: str) -> bool:
    if DATELINE.match(text) or len(text.split()) > _HEADLINE_WORDS:
        return True
    return bool(_PROSE_END.search(_without_credits(text)))


def _is_headline(text: str, profile: Profile) -> bool:
    return not (
        _is_prose(text)
        or profile.is_boilerplate(text)
        or _is_caption(profile, text)
        or not _without_credits(text)
        or _NOT_A_HEADLINE.search(text)
    )


def _make_paragraph(
    index: int, group: list[_Line], profile: Profile, title: int | None
) -> Paragraph:
    parts = [text for _, text in group]
    line = group[0][0]
    text = " ".join(parts)
    breaks: list[int] = []
    offset = 0
    for part in parts[:-1]:
        offset += len(part) + 1
        breaks.append(offset)
    if index == title:
        return Paragraph(index, "title", line, text, line_breaks=tuple(breaks))
    kind: ParagraphKind = "caption" if _is_caption(profile, text) else "body"
    dateline = DATELINE.match(text)
    reason = "above the title" if title is not None and index < title else ""
    reason = reason or furniture_reason(profile, text)
    return Paragraph(
        index,
        kind,
        line,
        text,
        dateline=dateline.group("dateline") if dateline else "",
        possible_boilerplate=bool(reason),
        line_breaks=tuple(breaks),
        reason=reason,
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
            boilerplate=tuple(re.compile(p) for p in data.get("boilerplate", [])),
        )
    except (tomllib.TOMLDecodeError, KeyError, re.error) as error:
        raise InputError(f"broken source profile: {error}", path=filename) from None
