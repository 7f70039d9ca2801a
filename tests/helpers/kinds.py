"""Answers of stand-in models to the kinds request: the kind of each name the request asks about.

The entities request is an `EntityKinds` schema whose keys are the article's names
(`summariser.schemas.kinds_model`); the model answers ``{name: kind}`` for every one. A
stand-in that knows which names it wants to report as people, organisations or places calls
`kinds_answer` with them; every other name of the request is "other", and a name the request
does not hold is left out, as a real model could not name it either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["asked_names", "kinds_answer"]


def asked_names(body: Any) -> list[str]:
    """The names a kinds request asks about, in order (the keys of its JSON Schema)."""
    if not isinstance(body, dict):
        return []
    form = body.get("response_format") or {}
    schema = (form.get("json_schema") or {}).get("schema") or form.get("schema") or {}
    return list((schema.get("properties") or {}).keys())


def kinds_answer(
    body: Any, people: Iterable[str] = (), organisations: Iterable[str] = (), places: Iterable[str] = ()
) -> dict[str, str]:
    """The answer typing ``people``, ``organisations`` and ``places`` so, and every other asked name "other"."""
    kinds = {**dict.fromkeys(places, "place"), **dict.fromkeys(organisations, "organisation")}
    kinds.update(dict.fromkeys(people, "person"))
    return {name: kinds.get(name, "other") for name in asked_names(body)}
