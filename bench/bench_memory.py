"""Memory benchmark: peak RSS of ``summariser brief`` on large articles of hostile shapes, by size.

    .venv/bin/python bench/bench_memory.py [--shape prose ...] [--mb 2 10 20] [--out FILE]
    .venv/bin/python bench/bench_memory.py --at-limit [--figures test-artifacts/reliability.json]

For each shape and size, an article (tests/helpers/large_articles.py: prose, repeated names, one
sentence, no punctuation, short lines, long words, HTML) is briefed by a fresh ``summariser brief``
process against a loopback stand-in model (tests/helpers/echo_model.py), without the response
cache; its peak RSS (VmHWM), wall time and how it ended are printed as a Markdown table. The child
imports ``summariser`` as this process would: put another checkout first on ``PYTHONPATH`` to
measure it (the code before a change), e.g. ``PYTHONPATH=../old .venv/bin/python bench/bench_memory.py``.
A child that goes over 8 GiB of address space ends in MemoryError (``helpers.large_articles``).

``--at-limit`` is the memory check the test suite leaves to CI (tests/security/test_sec_large_articles.py
says why: a growth per MB needs megabytes of span, and those are minutes): the growth from 1 MiB to 3 MiB of
short lines (spaCy parses all of it) and from 1 MiB to the input limit (`summariser.ingest.limits.
max_input_bytes`, 20 MB) of long words (few tokens a byte: every other pass sees all of it) is at most
`helpers.large_articles.PER_MB` MiB a MB; those articles and a ``.jsonl`` of 20 long-word articles at the
limit are briefed, each within `helpers.large_articles.allowed` of an ordinary small article's peak. Two
children run at once (each one's own peak is read); it exits 1 when any check fails. ``--figures`` adds
the peaks at the limit to the counters the suite wrote, for the "memory briefing at the input limit" row
of docs/reliability.md (scripts/reliability_table.py). CI runs it after the suite (.ci/run).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.large_articles import (  # noqa: E402
    CONSTANT_MIB,
    ORDINARY,
    PER_MB,
    SHAPES,
    Briefed,
    allowed,
    article,
    brief_peak,
    echo_server,
)

from summariser.ingest.limits import max_input_bytes  # noqa: E402

#: ``--at-limit``'s growths: shape and the larger size (None: the input limit), from 1 MiB.
GROWTHS = (("short-lines", 3 * 2**20), ("long-words", None))
#: The figure each peak at the input limit is written as.
FIGURES = {"long-words": "peak_rss_mib_brief_limit_long_words", "jsonl-articles": "peak_rss_mib_brief_limit_jsonl"}


def _briefed(model: str, folder: Path, shape: str, size: int) -> tuple[Briefed, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"{shape}-", dir=folder))
    name, text = article(shape, size)
    path = folder / name
    path.write_text(text, encoding="ascii")
    del text
    started = time.perf_counter()
    done = brief_peak(path, model, folder / "briefing.json", timeout=6 * 3600)
    path.unlink()
    return done, time.perf_counter() - started


def _ended(done: Briefed) -> str:
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return "briefing" if done.returncode == 0 else f"exit {done.returncode}: {last[:90]}"


def at_limit(model: str, folder: Path, figures: Path | None) -> int:
    """The ``--at-limit`` checks (module docstring); 0 when all pass, else 1."""
    ordinary, _ = _briefed(model, folder, *ORDINARY)
    if ordinary.returncode != 0:
        print(f"error: the ordinary article was not briefed: {_ended(ordinary)}", file=sys.stderr)
        return 1
    limit, failures, peaks = max_input_bytes(), [], {}
    bound = allowed(ordinary.peak_mib, limit)
    print(f"an ordinary article ({ORDINARY[1]} bytes of {ORDINARY[0]}): {ordinary.peak_mib} MiB; the bound: "
          f"+ {CONSTANT_MIB} MiB + {PER_MB} MiB a MB ({bound:.0f} MiB at the limit)")  # fmt: skip
    print("| shape | size | peak RSS | wall time | ended |\n|---|---|---|---|---|", flush=True)

    def run(shape: str, size: int) -> Briefed:
        done, seconds = _briefed(model, folder, shape, size)
        mib = f"{size / 2**20:g} MiB"
        print(f"| {shape} | {mib} | {done.peak_mib} MiB | {seconds:.0f} s | {_ended(done)} |", flush=True)
        if done.returncode != 0 or done.peak_mib > allowed(ordinary.peak_mib, size):
            failures.append(f"{shape}, {size} bytes: {_ended(done)}, {done.peak_mib} MiB")
        if size == limit and shape in FIGURES:
            peaks[FIGURES[shape]] = done.peak_mib
        return done

    with ThreadPoolExecutor(2) as pool:  # two children at a time: each one's own peak RSS is read
        pending = [(shape, large or limit, pool.submit(run, shape, 2**20), pool.submit(run, shape, large or limit))
                   for shape, large in GROWTHS]  # fmt: skip
        jsonl = pool.submit(run, "jsonl-articles", limit)
    jsonl.result()  # its failure is in ``failures``; an exception is raised here
    for shape, large, low, high in pending:
        per_mb = (high.result().peak_mib - low.result().peak_mib) / ((large - 2**20) / 2**20)
        print(f"{shape}: {per_mb:.1f} MiB a MB from 1 MiB to {large / 2**20:g} MiB (at most {PER_MB})")
        if per_mb > PER_MB:
            failures.append(f"{shape}: {per_mb:.1f} MiB a MB from 1 MiB to {large} bytes, more than {PER_MB}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    if figures is not None:  # added to the suite's counters (tests/helpers/figures.py wrote them)
        counts = json.loads(figures.read_text(encoding="utf-8")) if figures.exists() else {}
        counts.setdefault("inputs", {}).update(peaks)
        security = counts.setdefault("security", {})
        security["large_articles"] = security.get("large_articles", 0) + 2 * len(GROWTHS) + 1
        figures.parent.mkdir(parents=True, exist_ok=True)
        figures.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", nargs="+", choices=SHAPES, default=["prose"])
    parser.add_argument("--mb", nargs="+", type=float, default=[2.0, 10.0, 20.0], help="sizes in MB (2**20 bytes)")
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    parser.add_argument("--at-limit", action="store_true", help="check the bound at the input limit (docstring)")
    parser.add_argument("--figures", type=Path, default=None, help="with --at-limit: add the peaks to this file")
    args = parser.parse_args()
    with echo_server() as server, tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        model = f"{server.base_url}#echo"
        if args.at_limit:
            return at_limit(model, Path(tmp), args.figures)
        lines = [
            f"bench/bench_memory.py on {platform.machine()}, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}",
            "",
            "| shape | size | peak RSS | wall time | ended |",
            "|---|---|---|---|---|",
        ]
        print("\n".join(lines), flush=True)
        for shape in args.shape:
            for mb in args.mb:
                done, seconds = _briefed(model, Path(tmp), shape, int(mb * 2**20))
                lines.append(f"| {shape} | {mb:g} MB | {done.peak_mib} MiB | {seconds:.0f} s | {_ended(done)} |")
                print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
