"""The workflow run, in three steps kept apart: plan, decode, merge.

* `plan` reads nothing and writes nothing: from parsed articles and a
  glossary it works out every segment and, per language, the masked text the
  engine must translate.
* `decode` is pure: masked segments in, verified and restored translations
  out, in batches. It is the only step that touches an engine, so it can run
  anywhere (later: on a cluster).
* `merge` turns the results into PO catalogs and writes them.

>>> from workflow.article import parse_article
>>> from workflow.engines.pseudo import PseudoEngine
>>> from workflow.glossary import Glossary, Term
>>> article = parse_article("Talks\\n\\nKang met Motegi.\\n", article_id="a", path="a.txt")
>>> glossary = Glossary((Term("Kang", {"ko": "강 장관"}, "person"),), ())
>>> run_plan = plan([article], glossary, ["ko"])
>>> [m.text for m in run_plan.requests("ko")]
['Talks', 'ZXQ1 met Motegi.']
>>> [t.text for t in decode(PseudoEngine(), run_plan.requests("ko"), "ko")]
['⟦ko⟧ Ţåļķš', '⟦ko⟧ 강 장관 ɱéţ Ṁöţéĝî.']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workflow.article import Article
from workflow.engines import Engine
from workflow.glossary import Glossary
from workflow.masking import MaskedText, Translation, mask, problems, restore
from workflow.matcher import TermMatcher
from workflow.pofile import build_catalog, build_template, write_catalog
from workflow.segment import Segment, segment_article

#: How many hypotheses to ask for, so that one that keeps every placeholder can be chosen.
DEFAULT_N_BEST = 4
#: Segments per engine call: large enough to batch well, small enough to show progress.
DEFAULT_CHUNK = 256


@dataclass(frozen=True)
class ArticleJob:
    """One article's segments and, per language, their masked source."""

    article: Article
    segments: tuple[Segment, ...]
    masked: Mapping[str, tuple[MaskedText, ...]]


@dataclass(frozen=True)
class Plan:
    """Everything a run will translate, before any engine is involved."""

    jobs: tuple[ArticleJob, ...]
    languages: tuple[str, ...]

    def requests(self, lang: str) -> list[MaskedText]:
        """The distinct masked segments to decode into `lang`, in first-seen order.

        A sentence that occurs twice, in one article or across articles, is
        translated once.
        """
        unique: dict[str, MaskedText] = {}
        for job in self.jobs:
            for masked in job.masked[lang]:
                unique.setdefault(masked.text, masked)
        return list(unique.values())

    @property
    def segment_count(self) -> int:
        """Segments over all articles (per language)."""
        return sum(len(job.segments) for job in self.jobs)


@dataclass(frozen=True)
class WrittenFile:
    """A file `merge` wrote, for the run's summary."""

    path: Path
    article_id: str
    language: str | None
    entries: int


@dataclass
class DecodeProgress:
    """Callbacks the CLI plugs a progress bar into; all optional."""

    on_start: Callable[[str, int], None] = field(default=lambda lang, total: None)
    on_advance: Callable[[str, int], None] = field(default=lambda lang, done: None)


def plan(articles: Iterable[Article], glossary: Glossary, languages: Sequence[str]) -> Plan:
    """Segment every article and mask its glossary terms for each language."""
    matchers = {lang: TermMatcher(glossary.for_language(lang)) for lang in languages}
    jobs = []
    for article in articles:
        segments = tuple(segment_article(article))
        masked = {
            lang: tuple(mask(s.text, matcher.find(s.text), lang) for s in segments)
            for lang, matcher in matchers.items()
        }
        jobs.append(ArticleJob(article, segments, masked))
    return Plan(tuple(jobs), tuple(languages))


def decode(
    engine: Engine,
    requests: Sequence[MaskedText],
    lang: str,
    *,
    n_best: int = DEFAULT_N_BEST,
    chunk: int = DEFAULT_CHUNK,
    progress: DecodeProgress | None = None,
) -> list[Translation]:
    """Translate masked segments into `lang`, keeping every glossary term.

    For each segment the first hypothesis that holds each placeholder exactly
    once is restored. When none does, the segment is translated again without
    masks, and the terms are reported as not enforced rather than lost.
    """
    progress = progress or DecodeProgress()
    progress.on_start(lang, len(requests))
    hypotheses: list[list[str]] = []
    for start in range(0, len(requests), chunk):
        batch = requests[start : start + chunk]
        hypotheses.extend(engine.translate([m.text for m in batch], lang, n_best=n_best))
        progress.on_advance(lang, len(batch))
    results: list[Translation | None] = []
    for masked, candidates in zip(requests, hypotheses, strict=True):
        kept = next((h for h in candidates if not problems(h, masked)), None)
        if kept is None:
            results.append(None)
        else:
            results.append(Translation(restore(kept, masked, lang), enforced=masked.slots))
    failed = [i for i, result in enumerate(results) if result is None]
    if failed:
        retries = engine.translate([requests[i].source for i in failed], lang, n_best=1)
        for i, candidates in zip(failed, retries, strict=True):
            results[i] = Translation(candidates[0], unenforced=requests[i].slots)
    return [result for result in results if result is not None]


def merge(
    run_plan: Plan,
    translations: Mapping[str, Mapping[str, Translation]],
    out_dir: Path,
    *,
    engine_labels: Mapping[str, str],
    now: datetime,
) -> list[WrittenFile]:
    """Write ``templates/ID.pot`` and ``LANG/ID.po`` for every article of the plan.

    `translations` maps a language to its translations keyed by masked text,
    as `decode` produced them.
    """
    written = []
    for job in run_plan.jobs:
        article_id = job.article.id
        template = build_template(job.article, job.segments, job.masked, created=now)
        path = out_dir / "templates" / f"{article_id}.pot"
        write_catalog(template, path)
        written.append(WrittenFile(path, article_id, None, len(template)))
        for lang in run_plan.languages:
            by_text = translations[lang]
            catalog = build_catalog(
                job.article,
                job.segments,
                [by_text[m.text] for m in job.masked[lang]],
                lang,
                engine_label=engine_labels[lang],
                created=now,
            )
            path = out_dir / lang / f"{article_id}.po"
            write_catalog(catalog, path)
            written.append(WrittenFile(path, article_id, lang, len(catalog)))
    return written
