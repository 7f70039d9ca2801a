"""summariser: news articles in, structured and verifiable briefings out.

Public API::

    from summariser import summarise
    briefing = summarise(["a.txt", "b.txt"])          # embedded model, no network
    briefing = summarise("a.txt", model="http://localhost:8000/v1#qwen")
    report = regenerate("articles/", "briefings/")      # keep a folder of briefings in step
    grouping = group(["a.txt", "b.txt", "c.html"])       # the events a stream of articles reports
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import Settings, load_settings
from .errors import (
    AuthError,
    BackendError,
    CassetteMiss,
    ConfigError,
    EndpointError,
    InputError,
    ModelUnavailable,
    SummariserError,
    ValidationFailed,
)

# Bound after the subpackage is imported, so ``summariser.regenerate`` is the function (the
# subpackage stays importable as ``summariser.regenerate.<module>``). No openai here: ~0.1 s.
from .regenerate import RunReport, regenerate
from .schemas import Article, Briefing

if TYPE_CHECKING:
    from .brief.pipeline import asummarise, summarise
    from .events.api import group
    from .events.results import Event, Grouping


def __getattr__(name: str) -> Any:
    # The pipeline pulls in openai and instructor (~0.5 s); import it on first use so that
    # commands that need no model (e.g. a regenerate run with nothing to rebuild) start fast.
    if name in ("summarise", "asummarise"):
        from .brief import pipeline

        return getattr(pipeline, name)
    if name in ("group", "Event", "Grouping"):
        # scikit-learn and scipy (~0.4 s): imported on first use, as the pipeline is.
        from .events import api, results

        return api.group if name == "group" else getattr(results, name)
    raise AttributeError(f"module 'summariser' has no attribute {name!r}")


#: The package's version, written here only: the build reads it from this line (pyproject.toml,
#: ``[tool.hatch.version]``), so the installed metadata says the same.
__version__ = "0.1.0"

__all__ = [
    "Article",
    "AuthError",
    "BackendError",
    "Briefing",
    "CassetteMiss",
    "ConfigError",
    "EndpointError",
    "Event",
    "Grouping",
    "InputError",
    "ModelUnavailable",
    "RunReport",
    "Settings",
    "SummariserError",
    "ValidationFailed",
    "__version__",
    "asummarise",
    "group",
    "load_settings",
    "regenerate",
    "summarise",
]
