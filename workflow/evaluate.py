"""How good a translated catalog is: chrF against a reference, glossary use, Korean particles.

`evaluate` reads a language's PO file (fuzzy machine output or reviewed
text alike) and reports three figures in an `Evaluation`:

* **chrF** against a reference translation of the same article (another PO
  file, paired entry by entry on ``msgctxt`` + ``msgid``), computed at
  corpus level by sacrebleu. chrF compares character n-grams, so it needs no
  word segmentation, which Japanese does not mark with spaces and Korean
  marks only between phrases of several morphemes (강경화 외교부 장관은).
  The standard setting is used: character n-grams up to 6 and no word
  n-grams (chrF rather than chrF++, whose word n-grams would depend on how
  each language happens to split words, and would not be comparable with
  published figures). sacrebleu drops all whitespace before counting
  character n-grams, so a Japanese hypothesis that the model spaced like
  English (``ソウル で 会談``) scores as if set solid, and Korean spacing
  slips are not penalized either. Both sides are NFKC-normalized first, so
  fullwidth and halfwidth forms of brackets, digits and Latin letters count
  as the same characters: they are a typographic choice, not a translation
  error.
* **Term usage**: of the glossary terms found in the English (the matches a
  run would mask), how many have their required rendering in the
  translation. A rendering counts wherever it appears in the entry's
  ``msgstr``, Korean particles and all (강경화 외교부 장관은); in languages
  written without spaces the comparison ignores whitespace. Each hit needs
  an occurrence of its own: an entry whose English names Seoul twice keeps
  both hits only if 서울 appears twice (hits kept = the smaller of the hits
  needing a rendering and its occurrences), and an occurrence inside a
  longer rendering the entry requires counts for that one only (한국 in
  한국 대법원 is not also the 한국 of Korea). The matches are those of a
  run (`workflow.pairs.ReadingMatcher`): a country pair or a capital standing
  for its government needs its own rendering (한일 관계 for "relations
  between Seoul and Tokyo", not 서울 and 도쿄), and a capital read as its
  government may be rendered by its country's name as well (일본 for 일본
  정부).
* **Particle agreement** (Korean only): of the required renderings that a
  particle follows directly, how many take the form that agrees with the
  rendering's last sound (대법원은, 외무상과, 서울로), as
  `workflow.korean.attach` would write it. Only particles whose form depends
  on that sound are checked (은/는, 이/가, 을/를, 과/와, 으로/로 and the
  like, 의 and 에서 never), and renderings whose last sound cannot be told.

Untranslated entries count as empty translations: they keep no term and
score nothing against the reference.

>>> from workflow.glossary import Glossary, Term
>>> glossary = Glossary((Term("Seoul", {"ko": "서울"}),))
>>> catalog = polib.POFile()
>>> catalog.metadata = {"Language": "ko"}
>>> catalog.append(polib.POEntry(msgid="Seoul said no.", msgstr="서울은 거부했다."))
>>> result = evaluate(catalog, glossary)
>>> result.term_usage_rate, result.particle_agreement_rate, result.chrf
(1.0, 1.0, None)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import polib

from workflow.errors import InputError, UsageError
from workflow.glossary import Glossary
from workflow.korean import attach, has_final_consonant
from workflow.languages import get_language, primary_subtag
from workflow.pairs import ReadingMatcher, renderings
from workflow.text import compact

# Two words that differ only in their last sound: a particle is checked when
# `attach` writes it differently after them, i.e. when its form depends on that sound.
_ENDS_IN_CONSONANT, _ENDS_IN_VOWEL = "강", "가"
_HANGUL_RUN = re.compile(r"[가-힣]+")


@dataclass(frozen=True)
class Evaluation:
    """The quality figures of one catalog.

    Counts rather than rates are stored, so that figures for several
    catalogs can be added up; the rates are derived.
    """

    #: The catalog's file, as given (for messages and reports).
    path: str
    language: str
    #: Entries evaluated: every non-obsolete entry of the catalog.
    segments: int
    #: Corpus chrF (0 to 100) over the segments paired with the reference; None without one.
    chrf: float | None
    #: Glossary matches in the English of all segments.
    term_hits: int
    #: Of those, the matches whose required rendering appears in the translation.
    term_kept: int
    #: Korean: required renderings followed directly by a particle whose form depends on them.
    particle_checked: int
    #: Of those, the ones whose particle agrees with the rendering's last sound.
    particle_agreeing: int
    #: Segments the reference has no translated entry for (left out of chrF); 0 without one.
    missing_in_reference: int = 0

    @property
    def term_usage_rate(self) -> float | None:
        """``term_kept / term_hits`` (0 to 1), or None when the English holds no term.

        >>> Evaluation("x.po", "ja", 3, None, 4, 3, 0, 0).term_usage_rate
        0.75
        """
        return self.term_kept / self.term_hits if self.term_hits else None

    @property
    def particle_agreement_rate(self) -> float | None:
        """``particle_agreeing / particle_checked`` (0 to 1), or None when nothing was checked.

        >>> Evaluation("x.po", "ja", 3, None, 4, 3, 0, 0).particle_agreement_rate is None
        True
        """
        return self.particle_agreeing / self.particle_checked if self.particle_checked else None

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON-ready mapping, counts and derived rates together.

        >>> Evaluation("x.po", "ko", 2, 51.5, 2, 1, 1, 1).to_json()["term_usage_rate"]
        0.5
        """
        return {
            "path": self.path,
            "language": self.language,
            "segments": self.segments,
            "missing_in_reference": self.missing_in_reference,
            "chrf": self.chrf,
            "term_hits": self.term_hits,
            "term_kept": self.term_kept,
            "term_usage_rate": self.term_usage_rate,
            "particle_checked": self.particle_checked,
            "particle_agreeing": self.particle_agreeing,
            "particle_agreement_rate": self.particle_agreement_rate,
        }


