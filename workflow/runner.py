"""The workflow run, in three steps kept apart: plan, decode, write.

* `plan` reads nothing and writes nothing: from parsed articles and a
  glossary it works out every segment and, per language, the masked text the
  engine must translate.
* decoding is a `workflow.decoder.Decoder`'s: masked segments in, verified
  and restored translations out. It touches the engine and nothing else (no
  file, no state), so it can run anywhere (later: on a cluster).
* `write_article_files` turns the results into PO catalogs and writes them.

>>> from workflow.article import parse_article
>>> from workflow.decoder import decode
>>> from workflow.engines.pseudo import PseudoEngine
>>> from workflow.glossary import Glossary, Term
>>> article = parse_article("Talks\\n\\nKang met Motegi.\\n", article_id="a", path="a.txt")
>>> glossary = Glossary((Term("Kang", {"ko": "강 장관"}, "person"),), ())
>>> run_plan = plan([article], glossary, ["ko"])
>>> [m.text for m in run_plan.requests("ko")]
['Talks', 'ZXQ1 met Motegi.']
>>> decoded = decode(PseudoEngine(), run_plan.requests("ko"), "ko")
>>> [t.text for t in decoded.translations.values()]
['⟦ko⟧ Ţåļķš', '⟦ko⟧ 강 장관 ɱéţ Ṁöţéĝî.']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

import polib

from workflow.article import Article
from workflow.errors import WorkflowError
from workflow.glossary import Glossary
from workflow.masking import MaskedText, Translation, mask
from workflow.matcher import find_in_dateline
from workflow.output import OutputFolder
from workflow.pairs import ReadingMatcher
from workflow.pofile import write_catalog
from workflow.rerun import CatalogPlan, build_catalog, build_template, plan_catalog
from workflow.segment import Segment, segment_article
from workflow.store import MachineOutput, Provenance


@dataclass(frozen=True)
class ArticleJob:
    """One article's segments and, per language, their masked source and `CatalogPlan`."""

    article: Article
    segments: tuple[Segment, ...]
    masked: Mapping[str, tuple[MaskedText, ...]]
    catalogs: Mapping[str, CatalogPlan]
    #: Per language, what this run's translation of each segment is made
    #: from; empty when the engine's fingerprints were not given.
    provenances: Mapping[str, tuple[Provenance, ...]] = field(default_factory=dict)

    def pending(self, lang: str) -> list[int]:
        """Indexes of the segments the engine must translate into `lang`."""
        entries = self.catalogs[lang].entries
        return [i for i, entry in enumerate(entries) if entry.needs_decoding]

    def machine_outputs(self, lang: str, new: Mapping[int, Translation]) -> list[MachineOutput]:
        """The engine's translations `new` (by segment index) into `lang`, as put on record."""
        made = self.provenances.get(lang)
        return [
            MachineOutput(self.segments[i].text, t.text, made[i] if made else None)
            for i, t in new.items()
        ]


@dataclass(frozen=True)
class Plan:
    """Everything a run will translate, before any engine is involved."""

    jobs: tuple[ArticleJob, ...]
    languages: tuple[str, ...]

    def requests(self, lang: str) -> list[MaskedText]:
        """The distinct segments to decode into `lang`, masked, in first-seen order.

        A sentence that occurs twice, in one article or across articles, is
        translated once. Sentences are told apart by their English, not by
        their masked text: "Kang met reporters." and "Abe met reporters." are
        both "ZXQ1 met reporters." but restore different names (the engine
        still decodes that text once: `workflow.decoder.decode` asks once).
        """
        unique: dict[str, MaskedText] = {}
        for job in self.jobs:
            for index in job.pending(lang):
                masked = job.masked[lang][index]
                unique.setdefault(masked.source, masked)
        return list(unique.values())

    @property
    def segment_count(self) -> int:
        """Segments over all articles (per language)."""
        return sum(len(job.segments) for job in self.jobs)


