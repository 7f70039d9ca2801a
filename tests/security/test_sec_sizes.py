"""Hostile sizes (issue 14, item 14): the review page, eval's list pairing and its name check stay (near) linear.

A briefing someone sends you can hold any number of evidence items, people and
organisations, and a long source text. Each path is timed at a small and a 10× larger
hostile size and must cost less than `MAX_RATIO` times as much (a quadratic path costs
about 100×); times are the best of a few runs, so a busy machine does not decide. The fast
paths are also checked against the obvious slow ones on hypothesis-generated inputs, so
being fast did not change an answer.
"""

from __future__ import annotations

import gc
import itertools
import math
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.briefings import gold_briefing, write_set
from helpers.terminal import in_process
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.evaluation.scoring.briefing import score_briefing
from summariser.evaluation.scoring.pairing import MAX_PAIRED_ITEMS, pair
from summariser.evaluation.scoring.phrases import occurring
from summariser.output.review import render_review, segments
from summariser.schemas import Briefing, Evidence, Organisation, Person, SourceRef

#: 10× the items may cost at most this many times the time (linear: ~10, n log n: ~13, quadratic: ~100).
MAX_RATIO = 25
#: Seconds the small size may take at most (milliseconds, when the path is linear).
LITTLE_BUDGET = 20.0
#: The timed tests: a path run at a hostile size and at ten times it, the best of a few runs each.
_SLOW = pytest.mark.slow(reason="times a path at a hostile size and at 10x it, the best of a few runs each")
_ALONE = pytest.mark.alone(reason="a ratio of two timings: a neighbour busy during one of them would decide it")


def TIMED(test: Callable[..., None]) -> Callable[..., None]:  # a decorator, as the marks are
    return _SLOW(_ALONE(test))


class _TooSlow(Exception):
    pass