def evaluate(
    catalog: polib.POFile,
    glossary: Glossary,
    *,
    reference: polib.POFile | None = None,
    language: str | None = None,
    path: str = "",
) -> Evaluation:
    """Score `catalog` as the module docstring describes.

    `language` defaults to the catalog's ``Language`` header; a reference
    whose header names another language is refused. Reference entries that
    are obsolete or untranslated do not count as pairs.

    >>> reference = polib.POFile()
    >>> reference.append(polib.POEntry(msgid="Talks resumed.", msgstr="会談が再開された。"))
    >>> catalog = polib.POFile()
    >>> catalog.append(polib.POEntry(msgid="Talks resumed.", msgstr="会談 が 再開 された 。"))
    >>> evaluate(catalog, Glossary(()), reference=reference, language="ja").chrf
    100.0
    """
    lang = _language_of(catalog, language, path)
    spaced = get_language(lang).spaced
    if reference is not None:
        _check_reference_language(reference, lang)
    entries = [entry for entry in catalog if not entry.obsolete]
    matcher = ReadingMatcher(glossary.for_language(lang), lang=lang)
    hits = kept = checked = agreeing = 0
    for entry in entries:
        # Per hit, the renderings that count for it (normalized), the required one first.
        wanted: list[tuple[str, ...]] = []
        written: dict[str, str] = {}
        for match in matcher.find(entry.msgid):
            options = []
            for rendering in renderings(match.term, lang):
                normal = _normal(rendering, spaced=spaced)
                written.setdefault(normal, rendering)
                options.append(normal)
            if options:  # for_language keeps only terms with a target
                wanted.append(tuple(options))
        found = _occurrences(_normal(entry.msgstr, spaced=spaced), written)
        hits += len(wanted)
        left = Counter(found)
        # Hits without a choice first, so that an alternative never takes the
        # occurrence another hit needs.
        for choices in sorted(wanted, key=len):
            taken = next((normal for normal in choices if left[normal] > 0), None)
            if taken is not None:
                left[taken] -= 1
                kept += 1
        targets = [written[normal] for normal in written if found[normal]]
        if get_language(lang).particles:
            for agrees in _particle_checks(entry.msgstr, targets):
                checked += 1
                agreeing += agrees
    chrf: float | None = None
    missing = 0
    if reference is not None:
        chrf, missing = _chrf(entries, reference)
    return Evaluation(
        path=path,
        language=lang,
        segments=len(entries),
        chrf=chrf,
        term_hits=hits,
        term_kept=kept,
        particle_checked=checked,
        particle_agreeing=agreeing,
        missing_in_reference=missing,
    )


