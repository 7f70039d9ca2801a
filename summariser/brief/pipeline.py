"""summarise(): load → plan parts → draft → merge → ground and check → assemble a `Briefing`.

1. `ingest.read.load_sources` reads and cleans every source into an `Article`;
2. `plan_parts` cuts an article too long for the context window into overlapping parts;
3. `draft.drafts_for` asks the model about each part and reads countries and quotes from
   its text (one `Draft` per part);
4. `merge.merge` merges the drafts of all articles into one briefing body;
5. `grounding.check` keeps what the sources support, with evidence, dates the event from
   the sources' own date expressions (never from the model) and fills the report;
6. `Body.briefing` adds the sources, the report and how the briefing was made;
7. with ``previous`` (an earlier version of the briefing), `updates.updated` says what the
   articles new to it add (``updates``), computed from the two versions, without the model.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from itertools import islice
from typing import Any

from ..config import Settings, load_settings, override
from ..errors import InputError
from ..ingest.limits import max_articles
from ..ingest.read import load_sources
from ..llm import PROMPT_CHARS_PER_TOKEN, BackendSpec, LLMClient, TokenLedger, Wrapper, max_tokens_for_model, resolve
from ..schemas import (
    DRAFT_MAX_NAMES,
    NAME_MAX_CHARS,
    SUMMARY_MIN_BULLETS,
    Article,
    Briefing,
    BriefingMeta,
    OverviewDraft,
    SourceRef,
    Usage,
    kinds_model,
)
from ..settings_table import shown
from ..text.sentences import last_end
from . import prompts
from .draft import Draft, distinct, drafts_for
from .grounding import Grounder, bullets_required, check
from .merge import merge
from .updates import earlier_articles, updated

__all__ = [
    "PROMPT_CHARS_PER_TOKEN",
    "PROMPT_OVERHEAD_TOKENS",
    "Source",
    "asummarise",
    "build",
    "plan_parts",
    "summarise",
]

Source = str | os.PathLike[str] | Article

#: The largest kinds request (`DRAFT_MAX_NAMES` names of `NAME_MAX_CHARS` characters): what its answer may cost.
LONGEST_KINDS = kinds_model(tuple(f"{i:02d}".ljust(NAME_MAX_CHARS, "x") for i in range(DRAFT_MAX_NAMES)))
#: Tokens reserved for the system prompt, the task instructions and the chat template.
PROMPT_OVERHEAD_TOKENS = 700


def _as_list(sources: object) -> list[Source]:
    """``sources`` as a list; anything but a source or an iterable of sources is an `InputError`.

    A generator is read only up to one past the article cap (`ingest.limits.max_articles`), so an
    endless one cannot hang the call; the cap's own check then refuses it.
    """
    if isinstance(sources, str | os.PathLike | Article):
        return [sources]
    if isinstance(sources, Iterable) and not isinstance(sources, bytes | bytearray | Mapping):
        items = list(sources if isinstance(sources, Sized) else islice(sources, max_articles() + 1))
        wrong = [s for s in items if not isinstance(s, str | os.PathLike | Article)]
        if not wrong:
            return items
        sources = wrong[0]
    raise InputError(
        f"sources must be article paths, article texts (str) or Articles, or a list of them, not {_kind(sources)}"
        + ("; decode bytes to str first" if isinstance(sources, bytes | bytearray) else "")
    )


def _kind(value: object) -> str:
    return "None" if value is None else f"{type(value).__name__} {shown(value)}"


def plan_parts(article: Article, spec: BackendSpec, settings: Settings) -> list[str]:
    """Split an article that does not fit the context window into overlapping parts."""
    answer = max(max_tokens_for_model(LONGEST_KINDS), max_tokens_for_model(OverviewDraft))
    room_chars = int((spec.context_tokens - answer - PROMPT_OVERHEAD_TOKENS) * PROMPT_CHARS_PER_TOKEN)
    if room_chars <= 0:
        raise InputError(f"{spec.label} has a context of {spec.context_tokens} tokens, too small for a briefing")
    if len(article.text) <= room_chars:
        return [article.text]
    label = article.path or article.id
    if settings.long_articles == "fail":
        raise InputError(
            f"{label} is ~{int(len(article.text) / PROMPT_CHARS_PER_TOKEN)} tokens, longer than the "
            f"{spec.context_tokens}-token context "
            f"of {spec.label}; split it, or allow chunking (long_articles=chunk)"
        )
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    parts: list[str] = []
    current: list[str] = []
    for para in paragraphs:
        while len(para) > room_chars:  # a single giant paragraph: cut at sentence ends
            cut = last_end(para, room_chars)
            cut = cut if cut is not None and cut > room_chars // 2 else room_chars
            parts.append(para[:cut])
            para = para[cut:].lstrip()
        if current and len("\n\n".join([*current, para])) > room_chars:
            parts.append("\n\n".join(current))
            current = current[-1:] if len(current[-1]) < room_chars // 4 else []  # one paragraph overlap
        current.append(para)
    if current:
        parts.append("\n\n".join(current))
    return parts


def summarise(
    sources: Source | Iterable[Source],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    previous: Briefing | None = None,
    **overrides: Any,
) -> Briefing:
    """Turn one article, or several articles about one event, into one `Briefing`.

    With ``previous`` (an earlier briefing of the story, as ``summarise`` returned it or read
    from its JSON) ``sources`` are the articles that joined it: the result is the next version,
    made of the earlier articles (from ``previous``'s ``sources[].text``) and the new ones, and
    its ``updates`` say what the new ones add — facts, changed numbers, people, organisations,
    quotes, each with its span — or that they add nothing (the briefing then stays as it was).

    ``sources`` are paths (``.txt``, ``.md``, ``.html``, ``.json``, ``.jsonl``), article text
    strings or `Article` objects. ``model`` is a model string (default: the embedded model);
    other keyword arguments override `Settings` fields (e.g. ``cache="off"``), validated as the
    config file is: a misspelt name or a bad value is a `ConfigError` naming the valid ones.
    ``max_tokens_total=N`` caps the tokens its requests may spend: one whose worst case would
    not fit is not sent, and `BudgetExceeded` is raised. Raises only `SummariserError` subclasses.
    """
    base = override(load_settings() if settings is None else settings, model=model, **overrides)
    if previous is None:
        return build(sources, base)
    if not isinstance(previous, Briefing):
        raise InputError(f"previous must be a Briefing (an earlier version of the briefing), not {_kind(previous)}")
    return build(earlier_articles(previous, load_sources(_as_list(sources))), base, previous=previous)


def build(
    sources: Source | Iterable[Source],
    settings: Settings,
    *,
    wrap: Wrapper | None = None,
    ledger: TokenLedger | None = None,
    on_usage: Callable[[Usage], None] | None = None,
    previous: Briefing | None = None,
) -> Briefing:
    """`summarise` under resolved ``settings``; ``wrap`` puts a transport in front of the cache (batch rounds).

    ``ledger`` is the token budget the requests are held to (a `regenerate` run shares one among
    its briefings); without one, ``settings.max_tokens_total`` (if set) is this briefing's budget.
    A request that would not fit raises `BudgetExceeded` before it is sent. ``on_usage`` is told
    what the requests cost once they are done, also when the briefing fails (a run counts them all).
    With ``previous`` the briefing is the version after it (`updates.updated`); ``sources`` are all
    of its articles (`summarise` adds the earlier ones).
    """
    articles = load_sources(_as_list(sources))
    if not articles:
        raise InputError("no articles given; pass at least one file or text")
    spec = resolve(settings.model, settings.api_key)
    plans = [(a, plan_parts(a, spec, settings)) for a in articles]
    if ledger is None and settings.max_tokens_total is not None:
        ledger = TokenLedger(settings.max_tokens_total)
    client = LLMClient(spec, settings.llm_options(), wrap=wrap, ledger=ledger)
    try:
        drafts = [d for article, parts in plans for d in drafts_for(client, article, parts)]
    finally:
        client.close()
        if on_usage is not None:
            on_usage(client.usage)
    # distinct facts across every part and article: two articles that state one fact need one bullet for it
    required = bullets_required(len(distinct([f for d in drafts for f in d.facts], most=SUMMARY_MIN_BULLETS)))
    body, report = check(
        merge(drafts), Grounder(articles), allow_ungrounded=settings.allow_ungrounded, required=required
    )
    notes = _notes(plans, drafts)
    meta = BriefingMeta(model=spec.label, prompts=prompts.versions(), usage=client.usage, notes=notes)
    used = [SourceRef(doc_id=a.id, title=a.title, published=a.published, path=a.path, text=a.text) for a in articles]
    briefing = body.briefing(sources=used, grounding=report, meta=meta)
    if previous is None:
        return briefing
    earlier = {s.doc_id for s in previous.sources}
    picked = [text for d in drafts if d.doc_id not in earlier for text in (*d.summary, *d.implications)]
    return updated(previous, briefing, candidates=picked)


def _notes(plans: Sequence[tuple[Article, list[str]]], drafts: Sequence[Draft]) -> list[str]:
    """What a reader should know about how the briefing was made: parts read, opening sentences used."""
    notes = [
        f"{a.path or a.id} was longer than the context window and was read in {len(p)} overlapping parts"
        for a, p in plans
        if len(p) > 1
    ]
    notes += [
        f"{d.lead_bullets} summary bullet(s) are sentences from the opening of {d.doc_id}: the model "
        f"picked fewer than the {d.bullets_needed} the article needs"
        for d in drafts
        if d.lead_bullets
    ]
    return notes


async def asummarise(
    sources: Source | Iterable[Source],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    previous: Briefing | None = None,
    **overrides: Any,
) -> Briefing:
    """Async `summarise` (``previous`` too): runs the pipeline in a worker thread, so the event loop stays free.

    Several calls may run concurrently; the embedded model serialises its generations, HTTP
    backends serve them in parallel.
    """
    return await asyncio.to_thread(summarise, sources, model=model, settings=settings, previous=previous, **overrides)
