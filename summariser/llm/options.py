"""LLMOptions: what the LLM layer needs to know of a run, as one small typed object.

Every option the LLM layer reads is declared here, once, with its default:
`summariser.config.Settings` extends this class with what only the pipeline reads (article
policy, grounding, the token budget), and hands the LLM layer no more than these fields
(`Settings.llm_options()`). Every field is checked when the object is made, by the same table as
`Settings` (`summariser.settings_table.TABLE`): no client runs with, say, a hundred thousand re-asks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from summariser.llm.embedded.weights import cache_root
from summariser.llm.transport.cache import CacheMode
from summariser.llm.transport.cassette import CassetteMode
from summariser.llm.transport.retry import RetryPolicy
from summariser.settings_table import KEYWORD, TABLE

__all__ = ["DEFAULT_TIMEOUT", "LLMOptions"]

#: Seconds one request may take in all unless ``timeout`` says otherwise: ten minutes, room for the
#: embedded model to read a long article and answer on a laptop's CPU, retries and re-asks included.
DEFAULT_TIMEOUT = 600.0


@dataclass(frozen=True, kw_only=True)
class LLMOptions:
    """How requests are made, cached, recorded and retried.

    Every field is checked when the object is made (`summariser.settings_table.TABLE`): a value
    of the wrong type or out of range is a `ConfigError`, and a path given as text is made a
    `Path`. A field whose default is None may be None (unset).
    """

    api_key: str | None = field(default=None, repr=False)
    cache: CacheMode = "on"
    cache_dir: Path | None = None
    """Directory of the response cache; None = ``<cache root>/responses``."""
    cassette: Path | None = None
    cassette_mode: CassetteMode = "replay"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    reasks: int = 2
    """How many times instructor re-asks the model after a validation error (at most `MAX_REASKS`)."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds one request may take in all — connect, send, every read of the answer, retries, waits
    and re-asks (``--timeout``, ``SUMMARISER_TIMEOUT``)."""
    deadline: float | None = None
    """Seconds all the requests of one client (one briefing) may take together (``SUMMARISER_DEADLINE``);
    None = no limit."""
    temperature: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for declared in dataclasses.fields(self):
            value = getattr(self, declared.name)
            if value is None and declared.default is None:
                continue  # an optional setting, unset
            checked = TABLE[declared.name].check(value, KEYWORD)
            if checked is not value:
                object.__setattr__(self, declared.name, checked)  # a path given as str becomes a Path

    def response_cache_dir(self) -> Path:
        """Directory of the response cache."""
        return self.cache_dir or cache_root() / "responses"