def _language_of(catalog: polib.POFile, language: str | None, path: str) -> str:
    code = language or _header_language(catalog)
    if not code:
        raise UsageError(
            "cannot tell the catalog's language: it has no Language header (give the language)",
            path=path or None,
        )
    get_language(code)  # refuses a language the workflow does not know
    return code


def _header_language(catalog: polib.POFile) -> str:
    return primary_subtag(catalog.metadata.get("Language", ""))


def _check_reference_language(reference: polib.POFile, lang: str) -> None:
    found = _header_language(reference)
    if found and found != lang:
        raise InputError(
            f"the reference is in {found!r} but the catalog is in {lang!r}",
            path=getattr(reference, "fpath", None) or None,
        )


def _normal(text: str, *, spaced: bool) -> str:
    """`text` as compared: NFKC, and without whitespace where the language uses none."""
    return unicodedata.normalize("NFKC", text) if spaced else compact(text)


def _occurrences(translation: str, targets: Iterable[str]) -> Counter[str]:
    """How often each target occurs in ``translation``, not counting an occurrence
    that lies inside an occurrence of a longer one of the targets.

    >>> dict(_occurrences("한국 대법원은 한국과", ["한국", "한국 대법원"]))
    {'한국': 1, '한국 대법원': 1}
    """
    spans = {target: _spans(translation, target) for target in dict.fromkeys(targets)}
    every = [span for found in spans.values() for span in found]
    counts: Counter[str] = Counter()
    for target, found in spans.items():
        counts[target] = sum(
            1
            for start, end in found
            if not any(s <= start and end <= e and e - s > end - start for s, e in every)
        )
    return counts


def _spans(text: str, target: str) -> list[tuple[int, int]]:
    """Where ``target`` occurs in ``text``, left to right, without overlaps."""
    spans = []
    start = text.find(target) if target else -1
    while start >= 0:
        spans.append((start, start + len(target)))
        start = text.find(target, start + len(target))
    return spans


def _particle_checks(translation: str, targets: Iterable[str]) -> list[bool]:
    """For each occurrence of a target that a sound-dependent particle follows: does it agree?

    An occurrence inside a longer one (일본 in 아베 신조 일본 총리) is the
    longer term's business and is not checked on its own.

    >>> _particle_checks("강 장관과 서울은 서울으로", ["강 장관", "서울"])
    [True, True, False]
    """
    spans = {span for target in set(targets) for span in _spans(translation, target)}
    outermost = [
        (start, end)
        for start, end in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]
    results = []
    for start, end in sorted(outermost):
        term = translation[start:end]
        following = _HANGUL_RUN.match(translation, end)
        if following is None or has_final_consonant(term) is None:
            continue
        word = following.group()
        if _particle_form(_ENDS_IN_CONSONANT, word) == _particle_form(_ENDS_IN_VOWEL, word):
            continue  # not a particle, or one whose form never changes (의, 에서)
        results.append(attach(term, word) == term + word)
    return results


def _particle_form(term: str, word: str) -> str:
    """What `attach` writes after `term` in place of `word`."""
    return attach(term, word)[len(term) :]


def _chrf(entries: list[polib.POEntry], reference: polib.POFile) -> tuple[float | None, int]:
    """Corpus chrF of the entries that the reference translates, and how many it lacks."""
    # sacrebleu pulls in several modules; only evaluation needs it.
    from sacrebleu.metrics.chrf import CHRF

    wanted = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in reference
        if not entry.obsolete and entry.msgstr
    }
    hypotheses: list[str] = []
    references: list[str] = []
    for entry in entries:
        text = wanted.get((entry.msgctxt, entry.msgid))
        if text is None:
            continue
        hypotheses.append(unicodedata.normalize("NFKC", entry.msgstr))
        references.append(unicodedata.normalize("NFKC", text))
    missing = len(entries) - len(hypotheses)
    if not hypotheses:
        return None, missing
    return CHRF().corpus_score(hypotheses, [references]).score, missing
