"""Grounding inside summarise(): quotes from the text, the summary re-ask, the report, provenance, conflicts.

The model is a scripted OpenAI-compatible server on loopback (helpers.fake_server), so each
test decides exactly what "the model" answers and counts the requests the pipeline sends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.scripted import ARTICLE, KESSEL, OTHER, entities, overview, run

from summariser.errors import ValidationFailed

VERBATIM = {"text": "We will not load a single ship until the cuts are reversed", "speaker": "Marta Kessel"}
PARAPHRASE = {"text": "We will load no ships until the pay cuts are reversed", "speaker": "Marta Kessel"}


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def tasks(server: FakeOpenAI) -> list[str]:
    """Which prompt each request carried (by its closing instruction)."""
    out = []
    for request in server.requests:
        prompt = request.body["messages"][-1]["content"]
        if "the article does not state them" in prompt:
            out.append("summary")
        else:
            out.append("other")
    return out


def test_quotes_are_copied_from_the_text_with_their_speaker_whatever_the_model_says(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.push(Reply(200, completion(entities([KESSEL]))), Reply(200, completion(overview([PARAPHRASE]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert tasks(server) == ["other", "other"]  # quotes are never asked for, nor re-asked
    assert [(q.text, q.speaker) for q in briefing.quotes] == [(VERBATIM["text"], "Marta Kessel")]
    assert briefing.quotes[0].evidence[0].match == "exact"
    assert PARAPHRASE["text"] not in briefing.model_dump_json()
    assert briefing.meta is not None and briefing.meta.usage.requests == 2


def test_verbatim_quotes_need_no_reask(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(200, completion(entities([KESSEL]))), Reply(200, completion(overview([VERBATIM]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert len(server.requests) == 2 and [q.text for q in briefing.quotes] == [VERBATIM["text"]]


def test_evidence_offsets_point_into_the_text_the_briefing_exposes(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(Reply(200, completion(entities([KESSEL]))), Reply(200, completion(overview([VERBATIM]))))
    briefing = run(server, tmp_path, [ARTICLE])
    texts = {s.doc_id: s.text for s in briefing.sources}
    items = [*briefing.summary, *briefing.people, *briefing.quotes]
    assert all(item.evidence for item in items)
    for item in items:
        for ev in item.evidence:
            assert texts[ev.doc_id] is not None and texts[ev.doc_id][ev.start : ev.end] == ev.quote  # type: ignore[index]
    assert briefing.event_date is not None and briefing.event_date.isoformat() == "2026-03-09"
    assert briefing.grounding is not None
    (date_ev,) = briefing.grounding.event_date
    assert date_ev.quote == "Monday" and date_ev.match == "exact"


def test_merged_articles_keep_provenance_from_both_and_list_role_conflicts(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(
        Reply(200, completion(entities([KESSEL]))),
        Reply(200, completion(overview([VERBATIM]))),
        Reply(200, completion(entities([{"name": "Kessel", "role": "chief negotiator", "affiliation": None}]))),
        Reply(
            200,
            completion(
                overview(
                    [{"text": "not sign anything that leaves the night shift worse off", "speaker": "Marta Kessel"}],
                    summary=[
                        "Transport Minister Henrik Aalto chaired talks to end the dock strike at Valdmar.",
                        "Marta Kessel said the union would not sign anything leaving the night shift worse off.",
                        "Grain traders said wheat contracts were being renegotiated.",
                    ],
                )
            ),
        ),
    )
    briefing = run(server, tmp_path, [ARTICLE, OTHER])
    (kessel,) = briefing.people
    assert kessel.name == "Marta Kessel"
    assert {e.doc_id for e in kessel.evidence} == {s.doc_id for s in briefing.sources}
    assert len(briefing.quotes) == 2 and {q.evidence[0].doc_id for q in briefing.quotes} == {
        s.doc_id for s in briefing.sources
    }
    (conflict,) = briefing.conflicts
    assert conflict.field == "people.role" and conflict.subject == "Marta Kessel"
    assert {v.value for v in conflict.values} == {"union leader", "chief negotiator"}


def test_unsupported_bullets_give_way_to_the_articles_opening_sentences_and_are_reported(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    invented = [
        "The government agreed a deal that restores night-shift pay for every port worker.",
        "Shipping lines cancelled all sailings to the country for the rest of the year.",
        "The central bank cut interest rates to support exporters hit by the strike.",
    ]
    answers = [
        Reply(200, completion(entities([KESSEL]))),
        Reply(200, completion(overview([], invented))),
        Reply(200, completion(json.dumps({"summary": invented}))),  # the one re-ask repeats them
    ]
    server.push(*answers)
    briefing = run(server, tmp_path, [ARTICLE])
    opening = [line for line in ARTICLE.splitlines() if len(line.split()) >= 8]
    assert [p.text for p in briefing.summary] == opening  # verbatim, so exactly grounded
    assert all(p.evidence and p.evidence[0].match == "exact" for p in briefing.summary)
    assert briefing.grounding is not None
    assert {d.item for d in briefing.grounding.dropped if d.field == "summary"} == set(invented)
    assert briefing.meta is not None and any("opening" in note for note in briefing.meta.notes)
    server.push(*answers)
    flagged = run(server, tmp_path, [ARTICLE], allow_ungrounded=True)
    assert [p.text for p in flagged.summary] == opening + invented
    assert flagged.grounding is not None and len(flagged.grounding.ungrounded) == 3


def test_a_summary_with_too_few_supported_bullets_is_reasked_once(server: FakeOpenAI, tmp_path: Path) -> None:
    junk = [
        "Dock workers at Valdmar walked off the job on Monday, halting grain shipments.",
        "Themes: labour, ports, grain",
        "The article highlights the importance of standing up for workers' rights.",
    ]
    good = [
        "Union leader Marta Kessel said no ship would be loaded until the cuts are reversed.",
        "Grain traders warned that a prolonged stoppage could push up wheat prices.",
        "Themes: labour, ports, grain",
    ]
    server.push(
        Reply(200, completion(entities([KESSEL]))),
        Reply(200, completion(overview([VERBATIM], summary=junk))),
        Reply(200, completion(json.dumps({"summary": good}))),
    )
    briefing = run(server, tmp_path, [ARTICLE])
    assert tasks(server) == ["other", "other", "summary"]
    reask = server.requests[2].body["messages"][-1]["content"]
    assert junk[1] in reask and junk[2] in reask and junk[0] not in reask  # names only the unsupported ones
    assert [p.text for p in briefing.summary] == [junk[0], good[0], good[1]]
    assert all(p.evidence for p in briefing.summary)


def test_a_summary_still_unsupported_with_no_opening_to_fall_back_on_fails_clearly(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    junk = ["Themes: labour, ports, grain", "Implications: None", "Quotes: none in the article at all"]
    server.push(
        Reply(200, completion(entities([KESSEL]))),
        Reply(200, completion(overview([VERBATIM], summary=junk))),
        Reply(200, completion(json.dumps({"summary": junk}))),
    )
    short = "Dock strike\n\nDock workers at the port of Valdmar walked off the job on Monday, halting shipments.\n"
    with pytest.raises(ValidationFailed, match="--allow-ungrounded"):
        run(server, tmp_path, [short])
    assert tasks(server) == ["other", "other", "summary"]  # one re-ask, never more
