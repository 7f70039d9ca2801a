"""What a plan would cost at most: one briefing's requests and tokens, their sum, what a budget covers.

These are the figures ``regenerate --dry-run`` reports: `summariser.regenerate.estimate` fills
them by running the pipeline behind an estimating gate, and `summariser.regenerate.plan.RunPlan`
shows them beside each briefing of the plan. They sit in a module of their own, below both,
because the plan holds them and the estimate reads the plan: the figures need neither.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..llm import PROMPT_CHARS_PER_TOKEN

__all__ = ["Estimate", "PlanEstimate"]


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
