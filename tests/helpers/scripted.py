"""summarise() against the scripted fake server: two Valdmar articles and the answers "the model" gives.

Each test pushes the exact answers (`entities`: the kind of each name the request asks about;
`overview`) onto a `FakeOpenAI` and calls
`run`, so numbering, grounding and merging are the real code and every request is counted.
The overview names sentences by their number in the numbered article (`summariser.brief.numbering`):
the wire story `ARTICLE` has three, [1] the strike, [2] Kessel's quote, [3] the traders' warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.kinds import kinds_answer
from summariser import summarise
from summariser.config import Settings
from summariser.schemas import Briefing

#: A dated wire story: the strike, a verbatim quote of Marta Kessel, the traders' warning.
ARTICLE = """Port strike halts grain exports

2026-03-10 07:15:00

Dock workers at the port of Valdmar walked off the job on Monday, halting grain shipments.

"We will not load a single ship until the cuts are reversed," union leader Marta Kessel told reporters.

Grain traders warned that a prolonged stoppage could push up wheat prices across the region.
"""
#: An undated follow-up on the talks: Kessel again (as chief negotiator) and Henrik Aalto.
OTHER = """Valdmar talks open

Talks to end the dock strike at Valdmar were chaired by Transport Minister Henrik Aalto.
Marta Kessel, the union's chief negotiator, said the union would "not sign anything
that leaves the night shift worse off".
Grain traders said wheat contracts were being renegotiated.
"""
#: The person the wire story names, as the model lists her.
KESSEL = {"name": "Marta Kessel", "role": "union leader", "affiliation": None}


def entities(people: list[dict[str, Any]]) -> Callable[[Any], Reply]:
    """The model's answer to the kinds request, made from the request: these people's names are
    people, every other name it asks about "other" (roles and affiliations are read from the text)."""
    names = [p["name"] for p in people]
    return lambda body: Reply(200, completion(json.dumps(kinds_answer(body, people=names))))


def overview(
    quotes: list[dict[str, Any]],
    summary: list[int] | None = None,
    implications: list[int] | None = None,
    location: str = "Valdmar",
) -> str:
    """The model's answer to the overview request: a fixed headline and themes, the numbers of
    the sentences it picks as ``summary`` (default: the wire story's three, ``[1, 2, 3]``) and as
    ``implications`` (default: none), and ``quotes`` (which the overview does not ask for)."""
    return json.dumps(
        {
            "headline": "Valdmar dock strike halts grain exports",
            "location": location,
            "summary": [1, 2, 3] if summary is None else summary,
            "themes": ["labour dispute", "grain trade"],
            "implications": implications or [],
            "quotes": quotes,
        }
    )


def run(server: FakeOpenAI, tmp_path: Path, sources: list[str], **settings: Any) -> Briefing:
    """Brief ``sources`` with ``server`` as the model (response cache off); ``settings`` are `Settings` fields."""
    return summarise(
        sources,
        settings=Settings(model=f"{server.base_url}#fake", cache="off", cache_dir=tmp_path / "c", **settings),
    )
