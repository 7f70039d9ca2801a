"""Item 3 of issue 24: briefing a large article costs memory bounded by a constant plus a small multiple of its size.

A 10 MB article (under the 20 MB input limit) took 1.5 GB; 11 MB of repeated names ended in
"internal error: MemoryError … (2500113, 96) array" at 3.5 GB. spaCy parsed every piece of a long
text in one batch (its working memory is ~17 KiB a token), grounding parsed the whole article again
for the relations of one fuzzy claim, every word new to spaCy stayed in its vocabulary, and every
character cost a Python int in the offset maps of normalisation and of the injection guard (and a
share of a frozenset in grounding's stems). Now `summariser.text.nlp` parses at most
`nlp.BATCH_TOKENS` tokens at a time (in a spaCy memory zone), grounding parses only the lines of the
window it checks (`nlp.relations_in`), and offsets and stems are machine integers.

Articles of hostile shapes are briefed by ``summariser brief`` in a child process against the echo
model on loopback (`helpers.echo_model`), and the child's peak RSS (VmHWM) is compared with a small
ordinary article's: it may exceed it by at most `helpers.large_articles.allowed` (one spaCy batch and
room, plus `PER_MB` MiB per MB of article). Generated articles (hypothesis: shape, size, words, seed)
are kept under 600 KB; a ``.txt`` of long words (few tokens a byte: every pass but spaCy's sees all of
it) and a ``.jsonl`` of 20 such articles are briefed at `LARGE` (3 MiB). Before the fix, 2 MB of
repeated names peaked at 5.7 GB.

The growth per MB (from 1 MiB to 3 MiB of short lines, to the 20 MB input limit of long words) and the
bound at the limit are ``bench/bench_memory.py --at-limit``, which CI runs after the suite (.ci/run) and
which fills the "memory briefing at the input limit" row of docs/reliability.md. A growth is a
difference of two peaks, and a peak varies by up to ~18 MiB between runs of one article (measured
2026-12-07: 625, 626 and 643 MiB for 1 MiB of short lines), so it needs megabytes of span to be read
(megabytes of short lines are spaCy's minutes); in the suite those runs were 8.5 of its ~21 CPU-minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import figures
from helpers.generated import FAST as GENERATED
from helpers.large_articles import ORDINARY, SHAPES, Briefed, allowed, article, brief_peak, echo_server
from helpers.tiers import examples
from hypothesis import Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.subprocess(reason="the peak RSS (VmHWM) of a fresh process briefing each large article")

#: The largest article the suite briefs: three times `nlp.CACHE_CHARS`, whose analyses the process keeps.
LARGE = 3 * 2**20
#: The shapes generated (a page of mostly markup is small once extracted: nothing to measure).
GENERATED_SHAPES = [shape for shape in SHAPES if shape != "html-page"]


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    with echo_server() as server:
        yield f"{server.base_url}#echo"


def brief(tmp_path: Path, url: str, shape: str, size: int, seed: int = 0) -> Briefed:
    """Brief a ``shape`` article of ``size`` bytes in a child. It ends in a briefing, or in one line naming
    why not (the echo model's bullets do not ground in a text without sentences): never an internal
    error or a traceback."""
    name, text = article(shape, size, seed)
    path, out = tmp_path / name, tmp_path / "briefing.json"
    path.write_text(text, encoding="ascii")
    assert path.stat().st_size == size
    done = brief_peak(path, url, out)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr[-2000:]
    if done.returncode == 0:
        assert out.read_text(encoding="utf-8")[:1] == "{"
    else:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and done.returncode != 70, done.stderr
    return done


@pytest.fixture(scope="module")
def ordinary(tmp_path_factory: pytest.TempPathFactory, echo: str) -> int:
    """The peak RSS (MiB) of briefing a small ordinary article: the interpreter, the package, spaCy."""
    ordinary = brief(tmp_path_factory.mktemp("ordinary"), echo, *ORDINARY)
    assert ordinary.returncode == 0, ordinary.stderr
    return ordinary.peak_mib


# No shrinking: a shrink of runs this big takes minutes.
@hypothesis_settings(GENERATED, max_examples=examples(5), phases=[Phase.explicit, Phase.generate])
@given(shape=st.sampled_from(GENERATED_SHAPES), size=st.integers(150_000, 600_000), seed=st.integers(0, 2**16))
def test_a_generated_large_article_is_briefed_in_bounded_memory(
    tmp_path_factory: pytest.TempPathFactory, echo: str, ordinary: int, shape: str, size: int, seed: int
) -> None:
    peak = brief(tmp_path_factory.mktemp(shape), echo, shape, size, seed).peak_mib
    figures.record("security", "large_articles")
    assert peak <= allowed(ordinary, size), f"{shape}, {size} bytes: {peak} MiB (an ordinary article: {ordinary})"


def test_a_large_article_of_long_words_is_briefed_in_bounded_memory(tmp_path: Path, echo: str, ordinary: int) -> None:
    """`LARGE` bytes of long words: spaCy is quick there, every other pass (normalisation, the guard, the parts
    and prompts, grounding) sees all of it."""
    done = brief(tmp_path, echo, "long-words", LARGE)
    assert done.returncode == 0, done.stderr  # briefed, not refused
    figures.record("security", "large_articles")
    assert done.peak_mib <= allowed(ordinary, LARGE), f"long words, {LARGE} bytes: {done.peak_mib} MiB"


def test_as_many_articles_as_one_briefing_takes_are_briefed_in_bounded_memory(
    tmp_path: Path, echo: str, ordinary: int
) -> None:
    """A ``.jsonl`` file of `LARGE` bytes holding 20 articles (`helpers.large_articles.MAX_ARTICLES`): drafted
    one after the other, grounded together."""
    done = brief(tmp_path, echo, "jsonl-articles", LARGE)
    assert done.returncode == 0, done.stderr  # briefed, not refused
    figures.record("security", "large_articles")
    assert done.peak_mib <= allowed(ordinary, LARGE), f"20 articles in {LARGE} bytes: {done.peak_mib} MiB"
