"""Grounding: search kinds and offsets (`grounding.search`) and the rules that drop and report (`grounding.rules`)."""

from __future__ import annotations

import datetime as dt

import pytest

from summariser.brief.body import Body
from summariser.brief.draft import Draft
from summariser.brief.grounding.rules import check
from summariser.brief.grounding.search import Grounder
from summariser.brief.merge import merge
from summariser.errors import ValidationFailed
from summariser.schemas import (
    Article,
    EntitiesDraft,
    Evidence,
    Implication,
    Organisation,
    OverviewDraft,
    Person,
    PersonDraft,
    Quote,
    SummaryPoint,
    best_match,
)
from summariser.text.normalise import normalise

WIRE = Article(
    id="wire",
    text=(
        "Dock workers at the port of Valdmar walked off the job on Monday, halting grain shipments "
        "and stranding at least 14 bulk carriers.\n\n"
        "“We will not load a single ship until the cuts are reversed,” union leader Marta Kessel told reporters. "
        "U.S. Treasury Secretary Scott Bessent said Washington was watching.\n\n"
        "Grain traders at Nordgrain warned that a prolonged stoppage could push up wheat prices across the region. "
        "José Núñez, a Spanish shipping agent, said the port authority had asked a labour court to intervene."
    ),
)
PAGE = Article(
    id="page",
    text=(
        "Talks were chaired by Transport Minister Henrik Aalto. Bessent joined by video.\n"
        'Kessel said the union would "not sign anything that leaves the night shift worse off". '
        "Officials from the UK and the European Union attended."
    ),
)


def located(ev: Evidence, article: Article = WIRE) -> str:
    """The text an evidence item points at; also checks that its quote is that text."""
    assert ev.quote == article.text[ev.start : ev.end]
    return ev.quote


@pytest.fixture(scope="module")
def grounder() -> Grounder:
    return Grounder([WIRE, PAGE])


# --------------------------------------------------------------------------- search


def test_normalise_folds_marks_and_keeps_offsets() -> None:
    text = "The  U.S. “deal” — José’s"
    norm = normalise(text)
    assert norm.lower == 'the us "deal" - jose\'s'
    start = norm.lower.index("jose")
    assert text[slice(*norm.span(start, start + 4))] == "José"


def test_exact_normalised_and_fuzzy_matches_point_into_the_original(grounder: Grounder) -> None:
    (exact,) = grounder.text("halting grain shipments")
    assert exact.match == "exact" and located(exact) == "halting grain shipments"
    (norm,) = grounder.text("JOSE NUNEZ, a spanish shipping agent")
    assert norm.match == "normalised" and located(norm) == "José Núñez, a Spanish shipping agent"
    (fuzzy,) = grounder.text("the port authority has asked a labour court to intervene", fuzzy=85)
    assert fuzzy.match == "fuzzy" and "labour court to intervene" in located(fuzzy)
    assert grounder.text("the port authority has asked a labour court to intervene") == []


def test_quotes_must_be_verbatim_after_normalisation(grounder: Grounder) -> None:
    found, closest = grounder.quote('"We will not load a single ship until the cuts are reversed,"')
    assert [e.match for e in found] == ["exact"] and closest is None  # surrounding marks are not the quote
    assert located(found[0]) == "We will not load a single ship until the cuts are reversed,"
    found, _ = grounder.quote("We will not load a single ship — until the cuts are reversed")
    assert found == []  # an inserted dash is a change of words
    found, _ = grounder.quote("we will not  load a single ship until the cuts are reversed")
    assert [e.match for e in found] == ["normalised"]  # case and spacing only
    found, closest = grounder.quote("We won't load any ship until the cuts are reversed")
    assert found == [] and closest is not None  # a paraphrase is not a quote, but the nearest span is shown
    assert "until the cuts are reversed" in located(closest)


def test_people_are_found_by_full_name_and_surname_in_other_sources(grounder: Grounder) -> None:
    evidence = grounder.person("Treasury Secretary Scott Bessent")
    assert {e.doc_id: e.match for e in evidence} == {"wire": "exact", "page": "fuzzy"}
    assert located(evidence[1], PAGE) == "Bessent"
    assert grounder.person("Scott Bessemer") == []
    assert grounder.person("Marta Kessler") == []  # no near-miss name is accepted as a person
    assert grounder.person("Kessel Marta")[0].quote == "Marta Kessel"