@dataclass(frozen=True)
class WrittenFile:
    """A file `write_article_files` wrote, with what happened to its entries."""

    path: Path
    article_id: str
    language: str | None
    entries: int
    new: int = 0
    changed: int = 0
    #: Unreviewed machine translations of unchanged English made again,
    #: because the engine or the glossary changed.
    retranslated: int = 0
    unchanged: int = 0
    reviewed_kept: int = 0
    obsolete: int = 0
    #: "Glossary term not enforced" comments, and the entries holding them.
    unenforced_terms: int = 0
    unenforced_entries: int = 0

    def summary(self) -> str:
        """One line for the end of a run; "retranslated" only appears when there are some.

        >>> WrittenFile(Path("ko/a.po"), "a", "ko", 16, unchanged=13, reviewed_kept=3).summary()
        'ko/a.po: 0 new, 0 changed, 13 unchanged, 3 reviewed kept, 0 obsolete'
        >>> WrittenFile(Path("ko/a.po"), "a", "ko", 16, retranslated=16).summary()
        'ko/a.po: 0 new, 0 changed, 16 retranslated, 0 unchanged, 0 reviewed kept, 0 obsolete'
        """
        if self.language is None:
            return f"{self.path}: {self.entries} entries"
        retranslated = f"{self.retranslated} retranslated, " if self.retranslated else ""
        return (
            f"{self.path}: {self.new} new, {self.changed} changed, {retranslated}"
            f"{self.unchanged} unchanged, {self.reviewed_kept} reviewed kept, "
            f"{self.obsolete} obsolete"
        )


def plan(
    articles: Iterable[Article],
    glossary: Glossary,
    languages: Sequence[str],
    *,
    existing: Callable[[Article, str], polib.POFile | None] = lambda article, lang: None,
    is_machine_output: Callable[[str, str, str], bool] = lambda lang, en, text: False,
    fingerprints: Mapping[str, str] | None = None,
    made_from: Callable[[str, str, str, Provenance], bool] = lambda lang, en, text, p: True,
) -> Plan:
    """Segment every article, mask its glossary terms, and match it to its old PO files.

    `existing(article, lang)` gives the PO file a previous run wrote (or
    None); `is_machine_output(lang, english, translation)` whether an engine
    produced that translation. With `fingerprints` (the engine's, per
    language), an unreviewed machine translation is kept only if
    `made_from(lang, english, translation, provenance)` says it was made as
    this run would make it; otherwise it is translated again.
    """
    matchers = {lang: ReadingMatcher(glossary.for_language(lang), lang=lang) for lang in languages}
    jobs = []
    for article in articles:
        segments = tuple(segment_article(article))
        # Segment by segment, in every language: the matchers then share the
        # cutting of each segment into tokens (see `workflow.matcher`).
        rows = [
            tuple(
                mask(
                    s.text,
                    find_in_dateline(matcher, s.text)
                    if s.kind == "dateline"
                    else matcher.find(s.text),
                    lang,
                )
                for lang, matcher in matchers.items()
            )
            for s in segments
        ]
        masked = {lang: tuple(row[i] for row in rows) for i, lang in enumerate(matchers)}
        provenances = {
            lang: tuple(provenance(fingerprint, m) for m in masked[lang])
            for lang, fingerprint in (fingerprints or {}).items()
            if lang in masked
        }
        catalogs = {
            lang: plan_catalog(
                segments,
                existing(article, lang),
                partial(is_machine_output, lang),
                is_current=_is_current(lang, segments, provenances.get(lang), made_from),
            )
            for lang in languages
        }
        jobs.append(ArticleJob(article, segments, masked, catalogs, provenances))
    return Plan(tuple(jobs), tuple(languages))


def _is_current(
    lang: str,
    segments: Sequence[Segment],
    made: Sequence[Provenance] | None,
    made_from: Callable[[str, str, str, Provenance], bool],
) -> Callable[[int, str], bool]:
    """Whether the machine translation on record for a segment is what this run would make."""

    def is_current(index: int, translation: str) -> bool:
        return made is None or made_from(lang, segments[index].text, translation, made[index])

    return is_current


def provenance(fingerprint: str, masked: MaskedText) -> Provenance:
    """What a translation of `masked` by the engine with `fingerprint` is made from.

    The glossary targets belong to it: they are not in the masked text the
    engine sees, but they are in the translation.
    """
    return Provenance(fingerprint, masked.text, tuple(slot.target for slot in masked.slots))


