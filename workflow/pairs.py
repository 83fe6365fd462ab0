"""Country pairs and capitals that stand for governments, written as a news desk writes them.

A glossary row for each country masks "South Korea" and "Japan" one by
one, and the translation reads 한국/일본 where Korean newsrooms write 한일 and
Japanese newsrooms 日韓, whatever the English order. `ReadingMatcher` finds
the glossary's terms as `workflow.matcher.TermMatcher` does, then reads
the matches again in context and replaces some of them by one match for a
`Reading`, a term made on the spot (its ``type`` is ``pair`` or
``metonym``, so the ``#. glossary:`` comments and ``l10n glossary show``
say which reading was applied).

**Pairs and triples.** Two to four rows with a ``LANG-short`` form (한/韓 for
South Korea, 북/朝 for North Korea, and the capitals alike) joined by
hyphens or en dashes ("South Korea-Japan", "U.S.-North Korea",
"Seoul-Tokyo") or coordinated ("South Korea and Japan", "South Korea, the
U.S. and Japan") become one term whose rendering is their short forms in the
language's own order (`PAIR_ORDER`): Korean puts Korea first, then North
Korea, the United States, China, Russia and Japan (한미일, 북미, 한중일,
미중, 러일); Japanese puts Japan first, then the United States, China,
South Korea, North Korea and Russia (日米韓, 米朝, 日中韓, 中韓, 米ロ). Short
forms a language's order does not list follow the listed ones, in the
English order. A compound the language writes otherwise is replaced whole
(`COMPOUND_WORDS`: the two Koreas are 남북 and 南北, not 한북 and 韓朝), and
a compound that would repeat a short form ("Seoul and South Korea") is no
pair. Coordinated names after a preposition of place ("in South Korea and
Japan", "flew to Seoul and Tokyo") stay apart: they are places.

**Between.** "between A and B" is a pair followed by the language's word for
"between" (한일 간, 日韓間); a noun of relations right before it is taken in
(`RELATION_NOUNS`): "relations between Seoul and Tokyo" is 한일 관계 /
日韓関係 and "dialogue between Washington and Pyongyang" 북미 대화 / 米朝対話.
Capitals between which people travel ("flights between Seoul and Tokyo")
stay cities.

**Capitals as governments (metonyms).** A row with a ``LANG-gov`` form
(Seoul: 한국 정부 / 韓国政府) takes it, as a ``metonym``, where the capital
is a political actor: with a possessive before a political noun ("Seoul's
call", "Tokyo's latest move"), as the subject of a political verb ("Tokyo
says", "Seoul has asked", "Pyongyang rejected"), or after a political noun
and "on" or "against" ("export restrictions on Seoul", "pressure on
Pyongyang") or a political verb ("urged Tokyo"). A capital after a
preposition of place ("in Seoul", "flew to Tokyo") or in a dateline
("SEOUL, Jan. 15", another row) stays the city, as does a capital in any
other context: the patterns are few on purpose.
A metonym's translation may also use the country's own rendering (일본 for
일본 정부): `renderings` lists what counts.

>>> from workflow.glossary import Term
>>> terms = [
...     Term("S. Korea", {"ko": "한국", "ja": "韓国"}, "place", short={"ko": "한", "ja": "韓"}),
...     Term("Japan", {"ko": "일본", "ja": "日本"}, "place", short={"ko": "일", "ja": "日"}),
...     Term("Seoul", {"ko": "서울", "ja": "ソウル"}, "place", short={"ko": "한", "ja": "韓"},
...          government={"ko": "한국 정부", "ja": "韓国政府"}),
...     Term("Tokyo", {"ko": "도쿄", "ja": "東京"}, "place", short={"ko": "일", "ja": "日"},
...          government={"ko": "일본 정부", "ja": "日本政府"}),
... ]
>>> matcher = ReadingMatcher(terms)
>>> [(m.term.en, m.term.type, dict(m.term.targets)) for m in matcher.find("Japan-S. Korea ties")]
[('Japan-S. Korea', 'pair', {'ja': '日韓', 'ko': '한일'})]
>>> [(m.term.en, m.term.target("ja")) for m in matcher.find("relations between Seoul and Tokyo")]
[('relations between Seoul and Tokyo', '日韓関係')]
>>> [(m.term.type, m.term.target("ko")) for m in matcher.find("Seoul's demand, said in Seoul")]
[('metonym', '한국 정부'), ('place', '서울')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from workflow.glossary import Targets, Term, TermType
from workflow.languages import is_spaced
from workflow.matcher import Match, TermMatcher

#: The order of the short forms in a compound of countries, per language.
PAIR_ORDER: Mapping[str, tuple[str, ...]] = {
    "ko": ("한", "북", "미", "중", "러", "일"),
    "ja": ("日", "米", "中", "韓", "朝", "ロ"),
}
#: Compounds a language writes as a word of their own (the two Koreas).
COMPOUND_WORDS: Mapping[str, Mapping[str, str]] = {
    "ko": {"한북": "남북"},
    "ja": {"韓朝": "南北"},
}
#: The word for "between" after a pair (한일 간, 日韓間).
BETWEEN: Mapping[str, str] = {"ko": "간", "ja": "間"}
#: Nouns of relations that "between A and B" folds into the pair (한일 관계).
RELATION_NOUNS: Mapping[str, Mapping[str, str]] = {
    "relations": {"ko": "관계", "ja": "関係"},
    "relationship": {"ko": "관계", "ja": "関係"},
    "ties": {"ko": "관계", "ja": "関係"},
    "talks": {"ko": "회담", "ja": "会談"},
    "dialogue": {"ko": "대화", "ja": "対話"},
    "summit": {"ko": "정상회담", "ja": "首脳会談"},
    "alliance": {"ko": "동맹", "ja": "同盟"},
    "cooperation": {"ko": "협력", "ja": "協力"},
    "row": {"ko": "갈등", "ja": "対立"},
    "feud": {"ko": "갈등", "ja": "対立"},
    "tensions": {"ko": "갈등", "ja": "対立"},
}
#: Nouns before "between" that make the capitals cities (flights between Seoul and Tokyo).
_TRAVEL_NOUNS = (
    "flight|flights|route|routes|train|trains|bus|buses|ferry|ferries|road|roads|"
    "highway|railway|distance|trip|trips|travel|border"
)
#: Political nouns after a capital's possessive (Seoul's call).
_POLITICAL_NOUNS = (
    "call|calls|demand|demands|request|requests|position|positions|stance|decision|"
    "decisions|move|moves|policy|policies|response|proposal|proposals|offer|imposition|"
    "measure|measures|restrictions|sanctions|claim|claims|refusal|protest|protests|"
    "approach|plan|plans|efforts|effort|insistence|argument|view|views|stand|"
    "retaliation|countermeasures|rejection|push|bid|pressure|warning|warnings|"
    "denuclearization|diplomacy|officials|envoy|negotiators|delegation|government|"
    "leadership|regime|assertion|objection|concerns|intention|willingness|"
    "reluctance|apology|compensation|export|exports|trade|decree|announcement|"
    "criticism|complaint|complaints|accusation|accusations|allies|ally|ties|relations|"
    "program|programs|weapons|missiles|provocations|leader|negotiator"
)
#: Nouns before "on" or "against" that make the capital after them its government.
_PRESSURE_NOUNS = (
    "restrictions|sanctions|pressure|controls|curbs|retaliation|countermeasures|"
    "measures|demands|claims|complaint|protest|protests|tariffs|ban|embargo"
)
#: Political verbs, every form a news sentence uses after its subject.
_POLITICAL_VERBS = (
    "say|says|said|saying|ask|asks|asked|urge|urges|urged|demand|demands|demanded|"
    "call|calls|called|warn|warns|warned|insist|insists|insisted|reject|rejects|rejected|"
    "refuse|refuses|refused|decide|decides|decided|agree|agrees|agreed|protest|protests|"
    "protested|claim|claims|claimed|want|wants|wanted|hope|hopes|hoped|plan|plans|"
    "planned|seek|seeks|sought|propose|proposes|proposed|accept|accepts|accepted|"
    "announce|announces|announced|respond|responds|responded|retaliate|retaliates|"
    "retaliated|impose|imposes|imposed|lift|lifts|lifted|maintain|maintains|maintained|"
    "argue|argues|argued|deny|denies|denied|criticize|criticizes|criticized|condemn|"
    "condemns|condemned|threaten|threatens|threatened|vow|vows|vowed|pledge|pledges|"
    "pledged|request|requests|requested|slam|slams|slammed|denounce|denounces|"
    "denounced|dismiss|dismisses|dismissed|welcome|welcomes|welcomed|oppose|opposes|"
    "opposed|believe|believes|believed|expect|expects|expected|consider|considers|"
    "considered|suspend|suspends|suspended|terminate|terminates|terminated|notify|"
    "notifies|notified|invite|invites|invited|offer|offers|offered|insists|stress|"
    "stresses|stressed|reiterate|reiterates|reiterated|express|expresses|expressed|"
    "confirm|confirms|confirmed|file|files|filed|appeal|appeals|appealed|seems|seemed|"
    "appears|appeared|remains|remained|tightened|tighten|tightens|eased|ease|eases"
)
#: Political verbs whose object a capital after them is (Seoul urged Tokyo).
_OBJECT_VERBS = (
    "asked|asks|ask|urged|urges|urge|called on|calls on|call on|told|tells|tell|warned|"
    "warns|warn|pressed|presses|press|notified|notifies|notify|informed|informs|inform|"
    "criticized|criticizes|criticize|accused|accuses|accuse|blamed|blames|blame|"
    "condemned|condemns|condemn|slammed|slams|slam|pressured|pressures|pressure|"
    "protested to|protest to|persuade|persuaded|persuades|sanction|sanctioned"
)
_AUXILIARIES = (
    "has|have|had|will|would|could|can|may|might|must|should|is|was|also|not|now|"
    "already|reportedly|then|still|repeatedly|again|did|does|do|never|apparently|"
    "officially|formally|quickly|since|has also|had also"
)
#: Words after which a country or capital names a place.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|from|at|near|via|into|across|around|throughout|outside|inside|toward|"
    r"towards|visit|visits|visited|visiting|reach|reached|arrive|arrived|arrives|"
    r"leave|left|leaves|flew|fly|flies|travel|traveled|travelled|based|stationed|"
    r"living|lives|live|born)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_HYPHEN = re.compile(r"[-\u2010\u2011\u2013]")
_LIST_COMMA = re.compile(r",\s*(?:the\s+)?")
_LAST_AND = re.compile(r",?\s+and\s+(?:the\s+)?")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_HEAD_BEFORE = re.compile(r"\b(?P<noun>[A-Za-z]+)\s+$")
_TRAVEL_BEFORE = re.compile(rf"\b(?:{_TRAVEL_NOUNS})\s+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"\s+(?:[a-z-]+\s+){{0,2}}(?:{_POLITICAL_NOUNS})\b")
_VERB_AFTER = re.compile(rf"\s+(?:(?:{_AUXILIARIES})\s+){{0,3}}(?:{_POLITICAL_VERBS})\b")
_PRESSURE_BEFORE = re.compile(
    rf"\b(?:(?:{_PRESSURE_NOUNS})\s+(?:on|against|toward|towards)|(?:{_OBJECT_VERBS}))\s+$"
)
#: How many characters before a match the context patterns look at.
_CONTEXT = 60
#: The most rows one compound joins ("South Korea, the U.S., Japan and China").
_MOST_MEMBERS = 4


@dataclass(frozen=True)
class Reading(Term):
    """A term made from glossary rows read in context: a ``pair`` or a ``metonym``.

    ``members`` are the rows it was made from; ``also`` holds, per language,
    other renderings a translation may use for it (the country's name for
    a capital standing for its government).
    """

    members: tuple[Term, ...] = field(default=(), kw_only=True)
    also: Mapping[str, tuple[str, ...]] = field(default_factory=dict, kw_only=True, compare=False)


def renderings(term: Term, lang: str) -> tuple[str, ...]:
    """What a translation may write for ``term`` in ``lang``: its target, then any alternative.

    >>> tokyo = Reading("Tokyo", {"ko": "일본 정부"}, "metonym", also={"ko": ("일본",)})
    >>> renderings(tokyo, "ko"), renderings(Term("Seoul", {"ko": "서울"}), "ko")
    (('일본 정부', '일본'), ('서울',))
    """
    target = term.target(lang)
    if target is None:
        return ()
    also = term.also.get(lang, ()) if isinstance(term, Reading) else ()
    return (target, *(rendering for rendering in also if rendering != target))


class ReadingMatcher(TermMatcher):
    """A `TermMatcher` that also reads country pairs and capitals as governments.

    With ``lang``, only readings with a rendering in that language replace
    the rows they are made of (a run translates into one language at a
    time); without it, readings with a rendering in any language do.
    """

    def __init__(
        self, terms: Iterable[Term], *, ignore_case: bool = False, lang: str | None = None
    ) -> None:
        super().__init__(terms, ignore_case=ignore_case)
        self.lang = lang
        # A capital's country: the row without a government form with the same short form.
        self._countries: dict[tuple[str, str], Term] = {}
        for term in self.terms:
            if not term.government:
                for code, short in term.short.items():
                    self._countries.setdefault((code, short), term)

    def find(self, text: str) -> list[Match]:
        """The glossary matches of ``text``, with pairs and metonyms read in context."""
        return list(self._read(text, super().find(text)))

    def _read(self, text: str, matches: Sequence[Match]) -> Iterator[Match]:
        index = 0
        while index < len(matches):
            compound = self._compound(text, matches, index)
            if compound is not None:
                reading, used = compound
                yield reading
                index += used
                continue
            yield self._metonym(text, matches[index]) or matches[index]
            index += 1

    def _compound(
        self, text: str, matches: Sequence[Match], first: int
    ) -> tuple[Match, int] | None:
        """The longest pair or triple starting at ``matches[first]``, and how many it joins."""
        for count in range(min(_MOST_MEMBERS, len(matches) - first), 1, -1):
            members = matches[first : first + count]
            if not all(m.term.short for m in members) or any(m.possessive for m in members[:-1]):
                continue
            gaps = [text[a.end : b.start] for a, b in pairwise(members)]
            hyphenated = all(_HYPHEN.fullmatch(gap) for gap in gaps)
            coordinated = all(_LIST_COMMA.fullmatch(gap) for gap in gaps[:-1]) and bool(
                _LAST_AND.fullmatch(gaps[-1])
            )
            if not (hyphenated or coordinated):
                continue
            start, end = members[0].start, members[-1].end
            suffixes: dict[str, str] | None = None
            between = None
            if coordinated and count == 2:
                between = _BETWEEN_BEFORE.search(text, _window(start), start)
            capitals = any(m.term.government for m in members)
            if between is not None:
                ahead = between.start()
                head = _HEAD_BEFORE.search(text, _window(ahead), ahead)
                if capitals and _TRAVEL_BEFORE.search(text, _window(ahead), ahead):
                    return None
                noun = RELATION_NOUNS.get(head["noun"].lower()) if head else None
                if head is not None and noun is not None:
                    start, suffixes = head.start(), dict(noun)
                else:
                    start, suffixes = between.start(), dict(BETWEEN)
            elif coordinated and _PLACE_BEFORE.search(text, _window(start), start):
                return None
            reading = self._pair(text[start:end], [m.term for m in members], suffixes)
            if reading is None:
                continue
            return Match(start, end, reading, members[-1].possessive), count
        return None

    def _pair(
        self, written: str, members: list[Term], suffixes: dict[str, str] | None
    ) -> Reading | None:
        targets: dict[str, str] = {}
        for code in _common_languages(members):
            compound = _compound_word(code, [member.short[code] for member in members])
            if compound is None:
                continue
            if suffixes is not None:
                suffix = suffixes.get(code)
                if suffix is None:
                    continue
                compound += (" " if is_spaced(code) else "") + suffix
            targets[code] = compound
        if not targets or (self.lang is not None and self.lang not in targets):
            return None
        names = " + ".join(member.en for member in members)
        forms = ", ".join(f"{code} {target}" for code, target in sorted(targets.items()))
        return self._reading(written, targets, "pair", f"{names} as a pair ({forms})", members)

    def _metonym(self, text: str, match: Match) -> Match | None:
        """``match`` read as its capital's government, or None where it is a place."""
        term = match.term
        if not term.government or (self.lang is not None and self.lang not in term.government):
            return None
        start, after = match.start, match.end + len(match.possessive)
        if _PLACE_BEFORE.search(text, _window(start), start):
            return None
        if match.possessive:
            context = "possessive before a political noun"
            political = _NOUN_AFTER.match(text, after) is not None
        elif _PRESSURE_BEFORE.search(text, _window(start), start):
            context, political = "object of a political verb or noun", True
        else:
            context = "subject of a political verb"
            political = _VERB_AFTER.match(text, after) is not None
        if not political:
            return None
        also: dict[str, tuple[str, ...]] = {
            code: (country.targets[code],)
            for code, short in term.short.items()
            if (country := self._countries.get((code, short))) is not None
            and code in country.targets
        }
        reading = self._reading(
            text[match.start : match.end],
            dict(term.government),
            "metonym",
            f"{term.en} standing for its government ({context})",
            [term],
            also,
        )
        return Match(match.start, match.end, reading, match.possessive)

    @staticmethod
    def _reading(
        written: str,
        targets: dict[str, str],
        kind: TermType,
        note: str,
        members: list[Term],
        also: dict[str, tuple[str, ...]] | None = None,
    ) -> Reading:
        first = members[0]
        return Reading(
            " ".join(written.split()),
            Targets(targets),
            kind,
            note,
            first.path,
            first.line,
            members=tuple(members),
            also=also or {},
        )


