"""The tokens a plan would spend at most: ``regenerate --dry-run``'s estimate, briefing by briefing.

`estimate` runs the pipeline of every briefing the plan would build behind an estimating gate
(`summariser.llm.estimate`): the prompts are the pipeline's own, rendered as the run would
render them — both requests of every part of an article too long for the context — and
nothing is sent. Each request counts its prompt tokens (the embedded model's own tokenizer,
or an estimate from characters for an HTTP endpoint: `summariser.llm.tokens`) and its
``max_tokens``, the completion bound of its response model (`summariser.llm.budget`); a request
the response cache would answer costs nothing and is counted as cached. Re-asks and retries
are not foreseen: they happen only when an answer fails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import progress
from ..config import Settings
from ..errors import SummariserError
from ..llm.backends import resolve
from ..llm.estimate import Estimator
from ..llm.tokens import PROMPT_CHARS_PER_TOKEN, counter_for
from .paths import article_path
from .plan import Planned

__all__ = ["Estimate", "PlanEstimate", "estimate"]


@dataclass(frozen=True)
class Estimate:
    """The most one briefing would cost: its requests, those the cache answers, their tokens."""

    name: str
    requests: int = 0
    """Requests that would reach the model."""
    cached: int = 0
    """Requests the response cache would answer (0 tokens)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    """The completion bound: the ``max_tokens`` of every request that would reach the model."""
    error: str | None = None
    """Why the briefing would fail before its first request (an unreadable article, say)."""

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, Any]:
        """This estimate as JSON-ready data."""
        return dataclasses.asdict(self)


@dataclass
class PlanEstimate:
    """The estimates of every briefing a plan would build, in plan order, and their sum."""

    briefings: list[Estimate] = field(default_factory=list)
    exact: bool = False
    """True: prompt tokens counted with the model's tokenizer; False: estimated from characters."""
    budget: int | None = None
    """The token budget of the run (``max_tokens_total``), if any."""

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens of every request that would reach the model."""
        return sum(e.prompt_tokens for e in self.briefings)

    @property
    def completion_tokens(self) -> int:
        """The completion bound summed over every request that would reach the model."""
        return sum(e.completion_tokens for e in self.briefings)

    @property
    def requests(self) -> int:
        """Requests that would reach the model."""
        return sum(e.requests for e in self.briefings)

    @property
    def cached(self) -> int:
        """Requests the response cache would answer."""
        return sum(e.cached for e in self.briefings)

    def covered(self) -> int | None:
        """How many briefings, in plan order, fit the budget even at their worst case (None: no budget).

        A run builds at least these (and more when answers come in under their ``max_tokens``).
        """
        if self.budget is None:
            return None
        spent = 0
        for n, item in enumerate(self.briefings):
            spent += item.total
            if spent > self.budget:
                return n
        return len(self.briefings)

    def text(self) -> str:
        """``estimated ≤ P prompt + ≤ C completion tokens``, what the cache answers and what the budget covers."""
        how = "≤ " if self.exact else "~"
        basis = "" if self.exact else f" (prompt estimated from characters, {PROMPT_CHARS_PER_TOKEN:g} per token)"
        tokens = f"{how}{self.prompt_tokens:,} prompt + ≤ {self.completion_tokens:,} completion tokens"
        parts = [f"estimated {tokens}{basis}"]
        if self.cached:
            parts.append(f"{self.cached} of {self.cached + self.requests} requests cached (0 tokens)")
        covered = self.covered()
        if covered is not None:
            parts.append(f"a budget of {self.budget:,} is sure to cover the first {covered} of {len(self.briefings)}")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The totals, the per-briefing estimates and the budget, as JSON-ready data."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "requests": self.requests,
            "cached": self.cached,
            "prompt_exact": self.exact,
            "budget": self.budget,
            "covered": self.covered(),
            "briefings": [e.as_dict() for e in self.briefings],
        }


def _one(item: Planned, articles: Path, settings: Settings, estimator: Estimator) -> Estimate:
    from ..brief.pipeline import build  # openai + instructor: only when something is estimated

    error = None
    try:
        build([article_path(articles, f) for f in item.job.inputs], settings, wrap=estimator)
    except SummariserError as err:  # after the first request, a placeholder's consequence: not the article's
        error = err.message
    except Exception as err:  # a bug must not stop the dry run
        error = f"internal error: {type(err).__name__}: {err}"
    tally = estimator.tally
    return Estimate(
        item.job.name,
        len(tally.requests),
        tally.cached,
        tally.prompt,
        tally.completion,
        error if not tally.requests and not tally.cached else None,
    )


def estimate(planned: Sequence[Planned], articles: Path, settings: Settings) -> PlanEstimate:
    """The most every briefing of ``planned`` with a reason would cost; nothing is sent or written.

    The response cache is read only if it exists (a dry run creates nothing) and is on.
    """
    spec = resolve(settings.model, settings.api_key)
    counter = counter_for(spec)
    if settings.cache != "on" or not settings.response_cache_dir().is_dir():
        settings = dataclasses.replace(settings, cache="off")
    result = PlanEstimate(exact=counter.exact, budget=settings.max_tokens_total)
    for item in planned:
        if item.reason is None:
            continue
        progress.report(f"estimating {item.job.name}")
        result.briefings.append(_one(item, articles, settings, Estimator(counter, settings.cache)))
    return result
