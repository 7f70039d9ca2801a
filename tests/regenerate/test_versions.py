"""``regenerate --group-by event``: a briefing rebuilt because articles joined it is the next version.

The earlier version is kept beside it (``NAME.versions/N.json``, the last `history.KEEP`), the new
one says what the new articles add (``updates``), and a rebuild with no new article (``force``)
is the same version made again. The events come from a grouping file here (one story whose
articles arrive one run at a time) and from the folder's own grouping with the embedded model's
recorded answers about the strike report and the talks that joined it; the other runs use the
echo stand-in model (`helpers.echo_model`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.paths import CASSETTES, FIXTURES

from summariser import Settings, regenerate
from summariser.brief.updates import version_of
from summariser.output.render import read_briefing
from summariser.regenerate.history import KEEP, history_files
from summariser.regenerate.paths import output_problem

UPDATES = FIXTURES / "updates"
ARRIVALS = ["quake_first.txt", "quake_update.txt", "quake_restated.txt"]


@pytest.fixture
def echo(tmp_path: Path) -> Iterator[Settings]:
    with FakeOpenAI(responder=echo_answer) as server:
        yield Settings(model=f"{server.base_url}#echo", cache_dir=tmp_path / "cache")


def story(folder: Path, files: list[str]) -> None:
    """The articles folder holding ``files`` (from tests/fixtures/updates or generated), all in one event."""
    folder.mkdir(exist_ok=True)
    (folder / "groups.yaml").write_text("quake:\n" + "".join(f"  - {f}\n" for f in files), encoding="utf-8")


def test_an_event_that_gains_an_article_keeps_its_earlier_version_and_says_what_is_new(
    echo: Settings, tmp_path: Path
) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    story(articles, ARRIVALS[:1])
    shutil.copy(UPDATES / ARRIVALS[0], articles)
    regenerate(articles, out, settings=echo, group_by="event")
    first = read_briefing(out / "quake.json")
    assert first.updates is None and history_files(out, "quake") == {}

    story(articles, ARRIVALS[:2])
    shutil.copy(UPDATES / ARRIVALS[1], articles)
    report = regenerate(articles, out, settings=echo, group_by="event")
    assert [o.ok for o in report.outcomes] == [True]
    assert report.outcomes[0].news is not None and report.outcomes[0].news.startswith("version 2: ")
    assert "2 changes" in report.outcomes[0].news  # the summary table's line: deaths and injured
    second = read_briefing(out / "quake.json")
    assert second.updates is not None and second.updates.since.version == 1
    assert first.meta is not None and first.meta.made is not None and second.updates.since.made == first.meta.made
    assert {(c.quantity, c.old, c.new) for c in second.updates.changes} >= {("deaths", "30", "45")}
    assert history_files(out, "quake") == {1: "quake.versions/1.json"}
    kept = read_briefing(out / "quake.versions" / "1.json")
    assert kept.model_dump() == first.model_dump()  # the version the reader read, as it was
    assert (out / "quake.md").read_text(encoding="utf-8").splitlines()[2].startswith("## What's new since version 1")

    forced = regenerate(articles, out, settings=echo, group_by="event", force=True)  # no new article: same version
    assert [o.ok for o in forced.outcomes] == [True]
    again = read_briefing(out / "quake.json")
    assert version_of(again) == 2 and again.updates is not None and again.updates.changes == second.updates.changes
    assert history_files(out, "quake") == {1: "quake.versions/1.json"}


def test_the_history_is_bounded_and_pruned_with_its_briefing(echo: Settings, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    names = []
    for day in range(KEEP + 2):
        name = f"day{day}.txt"
        names.append(name)
        story(articles, names)
        (articles / name).write_text(
            f"Day {day} of the Veloria quake response\n\nRescue team {day} reached the village of Orm{day} "
            f"on day {day} of the search.\n\nVolunteers from the town of Kes{day} brought food and water.\n\n"
            f"Engineers checked the bridge at Lun{day} and found it safe.\n",
            encoding="utf-8",
        )
        regenerate(articles, out, settings=echo, group_by="event")
    current = read_briefing(out / "quake.json")
    assert version_of(current) == KEEP + 2
    kept = history_files(out, "quake")
    assert sorted(kept) == list(range(2, KEEP + 2))  # the last KEEP versions; the first one dropped
    assert all(version_of(read_briefing(out / path)) == v for v, path in kept.items())
    (articles / "groups.yaml").unlink()
    for name in names:
        (articles / name).unlink()
    (articles / "other.txt").write_text((UPDATES / "vote_first.txt").read_text(encoding="utf-8"), encoding="utf-8")
    regenerate(articles, out, settings=echo, group_by="event", groups=None, prune=True)
    assert not (out / "quake.json").exists() and history_files(out, "quake") == {}
    assert not list((out / "quake.versions").glob("*.json"))


def test_a_file_group_is_never_versioned(echo: Settings, tmp_path: Path) -> None:
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    articles.mkdir()
    shutil.copy(UPDATES / "quake_first.txt", articles / "quake.txt")
    regenerate(articles, out, settings=echo)
    shutil.copy(UPDATES / "quake_update.txt", articles / "quake.txt")  # the same file, edited
    regenerate(articles, out, settings=echo)
    assert read_briefing(out / "quake.json").updates is None and history_files(out, "quake") == {}


def test_a_name_that_would_be_a_briefings_history_is_refused() -> None:
    assert output_problem("story.versions") is not None and output_problem("a/story.Versions/x") is not None
    assert output_problem("story.version") is None


def test_the_folders_own_grouping_rebuilds_the_event_with_its_update(tmp_path: Path) -> None:
    """The embedded model's recorded answers: the report is an event; the talks join it on the next run."""
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    articles.mkdir()
    settings = Settings(cassette=CASSETTES / "test_pipeline__event_pair.json", cache_dir=tmp_path / "cache")
    shutil.copy(FIXTURES / "event" / "strike_report.txt", articles)
    regenerate(articles, out, settings=settings, group_by="event")
    shutil.copy(FIXTURES / "event" / "strike_talks.html", articles)
    report = regenerate(articles, out, settings=settings, group_by="event")
    [(name, joined)] = report.joined.items()
    assert joined == ["strike_talks.html"]
    data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    assert data["updates"]["since"]["version"] == 1 and "Henrik Aalto" in {p["name"] for p in data["updates"]["people"]}
    assert history_files(out, name) == {1: f"{name}.versions/1.json"}
    assert 'id="whats-new"' in (out / f"{name}.html").read_text(encoding="utf-8")
