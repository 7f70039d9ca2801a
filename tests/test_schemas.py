"""The exported JSON Schemas stay in sync with the pydantic models, and the contract holds."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from helpers.paths import ROOT
from pydantic import ValidationError

from summariser.schemas import Briefing, Evidence, SourceRef, SummaryPoint, best_match, schema_documents

SCHEMAS = ROOT / "schemas"


def test_schemas_folder_matches_the_models() -> None:
    expected = schema_documents()
    on_disk = {p.name: p.read_text() for p in SCHEMAS.glob("*.schema.json")}
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, (
        f"schemas/ drifted from the models (stale: {stale}, extra: {extra}); run `summariser schemas schemas/`"
    )


def _briefing(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "headline": "Ministers meet on minerals",
        "event_date": "2026-01-12",
        "summary": [{"text": "One."}, {"text": "Two."}, {"text": "Three."}],
        "themes": ["minerals", "trade"],
        "sources": [{"doc_id": "abc", "title": None, "published": None}],
    }
    data.update(changes)
    return data


def test_contract_field_names() -> None:
    fields = set(Briefing.model_fields)
    assert {
        "schema_version", "headline", "event_date", "location", "summary", "people", "organisations",
        "countries", "quotes", "themes", "implications", "sources",
    } <= fields  # fmt: skip
    evidence = Briefing.model_json_schema()["$defs"]["Evidence"]["properties"]
    assert set(evidence) == {"doc_id", "start", "end", "quote", "match"}
    assert set(Briefing.model_json_schema()["$defs"]["Evidence"]["properties"]["match"]["enum"]) == {
        "exact", "normalised", "fuzzy", "none",
    }  # fmt: skip


def test_a_valid_briefing_validates_against_the_exported_schema() -> None:
    briefing = Briefing.model_validate(_briefing())
    schema = json.loads((SCHEMAS / "briefing.v1.schema.json").read_text())
    jsonschema.validate(json.loads(briefing.model_dump_json()), schema)
    assert briefing.event_date == dt.date(2026, 1, 12) and briefing.schema_version == "1"


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"headline": " ".join(["word"] * 17)}, "headline has 17 words"),
        ({"summary": []}, "at least 1"),  # SUMMARY_FLOOR: a one-sentence wire item has a one-bullet summary
        ({"summary": [{"text": "x"}] * 7}, "at most 6"),
        ({"summary": [{"text": " ".join(["w"] * 46)}, {"text": "b"}, {"text": "c"}]}, "46 words"),
        ({"themes": ["one"]}, "at least 2"),
        ({"sources": []}, "at least 1"),
        ({"schema_version": "2"}, "schema_version"),
        ({"event_date": "12 January"}, "event_date"),
    ],
)
def test_contract_violations_are_rejected(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        Briefing.model_validate(_briefing(**changes))
    assert problem in str(info.value)


def test_evidence_and_sources_round_trip() -> None:
    briefing = Briefing.model_validate(
        _briefing(
            summary=[
                {"text": "a", "evidence": [{"doc_id": "abc", "start": 0, "end": 3, "quote": "One", "match": "exact"}]},
                {"text": "b"},
                {"text": "c"},
            ],
            sources=[{"doc_id": "abc", "title": "T", "published": "2026-01-13T00:52:00"}],
        )
    )
    again = Briefing.model_validate_json(briefing.model_dump_json())
    assert again == briefing
    assert isinstance(again.summary[0], SummaryPoint) and isinstance(again.sources[0], SourceRef)
    assert again.sources[0].published == dt.datetime(2026, 1, 13, 0, 52)


def test_best_match_orders_kinds() -> None:
    ev = [Evidence(doc_id="a", start=0, end=1, quote="x", match=m) for m in ("fuzzy", "normalised")]
    assert best_match(ev) == "normalised" and best_match([]) == "none"