def best_time(work: Callable[[], object], runs: int = 3, budget: float | None = None) -> float:
    """The shortest of ``runs`` timings of ``work()`` in seconds, the garbage collector off (as `timeit` does);
    ``inf`` once they take over ``budget`` seconds."""

    def stop(*_: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    if budget is not None:  # a quadratic path on the big size would take minutes: stop it at what failing needs
        signal.setitimer(signal.ITIMER_REAL, budget, 0.5)  # and again every 0.5 s, should one be swallowed
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    except _TooSlow:
        return math.inf
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        gc.enable()
    return min(times)


def assert_scales(name: str, make: Callable[[int], Callable[[], object]], small: int) -> None:
    """``make(n)()`` at ``10 * small`` costs less than `MAX_RATIO` times ``make(small)()``."""
    little = best_time(make(small), budget=LITTLE_BUDGET)
    assert little < math.inf, f"{name}: even {small} items took over {LITTLE_BUDGET:.0f} s"
    budget = 3 * 2 * MAX_RATIO * little + 2.0  # three runs, each allowed twice what passing allows
    big = best_time(make(10 * small), budget=budget)
    figures.record("security", "hostile_sizes_timed", 2)
    ratio = big / max(little, 1e-6)
    took = f"{big:.3f} s" if big < math.inf else f"over {budget:.1f} s: stopped"
    assert ratio < MAX_RATIO, f"{name}: {10 * small} items cost {ratio:.0f}× {small} items ({took}; {little:.3f} s)"


# --------------------------------------------------------------------------- the review page


def naive_segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, list[str]]]:
    """The review page's cutting as it was: every span tested against every piece (quadratic)."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    return [(text[a:b], [ev for s, e, ev in spans if s <= a and b <= e]) for a, b in itertools.pairwise(cuts)]


@settings(max_examples=examples(1500), deadline=None)
@given(
    st.integers(0, 40).flatmap(
        lambda n: st.tuples(st.just("x" * n), st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=12))
    )
)
def test_the_linear_segments_are_the_quadratic_ones(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, bounds = case
    figures.record("security", "review_span_sets")
    spans = [(s, e, f"ev{i}") for i, (s, e) in enumerate(bounds)]
    assert [(seg.text, seg.ev_ids) for seg in segments(text, spans)] == naive_segments(text, spans)


def _many_spans(n: int) -> Callable[[], object]:
    rng = random.Random(n)
    text = "word " * (4 * n)
    starts = [rng.randrange(0, len(text) - 30) for _ in range(n)]
    spans = [(s, s + rng.randrange(1, 30), f"ev{i}") for i, s in enumerate(starts)]
    return lambda: segments(text, spans)


@TIMED
def test_segments_scale_linearly_with_the_evidence_items() -> None:
    assert_scales("segments", _many_spans, 10_000)


def _briefing_with_evidence(n: int) -> Callable[[], object]:
    """A briefing whose ``n`` people each carry one located evidence span of the one source."""
    base = gold_briefing()
    text = " ".join(f"Person{i} Example spoke." for i in range(n))
    people, at = [], 0
    for i in range(n):
        name = f"Person{i} Example"
        start = text.index(name, at)
        at = start + len(name)
        people.append(
            Person(name=name, evidence=[Evidence(doc_id="a1", start=start, end=at, quote=name, match="exact")])
        )
    briefing = base.model_copy(update={"people": people, "sources": [SourceRef(doc_id="a1", title="t", text=text)]})
    return lambda: render_review(briefing)


@TIMED
def test_the_review_page_scales_linearly_with_the_evidence_items() -> None:
    assert_scales("review page", _briefing_with_evidence, 1000)


# --------------------------------------------------------------------------- eval's list pairing


def test_pairing_costs_at_most_the_limit_squared_however_long_the_lists() -> None:
    calls = [0]

    def counted(a: str, b: str) -> float:
        calls[0] += 1
        return 1.0 if a == b else 0.0

    n = 5 * MAX_PAIRED_ITEMS
    gold, pred = [f"item {i}" for i in range(n)], [f"item {i}" for i in reversed(range(n))]
    result = pair(gold, pred, counted, 0.8)
    figures.record("security", "pairing_items", 2 * n)
    assert calls[0] <= MAX_PAIRED_ITEMS**2, f"{calls[0]} similarities for {n} × {n} items"
    assert result.over_limit == 2 * (n - MAX_PAIRED_ITEMS)
    assert len(result.pairs) + len(result.missing) == n and len(result.pairs) + len(result.extra) == n
    small = pair(gold[:50], pred[-50:], counted, 0.8)  # under the limit: paired in full, as before
    assert len(small.pairs) == 50 and small.over_limit == 0 and not small.missing and not small.extra


def _names(n: int) -> list[str]:
    rng = random.Random(n)
    return [f"{rng.choice('BCDFGHKLMNPRST')}{rng.randrange(10**6)} Q{rng.randrange(10**6)}" for _ in range(n)]


@TIMED
def test_pairing_scales_to_hostile_list_lengths() -> None:
    from summariser.evaluation.scoring.similarity import name_similarity

    def make(n: int) -> Callable[[], object]:
        gold, pred = _names(n), _names(n + 1)
        return lambda: pair(gold, pred, name_similarity, 0.8)

    assert_scales("pairing", make, 40 * MAX_PAIRED_ITEMS // 100)


# --------------------------------------------------------------------------- the names-in-source check

_WORDS = st.lists(st.sampled_from(["a", "b", "c", ""]), min_size=1, max_size=30)  # as split(" ") gives them


@settings(max_examples=examples(1500), deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "c", ""]), max_size=4), max_size=8), _WORDS)
def test_the_one_pass_phrase_search_finds_what_searching_each_phrase_finds(
    phrases: list[list[str]], words: list[str]
) -> None:
    figures.record("security", "phrase_sets")
    haystack = " " + " ".join(words) + " "
    expected = [not phrase or f" {' '.join(phrase)} " in haystack for phrase in phrases]
    assert occurring(phrases, words) == expected


def _prediction_with_names(n: int) -> Callable[[], object]:
    """A prediction naming ``n`` organisations, half of them in a source text that grows with ``n``."""
    names = _names(n)
    text = " ".join(names[::2]) + " " + " ".join(f"filler{i}" for i in range(20 * n))
    pred = gold_briefing().model_copy(
        update={
            "people": [],
            "organisations": [Organisation(name=x) for x in names],
            "sources": [SourceRef(doc_id="a1", text=text)],
        }
    )
    raw = pred.model_dump_json()
    gold = gold_briefing()

    def run() -> Any:
        score = score_briefing("hostile", gold, raw)
        assert len(score.names_not_in_source) == n - len(names[::2])
        return score

    return run


@TIMED
def test_the_names_check_scales_linearly_with_names_and_text() -> None:
    assert_scales("names in source", _prediction_with_names, 1000)


def test_briefings_of_ordinary_size_are_scored_as_before() -> None:
    gold = gold_briefing()
    pred: Briefing = gold.model_copy(deep=True)
    pred.organisations.append(Organisation(name="Invented Shipping Line"))
    score = score_briefing("ordinary", gold, pred.model_dump_json())
    assert score.names_not_in_source == ["Invented Shipping Line"]
    assert score.lists["organisations"].matched == 2 and score.lists["organisations"].extra == [
        "Invented Shipping Line"
    ]


def test_eval_names_a_list_too_long_to_pair_in_full(tmp_path: Path) -> None:
    gold = gold_briefing()
    pred = gold.model_copy(update={"people": [Person(name=n) for n in _names(3 * MAX_PAIRED_ITEMS)]})
    gold_dir, pred_dir = write_set(tmp_path, {"big": gold}, {"big": pred})
    started = time.perf_counter()
    code, _, stderr = in_process("eval", "--gold", gold_dir, "--pred", pred_dir)
    assert code == 0, stderr
    assert time.perf_counter() - started < 60
    assert (
        f"warning: big: people has 4 gold and {3 * MAX_PAIRED_ITEMS} predicted items; only the first "
        f"{MAX_PAIRED_ITEMS} of each were paired, the rest count as missing or extra"
    ) in " ".join(stderr.split())
