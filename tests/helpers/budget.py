"""A stand-in model that bills every request its worst case, for tests of the token budget.

`worst_case` wraps a responder (`helpers.echo_model.echo_answer` by default) so that each
answer's ``usage`` block reports exactly what the token budget reserved for its request: the
prompt estimate from characters (the count the budget uses for an HTTP endpoint,
`summariser.llm.tokens.counting`) and the whole ``max_tokens``. A run against it spends exactly what
``--dry-run`` estimated, so a test can pick a budget that allows exactly k briefings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from helpers.echo_model import echo_answer
from helpers.fake_server import Action, Reply
from summariser.llm.tokens.counting import PromptCounter, request_cost
from summariser.regenerate.cost import PlanEstimate

__all__ = ["billed", "budget_for", "worst_case"]

_CHARS = PromptCounter()


def billed(body: Any) -> tuple[int, int]:
    """``(prompt, completion)`` tokens `worst_case` bills for the request ``body``."""
    cost = request_cost(_CHARS, body)
    return cost.prompt, cost.completion


def worst_case(respond: Callable[[Any], Action] = echo_answer) -> Callable[[Any], Action]:
    """``respond``, with every answer's usage set to its request's worst case (`billed`)."""

    def answer(body: Any) -> Action:
        reply = respond(body)
        if not isinstance(reply, Reply) or not isinstance(reply.body, dict) or "usage" not in reply.body:
            return reply
        prompt, completion = billed(body)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        return Reply(reply.status, {**reply.body, "usage": usage}, reply.headers)

    return answer


def budget_for(estimate: PlanEstimate, names: Sequence[str]) -> int:
    """The tokens the briefings ``names`` of a dry run's ``estimate`` would spend at their worst case."""
    return sum(e.total for e in estimate.briefings if e.name in names)
