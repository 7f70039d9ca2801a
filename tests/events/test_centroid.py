"""An event's centroid keeps its heaviest terms, so that comparing an article with a long story costs no more
than with a short one, and what the story is about still decides."""

from __future__ import annotations

from collections import Counter

import numpy as np

from summariser.events.features import ENTITY_KINDS, ArticleFeatures
from summariser.events.similarity import CENTROID_TERMS, make_item, new_state, pair_features
from summariser.events.vectors import EMPTY, DocumentFrequencies, Sparse, cosine


def features(key: str, words: list[str]) -> ArticleFeatures:
    none: frozenset[str] = frozenset()
    return ArticleFeatures(
        id=key, tokens=Counter(words), lead=Counter(words[:10]), stems=Counter(words),
        entities={k: Counter() for k in ENTITY_KINDS}, names={k: {} for k in ENTITY_KINDS}, numbers=none,
        years=frozenset(), dates=frozenset(), when=None, sketch=(),
    )  # fmt: skip


def test_heaviest_keeps_the_largest_weights_in_bucket_order() -> None:
    row = Sparse(np.array([2, 4, 6, 8, 10], dtype=np.int64), np.array([1.0, 3.0, 1.0, 5.0, 2.0]))
    kept = row.heaviest(3)
    assert kept.indices.tolist() == [4, 8, 10] and kept.values.tolist() == [3.0, 5.0, 2.0]
    assert row.heaviest(9) is row
    tie = Sparse(np.array([1, 2, 3], dtype=np.int64), np.array([1.0, 1.0, 1.0])).heaviest(2)
    assert tie.indices.tolist() == [1, 2]  # ties: the lower bucket, so the same stream keeps the same terms


def test_a_long_story_keeps_a_bounded_centroid_and_still_matches_its_own_words() -> None:
    df = DocumentFrequencies()
    story = ["quake", "magnitude", "tsunami", "peru", "arequipa", "rescuers"]
    items = [make_item(features(f"a{i}", story + [f"w{i}x{j}" for j in range(300)])) for i in range(40)]
    state = new_state(0, 0, items[0])
    df.add(items[0].rows)
    for i, item in enumerate(items[1:], 1):
        state.add(i, item, copy=False)
        df.add(item.rows)
    assert state.sums["tok"].nnz == CENTROID_TERMS < 40 * 300
    whole = EMPTY
    for item in items:
        whole = whole + item.rows["tok"]  # the centroid uncut
    same = make_item(features("new", [*story, "aftershock"]))
    capped = pair_features(same, state, df)["tokens"]
    assert capped > 0.0 and abs(capped - cosine(same.rows["tok"], whole, df)) < 0.05 * capped
    other = make_item(features("other", ["election", "ballot", "senate", "vote", "campaign", "polls"]))
    assert pair_features(other, state, df)["tokens"] == 0.0


def test_every_article_weighs_the_same_in_its_events_centroid_however_long() -> None:
    df = DocumentFrequencies()  # nothing counted yet: every term weighs the same, so only length could differ
    long = make_item(features("long", [f"long{j}" for j in range(100)]))
    short = make_item(features("short", ["quake", "peru", "arequipa", "rescuers", "tsunami"]))
    state = new_state(0, 0, long)
    state.add(1, short, copy=False)
    like_long = pair_features(make_item(features("l2", [f"long{j}" for j in range(100)])), state, df)["tokens"]
    like_short = pair_features(
        make_item(features("s2", ["quake", "peru", "arequipa", "rescuers", "tsunami"])), state, df
    )["tokens"]
    assert abs(like_long - like_short) < 1e-9 and like_short > 0.7
