"""The no-op re-run of ``regenerate --group-by event`` over a large folder: its built state synthesised, then timed.

Part (c) of ``bench/bench_events_scale.py`` (see there). Building 100k briefings against even the
stand-in model takes hours, so the state a grouped run leaves is written directly: the articles
(FRANK dev texts, each with a line of its own so that no two are alike), ``grouping.sqlite`` and
``grouping.yaml`` through the product's own `save_state` / `editable_text`, ``manifest.sqlite``
through `save_manifest` (one entry per event, its articles hashed and stat'ed as a run records them),
and each event's files copied from a real grouped run of 20 articles against the stand-in model.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_regenerate import DATASET, regenerate, write_articles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI

from summariser.regenerate.auto_events import EDITABLE, editable_text
from summariser.regenerate.event_state import ArticleRow, EventState, save_state
from summariser.regenerate.manifest import Manifest, input_state, load_manifest, save_manifest
from summariser.regenerate.paths import outputs

__all__ = ["noop_rerun", "synthesise_events"]

#: Event sizes, in turn (mean 4.5 articles an event).
SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
TEMPLATE = 20


def synthesise_events(arts: Path, out: Path, template: Path, n: int) -> int:
    """The grouped state of the ``n`` articles of ``arts`` (module docstring); returns the number of events."""
    built = load_manifest(template)
    names = sorted(built.briefings)
    out.mkdir(parents=True)
    manifest, state = Manifest(), EventState()
    i = j = 0
    while i < n:
        size = min(SIZES[j % len(SIZES)], n - i)
        event = f"ev-{hashlib.sha256(str(j).encode()).hexdigest()[:12]}"
        model = names[j % len(names)]
        for src, dst in zip(outputs(model), outputs(event), strict=True):
            shutil.copyfile(template / src, out / dst)
        members = [f"a{k:06d}.txt" for k in range(i, i + size)]
        inputs, stats = {}, {}
        for rel in members:
            inputs[rel], stats[rel] = input_state(arts / rel)
            state.articles[rel] = ArticleRow(event=event, position=len(state.articles))
        manifest.briefings[event] = built.briefings[model].model_copy(
            update={"inputs": inputs, "stats": stats, "files": outputs(event), "sources": members}
        )
        state.labels[event] = f"Event {j}"
        i, j = i + size, j + 1
    save_manifest(out, manifest)
    save_state(out, state)
    (out / EDITABLE).write_text(editable_text(state), encoding="utf-8")
    return j


def noop_rerun(n: int) -> str:
    """Part (c): one line for the results."""
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory(prefix="bench-events-noop-") as scratch:
        tmp = Path(scratch)
        env = {"SUMMARISER_CACHE_DIR": str(tmp / "cache")}
        with FakeOpenAI(responder=echo_answer) as fake:
            model = f"{fake.base_url}#echo"
            write_articles(rows, tmp / "small", TEMPLATE)
            regenerate(tmp / "small", tmp / "template", model, "--group-by", "event", env=env)
            write_articles(rows, tmp / "arts", n)
            start = time.perf_counter()
            events = synthesise_events(tmp / "arts", tmp / "out", tmp / "template", n)
            made = time.perf_counter() - start
            runs = []
            for _ in range(2):
                seconds, peak, result = regenerate(tmp / "arts", tmp / "out", model, "--group-by", "event", env=env)
                assert result["built"] == 0 and result["unchanged"] == events, result
                runs.append(f"{seconds:.1f} s, {peak} MB")
        return (
            f"**No-op re-run of `regenerate --group-by event`**, {n:,} articles in {events:,} events "
            f"(state synthesised in {made:.0f} s): the first after synthesis {runs[0]} (it writes the index "
            f"the synthesis leaves out, and hashes the articles whose stat records were taken too soon after "
            f"they were written); **the next {runs[1]}** (target ≤ 30 s, ≤ 1 GB)"
        )


if __name__ == "__main__":
    print(noop_rerun(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
