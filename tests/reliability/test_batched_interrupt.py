"""``regenerate`` on the embedded model with batching, killed mid-run, loses nothing (issue 16).

The REAL 0.5B model, four sequences side by side (``SUMMARISER_SEQUENCES=4``: two briefings
at once, each with its two requests in one llama.cpp batch), over four short articles. The
run is stopped while the batch is decoding — by SIGKILL at a named point (the second briefing
written, before its manifest entry: the other worker's requests are in the batch), and by
Ctrl-C (SIGINT) once a briefing is saved. After either, every briefing on disk is whole and
valid, every saved one is kept untouched by the next run, no temporary file is left, and the
next run (batched too, same response cache) builds exactly the rest.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summariser import testpoints
from summariser.regenerate.manifest import MANIFEST, load_manifest
from summariser.schemas import Briefing

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("small_model")]

ARTICLES = {
    "port": "Dockworkers in Valdmar ended a nine-day strike on Monday. Union leader Marta Kessel said members "
    "voted 412 to 96 to accept a 6 percent raise. Grain exports will resume on Wednesday, port director "
    "Jonas Berg said.",
    "rail": "The Lund regional council awarded a 40 million euro contract for a new tram line on Tuesday. "
    "Council chair Ingrid Sol said work would start in March. Opposition leader Pavel Ek called the "
    "tender rushed.",
    "storm": "Storms closed the coastal road near Hallby for two days. Road agency engineer Tomas Varg said "
    "repairs would take a week. Ferries to the islands ran an extra service on Thursday.",
    "school": "Teachers in Norrvik won a two-year pay deal on Friday after talks with the city. Teachers' "
    "union head Lena Orr said the deal ends a month of protests. Mayor Karl Dahl said the city budget "
    "covers it.",
}


def _run(articles: Path, out: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "summariser", "regenerate", str(articles), str(out), "--model", "small", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SUMMARISER_SEQUENCES": "4", **env},
    )


def _on_disk(out: Path) -> dict[str, int]:
    """Every briefing JSON in ``out`` validates; its name → mtime."""
    found = {}
    for path in sorted(out.glob("*.json")):
        Briefing.model_validate_json(path.read_bytes())
        found[path.stem] = path.stat().st_mtime_ns
    return found


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_batched_run_stopped_mid_batch_keeps_every_briefing_and_the_rerun_builds_the_rest(
    tmp_path: Path, sig: signal.Signals
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "briefings"

    if sig == signal.SIGKILL:
        proc = _run(articles, out, **{testpoints.ENV: "briefing-written:2"})
        _, err = proc.communicate(timeout=900)
    else:
        proc = _run(articles, out)
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / MANIFEST).exists() and load_manifest(out).briefings:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 130), err[-2000:]
    if sig == signal.SIGINT:
        assert "interrupted" in err and "rerun" in err and "Traceback" not in err, err[-2000:]

    saved = set(load_manifest(out).briefings)
    before = _on_disk(out)
    assert 1 <= len(saved) < len(ARTICLES), saved
    assert saved <= set(before)

    rest = _run(articles, out)  # the kill point was only in the first run's environment
    _, err = rest.communicate(timeout=900)
    assert rest.returncode == 0, err[-2000:]
    after = _on_disk(out)
    assert set(after) == set(ARTICLES)
    for name in saved:  # a briefing saved before the stop is not rebuilt
        assert after[name] == before[name]
    assert set(load_manifest(out).briefings) == set(ARTICLES)  # one entry per briefing, by name
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob("*.tmp"))