def test_countries_by_name_alias_and_demonym_but_not_the_pronoun_us(grounder: Grounder) -> None:
    assert {e.doc_id for e in grounder.country("United States")} == {"wire"}  # "U.S."
    assert grounder.country("United Kingdom")[0].quote == "UK"
    (spain,) = grounder.country("Spain")
    assert spain.match == "fuzzy" and spain.quote == "Spanish"
    told_us = Grounder([Article(id="x", text="They told us about it.")])
    assert told_us.country("United States") == []


def test_claims_in_own_words_are_supported_by_source_sentences(grounder: Grounder) -> None:
    (ev,) = grounder.claim("A strike by Valdmar dock workers halted grain shipments and stranded bulk carriers.")
    assert ev.match == "fuzzy" and located(ev).startswith("Dock workers at the port of Valdmar")
    assert grounder.claim("The government agreed a deal to restore night-shift pay for all port staff.") == []


def test_a_claim_with_a_number_the_sources_never_state_is_unsupported(grounder: Grounder) -> None:
    assert grounder.claim("The strike stranded at least 14 bulk carriers at the port of Valdmar.")
    assert grounder.claim("The strike stranded at least 40 bulk carriers at the port of Valdmar.") == []


def test_best_match_orders_kinds() -> None:
    ev = [Evidence(doc_id="a", start=0, end=1, quote="x", match=m) for m in ("fuzzy", "normalised")]
    assert best_match(ev) == "normalised" and best_match([]) == "none"


# --------------------------------------------------------------------------- rules


def body(**changes: object) -> Body:
    fields: dict[str, object] = {
        "headline": "Valdmar dock strike halts grain exports",
        "location": "Valdmar",
        "summary": [
            SummaryPoint(text="Dock workers in Valdmar walked off the job, halting grain shipments."),
            SummaryPoint(text="Union leader Marta Kessel said no ship would be loaded until the cuts are reversed."),
            SummaryPoint(text="Grain traders warned a prolonged stoppage could push up wheat prices."),
            SummaryPoint(text="The finance ministry announced a rescue fund of 2 billion euros for farmers."),
        ],
        "people": [
            Person(name="Marta Kessel", role="union leader", affiliation="Valdmar Dockworkers Union"),
            Person(name="Scott Bessent", role="Treasury Secretary", affiliation="United States"),
            Person(name="Anna Invented", role="spokesperson"),
            Person(name="Henrik Aalto", role="Prime Minister"),
            Person(name="Nordgrain", role="grain trader"),
            Person(name="Information Technology"),
        ],
        "organisations": [Organisation(name="Nordgrain"), Organisation(name="World Grain Council")],
        "countries": ["United States", "United Kingdom", "France"],
        "quotes": [
            Quote(text="We will not load a single ship until the cuts are reversed", speaker="Marta Kessel"),
            Quote(text="We will never give in", speaker="Marta Kessel"),
            Quote(text="not sign anything that leaves the night shift worse off", speaker="Ghost Speaker"),
        ],
        "themes": ["labour", "trade"],
        "implications": [
            Implication(text="A prolonged stoppage could push up wheat prices across the region."),
            Implication(text="Bread prices will double by next year."),
        ],
        "conflicts": [],
    }
    fields.update(changes)
    return Body(**fields)  # type: ignore[arg-type]


def reasons(report: object) -> dict[str, str]:
    return {f"{d.field}:{d.item}": d.reason for d in report.dropped}  # type: ignore[attr-defined]


