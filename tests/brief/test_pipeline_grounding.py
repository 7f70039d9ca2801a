"""Grounding inside summarise(): quotes from the text, bullets picked by number and filled from the
opening, implications, the report, provenance, conflicts.

The model is a scripted OpenAI-compatible server on loopback (helpers.fake_server), so each
test decides exactly what "the model" answers and counts the requests the pipeline sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.scripted import ARTICLE, KESSEL, OTHER, entities, overview, run

from summariser.errors import InputError

VERBATIM = {"text": "We will not load a single ship until the cuts are reversed", "speaker": "Marta Kessel"}
PARAPHRASE = {"text": "We will load no ships until the pay cuts are reversed", "speaker": "Marta Kessel"}


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def tasks(server: FakeOpenAI) -> list[str]:
    """Which response model each request asked for, in order."""
    return [request.body["response_format"]["json_schema"]["name"] for request in server.requests]


def sentences(text: str) -> list[str]:
    """The lines of ``text`` that are sentences of news (eight words or more), in order."""
    return [line for line in text.splitlines() if len(line.split()) >= 8]


def test_quotes_are_copied_from_the_text_with_their_speaker_whatever_the_model_says(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.push(entities([KESSEL]), Reply(200, completion(overview([PARAPHRASE]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert tasks(server) == ["EntityKinds", "OverviewDraft"]  # quotes are never asked for, nor re-asked
    assert [(q.text, q.speaker) for q in briefing.quotes] == [(VERBATIM["text"], "Marta Kessel")]
    assert briefing.quotes[0].evidence[0].match == "exact"
    assert PARAPHRASE["text"] not in briefing.model_dump_json()
    assert briefing.meta is not None and briefing.meta.usage.requests == 2


def test_verbatim_quotes_need_no_reask(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(entities([KESSEL]), Reply(200, completion(overview([VERBATIM]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert len(server.requests) == 2 and [q.text for q in briefing.quotes] == [VERBATIM["text"]]


def test_evidence_offsets_point_into_the_text_the_briefing_exposes(server: FakeOpenAI, tmp_path: Path) -> None:
    server.push(entities([KESSEL]), Reply(200, completion(overview([VERBATIM]))))
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
        entities([KESSEL]),
        Reply(200, completion(overview([VERBATIM]))),
        entities([{"name": "Marta Kessel", "role": None, "affiliation": None}]),
        Reply(
            200,
            completion(
                overview(
                    [{"text": "not sign anything that leaves the night shift worse off", "speaker": "Marta Kessel"}],
                    summary=[1, 2, 4],  # the talks, Kessel, the traders
                )
            ),
        ),
    )
    briefing = run(server, tmp_path, [ARTICLE, OTHER])
    (kessel,) = [p for p in briefing.people if p.name != "Henrik Aalto"]  # he is titled: a person by the rules
    assert kessel.name == "Marta Kessel"
    assert {e.doc_id for e in kessel.evidence} == {s.doc_id for s in briefing.sources}
    assert len(briefing.quotes) == 2 and {q.evidence[0].doc_id for q in briefing.quotes} == {
        s.doc_id for s in briefing.sources
    }
    (conflict,) = briefing.conflicts
    assert conflict.field == "people.role" and conflict.subject == "Marta Kessel"
    # The wire story's role is the title it writes before her name, "union leader Marta Kessel"; the
    # follow-up's is its apposition, "Marta Kessel, the union's chief negotiator" (people.stated_titles).
    assert {v.value for v in conflict.values} == {"union leader", "chief negotiator"}


def test_numbers_that_pick_no_sentence_give_way_to_the_articles_opening_sentences_and_are_noted(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    # The wire story has three numbered sentences: 0, 4 and 9 name none of them (the title and
    # the date line have no number), so the model cannot bring a bullet the article does not state.
    server.push(entities([KESSEL]), Reply(200, completion(overview([], [0, 4, 9]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert tasks(server) == ["EntityKinds", "OverviewDraft"]  # filled, never re-asked
    assert [p.text for p in briefing.summary] == sentences(ARTICLE)  # verbatim, so exactly grounded
    assert all(p.evidence and p.evidence[0].match == "exact" for p in briefing.summary)
    assert briefing.grounding is not None and not [d for d in briefing.grounding.dropped if d.field == "summary"]
    assert briefing.meta is not None
    assert [n for n in briefing.meta.notes if "opening" in n] == [
        f"3 summary bullet(s) are sentences from the opening of {briefing.sources[0].doc_id}: the model "
        "picked fewer than the 3 the article needs"
    ]


def test_a_summary_with_too_few_distinct_picks_keeps_them_first_and_is_filled_without_a_reask(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.push(entities([KESSEL]), Reply(200, completion(overview([VERBATIM], [3, 3, 12]))))
    briefing = run(server, tmp_path, [ARTICLE])
    assert tasks(server) == ["EntityKinds", "OverviewDraft"]
    strike, quote, warning = sentences(ARTICLE)
    assert [p.text for p in briefing.summary] == [warning, strike, quote]  # the model's pick, then the opening
    assert all(p.evidence for p in briefing.summary)
    assert briefing.meta is not None and any(n.startswith("2 summary bullet(s)") for n in briefing.meta.notes)


def test_implications_are_sentences_that_state_a_consequence(server: FakeOpenAI, tmp_path: Path) -> None:
    reopens = (
        "Valdmar port reopens\n\n"
        "Dock workers at Valdmar returned to work on Thursday after a four-day strike.\n"
        "The port authority restored night-shift pay for all of its crews.\n"
        "Some 14 bulk carriers waiting at anchor began loading grain on Thursday afternoon.\n"
        "The backlog will take about two weeks to clear, the port authority said.\n"
        "Grain traders said prices fell two percent after the news.\n"
        "The stoppage cost grain exporters about 40 million euros in lost sales.\n"
    )
    backlog, _, losses = sentences(reopens)[3:]
    answers = [entities([])]
    server.push(*answers, Reply(200, completion(overview([], [1, 2, 3], implications=[5, 6]))))
    briefing = run(server, tmp_path, [reopens])
    assert [i.text for i in briefing.implications] == [losses]  # [5], the price fall, is a fact: left out
    assert all(i.evidence and i.evidence[0].match == "exact" for i in briefing.implications)
    # When none of the model's picks states a consequence, the article's forward-looking sentence stands in.
    server.push(*answers, Reply(200, completion(overview([], [1, 2, 3], implications=[5]))))
    assert [i.text for i in run(server, tmp_path, [reopens]).implications] == [backlog]


def test_a_forward_looking_sentence_that_stands_in_is_a_consequence_grounding_keeps(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    """Drafting and grounding read one vocabulary (`text.consequence`): the threat drafting takes when
    the model picks no consequence is not then dropped for stating none."""
    talks = (
        "Valdmar talks collapse\n\n"
        "Talks between the Valdmar port authority and dock workers broke down on Monday.\n"
        "The two sides met for six hours at the port offices in the city centre.\n"
        "Unions threatened a strike across all of the grain terminals of the port.\n"
        "Grain traders said prices rose two percent after the news.\n"
    )
    opening, meeting, threat, prices = sentences(talks)
    server.push(entities([]), Reply(200, completion(overview([], [1, 2, 4], implications=[4]))))
    briefing = run(server, tmp_path, [talks])
    assert [p.text for p in briefing.summary] == [opening, meeting, prices]
    assert [i.text for i in briefing.implications] == [threat]
    assert briefing.grounding is not None and not [d for d in briefing.grounding.dropped if d.field == "implications"]


def test_an_article_with_no_sentence_to_pick_fails_clearly_before_asking_the_model(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    headings = "Dock strike\n\nValdmar port shut\n\nMarkets\n"  # headings only: no numbered sentence
    with pytest.raises(InputError, match=r"has no sentence to summarise .*pass the text of an article"):
        run(server, tmp_path, [headings])
    assert server.requests == []  # nothing the model could say would give it a bullet


def test_two_articles_that_state_one_fact_need_one_bullet_for_it(server: FakeOpenAI, tmp_path: Path) -> None:
    wire = "Dock workers at Valdmar walked off the job on Tuesday over cuts to night-shift pay."
    follow_up = "On Tuesday dock workers at Valdmar walked off the job over night-shift pay cuts."
    for _ in range(2):
        server.push(entities([]), Reply(200, completion(overview([], [1]))))
    briefing = run(server, tmp_path, [wire, follow_up])
    assert [p.text for p in briefing.summary] == [wire]  # one fact: one bullet, citing both articles
    assert {e.doc_id for e in briefing.summary[0].evidence} == {s.doc_id for s in briefing.sources}
