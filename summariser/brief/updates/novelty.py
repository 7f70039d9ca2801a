"""New items: the facts, people, organisations and quotes that only the articles new to a briefing support.

One rule for every kind of item, asked of the grounding's own `Grounder` over the sources of
both versions: an item is new when it has evidence and every span of it lies in a new article
— no earlier article states the claim (`Grounder.claim`: the same words or the same content
words and numbers), names the person (`Grounder.person`: the full name, or the surname alone in
another article) or the organisation (`Grounder.name`), or states the quote, verbatim or in
substance. The earlier briefing is asked too, by the rules that merge briefings: a person it
lists (`names.same_person`), an organisation it lists (`names.fullest`'s key), a fact it states
(`draft.same_fact`) or a quote it has (`merge.SAME_QUOTE`) is not new whatever the texts say.

The facts are the summary-worthy sentences: the new briefing's bullets and implications, the
sentences the model picked from the new articles (``candidates``), which a briefing capped at
six bullets may not have room for, and the sentence each new quote is said in (the remark it is
part of); in the new articles' order, at most `UPDATE_MAX_FACTS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from ...schemas import BULLET_MAX_WORDS, UPDATE_MAX_FACTS, Article, Briefing, Evidence, SummaryPoint, Updates
from ...text.names import fullest, same_person
from ...text.normalise import plain_key
from ...text.sentences import sentence_around
from ..draft import distinct, same_fact
from ..grounding import Grounder
from ..merge import SAME_QUOTE, fit_words
from .changes import changes_between
from .versions import article_of, since_of

__all__ = ["sources_of", "updates_between"]


def sources_of(*briefings: Briefing) -> list[Article]:
    """The articles of ``briefings`` that carry their text (``sources[].text``), each once, in order."""
    seen: dict[str, Article] = {}
    for briefing in briefings:
        for s in briefing.sources:
            if s.doc_id not in seen and (article := article_of(s)) is not None:
                seen[s.doc_id] = article
    return list(seen.values())


class _Judge:
    """Whether an item's evidence lies only in the new articles."""

    def __init__(self, previous: Briefing, current: Briefing) -> None:
        self.earlier = [s.doc_id for s in previous.sources]
        before = set(self.earlier)
        self.fresh = [s.doc_id for s in current.sources if s.doc_id not in before]  # in order: what reads them is
        self.new_docs = frozenset(self.fresh)
        self.grounder = Grounder(sources_of(current, previous))
        self.order = {doc: i for i, doc in enumerate(s.doc_id for s in current.sources)}

    def only_new(self, evidence: Sequence[Evidence]) -> bool:
        return bool(evidence) and all(e.doc_id in self.new_docs for e in evidence)

    def position(self, evidence: Sequence[Evidence]) -> tuple[int, int]:
        first = min(evidence, key=lambda e: (self.order.get(e.doc_id, len(self.order)), e.start))
        return self.order.get(first.doc_id, len(self.order)), first.start


def _listed(name: str, names: Iterable[str]) -> bool:
    """Whether the earlier briefing lists the organisation ``name`` (the same, or a longer or shorter form of it)."""
    names = list(names)
    return any(plain_key(n) == plain_key(name) for n in names) or len(fullest([name, *names])) <= len(fullest(names))


def updates_between(previous: Briefing, current: Briefing, *, candidates: Sequence[str] = ()) -> Updates:
    """What ``current`` adds to ``previous`` (module docstring); ``candidates``: more summary-worthy sentences."""
    judge = _Judge(previous, current)
    g = judge.grounder
    people = [
        p.model_copy(update={"evidence": ev})
        for p in current.people
        if not any(same_person(p.name, q.name) for q in previous.people) and judge.only_new(ev := g.person(p.name))
    ]
    organisations = [
        o.model_copy(update={"evidence": ev})
        for o in current.organisations
        if not _listed(o.name, (x.name for x in previous.organisations)) and judge.only_new(ev := g.name(o.name))
    ]
    quotes = []
    for q in current.quotes:
        if any(fuzz.ratio(plain_key(q.text), plain_key(k.text)) >= SAME_QUOTE for k in previous.quotes):
            continue
        verbatim, _ = g.quote(q.text)
        if judge.only_new(verbatim) and judge.only_new(verbatim + g.claim(q.text)):
            quotes.append(q.model_copy(update={"evidence": verbatim}))
    texts = {s.doc_id: s.text or "" for s in current.sources}
    remarks = [_sentence(texts[q.evidence[0].doc_id], q.evidence[0]) for q in quotes if q.evidence]
    return Updates(
        since=since_of(previous),
        facts=_facts(judge, previous, current, [*candidates, *remarks]),
        changes=changes_between(g, judge.earlier, judge.fresh),
        people=people,
        organisations=organisations,
        quotes=quotes,
    )


def _sentence(text: str, evidence: Evidence) -> str:
    """The sentence a new quote is said in (`sentences.sentence_around`, as the quote's speaker is found):
    the remark it belongs to, a fact of its own ("Carney framed US participation as possible but …")."""
    start, end = sentence_around(text, evidence.start, evidence.end)
    return fit_words(text[start:end].strip(), BULLET_MAX_WORDS)


def _facts(judge: _Judge, previous: Briefing, current: Briefing, candidates: Sequence[str]) -> list[SummaryPoint]:
    """The summary-worthy sentences no earlier article or the earlier briefing states, in the new articles' order."""
    stated = [p.text for p in previous.summary] + [i.text for i in previous.implications]
    texts = distinct([*(p.text for p in current.summary), *(i.text for i in current.implications), *candidates])
    found = []
    for text in texts:
        if any(same_fact(text, old) for old in stated):
            continue
        evidence = judge.grounder.claim(text)
        if judge.only_new(evidence):
            found.append(SummaryPoint(text=text, evidence=evidence))
    found.sort(key=lambda p: judge.position(p.evidence))
    return found[:UPDATE_MAX_FACTS]
