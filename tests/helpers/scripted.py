"""summarise() against the scripted fake server: two Valdmar articles and the answers "the model" gives.

Each test pushes the exact answers (`entities`, `overview`) onto a `FakeOpenAI` and calls
`run`, so grounding, merging and the re-asks are the real code and every request is counted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers.fake_server import FakeOpenAI
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


def entities(people: list[dict[str, Any]]) -> str:
    """The model's answer to the entities request: these people, no organisations or countries."""
    return json.dumps({"people": people, "organisations": [], "countries": []})


def overview(quotes: list[dict[str, Any]], summary: list[str] | None = None) -> str:
    """The model's answer to the overview request: a fixed headline and themes, ``summary``
    (default: three bullets the wire story supports) and ``quotes``."""
    return json.dumps(
        {
            "headline": "Valdmar dock strike halts grain exports",
            "location": "Valdmar",
            "summary": summary
            or [
                "Dock workers at Valdmar walked off the job on Monday, halting grain shipments.",
                "Union leader Marta Kessel said no ship would be loaded until the cuts are reversed.",
                "Grain traders warned that a prolonged stoppage could push up wheat prices.",
            ],
            "themes": ["labour dispute", "grain trade"],
            "implications": [],
            "quotes": quotes,
        }
    )


def run(server: FakeOpenAI, tmp_path: Path, sources: list[str], **settings: Any) -> Briefing:
    """Brief ``sources`` with ``server`` as the model (response cache off); ``settings`` are `Settings` fields."""
    return summarise(
        sources,
        settings=Settings(model=f"{server.base_url}#fake", cache="off", cache_dir=tmp_path / "c", **settings),
    )
