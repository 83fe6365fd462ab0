"""Page furniture written alike on every site: the rules that apply whatever the profile.

`GENERAL_CHROME` removes bylines, time stamps, advertisement labels,
separators, e-mail addresses and long copyright notices; `PHOTO_CREDIT`
closes a photo caption ("(AP Photo/...)", "[YONHAP]", "Photo: ...",
"/ Courtesy of ..."); `RELATED_HEADER` heads a list of other stories.
They look at one line's text only, whatever the page was (text or HTML).
"""

from __future__ import annotations

import re

# Credits closing a line are looked for in the last `_CREDIT_REACH`
# characters only, which keeps the search linear.
_CREDIT_REACH = 200

#: Photo credits that close a caption whatever the site: "(AP Photo/Ahn Young-joon)",
#: "(Yonhap)", "[YONHAP]", "[JoongAng Ilbo]", "/ Courtesy of Seoul city", "| KYODO",
#: "Photo: Yonhap" (alone or closing the line).
PHOTO_CREDIT = re.compile(
    r"""
    (?:\((?:[A-Z][\w.\-]*[ ])*(?:Photo|Photos|PHOTO|Pool[ ]Photo)(?:/[^()]{1,60})?\)
      | \((?:Yonhap|Kyodo|Xinhua|Newsis|News1|EPA|AFP|Reuters|REUTERS|Getty[ ]Images
             |Bloomberg|Jiji[ ]Press)\)
      | \[[A-Z][\w .&'/\-]{1,40}\]
      | [ ]/[ ]*(?:Courtesy[ ]of[ ][^/]{2,60}|Yonhap|Newsis|News1|Korea[ ]Times[^/]{0,40})
      | [ ]\|[ ]*(?:KYODO|Kyodo|REUTERS|Reuters|AFP-JIJI|AP|AFP|BLOOMBERG|Bloomberg|GETTY[ ]IMAGES)
      | (?:^|[ ])(?:Photos?:|Photo[ ]by)[ ][^.]{2,60}
    )\s*$
    """,
    re.VERBOSE,
)


def ends_with_photo_credit(text: str) -> bool:
    """Whether a photo credit closes `text`."""
    tail = text[-_CREDIT_REACH:]
    # Every credit ends in ")" or "]" or holds " /", " |" or "Photo": that rules
    # out most paragraphs in C, before the expression tries each position.
    if not (tail.rstrip().endswith((")", "]")) or " /" in tail or " |" in tail or "Photo" in tail):
        return False
    return bool(PHOTO_CREDIT.search(text, max(0, len(text) - _CREDIT_REACH)))


def is_credit(text: str) -> bool:
    """Whether `text` is a photo credit alone: "Photo: Yonhap", "[YONHAP]"."""
    found = PHOTO_CREDIT.search(text)
    return found is not None and not text[: found.start()].strip()


#: Headers of lists of other stories: the headlines under them are not the article.
RELATED_HEADER = re.compile(
    r"^(?i:related (?:articles?|news|stories|coverage|content)|read more|more (?:from|on) .+"
    r"|most (?:viewed|read|popular)|recommended(?: stories)?|latest (?:news|headlines)"
    r"|you may also like|see also|top stories):?$"
)


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
_STAMP_TOKEN = (
    rf"(?:{_MONTH}|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b\.?,?"
    r"|\d[\d:/.,]*|[AaPp]\.?[Mm]\b\.?|(?:GMT|UTC|KST|JST|EST|EDT|ET)(?:[+-]\d{1,2})?"
    r"|(?i:all news|last updated|updated|published|posted|modified|edited|created|date|on"
    r"|ago|at)\b|[|/\-\u2013\u2014,:])"
)
# What makes a line of time-stamp words a time stamp: a month, a clock time, a
# numeric date, or "ago" (a lone "2026" or "Sunday" is not one).
_STAMP_CORE = re.compile(rf"{_MONTH}|\d:\d|\b\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}\b|\bago\b")
#: Lines removed wherever the article comes from, each with the rule's name: page
#: furniture that no reader wants translated and that no profile needs to list.
GENERAL_CHROME: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "byline",
        re.compile(
            r"^(?i:by)\s+[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|and|de|van|von))*"
            r"(?:,\s*[A-Z][\w .'-]*)?(?:\s*[\[(][\w.+-]+@[\w.-]+[\])])?$"
        ),
    ),
    (
        "time stamp",
        re.compile(rf"^(?:{_STAMP_TOKEN}\s*)*(?:{_STAMP_TOKEN})$"),
    ),
    ("advertisement", re.compile(r"^(?i:advertisement)\b[^.!?]{0,40}$")),
    # A rule drawn with characters: "___", "* * *", "---".
    ("separator", re.compile(r"^(?:[_\-=*~#+\u2022\u00b7.]\s*){3,}$")),
    ("e-mail address", re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")),
    # A long copyright notice is chrome; a short one ("Copyright 2020 Yonhap") is left
    # to the profiles, which keep it marked as possible boilerplate.
    ("copyright notice", re.compile(r"^(?i:copyright\b|\u00a9|\(c\)\s)\s*(?:\S+\s+){3,}\S")),
)


def general_chrome(line: str) -> str:
    """The name of the general rule that removes `line`, or "".

    >>> general_chrome("By Kim Tong-hyung"), general_chrome("Updated 3:12 AM GMT+9, Dec. 17, 2026")
    ('general: byline', 'general: time stamp')
    >>> general_chrome("By Tuesday, the talks had ended."), general_chrome("2026")
    ('', '')
    >>> general_chrome("Posted : 2026-12-17 17:20 Updated : 2026-12-17 18:00")
    'general: time stamp'
    >>> general_chrome("Posted on Wednesday, December 17, 2026"), general_chrome("Mayor")
    ('general: time stamp', '')
    """
    for name, pattern in GENERAL_CHROME:
        if pattern.search(line):
            # A year or a number alone is a time stamp only beside a month or a clock.
            if name == "time stamp" and not _STAMP_CORE.search(line):
                continue
            return f"general: {name}"
    return ""
