"""Drafting: what the model and the text itself say about one article, part by part.

For every part of an article (one part unless it is too long for the context window) the
model answers two focused requests, entities and overview, asked at once (`both`), that share the article, as
numbered sentences (`numbering`), as their prompt prefix; countries and quotations are read
from the text itself (`mentions`), so quotes are verbatim by construction. The overview
names its summary bullets and implications by sentence number, so they are the article's
own sentences. The result is one `Draft` per part, in order.

A part brings as many bullets as `grounding.bullets_required` asks of its content sentences
(three, or fewer for a text with fewer sentences that state something): when the model
picks fewer, the part's opening sentences fill the gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel
from rapidfuzz import fuzz

from .. import progress
from ..errors import InputError
from ..llm import LLMClient
from ..schemas import (
    BULLET_MAX_WORDS,
    SUMMARY_MAX_BULLETS,
    SUMMARY_MIN_BULLETS,
    Article,
    EntitiesDraft,
    EntityKinds,
    OverviewDraft,
    Quote,
)
from ..text import nlp
from ..text.consequence import CONSEQUENCE, FORWARD
from ..text.guard import mask, spans
from ..text.normalise import numbers, plain_key, stems
from . import prompts
from .entities import Candidate, ask_model, candidates
from .grounding import bullets_required
from .mentions import countries_in, quotes_in
from .numbering import PICK_MIN_WORDS, Numbered, number
from .people import stated_titles
from .settle import settle

__all__ = [
    "FORWARD_MAX",
    "LEAD_MIN_WORDS",
    "SAME_FACT",
    "SIMILAR",
    "Draft",
    "both",
    "content_sentences",
    "distinct",
    "drafts_for",
    "same_fact",
]

T = TypeVar("T", bound=BaseModel)
A = TypeVar("A")
B = TypeVar("B")

#: Opening sentences shorter than this are datelines or captions, not facts to summarise.
LEAD_MIN_WORDS = 8
#: rapidfuzz token-set ratio (0–100) from which two bullets say the same thing.
SIMILAR = 80.0
#: Share of the shorter sentence's content words (stems) in the other from which two state one fact.
SAME_FACT = 0.6
#: Most stand-in implications taken from one part.
FORWARD_MAX = 2


@dataclass
class Draft:
    """What one article (or one part of it) gave: the model's drafts and the text's own mentions."""

    doc_id: str
    entities: EntitiesDraft
    overview: OverviewDraft
    summary: Sequence[str] = ()
    """The summary bullets: sentences of the text the model picked by number (`numbering`)."""
    implications: Sequence[str] = ()
    """Sentences of the text the model picked as stating a consequence."""
    countries: Sequence[str] = ()
    """Countries and blocs named in the text (`mentions.countries_in`)."""
    quotes: Sequence[Quote] = ()
    """Quotations copied from the text (`mentions.quotes_in`)."""
    lead_bullets: int = 0
    """Summary bullets taken from the text's opening sentences (the model picked too few)."""
    bullets_needed: int = SUMMARY_MIN_BULLETS
    """The bullets this part must bring (`grounding.bullets_required` of its distinct content sentences)."""
    facts: Sequence[str] = ()
    """Its first distinct content sentences, up to `SUMMARY_MIN_BULLETS` (what `bullets_needed` counts)."""


@dataclass(frozen=True)
class _Fact:
    """What `same_fact` compares of one sentence, worked out once however many it is compared with."""

    numbers: set[str]
    key: str
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Fact:
        return cls(numbers(text), plain_key(text), stems(text))


def same_fact(a: str, b: str, threshold: float = SIMILAR) -> bool:
    """Whether two sentences state one fact: near-identical words (rapidfuzz token-set ratio ≥
    ``threshold``), or `SAME_FACT` of the content words of the shorter one in the other.

    "Treasury Secretary Scott Bessent convened a Finance Ministerial to … diversify critical
    minerals supply chains" and "US Treasury Secretary Scott Bessent convened a high-level
    finance ministerial in Washington … to diversify critical minerals supply chains" share
    0.7 of their content words (ratio 79); different facts of one article share at most 0.5.
    Sentences that state different numbers (neither's a subset of the other's) are different facts.
    """
    return _same(_Fact.of(a), _Fact.of(b), threshold)


def _same(a: _Fact, b: _Fact, threshold: float) -> bool:
    if a.numbers and b.numbers and not (a.numbers <= b.numbers or b.numbers <= a.numbers):
        return False  # "costs rose 3 percent on item 1" and "4 percent on item 2" are two facts
    if fuzz.token_set_ratio(a.key, b.key) >= threshold:
        return True
    return bool(a.stems and b.stems) and len(a.stems & b.stems) / min(len(a.stems), len(b.stems)) >= SAME_FACT


def distinct(texts: Iterable[str], threshold: float = SIMILAR, *, most: int | None = None) -> list[str]:
    """``texts`` without any that states the fact of an earlier one (`same_fact`), first kept.

    With ``most``, the search stops at that many (how many distinct facts a text has, up to a cap).
    Each text's keys are worked out once (a long part's sentences are each compared with every one kept).
    """
    out: list[str] = []
    kept: list[_Fact] = []
    for text in texts:
        if most is not None and len(out) >= most:
            break
        fact = _Fact.of(text)
        if not any(_same(fact, k, threshold) for k in kept):
            out.append(text.strip())
            kept.append(fact)
    return out