def test_rules_drop_and_report_what_no_source_supports(grounder: Grounder) -> None:
    kept, report = check(body(), grounder)
    why = reasons(report)
    assert [p.name for p in kept.people] == ["Marta Kessel", "Scott Bessent", "Henrik Aalto"]
    assert why["people:Anna Invented"] == "named in no source"
    assert "not a person" in why["people:Information Technology"]
    assert "organisation" in why["people:Nordgrain"]
    assert "role not stated" in why["people.role:Henrik Aalto: Prime Minister"]
    assert next(p for p in kept.people if p.name == "Henrik Aalto").role is None
    assert [o.name for o in kept.organisations] == ["Nordgrain"]
    assert why["organisations:World Grain Council"] == "named in no source"
    assert kept.countries == ["United States", "United Kingdom"] and "countries:France" in why
    assert set(report.countries) == {"United States", "United Kingdom"}
    assert [q.text for q in kept.quotes] == [
        "We will not load a single ship until the cuts are reversed",
        "not sign anything that leaves the night shift worse off",
    ]
    assert why["quotes:We will never give in"] == "not verbatim in any source"
    assert kept.quotes[1].speaker is None and "speaker named in no source" in why.values()
    assert [p.text for p in kept.summary] == [p.text for p in body().summary[:3]]
    assert "no source sentence" in why["summary:" + body().summary[3].text]
    assert [i.text for i in kept.implications] == [body().implications[0].text]
    assert all(item.evidence for item in [*kept.summary, *kept.people, *kept.quotes, *kept.implications])


def test_report_counts_the_best_match_of_every_kept_item(grounder: Grounder) -> None:
    _, report = check(body(), grounder)
    people = report.counts["people"]
    assert people.exact == 3 and people.none == 0
    assert report.counts["quotes"].exact + report.counts["quotes"].normalised == 2
    assert report.counts["summary"].fuzzy + report.counts["summary"].exact == 3
    assert report.rate == 1.0


def test_ungrounded_bullets_are_kept_flagged_only_when_allowed(grounder: Grounder) -> None:
    kept, report = check(body(), grounder, allow_ungrounded=True)
    assert len(kept.summary) == 4 and kept.summary[3].evidence == []
    assert [u.item for u in report.ungrounded] == [body().summary[3].text, body().implications[1].text]
    assert report.counts["summary"].none == 1 and report.rate < 1.0


def test_too_few_supported_bullets_is_a_clear_error(grounder: Grounder) -> None:
    invented = [SummaryPoint(text=f"Martians landed {n} spaceships on the moon today.") for n in (1, 2, 3)]
    with pytest.raises(ValidationFailed, match=r"only 0 of 3 summary bullets.*--allow-ungrounded"):
        check(body(summary=invented), grounder)


def test_location_named_nowhere_becomes_null(grounder: Grounder) -> None:
    kept, report = check(body(location="Rotterdam"), grounder)
    assert kept.location is None and "location:Rotterdam" in reasons(report)
    kept, report = check(body(location="Valdmar, Northland"), grounder)
    assert kept.location == "Valdmar, Northland" and report.location[0].match == "fuzzy"


def test_a_person_who_is_another_persons_employer_is_an_organisation() -> None:
    # A model listed "Baltic Cereals" as a person and as Tomas Rinne's employer. The drafts say
    # themselves what it is, so merge moves it; grounding reports only the moves it makes.
    talks = Article(
        id="talks",
        text="Baltic Cereals trading director Tomas Rinne and Export-Import Bank staff spoke for the exporters.",
    )
    people = [
        PersonDraft(name="Baltic Cereals", role="director", affiliation=None),
        PersonDraft(name="Tomas Rinne", role="trading director", affiliation="Baltic Cereals"),
        PersonDraft(name="Export-Import Bank", role=None, affiliation=None),
    ]
    kept, report = check(merge([draft("talks", people)]), Grounder([talks]), allow_ungrounded=True)
    assert [p.name for p in kept.people] == ["Tomas Rinne"] and kept.people[0].affiliation == "Baltic Cereals"
    assert [o.name for o in kept.organisations] == ["Baltic Cereals", "Export-Import Bank"]
    assert all(o.evidence for o in kept.organisations)
    assert [d.item for d in report.dropped if d.field == "people"] == ["Export-Import Bank"]


