"""`summariser.events.stored`: an article's grouping features as JSON and kept on disk by content."""

from __future__ import annotations

from pathlib import Path

from helpers.stories import STORIES

from summariser.events.features import article_features
from summariser.events.stored import FeatureStore, from_json, to_json
from summariser.events.stream import EventStream
from summariser.ingest.read import make_article


def test_features_come_back_from_json_as_they_went_in() -> None:
    article = make_article(STORIES["quake_chile_1.txt"][1], title=None, published=None, path="a.txt")
    features = article_features(article)
    assert from_json(to_json(features)) == features


def test_the_store_reads_an_article_once_and_a_stream_fed_from_it_places_the_same(tmp_path: Path) -> None:
    articles = [make_article(text, title=None, published=None, path=name) for name, (_, text) in STORIES.items()]
    store = FeatureStore(tmp_path / "features")
    direct, stored = EventStream(), EventStream()
    for article in articles:
        direct.add(article)
        stored.add(article, features=store.features(article))
    assert store.hits == 0
    again = FeatureStore(tmp_path / "features")
    replayed = EventStream()
    for article in articles:
        replayed.add(article, features=again.features(article))
    assert again.hits == len(articles)
    assert direct.grouping() == stored.grouping() == replayed.grouping()
    store.close()
    again.close()
    assert FeatureStore(None).features(articles[0]) == article_features(articles[0])
