"""`summariser.regenerate.regenerate` and `dry_run`, called as a library (no CLI, no subprocess).

The model is the deterministic echo stand-in (helpers.echo_model) behind a real loopback
HTTP server, as in tests/cli/test_cli_regenerate.py, so these runs build real briefings.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_batch import FakeBatchServer, cassette_responder
from helpers.fake_server import FakeOpenAI
from helpers.paths import CASSETTES, FIXTURES
from helpers.regenerate import echo_url, three_articles

import summariser
from summariser.config import Settings
from summariser.errors import ConfigError, InputError
from summariser.regenerate import BatchOptions, BatchSummary, RunPlan, RunReport, dry_run, regenerate
from summariser.regenerate.lock import folder_lock
from summariser.regenerate.manifest import MANIFEST, load_manifest
from summariser.schemas import Briefing

NAMES = ["harbour_fees", "port_strike", "rail_tender"]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return three_articles(tmp_path)


model = echo_url


def test_a_run_builds_everything_reports_through_the_callbacks_and_a_second_run_builds_nothing(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    plans: list[RunPlan] = []
    events: list[tuple[str, str]] = []
    stages: list[str] = []
    report = regenerate(
        articles,
        out,
        model=model(server),
        on_plan=plans.append,
        on_event=lambda kind, name, detail: events.append((kind, name)),
        on_stage=stages.append,
    )
    assert isinstance(report, RunReport)
    assert sorted(o.name for o in report.outcomes if o.ok) == NAMES and report.failed == []
    assert report.unchanged == 0 and report.orphans == [] and report.usage.requests == len(server.requests)
    assert len(plans) == 1 and [p.job.name for p in plans[0].todo] == NAMES and plans[0].pruned == []
    assert sorted(events) == sorted([*(("start", n) for n in NAMES), *(("built", n) for n in NAMES)])
    assert any(stage.startswith("summary: ") for stage in stages)  # the pipeline's own progress events
    for name in NAMES:
        Briefing.model_validate_json((out / f"{name}.json").read_bytes())
        assert (out / f"{name}.md").stat().st_size and (out / f"{name}.html").stat().st_size
    assert set(load_manifest(out).briefings) == set(NAMES)

    sent, again = len(server.requests), []
    second = regenerate(str(articles), str(out), settings=Settings(model=model(server)), on_plan=again.append)
    assert second.outcomes == [] and second.unchanged == 3 and len(server.requests) == sent
    assert again[0].todo == [] and len(again[0].planned) == 3


def test_dry_run_says_what_would_be_built_and_writes_nothing(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    fresh = dry_run(articles, out, model=model(server))
    assert fresh.lines() == [f"build  {name}  (new)" for name in NAMES]
    assert not out.exists() and server.requests == []

    regenerate(articles, out, model=model(server))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    (articles / "port_strike.txt").write_text("Dock workers in Valdmar ended their strike on Friday.", encoding="utf-8")
    (articles / "rail_tender.json").unlink()
    plan = dry_run(articles, out, model=model(server))
    assert plan.lines() == [
        "keep   harbour_fees  (unchanged)",
        "build  port_strike  (inputs changed: port_strike.txt)",
        "orphan rail_tender  (its articles are gone)",
    ]
    assert [p.job.name for p in plan.todo] == ["port_strike"] and plan.orphans == ["rail_tender"]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_orphans_are_reported_and_pruned_only_when_asked(server: FakeOpenAI, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=model(server))
    (articles / "harbour_fees.md").unlink()
    kept = regenerate(articles, out, model=model(server))
    assert kept.orphans == ["harbour_fees"] and (out / "harbour_fees.json").exists()

    plans: list[RunPlan] = []
    pruned = regenerate(articles, out, model=model(server), prune=True, on_plan=plans.append)
    assert pruned.orphans == [] and plans[0].pruned == ["harbour_fees"] and plans[0].orphans == []
    assert not list(out.glob("harbour_fees.*")) and "harbour_fees" not in load_manifest(out).briefings


def test_force_rebuilds_every_briefing(server: FakeOpenAI, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=model(server))
    plans: list[RunPlan] = []
    report = regenerate(articles, out, model=model(server), force=True, on_plan=plans.append)
    assert {p.reason for p in plans[0].planned} == {"forced"} and len(report.outcomes) == 3


def test_group_by_event_finds_the_grouping_file_in_the_articles_folder(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    (articles / "groups.yml").write_text("valdmar:\n  - port_strike.txt\n  - harbour_fees.md\n", encoding="utf-8")
    out = tmp_path / "briefings"
    plan = dry_run(articles, out, model=model(server), group_by="event")
    assert [p.job.name for p in plan.planned] == ["rail_tender", "valdmar"]
    report = regenerate(articles, out, model=model(server), group_by="event")
    assert sorted(o.name for o in report.outcomes) == ["rail_tender", "valdmar"]
    assert len(Briefing.model_validate_json((out / "valdmar.json").read_bytes()).sources) == 2


def _misuse(articles: Path, tmp_path: Path) -> dict[str, tuple[dict[str, object], str]]:
    groups = tmp_path / "events.yaml"
    groups.write_text("valdmar:\n  - port_strike.txt\n", encoding="utf-8")
    return {
        "groups without event": ({"groups": groups}, "--groups only applies with --group-by event"),
        "unknown grouping": ({"group_by": "day"}, "group_by must be one of file/event, not 'day'"),
        "briefings inside articles": ({"briefings": articles / "out"}, "must not be the articles folder"),
        "briefings are the articles": ({"briefings": articles}, "must not be the articles folder"),
        "unknown model": ({"model": "gpt5:turbo"}, "unknown model"),
        "batch on the embedded model": ({"model": "local", "batch": BatchOptions()}, "--batch-api needs an HTTP"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "groups without event",
        "unknown grouping",
        "briefings inside articles",
        "briefings are the articles",
        "unknown model",
        "batch on the embedded model",
    ],
)
@pytest.mark.parametrize("call", ["regenerate", "dry_run"])
def test_misused_options_are_a_config_error_before_any_work(
    server: FakeOpenAI, articles: Path, tmp_path: Path, case: str, call: str
) -> None:
    changes, needle = _misuse(articles, tmp_path)[case]
    kwargs: dict[str, object] = {"model": model(server), **changes}
    out = kwargs.pop("briefings", tmp_path / "briefings")
    function = regenerate if call == "regenerate" else dry_run
    with pytest.raises(ConfigError, match=re.escape(needle)):
        function(articles, out, **kwargs)
    assert not (tmp_path / "briefings").exists() and not (articles / "out").exists()
    assert server.requests == []


def test_a_missing_articles_folder_is_an_input_error(tmp_path: Path, server: FakeOpenAI) -> None:
    with pytest.raises(InputError, match="is not a folder"):
        regenerate(tmp_path / "nope", tmp_path / "briefings", model=model(server))


def test_a_held_folder_lock_refuses_the_run_and_writes_nothing(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    with folder_lock(out), pytest.raises(ConfigError, match="another summariser regenerate"):
        regenerate(articles, out, model=model(server))
    assert not (out / MANIFEST).exists() and server.requests == []


def test_a_batched_run_reports_its_batch_rounds(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(FIXTURES / "event" / "strike_report.txt", folder)
    shutil.copy(FIXTURES / "event" / "strike_talks.html", folder)
    event = CASSETTES / "test_pipeline__event_pair.json"
    summaries: list[BatchSummary] = []
    with FakeBatchServer(responder=cassette_responder(event)) as fake:
        report = regenerate(
            folder,
            tmp_path / "briefings",
            model=f"{fake.base_url}#qwen2.5-1.5b",
            batch=BatchOptions(poll=0.01),
            on_batch=summaries.append,
        )
        assert fake.chat_requests == []  # every answer came through the batch
    assert sorted(o.name for o in report.outcomes if o.ok) == ["strike_report", "strike_talks"]
    assert len(summaries) == 1 and summaries[0].rounds == 1 and summaries[0].requests == 4


def test_the_function_is_exported_from_the_package_and_the_top_level() -> None:
    assert summariser.regenerate is regenerate and summariser.RunReport is RunReport
    assert {"regenerate", "RunReport"} <= set(summariser.__all__)
    # The subpackage's modules stay importable although the top-level name is the function.
    from summariser.regenerate import folder

    assert folder.regenerate is regenerate


def test_shared_files_name_sources_by_title_or_relative_path_and_edit_pages_are_a_switch(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An untitled article is named by its path in the articles folder — in the index, the briefing,
    its Markdown and its page — never by where the folder is on this machine (issue 17)."""
    folder = tmp_path / "articles" / "desk"
    folder.mkdir(parents=True)
    (folder / "untitled.txt").write_text(
        "Dock workers at the port of Valdmar walked off the job on Monday, halting grain shipments.\n\n"
        "Grain traders warned that a prolonged stoppage could push up wheat prices across the region.\n\n"
        "Talks to end the strike were chaired by Transport Minister Henrik Aalto on Tuesday evening.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    regenerate(tmp_path / "articles", tmp_path / "plain", model=model(server))
    regenerate(Path("articles"), Path("briefings"), model=model(server), edit_pages=True)
    briefing = Briefing.model_validate_json((tmp_path / "briefings" / "desk" / "untitled.json").read_bytes())
    assert briefing.sources[0].title is None and [s.path for s in briefing.sources] == ["desk/untitled.txt"]
    for out in (tmp_path / "plain", tmp_path / "briefings"):
        assert "desk/untitled.txt" in (out / "index.html").read_text(encoding="utf-8")
        for written in (p for p in out.rglob("*") if p.suffix in {".json", ".md", ".html"}):
            assert str(tmp_path) not in written.read_text(encoding="utf-8"), written
    assert 'id="edit-data"' in (tmp_path / "briefings" / "desk" / "untitled.html").read_text(encoding="utf-8")
    assert 'id="edit-data"' not in (tmp_path / "plain" / "desk" / "untitled.html").read_text(encoding="utf-8")
