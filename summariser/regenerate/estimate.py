"""The tokens a plan would spend at most: ``regenerate --dry-run``'s estimate, briefing by briefing.

`estimate` runs the pipeline of every briefing the plan would build behind an estimating gate
(`summariser.llm.tokens.estimate`): the prompts are the pipeline's own, rendered as the run would
render them — both requests of every part of an article too long for the context — and
nothing is sent. Each request counts its prompt tokens (the embedded model's own tokenizer,
or an estimate from characters for an HTTP endpoint: `summariser.llm.tokens.counting`) and its
``max_tokens``, the completion bound of its response model (`summariser.llm.tokens.max_tokens`); a request
the response cache would answer costs nothing and is counted as cached. Re-asks and retries
are not foreseen: they happen only when an answer fails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import SummariserError
from ..llm import Estimator, counter_for, resolve
from .cost import Estimate, PlanEstimate
from .paths import article_path
from .plan import Planned

__all__ = ["estimate"]


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
