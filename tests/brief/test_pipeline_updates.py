"""Story updates on the embedded 1.5B model's recorded answers: the strike report, then the talks that joined it.

The answers are the ones ``cassettes/test_pipeline__event_pair.json`` holds (recorded for
tests/brief/test_pipeline.py): the model is asked about each article on its own, so the first
version (the report) and the second (report and talks) replay from it. Re-record (needs the
model): ``SUMMARISER_RECORD=1 .venv/bin/pytest tests/brief/test_pipeline.py tests/brief/test_pipeline_updates.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cassettes import RECORDING
from helpers.paths import CASSETTES, FIXTURES

from summariser import Briefing, Settings, summarise

EVENT = FIXTURES / "event"
REPORT, TALKS = EVENT / "strike_report.txt", EVENT / "strike_talks.html"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Briefing, Briefing]:
    settings = Settings(
        cassette=CASSETTES / "test_pipeline__event_pair.json",
        cassette_mode="record" if RECORDING else "replay",
        cache_dir=tmp_path_factory.mktemp("updates") / "responses",
    )
    first = summarise([REPORT], settings=settings)
    return first, summarise([TALKS], settings=settings, previous=first)


def test_the_talks_add_the_people_only_they_name(versions: tuple[Briefing, Briefing]) -> None:
    first, second = versions
    assert first.updates is None and second.updates is not None
    people = {p.name for p in second.updates.people}
    named = {"Henrik Aalto", "Sofia Lind", "Pavel Ostrov", "Jonas Berg", "Ilse Moreau", "Daniel Okafor",
             "Clara Weiss", "Tomas Rinne", "Lars Havik"}  # fmt: skip
    assert len(people & named) >= 8, sorted(people)
    assert "Marta Kessel" not in people  # the report's union leader, named again in the talks


def test_organisations_and_quotes_of_the_report_are_not_new(versions: tuple[Briefing, Briefing]) -> None:
    _, second = versions
    u = second.updates
    assert u is not None
    organisations = {o.name for o in u.organisations}
    assert {"Nordgrain", "Nordbank"} <= organisations
    assert not organisations & {"Valdmar Dockworkers Union", "Valdmar Port Authority"}
    quotes = {q.text for q in u.quotes}
    assert "a deal that keeps grain moving and pays people fairly" in quotes
    assert not any("single ship" in q for q in quotes)


def test_every_new_item_is_grounded_in_the_talks_alone(versions: tuple[Briefing, Briefing]) -> None:
    first, second = versions
    u = second.updates
    assert u is not None and u.since.version == 1 and u.since.sources == [first.sources[0].doc_id]
    talks = next(s for s in second.sources if s.doc_id not in u.since.sources)
    items = [*u.facts, *u.people, *u.organisations, *u.quotes]
    assert u.facts and items
    for item in items:
        assert item.evidence and all(e.doc_id == talks.doc_id for e in item.evidence), item
        assert all(talks.text is not None and talks.text[e.start : e.end] == e.quote for e in item.evidence)
    assert not any("walked off the job" in f.text for f in u.facts)  # the report's opening, already read


def test_asking_again_with_nothing_new_keeps_the_briefing(versions: tuple[Briefing, Briefing], tmp_path: Path) -> None:
    _, second = versions
    settings = Settings(cassette=CASSETTES / "test_pipeline__event_pair.json", cache_dir=tmp_path / "responses")
    third = summarise([TALKS, REPORT], settings=settings, previous=second)
    assert third.updates is not None and third.updates.empty() and third.updates.since.version == 2
    assert third.summary == second.summary and third.people == second.people
