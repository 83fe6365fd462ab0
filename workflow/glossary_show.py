"""What the glossary does to one English sentence, language by language.

`explain` runs the same matching and masking as a translation run (a
`workflow.pairs.ReadingMatcher` over the terms with a rule for the language,
then `workflow.masking.mask`) and reports each row that matched, where it
comes from and what the language gets: the row's target, the English kept,
or no rule, which leaves the words to the engine. A country pair or a capital
read as its government is a hit of type ``pair`` or ``metonym``, whose
``reading`` says which rows it was made of and why.

>>> from workflow.glossary import Glossary, Term
>>> glossary = Glossary((Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place"),
...                      Term("GSOMIA", {"ko": "지소미아", "ja": "GSOMIA"}, "agreement"),
...                      Term("Yonhap", {"ko": "연합뉴스"}, "organization")))
>>> ja, = explain("Yonhap said Seoul would end GSOMIA.", glossary, ["ja"])
>>> ja.masked
'Yonhap said ZXQ1 would end ZXQ2.'
>>> [(hit.en, hit.outcome) for hit in ja.hits]
[('Yonhap', 'no rule'), ('Seoul', 'target'), ('GSOMIA', 'kept in English')]
>>> ja.hits[1].target, ja.hits[1].placeholder, ja.hits[1].where
('ソウル', 'ZXQ1', '')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from workflow.glossary import Glossary, TermType
from workflow.masking import mask
from workflow.matcher import Match
from workflow.pairs import Reading, ReadingMatcher

Outcome = Literal["target", "kept in English", "no rule"]


@dataclass(frozen=True)
class Hit:
    """A glossary row found in the sentence, and what one language gets for it."""

    #: ``sentence[start:end]`` is the English as written (without a possessive).
    start: int
    end: int
    written: str
    possessive: str
    en: str
    type: TermType
    #: ``path:line`` of the row (empty for a term built in code).
    where: str
    outcome: Outcome
    #: The text put in the translation; None when the row has no rule here.
    target: str | None
    #: The placeholder that stands for the term in the masked text, if any.
    placeholder: str | None
    #: For a pair or a metonym, the reading applied (which rows, which context).
    reading: str = ""


@dataclass(frozen=True)
class Explanation:
    """The glossary's effect on a sentence in one language."""

    lang: str
    sentence: str
    #: The text the engine is given: each term with a rule replaced by a placeholder.
    masked: str
    #: Rows found, by position. A "no rule" hit is where the whole glossary
    #: matches a row without a target for the language; the language's own
    #: matching may then find shorter rows inside it, listed as hits too.
    hits: tuple[Hit, ...]

    def to_json(self) -> dict[str, object]:
        """This explanation as plain JSON-ready data (``json.dumps`` it)."""
        return asdict(self)

    def lines(self) -> Iterator[str]:
        """A short human-readable account, one line per hit under the masked text."""
        yield f"{self.lang}: {self.masked}"
        for hit in self.hits:
            where = f" {hit.where}" if hit.where else ""
            result = hit.outcome if hit.target is None else f"{hit.target} ({hit.outcome})"
            token = f" as {hit.placeholder}" if hit.placeholder else ""
            written = f"{hit.written!r}" + (f" (+{hit.possessive!r})" if hit.possessive else "")
            yield f"  {hit.start}-{hit.end} {written}{where} [{hit.type}]: {result}{token}"
            if hit.reading:
                yield f"    reading: {hit.reading}"


def explain(sentence: str, glossary: Glossary, languages: Sequence[str]) -> list[Explanation]:
    """What matching and masking do with ``sentence`` in each of ``languages``, in that order."""
    everywhere = ReadingMatcher(glossary.terms).find(sentence)
    explanations = []
    for lang in languages:
        matches = ReadingMatcher(glossary.for_language(lang), lang=lang).find(sentence)
        masked = mask(sentence, matches, lang)
        tokens = {slot.match: slot.token for slot in masked.slots}
        hits = [_hit(sentence, match, lang, tokens.get(match)) for match in matches]
        hits.extend(
            _hit(sentence, match, lang, None)
            for match in everywhere
            if match.term.target(lang) is None
        )
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        explanations.append(Explanation(lang, sentence, masked.text, tuple(hits)))
    return explanations


def _hit(sentence: str, match: Match, lang: str, token: str | None) -> Hit:
    term = match.term
    target = term.target(lang)
    outcome: Outcome = (
        "no rule"
        if target is None
        else "kept in English"
        if term.keeps_english(lang)
        else "target"
    )
    return Hit(
        match.start,
        match.end,
        sentence[match.start : match.end],
        match.possessive,
        term.en,
        term.type,
        term.where,
        outcome,
        target,
        token,
        term.note if isinstance(term, Reading) else "",
    )
