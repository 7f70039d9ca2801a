"""The merged briefing of the two seed articles, made without a model.

`merged_seeds_briefing` runs the real pipeline (numbering, grounding, merging, quotes and
countries read from the text) on ``../shared/seeds`` against the scripted loopback server;
`answer` plays the model with fixed, hand-written drafts of each seed. The drafts are
deliberately imperfect, so that a reviewer has something to fix: "Ontario" is
listed as an organisation (it is a province), and the ministers named without a title before
them (Giancarlo Giorgetti, …) are missing. Jay Horine and JP Morgan, left out of the drafts,
are still found: the text's title ("JP Morgan Managing Director Jay Horine") names both. The
drafts type the request's names as the real model does (`helpers.kinds`); roles and affiliations
come from the text, as they do for the real model. Tests that need it skip when the seeds are not there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.kinds import kinds_answer
from helpers.paths import SEEDS
from summariser import summarise
from summariser.config import Settings
from summariser.schemas import Briefing

__all__ = ["SEED_FILES", "answer", "merged_seeds_briefing", "needs_seeds"]

#: The two seed articles, in the order they are briefed.
SEED_FILES = [SEEDS / "000_d88f05556ae02bff.txt", SEEDS / "003_23e1979fb4cc80f4.txt"]
needs_seeds = pytest.mark.skipif(
    not all(p.is_file() for p in SEED_FILES), reason="the shared seed articles are not available"
)

_WIRE = {  # seed 000: the wire story
    "people": ["Scott Bessent"],
    "organisations": ["Export-Import Bank of the United States"],
}
_WIRE_OVERVIEW = {
    "headline": "US convenes allied finance ministers on critical minerals supply chains",
    "location": "Washington",
    "summary": [1, 3, 7, 9],
    "themes": ["critical minerals", "supply chains", "economic security"],
    "implications": [],
}
_LIST = {  # seed 003: the participant list (Jay Horine, JP Morgan and the untitled ministers left out)
    "people": ["Scott Bessent", "Jim Chalmers", "François-Philippe Champagne", "Rachel Reeves", "Jamieson Greer",
               "Valdis Dombrovskis", "Lars Klingbeil", "Mark Carney"],
    "organisations": ["European Commission", "Ontario"],
}  # fmt: skip
_LIST_OVERVIEW = {
    "headline": "Bessent convenes finance ministers on critical minerals",
    "location": None,
    "summary": [2, 8, 11],
    "themes": ["critical minerals", "rare earths"],
    "implications": [12],
}


def answer(body: Any) -> Reply:
    """The scripted model's answer to one request: the entities or the overview of the seed it shows."""
    text = json.dumps(body)
    schema = json.dumps(body.get("response_format", {}))
    wire = "stepped up its push" in text
    if "EntityKinds" in schema:
        draft = _WIRE if wire else _LIST
        return Reply(200, completion(json.dumps(kinds_answer(body, draft["people"], draft["organisations"]))))
    return Reply(200, completion(json.dumps(_WIRE_OVERVIEW if wire else _LIST_OVERVIEW)))


def merged_seeds_briefing(tmp_path: Path) -> Briefing:
    """One briefing of both seeds, grounded and merged by the real pipeline (see the module docstring)."""
    with FakeOpenAI(responder=answer) as server:
        settings = Settings(model=f"{server.base_url}#fake", cache="off", cache_dir=tmp_path / "cache")
        briefing = summarise([str(p) for p in SEED_FILES], settings=settings)
    if briefing.meta is not None:  # the loopback URL changes every run; name what answered instead
        briefing.meta.model = "scripted drafts (tests/helpers/seeds.py)"
    return briefing
