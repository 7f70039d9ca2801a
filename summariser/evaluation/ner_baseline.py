"""The spaCy-alone baseline: a briefing's entity fields from ``en_core_web_sm``'s labels, no model.

What the LLM layer must clearly beat (issue 25): people are spaCy's PERSON entities, organisations
its ORG entities, places its GPE, LOC and FAC entities that name no country, countries the
GPE entities that do — each name once, as written, with evidence. Nothing is added, typed or
cleaned beyond a leading "the" and a possessive. The text fields are placeholders (the lead
sentence, two fixed themes): this briefing is scored on its entity fields only.

It also drafts gold: `summariser gold`'s drafts for an entity gold set start from it
(scripts/gold_drafts.py), so that the gold is not anchored on the system it judges.
"""

from __future__ import annotations

import re

from summariser.brief.grounding import Grounder
from summariser.schemas import Article, Briefing, Organisation, Person, Place, SourceRef, SummaryPoint
from summariser.text import nlp
from summariser.text.names import country_name
from summariser.text.normalise import APOSTROPHE_END, plain_key

__all__ = ["spacy_briefing"]

_LEADING = re.compile(r"^(?:the|The|THE)\s+")


def _clean(text: str) -> str:
    return APOSTROPHE_END.sub("", _LEADING.sub("", " ".join(text.split()))).strip(" .,;:")


def spacy_briefing(article: Article) -> Briefing:
    """A briefing of ``article`` whose people, organisations, places and countries are spaCy's alone."""
    grounder = Grounder([article])
    seen: set[tuple[str, str]] = set()
    people: list[Person] = []
    orgs: list[Organisation] = []
    places: list[Place] = []
    countries: list[str] = []
    for entity in nlp.analyse(article.text).entities:
        name = _clean(entity.text)
        if len(name) < 2 or (entity.label, plain_key(name)) in seen:
            continue
        seen.add((entity.label, plain_key(name)))
        evidence = grounder.name(name)
        if entity.label == "PERSON":
            people.append(Person(name=name, evidence=evidence))
        elif entity.label == "ORG":
            orgs.append(Organisation(name=name, evidence=evidence))
        elif entity.label == "GPE" and (country := country_name(name)) is not None:
            if country not in countries:
                countries.append(country)
        elif entity.label in ("GPE", "LOC", "FAC"):
            places.append(Place(name=name, evidence=evidence))
    spans = nlp.analyse(article.text).sentences
    lead = " ".join(article.text[spans[0][0] : spans[0][1]].split()[:45]) if spans else article.text[:200]
    return Briefing(
        headline=" ".join((article.title or lead).split()[:16]),
        summary=[SummaryPoint(text=lead, evidence=grounder.claim(lead))],
        people=people,
        organisations=orgs,
        places=places,
        countries=countries,
        themes=["news", "entities"],
        sources=[SourceRef(doc_id=article.id, title=article.title, published=article.published, path=article.path)],
    )
