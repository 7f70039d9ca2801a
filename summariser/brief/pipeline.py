"""summarise(): sources → prompts → llm → merge → grounding → Briefing.

For every article (or every part of an article too long for the context window) the model
answers two focused requests — entities, then overview — that share the article as their
prompt prefix; countries and quotations are read from the text itself (`mentions`). The
drafts of all articles are merged into one briefing; the event date comes from the sources'
own date expressions (resolved against the publication time), never from the model, so it
is never guessed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .. import progress
from ..config import Settings, load_settings, override
from ..errors import InputError
from ..ingest.read import event_date, load_sources
from ..llm.backends import BackendSpec, resolve
from ..llm.budget import max_tokens_for_model
from ..llm.client import LLMClient, Wrapper
from ..schemas import (
    BULLET_MAX_WORDS,
    Article,
    Briefing,
    BriefingMeta,
    Conflict,
    ConflictValue,
    EntitiesDraft,
    Evidence,
    GroundingReport,
    MatchCounts,
    OverviewDraft,
    Quote,
    SourceRef,
    SummaryDraft,
)
from ..text.guard import delimit, mask
from ..text.names import TITLE_WORDS
from . import prompts
from .grounding.rules import MIN_BULLETS, check
from .grounding.search import Grounder, sentences
from .mentions import countries_in, quotes_in
from .merge import Draft, distinct, merge

Source = str | os.PathLike[str] | Article

#: Characters per token assumed when planning prompts (pessimistic for English news).
PROMPT_CHARS_PER_TOKEN = 3.0
#: The most summary bullets a part contributes (the schema's cap).
MAX_BULLETS = 6
#: Opening sentences shorter than this are datelines or captions, not facts to summarise.
LEAD_MIN_WORDS = 8
#: Tokens reserved for the system prompt, the task instructions and the chat template.
PROMPT_OVERHEAD_TOKENS = 700

_CANDIDATE = re.compile(r"\b[A-Z][\w'’.-]*(?:[ -](?:(?:de|da|del|van|von|der|bin|al|la|le)[ -])?[A-Z][\w'’.-]*){1,5}")


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


def _as_list(sources: Source | Iterable[Source]) -> list[Source]:
    if isinstance(sources, str | os.PathLike | Article):
        return [sources]
    return list(sources)


def plan_parts(article: Article, spec: BackendSpec, settings: Settings) -> list[str]:
    """Split an article that does not fit the context window into overlapping parts."""
    answer = max(max_tokens_for_model(EntitiesDraft), max_tokens_for_model(OverviewDraft))
    room_chars = int((spec.context_tokens - answer - PROMPT_OVERHEAD_TOKENS) * PROMPT_CHARS_PER_TOKEN)
    if room_chars <= 0:
        raise InputError(f"{spec.label} has a context of {spec.context_tokens} tokens, too small for a briefing")
    if len(article.text) <= room_chars:
        return [article.text]
    label = article.path or article.id
    if settings.long_articles == "fail":
        raise InputError(
            f"{label} is ~{len(article.text) // 3} tokens, longer than the {spec.context_tokens}-token context "
            f"of {spec.label}; split it, or allow chunking (long_articles=chunk)"
        )
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    parts: list[str] = []
    current: list[str] = []
    for para in paragraphs:
        while len(para) > room_chars:  # a single giant paragraph: cut at sentence ends
            cut = para.rfind(". ", 0, room_chars)
            cut = cut + 1 if cut > room_chars // 2 else room_chars
            parts.append(para[:cut])
            para = para[cut:].lstrip()
        if current and len("\n\n".join([*current, para])) > room_chars:
            parts.append("\n\n".join(current))
            current = current[-1:] if len(current[-1]) < room_chars // 4 else []  # one paragraph overlap
        current.append(para)
    if current:
        parts.append("\n\n".join(current))
    return parts


def _drafts_for(client: LLMClient, article: Article, parts: Sequence[str]) -> list[Draft]:
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
        grounder = Grounder([Article(id="part", text=text)])
        overview, lead = _supported_summary(client, overview, grounder, common, where, data)
        speakers = [p.name for p in entities.people]
        quotes = [Quote(text=q.text, speaker=q.speaker) for q in quotes_in(data, speakers)]
        drafts.append(Draft(article.id, entities, overview, countries_in(data), quotes, lead))
    return drafts


def _supported_summary(
    client: LLMClient, overview: OverviewDraft, grounder: Grounder, common: dict[str, Any], where: str, text: str
) -> tuple[OverviewDraft, int]:
    """Make sure at least three different summary bullets are supported by the part ``grounder`` indexes.

    Small models sometimes fill the summary with labels ("Themes: …"), commentary ("The
    article highlights …") or one bullet twice. Then the model is re-asked once, naming the
    unsupported bullets, and the supported ones of both answers are kept, in order. If that
    still leaves fewer than three, the part's opening sentences (news puts the main facts
    first) that say something new fill the gap — verbatim, so exactly grounded; the number
    used is returned and noted in the briefing. Unsupported bullets stay at the end for
    `verify` to drop and report (or keep flagged with ``allow_ungrounded``).
    """
    bullets = distinct(overview.summary)
    supported = [b for b in bullets if grounder.claim(b)]
    if len(supported) >= MIN_BULLETS:
        return overview.model_copy(update={"summary": bullets}), 0
    rejected = [b for b in bullets if b not in supported]
    progress.report(f"summary again: {where}")
    again = client.extract(SummaryDraft, prompts.messages("summary", rejected=rejected, **common))
    merged = distinct([*supported, *(b for b in again.summary if grounder.claim(b))])[:MAX_BULLETS]
    lead: list[str] = []
    if len(merged) < MIN_BULLETS:
        candidates = [s for s in sentences(text) if LEAD_MIN_WORDS <= len(s.split()) <= BULLET_MAX_WORDS]
        lead = distinct([*merged, *candidates])[len(merged) : MIN_BULLETS]
    summary = [*merged, *lead, *rejected][:MAX_BULLETS]
    return overview.model_copy(update={"summary": summary}), len(lead)


def summarise(
    sources: Source | Iterable[Source],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> Briefing:
    """Turn one article, or several articles about one event, into one `Briefing`.

    ``sources`` are paths (``.txt``, ``.md``, ``.html``, ``.json``, ``.jsonl``), article text
    strings or `Article` objects. ``model`` is a model string (default: the embedded model);
    other keyword arguments override `Settings` fields (e.g. ``cache="off"``), validated as the
    config file is: a misspelt name or a bad value is a `ConfigError` naming the valid ones.
    Raises only `SummariserError` subclasses.
    """
    base = override(settings or load_settings(), model=model, **overrides)
    return build(sources, base)


def build(sources: Source | Iterable[Source], settings: Settings, *, wrap: Wrapper | None = None) -> Briefing:
    """`summarise` under resolved ``settings``; ``wrap`` puts a transport in front of the cache (batch rounds)."""
    base = settings
    articles = load_sources(_as_list(sources))
    if not articles:
        raise InputError("no articles given; pass at least one file or text")
    spec = resolve(base.model, base.api_key)
    plans = [(a, plan_parts(a, spec, base)) for a in articles]
    client = LLMClient(spec, base.llm_options(), wrap=wrap)
    try:
        drafts = [d for article, parts in plans for d in _drafts_for(client, article, parts)]
    finally:
        client.close()
    body, report = check(
        merge(drafts),
        Grounder(articles),
        allow_ungrounded=base.allow_ungrounded,
    )
    date, conflicts = _event_date(articles, report)
    notes = [
        f"{a.path or a.id} was longer than the context window and was read in {len(p)} overlapping parts"
        for a, p in plans
        if len(p) > 1
    ]
    notes += [
        f"{d.lead_bullets} summary bullet(s) are sentences from the opening of {d.doc_id}: fewer than "
        f"{MIN_BULLETS} of the model's bullets were supported by the article"
        for d in drafts
        if d.lead_bullets
    ]
    return Briefing(
        headline=body.headline,
        event_date=date,
        location=body.location,
        summary=body.summary,
        people=body.people,
        organisations=body.organisations,
        countries=body.countries,
        quotes=body.quotes,
        themes=body.themes,
        implications=body.implications,
        sources=[
            SourceRef(doc_id=a.id, title=a.title, published=a.published, path=a.path, text=a.text) for a in articles
        ],
        conflicts=[*conflicts, *body.conflicts],
        grounding=report,
        meta=BriefingMeta(model=spec.label, prompts=prompts.versions(), usage=client.usage, notes=notes),
    )


def _event_date(articles: Sequence[Article], report: GroundingReport) -> tuple[dt.date | None, list[Conflict]]:
    """The event date most articles state (the first article's on a tie), its evidence, conflicts."""
    mentions = {a.id: m for a in articles if (m := event_date(a)) is not None}
    if not mentions:
        return None, []
    by_date: dict[dt.date, list[str]] = {}
    for doc_id, m in mentions.items():
        by_date.setdefault(m.date, []).append(doc_id)
    date = max(by_date, key=lambda d: len(by_date[d]))  # dicts keep order: ties go to the first
    texts = {a.id: a.text for a in articles}
    report.event_date = [
        Evidence(doc_id=i, start=m.start, end=m.end, quote=texts[i][m.start : m.end], match="exact")
        for i, m in mentions.items()
        if m.date == date
    ]
    report.counts["event_date"] = MatchCounts(exact=1)
    conflicts = []
    if len(by_date) > 1:
        values = [ConflictValue(value=d.isoformat(), doc_ids=ids) for d, ids in by_date.items()]
        conflicts.append(Conflict(field="event_date", values=values))
    return date, conflicts


async def asummarise(
    sources: Source | Iterable[Source],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> Briefing:
    """Async `summarise`: runs the pipeline in a worker thread, so the event loop stays free.

    Several calls may run concurrently; the embedded model serialises its generations, HTTP
    backends serve them in parallel.
    """
    return await asyncio.to_thread(summarise, sources, model=model, settings=settings, **overrides)