def drafts_for(client: LLMClient, article: Article, parts: Sequence[str]) -> list[Draft]:
    """One `Draft` per part of ``article`` (``parts`` as `pipeline.plan_parts` cut them)."""
    read = [_read(text) for text in parts]
    if not any(n.spans for n, _, _, _ in read):
        raise InputError(
            f"{article.path or article.title or article.id} has no sentence to summarise (no line of "
            f"{PICK_MIN_WORDS} or more words reads as a sentence: a table, a list or a menu?); "
            "pass the text of an article"
        )
    drafts = []
    for i, (numbered, data, names, capitals) in enumerate(read, start=1):
        part = f"{i}/{len(parts)}" if len(parts) > 1 else None
        common: dict[str, Any] = {"article_id": article.id, "text": numbered.prompt, "part": part}
        where = f"{article.title or article.path or article.id}" + (f" (part {part})" if part else "")
        facts = distinct(content_sentences(numbered), most=SUMMARY_MIN_BULLETS)  # a fact stated twice counts once
        needed = bullets_required(len(facts))
        ask_entities: Callable[[], EntityKinds | None] = (
            partial(
                _ask,
                client,
                ask_model(names),
                prompts.messages("entities", names=[c.name for c in names], **common),
                f"people, organisations and places: {where}",
            )
            if names
            else _nothing  # no name to type: nothing to ask
        )
        kinds, overview = both(
            ask_entities,
            partial(
                _ask, client, OverviewDraft, prompts.messages("overview", bullets=needed, **common), f"summary: {where}"
            ),
            together=client.spec.embedded is not None,
        )
        entities = stated_titles(settle(kinds, names, data, capitals), data)
        summary, lead = _summary(numbered, overview.summary, needed)
        implications = _implications(numbered, overview.implications, summary)
        speakers = [p.name for p in entities.people]
        quotes = [Quote(text=q.text, speaker=q.speaker) for q in quotes_in(data, speakers)]
        drafts.append(
            Draft(
                article.id, entities, overview, summary, implications, countries_in(data), quotes, lead, needed, facts
            )
        )
    return drafts


def _nothing() -> None:
    return None


def _read(text: str) -> tuple[Numbered, str, list[Candidate], frozenset[int]]:
    """A part's prompt copy (`numbering.number`), what it states (text addressed to the model masked), the
    names in that and where the tagger reads a capital as a common word (`settle` needs it): read together,
    while the part's parse is cached (`nlp.analyse` keeps few long texts; a long article's parts are all
    read before the first is settled)."""
    hidden = spans(text)
    data = mask(text, hidden)
    return number(text, hidden), data, candidates(data), nlp.analyse(data).common


def _ask(client: LLMClient, model: type[T], messages: list[dict[str, str]], stage: str) -> T:
    progress.report(stage)
    return client.extract(model, messages)


def both(first: Callable[[], A], second: Callable[[], B], *, together: bool = True) -> tuple[A, B]:
    """``first()`` and ``second()``: at the same time (``first`` in a helper thread, ``second`` in this one).

    The two requests about one part share its article as their prompt prefix, and the
    embedded model decodes them side by side (`llm.embedded.sequence_routing`). This thread does one of them
    itself, so Ctrl-C reaches a decoding thread at once. An error of either is raised
    (``second``'s first); on one, the other is not waited for. With ``together`` false (HTTP
    endpoints: requests reach a server in a fixed order, one briefing at a time; regenerate
    runs several briefings at once instead) they run one after the other.
    """
    if not together:
        one = first()
        return one, second()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft")
    try:
        pending = pool.submit(first)
        two = second()
        return pending.result(), two
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def content_sentences(numbered: Numbered) -> list[str]:
    """The sentences of ``numbered`` that state something: the numbered ones (`numbering.is_sentence`)."""
    return numbered.picked(range(1, len(numbered.spans) + 1))


def _implications(numbered: Numbered, numbers: Sequence[int], summary: Sequence[str]) -> list[str]:
    """The sentences the model picked that state a consequence (`consequence.CONSEQUENCE`), not already bullets.

    When none of its picks does, the first sentences that say what will, could or may follow
    (`FORWARD`) stand in, at most `FORWARD_MAX`: a 1.5B model picks facts as consequences
    more often than not, and the article's own forward-looking sentences are what an
    analyst reads implications for. Either way they are sentences of the article.
    """
    picked = [s for s in distinct(numbered.picked(numbers)) if s not in summary and CONSEQUENCE.search(s)]
    if picked:
        return picked
    forward = [s for s in content_sentences(numbered) if s not in summary and FORWARD.search(s)]
    return [s for s in distinct(forward) if not any(same_fact(s, b) for b in summary)][:FORWARD_MAX]


def _summary(numbered: Numbered, numbers: Sequence[int], needed: int) -> tuple[list[str], int]:
    """The sentences the model picked (distinct, each once), filled from the opening if too few.

    A number with no sentence (only `numbering.is_sentence` units have one) and a repeat
    are left out; if that leaves fewer than
    ``needed``, the part's opening sentences that say something new fill the gap (news puts
    the main facts first) and their number is returned, to be noted in the briefing.
    """
    picked = distinct(numbered.picked(numbers))[:SUMMARY_MAX_BULLETS]
    if len(picked) >= needed:
        return picked, 0
    content = content_sentences(numbered)
    facts = [s for s in content if LEAD_MIN_WORDS <= len(s.split()) <= BULLET_MAX_WORDS]
    opening = facts if len(facts) >= needed else content  # a short item: every sentence it has
    filled = distinct([*picked, *opening])[:needed]
    return filled, len(filled) - len(picked)