def write_article_files(
    job: ArticleJob,
    languages: Sequence[str],
    translations: Mapping[str, Mapping[str, Translation]],
    out: OutputFolder,
    *,
    engine_labels: Mapping[str, str],
    now: datetime,
    record: Callable[[str, list[MachineOutput]], None] = lambda lang, outputs: None,
    notes_on_record: Callable[[str, str, str], Sequence[str]] = lambda lang, en, text: (),
    record_notes: Callable[[str, list[tuple[str, str, str]]], None] = lambda lang, notes: None,
) -> list[WrittenFile]:
    """Write one article's template and catalogs into the output folder `out`.

    `translations` maps a language to the new translations keyed by the
    English source of the masked request (`MaskedText.source`), as a
    `workflow.decoder.Decoder` produced them for `Plan.requests`.
    `record(lang, outputs)` puts machine output on record, with its
    provenance when the plan knows it; it is called before the PO file that
    shows it is written, so that a crash in between cannot make machine
    output look like a reviewer's work. A failure after some files were
    written is a `PartialWriteError` naming them.
    `record_notes(lang, [(english, translation, note), ...])` keeps the notes
    about machine output written as ``#.`` comments, and
    `notes_on_record(lang, english, translation)` gives them back, so that a
    note a tool removed from the file is written again by the next run.
    """
    written: list[WrittenFile] = []
    try:
        _write_files(
            job,
            languages,
            translations,
            out,
            written,
            engine_labels=engine_labels,
            now=now,
            record=record,
            notes_on_record=notes_on_record,
            record_notes=record_notes,
        )
    except WorkflowError as error:
        if written:
            raise PartialWriteError(error, written) from None
        raise
    return written


class PartialWriteError(WorkflowError):
    """An article whose writing failed after some of its files were written."""

    exit_code = 1

    def __init__(self, error: WorkflowError, written: Sequence[WrittenFile]) -> None:
        super().__init__(error.message, path=error.path, line=error.line)
        #: The files written before the failure, each complete.
        self.written = tuple(written)


def _write_files(
    job: ArticleJob,
    languages: Sequence[str],
    translations: Mapping[str, Mapping[str, Translation]],
    out: OutputFolder,
    written: list[WrittenFile],
    *,
    engine_labels: Mapping[str, str],
    now: datetime,
    record: Callable[[str, list[MachineOutput]], None],
    notes_on_record: Callable[[str, str, str], Sequence[str]],
    record_notes: Callable[[str, list[tuple[str, str, str]]], None],
) -> None:
    """`write_article_files`'s work, adding each file to `written` as soon as it is."""
    article_id = job.article.id
    template = build_template(job.article, job.segments, job.masked, created=now)
    path = out.template_path(article_id)
    write_catalog(template, path)
    written.append(WrittenFile(path, article_id, None, len(template)))
    for lang in languages:
        by_text = translations.get(lang, {})
        masked = job.masked[lang]
        new = {i: by_text[masked[i].source] for i in job.pending(lang)}
        record(lang, job.machine_outputs(lang, new))
        catalog_plan = job.catalogs[lang]
        built = build_catalog(
            job.article,
            catalog_plan,
            masked,
            new,
            lang,
            engine_label=engine_labels[lang],
            created=now,
            notes_on_record=partial(notes_on_record, lang),
        )
        path = out.catalog_path(article_id, lang)
        # On record before the file that shows them, as machine output is.
        record_notes(lang, list(built.machine_notes))
        write_catalog(built.catalog, path)
        written.append(
            WrittenFile(
                path,
                article_id,
                lang,
                len(catalog_plan.entries),
                new=catalog_plan.count("new"),
                changed=catalog_plan.count("changed", "changed-reviewed"),
                retranslated=catalog_plan.count("retranslated"),
                unchanged=catalog_plan.count("unchanged"),
                reviewed_kept=catalog_plan.count("reviewed", "changed-reviewed"),
                obsolete=catalog_plan.newly_obsolete,
                unenforced_terms=built.unenforced_terms,
                unenforced_entries=built.unenforced_entries,
            )
        )
