"""Near-duplicate sketches: a copy with small edits is found, a different story is not."""

from __future__ import annotations

from helpers.stories import STORIES

from summariser.events.duplicates import NEAR_DUPLICATE, DuplicateIndex, jaccard
from summariser.events.features import SKETCH_SIZE, article_features
from summariser.ingest.read import make_article


def _sketch(text: str) -> tuple[int, ...]:
    return article_features(make_article(text)).sketch


def test_sketches_estimate_jaccard() -> None:
    text = STORIES["ruling_1.txt"][1]
    assert len(_sketch(text)) <= SKETCH_SIZE
    assert jaccard(_sketch(text), _sketch(text)) == 1.0
    edited = text.replace("the agency must redo", "the water agency must now redo")
    assert NEAR_DUPLICATE <= jaccard(_sketch(text), _sketch(edited)) < 1.0
    assert jaccard(_sketch(text), _sketch(STORIES["ruling_2.txt"][1])) < NEAR_DUPLICATE


def test_the_index_finds_exact_and_near_copies_only() -> None:
    index = DuplicateIndex()
    original = STORIES["football_1.txt"][1]
    index.add(0, "id-0", _sketch(original))
    index.add(1, "id-1", _sketch(STORIES["ruling_1.txt"][1]))
    exact = index.find("id-0", _sketch(original))
    assert exact is not None and exact.exact and exact.article == 0
    near = index.find("id-9", _sketch(original.replace("praised her side's pressing", "praised the pressing")))
    assert near is not None and not near.exact and near.article == 0
    assert index.find("id-8", _sketch(STORIES["quake_japan_1.txt"][1])) is None
