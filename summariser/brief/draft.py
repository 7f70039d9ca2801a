"""Drafting: what the model and the text itself say about one article, part by part.

For every part of an article (one part unless it is too long for the context window) the
model answers two focused requests — entities, then overview — that share the article as
their prompt prefix; countries and quotations are read from the text itself (`mentions`),
so quotes are verbatim by construction. The result is one `Draft` per part, in order.

A part whose summary bullets its own text does not support gets one re-ask (`SummaryDraft`),
then its opening sentences, so that every part brings the `SUMMARY_MIN_BULLETS` a briefing
needs (`grounding.bullets_missing` is that rule; grounding enforces it on the whole briefing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from .. import progress
from ..llm.client import LLMClient
from ..schemas import (
    BULLET_MAX_WORDS,
    SUMMARY_MAX_BULLETS,
    Article,
    EntitiesDraft,
    OverviewDraft,
    Quote,
    SummaryDraft,
)
from ..text import sentences
from ..text.guard import delimit, mask
from ..text.names import TITLE_WORDS
from ..text.normalise import plain_key
from . import prompts
from .grounding import Grounder, bullets_missing
from .mentions import countries_in, quotes_in

__all__ = ["LEAD_MIN_WORDS", "SIMILAR", "Draft", "distinct", "drafts_for", "name_candidates"]

#: Opening sentences shorter than this are datelines or captions, not facts to summarise.
LEAD_MIN_WORDS = 8
#: rapidfuzz token-set ratio (0–100) from which two bullets say the same thing.
SIMILAR = 80.0

_CANDIDATE = re.compile(r"\b[A-Z][\w'’.-]*(?:[ -](?:(?:de|da|del|van|von|der|bin|al|la|le)[ -])?[A-Z][\w'’.-]*){1,5}")


@dataclass
class Draft:
    """What one article (or one part of it) gave: the model's drafts and the text's own mentions."""

    doc_id: str
    entities: EntitiesDraft
    overview: OverviewDraft
    countries: Sequence[str] = ()
    """Countries and blocs named in the text (`mentions.countries_in`)."""
    quotes: Sequence[Quote] = ()
    """Quotations copied from the text (`mentions.quotes_in`)."""
    lead_bullets: int = 0
    """Summary bullets taken from the text's opening sentences (too few of the model's were supported)."""


def name_candidates(text: str, limit: int = 40) -> list[str]:
    """Possible person names in ``text``: capitalised phrases stripped of titles and possessives.

    A checklist for the model (not all are people), so that recall does not depend on the
    model noticing every name in a long participant list.
    """
    seen: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):
        for piece in re.split(r"\.\s+", match.group(0)):
            words = re.split(r"[’']s\b", piece)[-1].strip(" .-'’").split()
            titles = [i for i, w in enumerate(words) if w.lower().strip(".,") in TITLE_WORDS]
            if titles:
                words = words[titles[-1] + 1 :]
            if 2 <= len(words) <= 4:
                seen.setdefault(" ".join(words), None)
    return list(seen)[:limit]


def distinct(texts: Iterable[str], threshold: float = SIMILAR) -> list[str]:
    """``texts`` without near-duplicates (rapidfuzz token-set ratio ≥ ``threshold``), first kept."""
    out: list[str] = []
    for text in texts:
        if all(fuzz.token_set_ratio(plain_key(text), plain_key(o)) < threshold for o in out):
            out.append(text.strip())
    return out


def drafts_for(client: LLMClient, article: Article, parts: Sequence[str]) -> list[Draft]:
    """One `Draft` per part of ``article`` (``parts`` as `pipeline.plan_parts` cut them)."""
    drafts = []
    for i, text in enumerate(parts, start=1):
        part = f"{i}/{len(parts)}" if len(parts) > 1 else None
        data = mask(text)  # what the text states, without anything addressed to the model
        common: dict[str, Any] = {
            "article_id": article.id,
            "text": delimit(text),  # data, not instructions: see summariser.text.guard
            "part": part,
        }
        where = f"{article.title or article.path or article.id}" + (f" (part {part})" if part else "")
        progress.report(f"people and organisations: {where}")
        entities = client.extract(
            EntitiesDraft, prompts.messages("entities", candidates=name_candidates(data), **common)
        )
        progress.report(f"summary: {where}")
        overview = client.extract(OverviewDraft, prompts.messages("overview", **common))
        grounder = Grounder([Article(id=article.id, text=text)])  # this part only
        overview, lead = _supported_summary(client, overview, grounder, common, where, data)
        speakers = [p.name for p in entities.people]
        quotes = [Quote(text=q.text, speaker=q.speaker) for q in quotes_in(data, speakers)]
        drafts.append(Draft(article.id, entities, overview, countries_in(data), quotes, lead))
    return drafts


def _supported_summary(
    client: LLMClient, overview: OverviewDraft, grounder: Grounder, common: dict[str, Any], where: str, text: str
) -> tuple[OverviewDraft, int]:
    """Make sure the part ``grounder`` indexes supports enough different summary bullets.

    Small models sometimes fill the summary with labels ("Themes: …"), commentary ("The
    article highlights …") or one bullet twice. Then the model is re-asked once, naming the
    unsupported bullets, and the supported ones of both answers are kept, in order. If that
    still leaves too few, the part's opening sentences (news puts the main facts first) that
    say something new fill the gap — verbatim, so exactly grounded; the number used is
    returned and noted in the briefing. Unsupported bullets stay at the end for grounding to
    drop and report (or keep flagged with ``allow_ungrounded``).
    """
    bullets = distinct(overview.summary)
    supported = [b for b in bullets if grounder.claim(b)]
    if not bullets_missing(supported):
        return overview.model_copy(update={"summary": bullets}), 0
    rejected = [b for b in bullets if b not in supported]
    progress.report(f"summary again: {where}")
    again = client.extract(SummaryDraft, prompts.messages("summary", rejected=rejected, **common))
    merged = distinct([*supported, *(b for b in again.summary if grounder.claim(b))])[:SUMMARY_MAX_BULLETS]
    lead: list[str] = []
    if missing := bullets_missing(merged):
        candidates = [s for s in sentences.split(text) if LEAD_MIN_WORDS <= len(s.split()) <= BULLET_MAX_WORDS]
        lead = distinct([*merged, *candidates])[len(merged) : len(merged) + missing]
    summary = [*merged, *lead, *rejected][:SUMMARY_MAX_BULLETS]
    return overview.model_copy(update={"summary": summary}), len(lead)
