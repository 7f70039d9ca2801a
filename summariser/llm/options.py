"""LLMOptions: what the LLM layer needs to know of a run, as one small typed object.

`summariser.config.Settings` holds everything that shapes a run and builds these with
`Settings.llm_options()`; the LLM layer never sees the rest (article policy, grounding).
Every field is checked when the object is made, by the same table as `Settings`
(`summariser.settings_table.TABLE`): no client runs with, say, a hundred thousand re-asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..settings_table import KEYWORD, TABLE
from .cache import CacheMode
from .cassette import CassetteMode
from .retry import RetryPolicy
from .weights import cache_root

__all__ = ["LLMOptions"]

_OPTIONAL = frozenset({"api_key", "cache_dir", "cassette", "deadline"})


@dataclass(frozen=True)
class LLMOptions:
    """How requests are made, cached, recorded and retried."""

    api_key: str | None = field(default=None, repr=False)
    cache: CacheMode = "on"
    cache_dir: Path | None = None
    """Directory of the response cache; None = ``<cache root>/responses``."""
    cassette: Path | None = None
    cassette_mode: CassetteMode = "replay"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    reasks: int = 2
    """How many times instructor re-asks the model after a validation error."""
    timeout: float = 600.0
    """Seconds one request may take in all (connect, send, every read of the answer, retries and waits)."""
    deadline: float | None = None
    """Seconds all the requests of one client (one briefing) may take together; None = no limit."""
    temperature: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is not None or name not in _OPTIONAL:
                TABLE[name].check(value, KEYWORD)

    def response_cache_dir(self) -> Path:
        """Directory of the response cache."""
        return self.cache_dir or cache_root() / "responses"
