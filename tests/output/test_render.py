"""Rendering a briefing as JSON and as Markdown (`summariser.output.render`)."""

from __future__ import annotations

import json

from summariser.output.render import to_json, to_markdown
from summariser.schemas import Briefing


def _briefing() -> Briefing:
    return Briefing.model_validate(
        {
            "headline": "Dockworkers strike at Valdmar",
            "event_date": "2026-03-09",
            "location": "Valdmar",
            "summary": [{"text": "Workers walked out."}, {"text": "Ships wait."}, {"text": "Talks began."}],
            "people": [{"name": "Marta Kessel", "role": "union leader", "affiliation": "Valdmar Dockworkers Union"}],
            "organisations": [{"name": "Nordgrain"}],
            "countries": ["Finland"],
            "quotes": [{"text": "We will not load a single ship", "speaker": "Marta Kessel"}],
            "themes": ["labour", "grain"],
            "implications": [{"text": "Wheat prices may rise."}],
            "sources": [{"doc_id": "a1", "title": "Strike", "published": "2026-03-10T07:15:00"}],
        }
    )


def test_json_output_is_the_schema_valid_briefing() -> None:
    text = to_json(_briefing())
    assert Briefing.model_validate_json(text) == _briefing()
    assert json.loads(text)["location"] == "Valdmar"


def test_markdown_shows_every_section() -> None:
    md = to_markdown(_briefing())
    assert md.startswith("# Dockworkers strike at Valdmar\n")
    needles = (
        "**Date:** 2026-03-09", "## Summary", "- Workers walked out.", "**Marta Kessel** — union leader",
        "## Organisations", "Nordgrain", "## Countries", "“We will not load a single ship” — Marta Kessel",
        "## Themes", "labour, grain", "## Implications", "## Sources", "published 2026-03-10 07:15",
    )  # fmt: skip
    for needle in needles:
        assert needle in md, needle