def _window(end: int) -> int:
    """Where to start looking for the words right before ``end``: a few words back, so
    that reading the context of every match costs the same however long the text is."""
    return max(0, end - _CONTEXT)


def _common_languages(members: Sequence[Term]) -> list[str]:
    """The languages in which every member has a target and a short form."""
    codes = set(members[0].short) & set(members[0].targets)
    for member in members[1:]:
        codes &= set(member.short) & set(member.targets)
    return sorted(codes)


def _compound_word(lang: str, shorts: Sequence[str]) -> str | None:
    """The short forms in the language's order, or None if one is repeated.

    >>> _compound_word("ko", ["일", "미", "한"]), _compound_word("ja", ["韓", "米", "日"])
    ('한미일', '日米韓')
    >>> _compound_word("ko", ["북", "한"]), _compound_word("ko", ["한", "한"])
    ('남북', None)
    """
    if len(set(shorts)) != len(shorts):
        return None
    order = PAIR_ORDER.get(lang, ())
    # Listed forms by their place; the others after them, in the English order.
    ranked = sorted(
        enumerate(shorts),
        key=lambda item: (order.index(item[1]) if item[1] in order else len(order), item[0]),
    )
    compound = "".join(short for _, short in ranked)
    return COMPOUND_WORDS.get(lang, {}).get(compound, compound)
