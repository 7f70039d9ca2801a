"""summarise() end to end, replayed from cassettes recorded with the embedded 1.5B model.

Re-record (needs the model): ``SUMMARISER_RECORD=1 .venv/bin/pytest tests/brief/test_pipeline.py``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from helpers.articles import long_article
from helpers.cassettes import RECORDING
from helpers.paths import CASSETTES, FIXTURES

from summariser import Briefing, CassetteMiss, InputError, Settings, asummarise, summarise
from summariser.brief.people import name_candidates
from summariser.brief.pipeline import plan_parts
from summariser.ingest.read import load_sources
from summariser.llm.backends import resolve
from summariser.llm.embedded import backend as embedded

EVENT_CASSETTE = CASSETTES / "test_pipeline__event_pair.json"
JUNK = ("related articles", "back to top", "holds no licenses", "recommendation to buy")


def _settings(tmp: Path, **changes: object) -> Settings:
    base = Settings(
        cassette=EVENT_CASSETTE, cassette_mode="record" if RECORDING else "replay", cache_dir=tmp / "responses"
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def event_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Briefing, Settings]:
    tmp = tmp_path_factory.mktemp("event")
    settings = _settings(tmp)
    paths = [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"]
    return summarise(paths, settings=settings), settings


def test_two_articles_give_one_schema_valid_briefing(event_run: tuple[Briefing, Settings]) -> None:
    briefing, _ = event_run
    again = Briefing.model_validate_json(briefing.model_dump_json())
    assert again == briefing
    articles = load_sources([FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"])
    assert [s.doc_id for s in briefing.sources] == [a.id for a in articles]
    assert briefing.sources[0].published == dt.datetime(2026, 3, 10, 7, 15)
    assert briefing.sources[1].published is None
    assert 3 <= len(briefing.summary) <= 6 and 2 <= len(briefing.themes) <= 6
    assert len(briefing.headline.split()) <= 16


def test_event_date_comes_from_the_dateline_not_the_model(event_run: tuple[Briefing, Settings]) -> None:
    briefing, _ = event_run
    # Published Tuesday 2026-03-10, "walked off the job on Monday" → Monday 2026-03-09.
    assert briefing.event_date == dt.date(2026, 3, 9)


def test_people_named_in_the_participant_list_are_found(event_run: tuple[Briefing, Settings]) -> None:
    briefing, _ = event_run
    text = " ".join(a.text for a in load_sources([FIXTURES / "event" / "strike_talks.html"]))
    expected = name_candidates(text)  # the people the page lists are among its capitalised phrases
    people = {p.name for p in briefing.people}
    listed = {"Henrik Aalto", "Sofia Lind", "Pavel Ostrov", "Jonas Berg", "Ilse Moreau", "Marta Kessel",
              "Daniel Okafor", "Clara Weiss", "Tomas Rinne", "Lars Havik"}  # fmt: skip
    assert listed <= set(expected)
    found = listed & people
    assert len(found) >= 8, f"only {sorted(found)} of the 10 participants"
    assert len({p.name.lower() for p in briefing.people}) == len(briefing.people), "duplicated people"
    roles = {p.name: (p.role or "").lower() for p in briefing.people}
    assert "transport minister" in roles.get("Henrik Aalto", "")


def test_summary_carries_no_page_junk(event_run: tuple[Briefing, Settings]) -> None:
    briefing, _ = event_run
    text = " ".join([briefing.headline, *(p.text for p in briefing.summary)]).lower()
    assert not [j for j in JUNK if j in text]


def test_meta_records_model_prompts_and_usage(event_run: tuple[Briefing, Settings]) -> None:
    briefing, _ = event_run
    assert briefing.meta is not None
    assert briefing.meta.model == "local:qwen2.5-1.5b"
    assert set(briefing.meta.prompts) == {"system", "article", "entities", "overview"}
    usage = briefing.meta.usage
    assert usage.requests == 4 and usage.cache_hits == 0
    assert usage.prompt_tokens > 1000 and usage.completion_tokens > 100


def test_second_identical_call_comes_from_cache_without_loading_the_model(
    event_run: tuple[Briefing, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, settings = event_run

    def no_model(*_: object) -> None:
        raise AssertionError("the model was loaded for a cached briefing")

    monkeypatch.setattr(embedded, "load_llama", no_model)
    # No cassette this time: only the cache can answer.
    second = summarise(
        [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"],
        settings=dataclasses.replace(settings, cassette=None),
    )
    assert second.meta is not None and second.meta.usage.cache_hits == 4
    assert second.model_dump(exclude={"meta"}) == first.model_dump(exclude={"meta"})


def test_cache_off_and_refresh_do_not_read_the_cache(event_run: tuple[Briefing, Settings], tmp_path: Path) -> None:
    _, settings = event_run
    paths = [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"]
    for mode in ("off", "refresh"):
        run = summarise(paths, settings=dataclasses.replace(settings, cache=mode))
        assert run.meta is not None and run.meta.usage.cache_hits == 0, mode


def test_async_variant_gives_the_same_briefing(event_run: tuple[Briefing, Settings], tmp_path: Path) -> None:
    first, _ = event_run
    paths = [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"]
    second = asyncio.run(asummarise(paths, settings=_settings(tmp_path)))
    assert second.model_dump(exclude={"meta"}) == first.model_dump(exclude={"meta"})


def test_a_changed_prompt_never_replays_a_stale_answer(tmp_path: Path) -> None:
    text = (FIXTURES / "event" / "strike_report.txt").read_text() + "\n\nOne more sentence that changes the prompt."
    with pytest.raises(CassetteMiss) as info:
        summarise(text, settings=_settings(tmp_path, cassette_mode="replay"))
    assert "SUMMARISER_RECORD=1" in str(info.value) and "\n" not in str(info.value)
    cache_files = list((tmp_path / "responses").glob("*"))
    assert all(p.stat().st_size < 200_000 for p in cache_files)


def test_text_string_source(llm_settings: Settings) -> None:
    text = (FIXTURES / "articles" / "harbour_fees.md").read_text()
    briefing = summarise(text, settings=llm_settings)
    assert briefing.sources[0].title is None or "harbour" in briefing.sources[0].title.lower()
    assert briefing.sources[0].published == dt.datetime(2026, 2, 4)
    assert briefing.event_date == dt.date(2026, 2, 3)  # "said yesterday", published 4 February
    assert any("Ross" in p.name for p in briefing.people)


def test_long_article_is_split_into_parts_or_refused(tmp_path: Path) -> None:
    paragraph = "The council met again to discuss the harbour budget and the new ferry timetable. " * 40
    text = "Council budget talks\n\n" + "\n\n".join(f"{i}. {paragraph}" for i in range(60))
    article = load_sources([text])[0]
    spec = resolve("local")
    parts = plan_parts(article, spec, Settings())
    assert len(parts) > 1
    assert all(len(p) < len(article.text) for p in parts)
    covered = "\n\n".join(parts)
    assert all(f"{i}. The council" in covered for i in range(60)), "a paragraph was dropped"
    with pytest.raises(InputError) as info:
        plan_parts(article, spec, Settings(long_articles="fail"))
    assert "context" in str(info.value) and "split it" in str(info.value)


def test_no_sources_is_an_input_error() -> None:
    with pytest.raises(InputError):
        summarise([])


def test_cassette_files_hold_no_headers_or_keys() -> None:
    for path in CASSETTES.glob("*.json"):
        text = path.read_text()
        data = json.loads(text)
        assert data["version"] == 1
        assert "authorization" not in text.lower() and "bearer" not in text.lower()


def test_article_longer_than_the_context_is_read_in_parts(llm_settings: Settings) -> None:
    text = long_article()
    assert len(text) > 35_000
    briefing = summarise(text, settings=dataclasses.replace(llm_settings, model="small"))
    assert briefing.meta is not None
    assert any("overlapping parts" in note for note in briefing.meta.notes), briefing.meta.notes
    assert briefing.meta.usage.requests >= 4  # two requests per part
    names = {p.name for p in briefing.people}
    assert names, "no people found in a hearing full of named councillors"
    assert all(n in text for n in names), "a person not named in the article"


def test_progress_events_name_each_stage(tmp_path: Path) -> None:
    from summariser import progress

    events: list[str] = []
    paths = [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"]
    with progress.listen(events.append):
        summarise(paths, settings=_settings(tmp_path, cassette_mode="replay"))
    assert [e.split(":")[0] for e in events] == ["people, organisations and places", "summary"] * 2
    assert "Dockworkers walk out at Valdmar port" in events[0]
    progress.report("after the block")  # no listener any more: must not reach the list
    assert len(events) == 4
