"""Story updates: what a new version of a briefing adds, on stories written for these tests.

The briefings are made by the real pipeline (numbering, grounding, merging, the update) with the
deterministic stand-in model of `helpers.echo_model` (the first three sentences as the summary,
two-word capitalised names as people): the update is computed from the briefings and their
texts, never asked of a model, so a stand-in that picks sentences is all it needs. The stories
(tests/fixtures/updates/): an earthquake whose toll rises, a vote recounted, an aid pledge raised,
and a report that only restates the first one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import seeds
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.paths import FIXTURES
from helpers.seeds import needs_seeds

from summariser import Briefing, InputError, summarise
from summariser.brief.grounding import Grounder
from summariser.brief.updates import NOTHING_NEW, changes_between, updates_between, version_of
from summariser.config import Settings
from summariser.ingest.read import make_article
from summariser.output.render import to_markdown
from summariser.output.review import render_review
from summariser.output.whats_new import news_line

STORIES = FIXTURES / "updates"
Brief = Callable[..., Briefing]


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Brief]:
    """``brief(names, previous=None)``: the briefing of the fixture stories ``names`` (the echo stand-in)."""
    with FakeOpenAI(responder=echo_answer) as server:
        settings = Settings(model=f"{server.base_url}#echo", cache="off", cache_dir=tmp_path_factory.mktemp("c"))

        def run(*names: str, previous: Briefing | None = None) -> Briefing:
            return summarise([STORIES / f"{n}.txt" for n in names], settings=settings, previous=previous)

        yield run


def new_ids(briefing: Briefing, previous: Briefing) -> set[str]:
    return {s.doc_id for s in briefing.sources} - {s.doc_id for s in previous.sources}


def every_item_is_in_the_new_articles(briefing: Briefing, previous: Briefing) -> None:
    """Every span of the update lies in an article new to ``previous``, and quotes its source text."""
    fresh, texts = new_ids(briefing, previous), {s.doc_id: s.text for s in briefing.sources}
    u = briefing.updates
    assert u is not None
    items = [*u.facts, *u.people, *u.organisations, *u.quotes]
    spans = [e for item in items for e in item.evidence] + [e for c in u.changes for e in c.evidence]
    assert spans and all(e.doc_id in fresh and texts[e.doc_id][e.start : e.end] == e.quote for e in spans)
    old = [e for c in u.changes for e in c.before]
    assert all(e.doc_id not in fresh and texts[e.doc_id][e.start : e.end] == e.quote for e in old)


def test_a_first_version_has_no_update_and_the_next_says_what_joined(brief: Brief) -> None:
    first = brief("quake_first")
    assert first.updates is None and version_of(first) == 1
    second = brief("quake_update", previous=first)
    assert second.updates is not None and version_of(second) == 2
    since = second.updates.since
    assert since.version == 1 and since.headline == first.headline and since.sources == [first.sources[0].doc_id]
    assert first.meta is not None and since.made == first.meta.made  # None: summarise() stamps no time
    assert [s.doc_id for s in second.sources][:1] == since.sources  # the earlier article, from the earlier briefing
    every_item_is_in_the_new_articles(second, first)


def test_a_rising_death_toll_is_a_change_with_both_spans(brief: Brief) -> None:
    first = brief("quake_first")
    u = brief("quake_update", previous=first).updates
    assert u is not None
    changed = {c.quantity: (c.old, c.new, c.before[0].quote, c.evidence[0].quote) for c in u.changes}
    assert changed["deaths"][:2] == ("30", "45") and "30" in changed["deaths"][2] and "45" in changed["deaths"][3]
    assert changed["injured"][:2] == ("120", "300")
    assert "magnitude" not in changed  # 6.4 in both: stated again, not changed


def test_people_named_before_are_not_new_and_people_named_now_are(brief: Brief) -> None:
    first = brief("quake_first")
    u = brief("quake_update", previous=first).updates
    assert u is not None
    people = {p.name for p in u.people}
    assert "Tomas Varga" in people and "Alma Reyes" not in people  # Reyes speaks in both reports
    facts = " ".join(f.text for f in u.facts)
    assert "Rescuers reached the mountain villages" in facts
    assert "Alma Reyes said rescue teams" not in facts  # the first report's sentence is not new


def test_a_recount_changes_the_votes_for_and_against(brief: Brief) -> None:
    first = brief("vote_first")
    second = brief("vote_recount", previous=first)
    u = second.updates
    assert u is not None
    assert {(c.quantity, c.old, c.new) for c in u.changes} == {
        ("votes for", "212", "214"),
        ("votes against", "198", "196"),
    }
    assert "Jonah Ferris" in {p.name for p in u.people} and "Carla Benning" not in {p.name for p in u.people}
    every_item_is_in_the_new_articles(second, first)


def test_a_raised_amount_is_a_change_in_its_currency(brief: Brief) -> None:
    first = brief("aid_first")
    u = brief("aid_raised", previous=first).updates
    assert u is not None
    [change] = u.changes
    assert (change.old, change.new) == ("$2 billion", "$3.5 billion") and "reconstruction" in change.quantity


def test_an_update_with_nothing_new_says_so_and_changes_nothing_else(brief: Brief) -> None:
    first = brief("quake_first")
    again = brief("quake_restated", previous=first)
    assert again.updates is not None and again.updates.empty()
    keep = {"sources", "meta", "updates"}
    assert again.model_dump(exclude=keep) == first.model_dump(exclude=keep)  # the briefing the reader read
    assert len(again.sources) == 2 and again.meta is not None
    assert NOTHING_NEW.format(version=1) in again.meta.notes
    assert "Nothing new" in to_markdown(again) and "Nothing new" in render_review(again)
    assert news_line(again.updates) == "version 2: nothing new" and news_line(first.updates) is None


def test_the_next_version_counts_on_and_ignores_what_the_last_one_added(brief: Brief) -> None:
    first = brief("quake_first")
    second = brief("quake_update", previous=first)
    third = brief("quake_restated", previous=second)
    assert third.updates is not None and third.updates.since.version == 2 and version_of(third) == 3
    assert third.updates.empty()  # the restated report says nothing the first two did not


def test_markdown_and_the_review_page_open_with_whats_new(brief: Brief) -> None:
    first = brief("quake_first")
    second = brief("quake_update", previous=first)
    md = to_markdown(second)
    assert md.splitlines()[2].startswith("## What's new since version 1 (1 source)")  # summarise stamps no time
    assert first.meta is not None
    made = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)  # as regenerate --group-by event stamps its versions
    stamped = first.model_copy(update={"meta": first.meta.model_copy(update={"made": made})})
    heading = to_markdown(brief("quake_update", previous=stamped)).splitlines()[2]
    assert heading.startswith("## What's new since version 1 (1 source, made 2026-03-04 09:30 UTC)"), heading
    assert md.index("What's new") < md.index("## Summary")
    assert "- **Changed:** deaths: 30 → 45" in md and "- **Person:** Tomas Varga" in md
    page = render_review(second)
    assert page.index('id="whats-new"') < page.index('data-section="summary"')
    assert 'id="new-changes-0"' in page and "deaths: 30 → 45" in page
    assert "What's new" not in to_markdown(first) and 'id="whats-new"' not in render_review(first)


def test_the_update_is_the_same_from_the_briefings_alone(brief: Brief) -> None:
    first = brief("quake_first")
    second = brief("quake_update", previous=first)
    again = updates_between(first, second.model_copy(update={"updates": None}))
    assert second.updates is not None
    assert again.changes == second.updates.changes and again.people == second.updates.people


def test_a_quantity_stated_with_several_old_values_is_not_guessed() -> None:
    earlier = make_article("Officials first said 30 people were killed. A later count said 32 people were killed.")
    later = make_article("The death toll rose to 45 on Monday, the agency said.")
    grounder = Grounder([earlier, later])
    assert changes_between(grounder, [earlier.id], [later.id]) == []
    clear = make_article("Officials said 30 people were killed in the blast.")
    assert [c.new for c in changes_between(Grounder([clear, later]), [clear.id], [later.id])] == ["45"]


def test_new_articles_that_disagree_on_the_new_value_give_no_change() -> None:
    earlier = make_article("Officials said 30 people were killed in the blast.")
    one, other = make_article("The death toll rose to 45."), make_article("The death toll rose to 48.")
    assert changes_between(Grounder([earlier, one, other]), [earlier.id], [one.id, other.id]) == []


def test_previous_must_be_a_briefing(brief: Brief, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="previous must be a Briefing"):
        summarise([STORIES / "quake_update.txt"], previous={"headline": "x"})  # type: ignore[arg-type]
    first = brief("quake_first")
    stripped = first.model_copy(update={"sources": [s.model_copy(update={"text": None}) for s in first.sources]})
    with pytest.raises(InputError, match="does not carry the text of its source") as info:
        brief("quake_update", previous=stripped)
    assert "\n" not in str(info.value)


def test_gold_tooling_accepts_a_later_version_and_checks_its_update(brief: Brief, tmp_path: Path) -> None:
    from summariser.evaluation.gold.check import check_gold
    from summariser.evaluation.scoring.briefing import score_briefing
    from summariser.output.render import to_json

    second = brief("quake_update", previous=brief("quake_first"))
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "quake.json").write_text(to_json(second), encoding="utf-8")
    problems, checked = check_gold(gold)
    assert checked == 1 and not [p for p in problems if "updates" in p.line()], problems
    score = score_briefing("quake", second, to_json(second))  # the evaluator scores the fields, the update aside
    assert score.valid and score.lists["people"].f1 == 1.0
    assert second.updates is not None
    change = second.updates.changes[0]
    broken = second.model_copy(deep=True)
    assert broken.updates is not None
    broken.updates.changes[0].before[0].start += 1  # an offset off by one is found, in the update too
    (gold / "quake.json").write_text(to_json(broken), encoding="utf-8")
    problems, _ = check_gold(gold)
    assert any("updates.changes[0]" in p.line() and change.quantity in p.line() for p in problems), problems


def test_the_async_variant_takes_the_earlier_version_too(brief: Brief) -> None:
    import asyncio

    from summariser import asummarise

    first = brief("quake_first")
    second = brief("quake_update", previous=first)
    assert first.meta is not None
    with FakeOpenAI(responder=echo_answer) as server:
        settings = Settings(model=f"{server.base_url}#echo", cache="off")
        again = asyncio.run(asummarise([STORIES / "quake_update.txt"], settings=settings, previous=first))
    assert again.updates is not None and second.updates is not None
    assert again.updates.changes == second.updates.changes


def test_the_edit_page_shows_the_update_but_does_not_make_it_gold(brief: Brief) -> None:
    from summariser.output.editing import EditPage

    second = brief("quake_update", previous=brief("quake_first"))
    page = render_review(second, EditPage("quake"))
    assert 'id="whats-new"' in page and 'class="update"' in page  # shown, not an item to mark correct or wrong
    assert 'class="item update"' not in page


@needs_seeds
def test_the_seeds_update_on_the_scripted_drafts(tmp_path: Path) -> None:
    """000 then 000 + 003 with the hand-written drafts of `helpers.seeds` standing in for the model (the real
    model's answers: tests/brief/test_updates_seeds.py): the update's rules on the seeds' own texts."""
    with FakeOpenAI(responder=seeds.answer) as server:
        settings = Settings(model=f"{server.base_url}#seeds", cache="off", cache_dir=tmp_path)
        first = summarise([seeds.SEED_FILES[0]], settings=settings)
        u = summarise([seeds.SEED_FILES[1]], settings=settings, previous=first).updates
    assert u is not None
    people = {p.name.split()[-1] for p in u.people}
    assert {"Chalmers", "Champagne", "Reeves", "Katayama", "Greer", "Jovanovic", "Horine", "Carney"} <= people
    assert "Bessent" not in people
    organisations = {o.name for o in u.organisations}
    assert "JP Morgan" in organisations and not any("Treasury" in o or "Export-Import" in o for o in organisations)
    assert [q.speaker for q in u.quotes] == ["Mark Carney"] and "assured opportunity" in u.quotes[0].text
    assert any(f.text.startswith("This comes a month after Prime Minister Mark Carney said") for f in u.facts)


def test_an_organisation_is_new_unless_the_earlier_briefing_lists_it_or_a_longer_or_shorter_name(
    brief: Brief,
) -> None:
    from summariser.schemas import Organisation

    first = brief("aid_first")
    second = brief("aid_raised", previous=first)
    assert second.updates is not None and [o.name for o in second.updates.organisations] == ["World Bank"]
    listed = [Organisation(name=n) for n in ("Treasury", "US Treasury")]  # one name and its longer form
    earlier = first.model_copy(update={"organisations": listed})
    assert [o.name for o in updates_between(earlier, second).organisations] == ["World Bank"]
    banks = first.model_copy(update={"organisations": [*listed, Organisation(name="The World Bank")]})
    assert updates_between(banks, second).organisations == []