def test_the_event_date_is_the_one_the_sources_state_and_other_dates_are_a_conflict(grounder: Grounder) -> None:
    tuesday = Article(id="tue", published=dt.datetime(2026, 3, 10, 7, 15), text="Dock workers struck on Monday.")
    thursday = Article(id="thu", published=dt.datetime(2026, 3, 12, 9), text="The strike began on Wednesday.")
    kept, report = check(body(), Grounder([WIRE, tuesday, thursday]))
    assert kept.event_date == dt.date(2026, 3, 9)  # a tie: the first article's date
    assert [(e.doc_id, e.quote, e.match) for e in report.event_date] == [("tue", "Monday", "exact")]
    assert list(report.counts)[-1] == "event_date" and report.counts["event_date"].exact == 1
    (conflict, *_) = kept.conflicts
    assert conflict.field == "event_date"
    assert [(v.value, v.doc_ids) for v in conflict.values] == [("2026-03-09", ["tue"]), ("2026-03-11", ["thu"])]
    undated, report = check(body(), grounder)  # no source states a date: none is guessed
    assert undated.event_date is None and report.event_date == [] and "event_date" not in report.counts


# --------------------------------------------------------------------------- merge


def draft(doc_id: str, people: list[PersonDraft]) -> Draft:
    overview = OverviewDraft(
        headline="Strike",
        location=None,
        summary=["One sentence of ten chars.", "Two sentences here too.", "Three is the minimum."],
        themes=["a b", "c d"],
        implications=[],
    )
    return Draft(doc_id, EntitiesDraft(people=people, organisations=[]), overview)


def test_roles_that_cannot_both_be_true_become_a_conflict() -> None:
    merged = merge(
        [
            draft("a", [PersonDraft(name="Henrik Aalto", role="Transport Minister", affiliation=None)]),
            draft("b", [PersonDraft(name="Aalto", role="Finance Minister", affiliation=None)]),
            draft("c", [PersonDraft(name="Marta Kessel", role="union leader", affiliation=None)]),
            draft("d", [PersonDraft(name="Marta Kessel", role="Valdmar union leader", affiliation=None)]),
        ]
    )
    assert [p.name for p in merged.people] == ["Henrik Aalto", "Marta Kessel"]
    (conflict,) = merged.conflicts
    assert conflict.field == "people.role" and conflict.subject == "Henrik Aalto"
    assert [(v.value, v.doc_ids) for v in conflict.values] == [
        ("Transport Minister", ["a"]),
        ("Finance Minister", ["b"]),
    ]


def test_parts_of_one_article_never_conflict_with_each_other() -> None:
    merged = merge(
        [
            draft("a", [PersonDraft(name="Henrik Aalto", role="Transport Minister", affiliation=None)]),
            draft("a", [PersonDraft(name="Henrik Aalto", role="chair of the talks", affiliation=None)]),
        ]
    )
    assert merged.conflicts == []


def test_too_few_bullets_with_allow_ungrounded_names_the_model_not_the_flag(grounder: Grounder) -> None:
    two = body().summary[:2]
    with pytest.raises(ValidationFailed) as err:
        check(body(summary=two), grounder, allow_ungrounded=True)
    assert "only 2 distinct summary bullets" in err.value.message and "--allow-ungrounded" not in err.value.message


# --------------------------------------------------------------------------- roles

ROLES_TEXT = (
    "Attendees included Australia’s Treasurer Jim Chalmers and the European Commission’s Valdis Dombrovskis. "
    "Major European finance ministries were represented by France’s Roland Lescure. "
    "Jay Horine, who is managing director of JP Morgan, spoke first."
)


@pytest.mark.parametrize(
    ("name", "role", "stated"),
    [
        ("Jim Chalmers", "Treasurer", True),  # title right before the name
        ("Jay Horine", "Managing Director", True),  # apposition after the name
        ("Roland Lescure", "Minister of Finance", False),  # inferred from "finance ministries … by"
        ("Valdis Dombrovskis", "Commissioner", False),  # "Commission's" is his affiliation, not a title
        ("Jim Chalmers", "Managing Director", False),  # another person's role, another sentence
    ],
)
def test_a_role_is_supported_only_when_written_next_to_the_name(name: str, role: str, stated: bool) -> None:
    assert Grounder([Article(id="r", text=ROLES_TEXT)]).near(name, role) is stated
