"""summariser.group on fresh articles: events found, the same every time, little moved by the order."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from helpers.stories import STORIES, gold_of, write_stories

from summariser import Article, group
from summariser.errors import ConfigError, InputError
from summariser.evaluation.scoring.clusters import score_clusters
from summariser.events.model import Decision
from summariser.ingest.read import make_article


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_stories(tmp_path_factory.mktemp("stories"))


def _predicted(paths: list[Path], order: str = "given") -> dict[str, str]:
    grouping = group([str(p) for p in paths], order=order)  # type: ignore[arg-type]
    return {Path(a).name: e.id for e in grouping.events for a in e.articles}


def test_the_same_articles_in_the_same_order_give_the_same_events(stories: list[Path]) -> None:
    first = group([str(p) for p in stories])
    again = group([str(p) for p in stories])
    assert first == again
    assert [e.id for e in first.events] == [e.id for e in again.events]
    assert sum(len(e.articles) for e in first.events) == len(STORIES)


def test_the_six_events_are_found_in_every_order(stories: list[Path]) -> None:
    gold = gold_of([p.name for p in stories])
    f1 = []
    for seed in range(5):
        order = list(stories)
        random.Random(seed).shuffle(order)
        scores = score_clusters(_predicted(order), gold)
        f1.append(scores.bcubed.f1)
    assert min(f1) >= 0.85, f1
    assert max(f1) - min(f1) <= 0.15, f1


def test_two_earthquakes_stay_apart(stories: list[Path]) -> None:
    predicted = _predicted(stories)
    assert predicted["quake_chile_1.txt"] == predicted["quake_chile_2.txt"]
    assert predicted["quake_japan_1.txt"] == predicted["quake_japan_2.txt"]
    assert predicted["quake_chile_1.txt"] != predicted["quake_japan_1.txt"]


def test_an_event_tells_its_label_names_span_and_reasons(stories: list[Path]) -> None:
    grouping = group([str(p) for p in stories])
    chile = next(e for e in grouping.events if any("quake_chile_1" in a for a in e.articles))
    assert chile.id.startswith("ev-") and chile.label
    assert "Chile" in chile.places
    founder, *others = chile.members
    assert founder.score is None and founder.reason.startswith("founded the event")
    assert all(m.score is not None and m.reason.startswith("joined: p=") for m in others)


def test_an_events_label_is_a_headline_where_one_of_its_articles_has_one() -> None:
    """Whichever article is the most central, the label is a headline where one is known, not a first line."""
    names = ("quake_chile_1.txt", "quake_chile_2.txt")
    for titled in names:
        # each story opens with its headline; the other article is its body alone (no headline to infer)
        texts = {n: STORIES[n][1] if n == titled else STORIES[n][1].split("\n", 1)[1].strip() for n in names}
        articles = [make_article(texts[n], path=n) for n in names]
        headline = next(a.title for a in articles if a.title is not None)
        assert [a.title is not None for a in articles].count(True) == 1  # the other has none to give
        (event,) = group(articles, order="given").events
        assert event.label == headline  # fewer words than `describe.LABEL_WORDS`: whole


def test_published_time_sets_the_arrival_order() -> None:
    text = STORIES["quake_chile_1.txt"][1]
    late = make_article(text, published=dt.datetime(2026, 3, 5, 9, 0), path="late.txt")
    early = make_article(STORIES["quake_chile_2.txt"][1], published=dt.datetime(2026, 3, 4, 9, 0), path="early.txt")
    grouping = group([late, early])
    assert [m.article for e in grouping.events for m in e.members if m.position == 0] == ["early.txt"]
    given = group([late, early], order="given")
    assert [m.article for e in given.events for m in e.members if m.position == 0] == ["late.txt"]
    assert grouping.events[0].start == dt.date(2026, 3, 4) and grouping.events[0].end == dt.date(2026, 3, 5)


def test_events_far_apart_in_time_are_not_joined() -> None:
    one = make_article(STORIES["quake_chile_1.txt"][1], published=dt.datetime(2026, 3, 4), path="a.txt")
    two = make_article(STORIES["quake_chile_2.txt"][1], published=dt.datetime(2026, 6, 4), path="b.txt")
    assert len(group([one, two]).events) == 2
    assert len(group([one, two], window=None).events) == 1


def test_exact_and_near_copies_join_their_original_counted_once(tmp_path: Path) -> None:
    text = STORIES["ruling_1.txt"][1]
    near = text.replace("Supreme Court blocks Riverton dam over river habitat", "Court halts Riverton dam")
    near = near.replace("said it would study the judgment.", "said it would study the judgment, a spokesman said.")
    paths = []
    for name, body in (("ruling.txt", text), ("copy.txt", text), ("near.txt", near)):
        (tmp_path / name).write_text(body, encoding="utf-8")
        paths.append(str(tmp_path / name))
    grouping = group(paths)
    assert len(grouping.events) == 1
    event = grouping.events[0]
    assert event.articles == paths and event.size == 1
    _, copy, close = event.members
    assert copy.copy_of == paths[0] and copy.score == 1.0 and copy.reason.startswith("exact copy")
    assert close.copy_of == paths[0] and close.reason.startswith("near copy")


def test_records_of_a_json_lines_file_are_articles_of_their_own(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": STORIES["football_1.txt"][1]}),
        json.dumps({"text": STORIES["results_harbour_1.txt"][1]}),
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    names = [a for e in group([str(path)]).events for a in e.articles]
    assert names == [f"{path}#a1", f"{path} line 2"]


def test_bad_inputs_are_one_line_input_errors(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        group([str(tmp_path / "blank.txt")])
    with pytest.raises(InputError, match="no articles to group"):
        group([])
    with pytest.raises(InputError, match="is a directory"):
        group([str(tmp_path)])
    with pytest.raises(ConfigError, match="unknown order"):
        group([Article(id="x", text="Some text.")], order="random")  # type: ignore[arg-type]


def test_a_decision_names_only_known_features() -> None:
    with pytest.raises(ConfigError, match="unknown grouping feature 'colour'"):
        Decision({"colour": 1.0}, 0.0)
