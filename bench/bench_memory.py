"""Memory benchmark: peak RSS of ``summariser brief`` on large articles of hostile shapes, by size.

    .venv/bin/python bench/bench_memory.py [--shape prose ...] [--mb 2 10 20] [--out FILE]

For each shape and size, an article (tests/helpers/large_articles.py: prose, repeated names, one
sentence, no punctuation, short lines, long words, HTML) is briefed by a fresh ``summariser brief``
process against a loopback stand-in model (tests/helpers/echo_model.py), without the response
cache; its peak RSS (VmHWM), wall time and how it ended are printed as a Markdown table. The child
imports ``summariser`` as this process would: put another checkout first on ``PYTHONPATH`` to
measure it (the code before a change), e.g. ``PYTHONPATH=../old .venv/bin/python bench/bench_memory.py``.
A child that goes over 8 GiB of address space ends in MemoryError (``helpers.large_articles``).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.echo_model import echo_answer  # noqa: E402
from helpers.fake_server import FakeOpenAI  # noqa: E402
from helpers.large_articles import SHAPES, article, brief_peak  # noqa: E402


class _Uncounted(list[object]):
    """A request log that keeps nothing (a 20 MB article is hundreds of requests)."""

    def append(self, item: object) -> None:
        return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", nargs="+", choices=SHAPES, default=["prose"])
    parser.add_argument("--mb", nargs="+", type=float, default=[2.0, 10.0, 20.0], help="sizes in MB (2**20 bytes)")
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    args = parser.parse_args()
    server = FakeOpenAI(responder=echo_answer)
    server.requests = _Uncounted()  # type: ignore[assignment]
    lines = [
        f"bench/bench_memory.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}",
        "",
        "| shape | size | peak RSS | wall time | ended |",
        "|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    with server, tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for shape in args.shape:
            for mb in args.mb:
                name, text = article(shape, int(mb * 2**20))
                path = Path(tmp) / name
                path.write_text(text, encoding="ascii")
                del text
                started = time.perf_counter()
                done = brief_peak(path, f"{server.base_url}#echo", Path(tmp) / "briefing.json", timeout=6 * 3600)
                seconds = time.perf_counter() - started
                last = (done.stderr.strip().splitlines() or [""])[-1]
                ended = "briefing" if done.returncode == 0 else f"exit {done.returncode}: {last[:90]}"
                lines.append(f"| {shape} | {mb:g} MB | {done.peak_mib} MiB | {seconds:.0f} s | {ended} |")
                print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
