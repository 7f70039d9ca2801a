"""A long story (issue 27, goal 6): one event of 200 articles briefs within the schema's bounds, and its
rebuild after one new article asks the model about that article only.

The 200 reports are written here (one aftermath of one earthquake, day by day, each with its own
figures); the event is a hand-written grouping file's, so that the test is about the briefing of a
long event, not about whether 200 fresh texts group as one. The model is the echo stand-in behind
a loopback server, which records every request it is asked. One briefing merges at most
`MAX_ARTICLES` articles unless ``SUMMARISER_MAX_ARTICLES`` raises the cap: the test raises it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.regenerate import echo_url

from summariser.ingest.limits import MAX_ARTICLES_ENV
from summariser.regenerate import regenerate
from summariser.schemas import Briefing
from summariser.schemas.limits import (
    BRIEFING_MAX_IMPLICATIONS,
    BULLET_MAX_WORDS,
    HEADLINE_MAX_WORDS,
    SUMMARY_MAX_BULLETS,
    THEMES_MAX,
    word_count,
)

pytestmark = pytest.mark.slow(reason="200 articles briefed and merged twice against the stand-in model (~1 min)")

#: Reports in the event before the new one.
LONG = 200


def _report(day: int) -> str:
    return (
        f"Antofagasta quake: day {day} of the recovery\n\n"
        f"Rescue teams in Antofagasta inspected {100 + day * 7} more homes on day {day} after the magnitude "
        f"6.8 earthquake that struck northern Chile, the emergency office ONEMI said. Codelco said its Calama "
        f"copper mines kept working and {day + 3} aftershocks were recorded overnight. Mayor Karen Rojas said "
        f"{day * 2 + 1} families were still in shelters in the Chilean port city.\n"
    )


def _write(folder: Path, count: int) -> None:
    for day in range(count):
        path = folder / f"day_{day:03d}.txt"
        if not path.exists():
            path.write_text(_report(day), encoding="utf-8")
    lines = "".join(f"  - day_{day:03d}.txt\n" for day in range(count))
    (folder / "groups.yaml").write_text(f"antofagasta:\n{lines}", encoding="utf-8")


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


def test_a_200_article_event_briefs_within_bounds_and_its_rebuild_asks_only_about_the_new_article(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_ARTICLES_ENV, str(LONG + 1))
    articles, out = tmp_path / "articles", tmp_path / "briefings"
    articles.mkdir()
    _write(articles, LONG)

    first = regenerate(articles, out, model=echo_url(server), group_by="event")
    assert first.failed == [] and [o.name for o in first.outcomes] == ["antofagasta"]
    assert len(server.requests) == 2 * LONG  # two requests an article

    briefing = Briefing.model_validate_json((out / "antofagasta.json").read_bytes())
    assert len(briefing.sources) == LONG
    assert word_count(briefing.headline) <= HEADLINE_MAX_WORDS
    assert 1 <= len(briefing.summary) <= SUMMARY_MAX_BULLETS
    assert all(word_count(b.text) <= BULLET_MAX_WORDS for b in briefing.summary)
    assert len(briefing.themes) <= THEMES_MAX and len(briefing.implications) <= BRIEFING_MAX_IMPLICATIONS

    _write(articles, LONG + 1)  # day 200 arrives, and the analyst's grouping file lists it
    sent = len(server.requests)
    again = regenerate(articles, out, model=echo_url(server), group_by="event")

    assert again.failed == [] and [o.name for o in again.outcomes] == ["antofagasta"]
    new = server.requests[sent:]
    assert len(new) == 2 and all(f"day {LONG} of the recovery" in json.dumps(r.body) for r in new)
    work = again.outcomes[0].usage
    assert (work.requests, work.cache_hits) == (2 * (LONG + 1), 2 * LONG)  # linear: the past from the cache
    rebuilt = Briefing.model_validate_json((out / "antofagasta.json").read_bytes())
    assert len(rebuilt.sources) == LONG + 1 and len(rebuilt.summary) <= SUMMARY_MAX_BULLETS
