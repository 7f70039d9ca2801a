"""The briefing body (`summariser.brief.body`): the fields a briefing takes from its drafts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from summariser.brief.body import ASSEMBLED, Body
from summariser.schemas import (
    Briefing,
    BriefingMeta,
    Conflict,
    ConflictValue,
    GroundingReport,
    Implication,
    Organisation,
    Person,
    Quote,
    SourceRef,
    SummaryPoint,
)


def test_the_body_has_every_briefing_field_but_the_assembled_ones() -> None:
    # A field added to `Briefing` fails here until the body carries it (or it is assembled).
    assert {f.name for f in dataclasses.fields(Body)} == set(Briefing.model_fields) - ASSEMBLED


def test_the_briefing_is_the_body_field_for_field() -> None:
    body = Body(
        headline="Valdmar dock strike halts grain exports",
        location="Valdmar",
        summary=[SummaryPoint(text=f"Bullet number {n}.") for n in (1, 2, 3)],
        people=[Person(name="Marta Kessel", role="union leader")],
        organisations=[Organisation(name="Nordgrain")],
        countries=["United Kingdom"],
        quotes=[Quote(text="We will not load a single ship", speaker="Marta Kessel")],
        themes=["labour", "trade"],
        implications=[Implication(text="Wheat prices could rise.")],
        conflicts=[Conflict(field="event_date", values=[ConflictValue(value="a", doc_ids=["x"])] * 2)],
        event_date=dt.date(2026, 3, 9),
    )
    briefing = body.briefing(sources=[SourceRef(doc_id="x")], grounding=GroundingReport(), meta=BriefingMeta(model="m"))
    for field in dataclasses.fields(Body):
        assert getattr(briefing, field.name) == getattr(body, field.name), field.name
    assert [s.doc_id for s in briefing.sources] == ["x"] and briefing.meta == BriefingMeta(model="m")
