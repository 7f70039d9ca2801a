"""``regenerate --group-by event`` with no grouping file: the folder grouped by itself and kept so (issue 27, goal 4).

The articles are the grouping tests' own fresh stories (`helpers.stories`: two reports of one
earthquake in Chile, two of a court ruling, one football match) plus a third Chile report and a
dated Japan report written here; the model is the echo stand-in behind a loopback server, so every
run builds real briefings and the server records every request the model was asked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cli import run
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.regenerate import echo_url
from helpers.stories import CHILE_3, FIRST, STORIES, write_stories

from summariser.errors import InputError
from summariser.ingest.limits import MAX_ARTICLES_ENV
from summariser.regenerate import dry_run, regenerate
from summariser.regenerate.auto_events import EDITABLE
from summariser.regenerate.event_state import STATE, load_state
from summariser.regenerate.manifest import load_manifest
from summariser.schemas import Briefing

#: A report of another event, dated (the index shows its day).
JAPAN = {
    "title": "Strong earthquake hits off Japan's Hokkaido",
    "published": "2026-03-07T06:00:00+09:00",
    "text": STORIES["quake_japan_1.txt"][1],
}
#: Words only the third Chile report has: a request about it carries them, no other request does.
ONLY_CHILE_3 = "magnitude 5.2 aftershock"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    write_stories(folder, FIRST)
    return folder


def _events(out: Path) -> dict[str, set[str]]:
    """Event → its articles, as the state holds them."""
    events: dict[str, set[str]] = {}
    for path, row in load_state(out).articles.items():
        events.setdefault(row.event, set()).add(path)
    return events


def _grouped(out: Path) -> set[frozenset[str]]:
    return {frozenset(paths) for paths in _events(out).values()}


def _event_of(out: Path, article: str) -> str:
    return load_state(out).articles[article].event


def _text(request: object) -> str:
    return json.dumps(getattr(request, "body", None))


def test_a_folder_without_a_grouping_file_is_briefed_one_merged_briefing_per_event(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    plan = dry_run(articles, out, model=echo_url(server), group_by="event", estimate=False)
    assert len(plan.todo) == 3 and not out.exists()  # a dry run groups too, and writes nothing

    report = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert report.failed == [] and sum(o.ok for o in report.outcomes) == 3
    assert _grouped(out) == {
        frozenset({"quake_chile_1.txt", "quake_chile_2.txt"}),
        frozenset({"ruling_1.txt", "ruling_2.txt"}),
        frozenset({"football_1.txt"}),
    }
    chile = _event_of(out, "quake_chile_1.txt")
    briefing = Briefing.model_validate_json((out / f"{chile}.json").read_bytes())
    assert sorted(s.path for s in briefing.sources if s.path) == ["quake_chile_1.txt", "quake_chile_2.txt"]
    assert set(load_manifest(out).briefings) == set(_events(out))
    editable = (out / EDITABLE).read_text(encoding="utf-8")
    assert f'"{chile}":\n  - "quake_chile_1.txt"\n  - "quake_chile_2.txt"' in editable
    assert str(tmp_path) not in editable  # shareable: no path of this machine
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# Events") and "quake_chile_1.txt; quake_chile_2.txt" in index

    sent = len(server.requests)
    again = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert again.outcomes == [] and again.unchanged == 3 and len(server.requests) == sent


def test_new_articles_join_their_event_and_only_the_events_that_changed_are_rebuilt(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=echo_url(server), group_by="event")
    before = _events(out)
    (articles / "quake_chile_3.txt").write_text(CHILE_3 + "\n", encoding="utf-8")
    (articles / "japan.json").write_text(json.dumps(JAPAN), encoding="utf-8")
    sent = len(server.requests)

    report = regenerate(articles, out, model=echo_url(server), group_by="event")

    chile = _event_of(out, "quake_chile_1.txt")
    japan = _event_of(out, "japan.json")
    assert _event_of(out, "quake_chile_3.txt") == chile  # joined its event
    assert japan not in before  # founded one
    for event, paths in before.items():  # the past is not re-clustered
        assert {p for p, row in load_state(out).articles.items() if row.event == event} >= paths
    assert sorted(o.name for o in report.outcomes) == sorted([chile, japan]) and report.unchanged == 2
    assert report.joined == {chile: ["quake_chile_3.txt"], japan: ["japan.json"]}
    # the Chile event asked the model only about the new article: the other two came from the cache
    work = next(o for o in report.outcomes if o.name == chile).usage
    assert work.cache_hits > 0 and work.requests - work.cache_hits == 2
    new = [_text(r) for r in server.requests[sent:]]
    assert sum(ONLY_CHILE_3 in t for t in new) == 2
    assert not any("Residents of Antofagasta cleared fallen walls" in t for t in new)
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "japan.json (2026-03-07)" in index and "quake_chile_3.txt" in index


def test_the_run_summary_shows_what_each_rebuilt_event_asked_the_model(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    assert run("regenerate", articles, out, "--group-by", "event", "--model", echo_url(server)).returncode == 0
    (articles / "quake_chile_3.txt").write_text(CHILE_3 + "\n", encoding="utf-8")
    done = run(
        "regenerate", articles, out, "--group-by", "event", "--model", echo_url(server), "--json",
        env={"COLUMNS": "400"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    chile = _event_of(out, "quake_chile_1.txt")
    summary = json.loads(done.stdout)
    work = {chile: {"joined": ["quake_chile_3.txt"], "requests": 6, "cache_hits": 4, "sent": 2}}
    assert {e: {k: v for k, v in w.items() if k != "news"} for e, w in summary["events"].items()} == work
    assert summary["events"][chile]["news"].startswith("version 2: ")  # what the third report adds
    shown = " ".join(done.stderr.replace("│", " ").split())  # a cell wrapped at any width reads on
    assert f"event {chile}" in shown and "+1 new (quake_chile_3.txt); 2 requests sent to the model, 4 from" in shown


def test_an_analysts_corrections_are_kept_by_every_later_run(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=echo_url(server), group_by="event")
    ruling, chile = _event_of(out, "ruling_1.txt"), _event_of(out, "quake_chile_1.txt")
    football = _event_of(out, "football_1.txt")
    # split: ruling_2 into an event of its own; merge: the football match into the Chile event (a test's whim)
    text = (
        f'"{chile}":\n  - "quake_chile_1.txt"\n  - "quake_chile_2.txt"\n  - "football_1.txt"\n'
        f'"{ruling}":\n  - "ruling_1.txt"\n"ruling-appeal":\n  - "ruling_2.txt"\n'
    )
    (out / EDITABLE).write_text(text, encoding="utf-8")

    report = regenerate(articles, out, model=echo_url(server), group_by="event", prune=True)
    expected = {
        frozenset({"quake_chile_1.txt", "quake_chile_2.txt", "football_1.txt"}),
        frozenset({"ruling_1.txt"}),
        frozenset({"ruling_2.txt"}),
    }
    assert _grouped(out) == expected and _event_of(out, "ruling_2.txt") == "ruling-appeal"
    assert sorted(o.name for o in report.outcomes) == sorted([chile, ruling, "ruling-appeal"])
    assert report.moved == 2 and report.orphans == [] and not (out / f"{football}.json").exists()

    (articles / "quake_chile_3.txt").write_text(CHILE_3 + "\n", encoding="utf-8")
    regenerate(articles, out, model=echo_url(server), group_by="event")
    (out / EDITABLE).unlink()  # the state keeps the corrections even without the file
    again = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert again.outcomes == []
    assert _event_of(out, "ruling_2.txt") == "ruling-appeal" and _event_of(out, "football_1.txt") == chile
    assert '"ruling-appeal":\n  - "ruling_2.txt"' in (out / EDITABLE).read_text(encoding="utf-8")


def test_a_hand_written_grouping_file_wins(server: FakeOpenAI, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    (articles / "groups.yaml").write_text("quakes: [quake_chile_1.txt, quake_chile_2.txt]\n", encoding="utf-8")
    report = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert sorted(o.name for o in report.outcomes) == ["football_1", "quakes", "ruling_1", "ruling_2"]
    assert report.joined is None and not (out / STATE).exists() and not (out / EDITABLE).exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ('"{ruling}":\n  - "football_1.txt"\n', "line 4: 'football_1.txt' is already in event"),
        ('"{ruling}":\n  - "gone.txt"\n', "line 2: 'gone.txt' is not an article in"),
        ('"ev-0123456789ab":\n  - "ruling_1.txt"\n', "line 1: unknown event 'ev-0123456789ab'"),
    ],
    ids=["article twice", "missing article", "unknown event"],
)
def test_a_bad_line_of_the_editable_grouping_is_one_line_naming_it(
    server: FakeOpenAI, articles: Path, tmp_path: Path, edit: str, message: str
) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=echo_url(server), group_by="event")
    ruling, football = _event_of(out, "ruling_1.txt"), _event_of(out, "football_1.txt")
    (out / EDITABLE).write_text(edit.format(ruling=ruling) + f'"{football}":\n  - "football_1.txt"\n', "utf-8")
    state = (out / STATE).read_bytes()
    with pytest.raises(InputError, match=message):
        regenerate(articles, out, model=echo_url(server), group_by="event")
    done = run("regenerate", articles, out, "--group-by", "event", "--model", echo_url(server))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and f"{EDITABLE} line" in done.stderr
    assert (out / STATE).read_bytes() == state  # nothing written


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ("a:\n  - ruling_1.txt\nb:\n  - football_1.txt\n  - ruling_1.txt\n", "line 5: 'ruling_1.txt' is already in"),
        ("a:\n  - ruling_1.txt\n  - nowhere.txt\n", "line 3: group 'a' lists 'nowhere.txt', which is not an article"),
    ],
    ids=["article twice", "missing article"],
)
def test_a_bad_line_of_a_hand_written_grouping_file_is_named(
    server: FakeOpenAI, articles: Path, tmp_path: Path, groups: str, message: str
) -> None:
    (tmp_path / "groups.yaml").write_text(groups, encoding="utf-8")
    done = run(
        "regenerate", articles, tmp_path / "out", "--group-by", "event", "--groups", tmp_path / "groups.yaml",
        "--model", echo_url(server),
    )  # fmt: skip
    assert done.returncode != 0 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_empty_unreadable_and_identical_articles_never_stop_the_run(server: FakeOpenAI, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    articles.mkdir()
    report = regenerate(articles, out, model=echo_url(server), group_by="event")  # an empty folder
    assert report.outcomes == [] and report.failed == [] and not (out / STATE).exists()

    text = STORIES["ruling_1.txt"][1] + "\n"
    (articles / "ruling.txt").write_text(text, encoding="utf-8")
    (articles / "ruling_copy.txt").write_text(text, encoding="utf-8")
    (articles / "blank.txt").write_text("   \n", encoding="utf-8")
    report = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert _grouped(out) == {frozenset({"ruling.txt", "ruling_copy.txt"}), frozenset({"blank.txt"})}
    assert [o.name for o in report.failed] == [_event_of(out, "blank.txt")]
    assert sum(o.ok for o in report.outcomes) == 1


def test_a_state_moved_away_is_recovered_from_the_editable_grouping(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    regenerate(articles, out, model=echo_url(server), group_by="event")
    ruling = _event_of(out, "ruling_1.txt")
    text = (out / EDITABLE).read_text(encoding="utf-8").replace('  - "ruling_2.txt"\n', "")
    (out / EDITABLE).write_text(text + '"ruling-appeal":\n  - "ruling_2.txt"\n', encoding="utf-8")
    (out / STATE).unlink()  # as the message of a damaged state says: move it away

    report = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert _event_of(out, "ruling_1.txt") == ruling and _event_of(out, "ruling_2.txt") == "ruling-appeal"
    assert sorted(o.name for o in report.outcomes) == sorted([ruling, "ruling-appeal"]) and report.unchanged == 2


def test_an_event_grown_past_the_cap_is_briefed_from_its_latest_articles_with_a_warning(
    server: FakeOpenAI, articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "briefings"
    (articles / "quake_chile_3.txt").write_text(CHILE_3 + "\n", encoding="utf-8")
    monkeypatch.setenv(MAX_ARTICLES_ENV, "2")

    report = regenerate(articles, out, model=echo_url(server), group_by="event")

    chile = _event_of(out, "quake_chile_1.txt")
    assert _events(out)[chile] == {"quake_chile_1.txt", "quake_chile_2.txt", "quake_chile_3.txt"}
    assert report.failed == []  # the story is briefed, not failed
    briefing = Briefing.model_validate_json((out / f"{chile}.json").read_bytes())
    assert sorted(s.path for s in briefing.sources if s.path) == ["quake_chile_2.txt", "quake_chile_3.txt"]
    assert [w for w in report.warnings if chile in w] == [
        f"event {chile}: 3 articles, over the cap of 2 for one briefing; briefed from its latest 2 "
        f"(raise the cap with {MAX_ARTICLES_ENV}=3 to brief them all)"
    ]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "quake_chile_1.txt" in index  # the index still lists every article of the event
