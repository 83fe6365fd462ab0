"""Compare article extractors on the saved pages of tests/data/html/.

For each page, the hand-cleaned text beside it (``NAME.txt``, title first)
says which paragraphs are the article. An extractor's output is scored by
the article paragraphs it kept and by the other paragraphs (chrome) it let
through. Run it in an environment that has the libraries to compare:

    pip install trafilatura readability-lxml justext
    python benchmarks/html_extractors.py

The project depends on trafilatura only; the others are not needed to use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "html"
CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.I)
SUPERSETS = {"euc-kr": "cp949", "shift_jis": "cp932"}


def squeeze(text: str) -> str:
    return "".join(text.split())


def decode(data: bytes) -> str:
    found = CHARSET.search(data[:4096])
    label = found.group(1).decode().lower() if found else "utf-8"
    return data.decode(SUPERSETS.get(label, label))


def with_trafilatura(html: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_images=True) or ""
    return [line for line in text.split("\n") if line.strip()]


def with_readability(html: str) -> list[str]:
    import lxml.html
    from readability import Document

    tree = lxml.html.fromstring(Document(html).summary())
    blocks = tree.xpath("//p|//figcaption|//li|//h1|//h2|//h3")
    return [" ".join(b.text_content().split()) for b in blocks if b.text_content().strip()]


def with_justext(html: str) -> list[str]:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return [p.text for p in paragraphs if not p.is_boilerplate]


def with_l10n(html: str) -> list[str]:
    """What ``l10n run`` translates unmarked: the extracted paragraphs after the text rules."""
    from workflow.html_input import read_html_article

    # The page is decoded already: its own declaration no longer holds.
    utf8 = re.sub(r"charset\s*=\s*[\"']?[\w-]+", "charset=utf-8", html, count=1)
    article = read_html_article(utf8.encode("utf-8"), path=Path("page.html"))
    return [p.text for p in article.paragraphs if not p.possible_boilerplate]


EXTRACTORS: dict[str, Callable[[str], list[str]]] = {
    "trafilatura": with_trafilatura,
    "readability-lxml": with_readability,
    "justext": with_justext,
    "l10n run": with_l10n,
}


def main() -> None:
    print(f"{'page':<40} {'extractor':<28} {'kept':>9} {'chrome':>6}")
    totals: dict[str, list[int]] = {}
    for page in sorted(PAGES.glob("*.html")):
        html = decode(page.read_bytes())
        lines = page.with_suffix(".txt").read_text("utf-8").split("\n\n")
        expected = [squeeze(p) for p in lines[1:] if p.strip()]
        title = squeeze(lines[0])
        for name, extractor in EXTRACTORS.items():
            try:
                found = [squeeze(p) for p in extractor(html)]
            except ImportError:
                continue
            kept = sum(any(p in f for f in found) for p in expected)
            chrome = sum(
                1 for f in found if f != title and f and not any(f in p for p in expected)
            )
            total = totals.setdefault(name, [0, 0, 0])
            total[0] += kept
            total[1] += len(expected)
            total[2] += chrome
            print(f"{page.stem:<40} {name:<28} {kept:>4}/{len(expected):<4} {chrome:>6}")
    for name, (kept, expected, chrome) in totals.items():
        print(f"{'TOTAL':<40} {name:<28} {kept:>4}/{expected:<4} {chrome:>6}")


if __name__ == "__main__":
    main()
