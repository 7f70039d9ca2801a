"""summariser: news articles in, structured and verifiable briefings out.

Public API::

    from summariser import summarise
    briefing = summarise(["a.txt", "b.txt"])          # embedded model, no network
    briefing = summarise("a.txt", model="http://localhost:8000/v1#qwen")
"""

from __future__ import annotations

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
from .pipeline import asummarise, summarise
from .schemas import Article, Briefing

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AuthError",
    "BackendError",
    "Briefing",
    "CassetteMiss",
    "ConfigError",
    "EndpointError",
    "InputError",
    "ModelUnavailable",
    "Settings",
    "SummariserError",
    "ValidationFailed",
    "__version__",
    "asummarise",
    "load_settings",
    "summarise",
]
