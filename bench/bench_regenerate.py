"""Regenerate benchmark: throughput against a real local server, and the machinery at 1,000 to 100,000 articles.

    .venv/bin/python bench/bench_regenerate.py [--articles 20] [--concurrency 1 2 4] [--skip-server]
                                               [--llama-server SLOTS] [--embedded 1 4] [--server-model qwen2.5-0.5b]
                                               [--scale 1000 10000 100000] [--build-max 10000] [--skip-scale]
                                               [--out bench/results/regenerate.md]

(a) Starts an OpenAI-compatible server on loopback with the small embedded model (or
    ``--server-model``; ``SUMMARISER_THREADS`` threads, default all cores), writes the first
    ``--articles`` FRANK dev articles as ``.txt`` files, and runs ``summariser regenerate``
    over them once per concurrency level (fresh output folder, response cache off, so the
    model really runs), reporting articles/minute. The server is llama-cpp-python's
    (``python -m llama_cpp.server``, one request at a time), or with ``--llama-server SLOTS``
    llama.cpp's own batching ``llama-server`` with that many slots
    (`summariser.llm.embedded.llama_server`; built on its first use, ~6 min once, if it is not cached).
    The server is stopped at the end. ``--embedded 1 4`` adds the same runs in-process on the
    embedded model with 1 and 4 sequences decoded side by side (``SUMMARISER_SEQUENCES``; -j is
    half the sequences: a briefing's two requests decode together). ``--concurrency`` with no
    level skips the server. Each row counts the briefings that differ from the first row's of
    the same backend (server, or in-process).
(b) Scale, against a loopback stand-in model (tests/helpers/echo_model.py): for each ``--scale``
    size, that many distinct articles; the first build (sizes up to ``--build-max``; above it
    the built state is synthesised — each article gets a built briefing's files and its own
    manifest entry, hashed), the re-run with nothing changed, the re-run with one article
    edited: each a fresh ``summariser regenerate`` process, its wall time and peak memory
    (VmHWM), and the manifest's size on disk; beside it, one save and one load of 0.x's JSON manifest.

One run, same machine: compare the ratios (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.echo_model import echo_answer  # noqa: E402
from helpers.fake_server import FakeOpenAI  # noqa: E402

from summariser.llm.embedded.backend import threads  # noqa: E402
from summariser.llm.embedded.llama_server import serve  # noqa: E402
from summariser.llm.embedded.weights import EMBEDDED_MODELS, EmbeddedModel, assemble  # noqa: E402
from summariser.regenerate.manifest import MANIFEST, Manifest, input_state, load_manifest, save_manifest  # noqa: E402
from summariser.regenerate.paths import outputs  # noqa: E402

DATASET = ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"
#: ``python -m summariser`` writing its peak memory to ``$BENCH_PEAK_FILE`` at exit (VmHWM counts
#: from exec; a child's ru_maxrss would count the forking bench's pages too).
PEAK = (
    "import atexit, os, runpy, sys\n"
    "def peak():\n"
    "    kb = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "    open(os.environ['BENCH_PEAK_FILE'], 'w').write(kb[0] if kb else '0')\n"
    "atexit.register(peak)\n"
    "sys.argv = ['summariser', *sys.argv[1:]]\n"
    "runpy.run_module('summariser', run_name='__main__', alter_sys=True)\n"
)
CLI = [sys.executable, "-c", PEAK, "regenerate"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def llama_cpp_server(model: EmbeddedModel) -> Iterator[str]:
    """Run llama_cpp.server on ``model`` until it answers on its port; yield the model string."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(assemble(model)),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            str(threads()),
            "--n_ctx",
            "8192",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(
                        "llama_cpp.server exited; install the bench extra: pip install -e .[bench]"
                    ) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not start within 120 s") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1#{model.alias}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def llama_server(model: EmbeddedModel, slots: int) -> Iterator[str]:
    """Run llama.cpp's batching llama-server with ``slots`` slots; yield the model string."""
    with serve(model, parallel=slots) as server:
        yield server.model_string


def regenerate(
    articles: Path, out: Path, model: str, *extra: str, env: dict[str, str] | None = None
) -> tuple[float, int, dict[str, Any]]:
    """Run the CLI; return (wall seconds, its peak memory in MB, its --json summary)."""
    with tempfile.TemporaryDirectory() as scratch:
        peak = Path(scratch) / "peak"
        start = time.perf_counter()
        done = subprocess.run(
            [*CLI, str(articles), str(out), "--model", model, "--json", *extra],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {}), "BENCH_PEAK_FILE": str(peak)},
            timeout=7200,
        )
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 7):
            raise RuntimeError(f"regenerate failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return seconds, int(peak.read_text()) // 1024, json.loads(done.stdout)


def _bodies(out: Path) -> dict[str, str]:
    """Each briefing's JSON without its ``meta`` (timings, usage), by file name."""
    bodies = {}
    for path in sorted(out.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("meta", None)
        bodies[path.name] = json.dumps(data, sort_keys=True)
    return bodies


def _differ(first: dict[str, str], other: dict[str, str]) -> str:
    names = set(first) | set(other)
    return f"{sum(1 for n in names if first.get(n) != other.get(n))} of {len(names)}"


def _row(label: str, rows: int, seconds: float, result: dict[str, Any], differ: str) -> str:
    built, usage = result["built"], result["usage"]
    return (
        f"| {label} | {built}/{rows} built, {len(result['failed'])} failed | {seconds:.0f} s "
        f"| {built / seconds * 60:.2f} | {usage['prompt_tokens']} / {usage['completion_tokens']} | {differ} |"
    )


def throughput(
    rows: list[dict[str, Any]],
    levels: list[int],
    tmp: Path,
    model: EmbeddedModel,
    slots: int | None,
    embedded: list[int],
) -> list[str]:
    """Table rows: ``regenerate`` at each -j level against the server, then in-process with each sequence count."""
    arts = tmp / "frank"
    arts.mkdir()
    for row in rows:
        (arts / f"{row['id']}.txt").write_text(row["article"], encoding="utf-8")
    off = {"SUMMARISER_CACHE": "off"}
    lines: list[str] = []
    first: dict[str, str] | None = None
    if levels:
        with llama_server(model, slots) if slots else llama_cpp_server(model) as url:
            for level in levels:
                out = tmp / f"out-{level}"
                seconds, _, result = regenerate(arts, out, url, "-j", str(level), env=off)
                first = first if first is not None else _bodies(out)
                lines.append(_row(f"-j {level}", len(rows), seconds, result, _differ(first, _bodies(out))))
                print(lines[-1], flush=True)
    # the embedded backend in-process: -j fills the batch (two requests a briefing); compared with its own first row
    first = None
    for n_seq in embedded:
        out = tmp / f"out-embedded-{n_seq}"
        env = {**off, "SUMMARISER_SEQUENCES": str(n_seq)}
        jobs = str(max(1, n_seq // 2))
        seconds, _, result = regenerate(arts, out, f"local:{model.alias}", "-j", jobs, env=env)
        first = first if first is not None else _bodies(out)
        label = f"embedded in-process, {n_seq} sequence{'s' if n_seq > 1 else ''} (-j {jobs})"
        lines.append(_row(label, len(rows), seconds, result, _differ(first, _bodies(out))))
        print(lines[-1], flush=True)
    return lines


def write_articles(rows: list[dict[str, Any]], arts: Path, n: int) -> None:
    arts.mkdir(parents=True)
    for i in range(n):
        row = rows[i % len(rows)]
        (arts / f"a{i:06d}.txt").write_text(f"{row['article']}\n\nDesk copy {i}.\n", encoding="utf-8")


def manifest_mb(out: Path) -> float:
    return sum(p.stat().st_size for p in out.glob(f"{MANIFEST}*")) / 2**20


def synthesise(arts: Path, out: Path, template: Path, n: int) -> float:
    """The built state of ``n`` articles without building them; return the seconds it took.

    Article ``i`` gets the files of briefing ``i mod t`` of ``template`` (a folder of ``t``
    built briefings) and a manifest entry of its own: its hash and stat, its files, its source.
    """
    start = time.perf_counter()
    built = load_manifest(template)
    out.mkdir(parents=True)
    manifest = Manifest()
    for i in range(n):
        name, model = f"a{i:06d}", f"a{i % len(built.briefings):06d}"
        for src, dst in zip(outputs(model), outputs(name), strict=True):
            shutil.copyfile(template / src, out / dst)
        digest, stat = input_state(arts / f"{name}.txt")
        manifest.briefings[name] = built.briefings[model].model_copy(
            update={
                "inputs": {f"{name}.txt": digest},
                "stats": {f"{name}.txt": stat},
                "files": outputs(name),
                "sources": [str(arts / f"{name}.txt")],
            }
        )
    save_manifest(out, manifest)
    return time.perf_counter() - start


def json_storage(out: Path, scratch: Path) -> str:
    """One save and one load of this manifest as the single JSON file of 0.x (what a save cost, every second)."""
    manifest = load_manifest(out)
    start = time.perf_counter()
    data = manifest.model_dump(mode="json")
    data["briefings"] = dict(sorted(data["briefings"].items()))
    with scratch.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    saved = time.perf_counter() - start
    start = time.perf_counter()
    Manifest.model_validate_json(scratch.read_bytes())
    loaded = time.perf_counter() - start
    size = scratch.stat().st_size / 2**20
    scratch.unlink()
    return f"{saved:.2f} s / {loaded:.2f} s ({size:.1f} MB)"


def scale(rows: list[dict[str, Any]], sizes: list[int], build_max: int, tmp: Path) -> list[tuple[str, list[str]]]:
    """Part (b): one column per size; the rows of the table."""
    env = {"SUMMARISER_CACHE_DIR": str(tmp / "cache")}
    columns: list[list[str]] = []
    template: Path | None = None
    with FakeOpenAI(responder=echo_answer) as fake:
        model = f"{fake.base_url}#echo"
        for n in sorted(sizes):
            need = n * 40 * 1024  # an article and its three files, with room to spare
            if shutil.disk_usage(tmp).free < need:
                raise RuntimeError(f"{n} articles need {need / 2**30:.1f} GB free in {tmp}; free some space")
            arts, out = tmp / f"arts-{n}", tmp / f"out-{n}"
            write_articles(rows, arts, n)
            if n <= build_max or template is None:
                secs, mem, built = regenerate(arts, out, model, "--concurrency", "4", env=env)
                assert built["built"] == n, built
                first = f"{secs:.1f} s, {mem} MB"
            else:
                first = f"synthesised ({synthesise(arts, out, template, n):.0f} s; not built)"
            noop_s, noop_mem, noop = regenerate(arts, out, model, env=env)
            edited = arts / "a000000.txt"
            edited.write_text(edited.read_text(encoding="utf-8") + "Updated.\n", encoding="utf-8")
            one_s, one_mem, one = regenerate(arts, out, model, env=env)
            assert noop["built"] == 0 and noop["unchanged"] == n and one["built"] == 1, (noop, one)
            cells = [first, f"**{noop_s:.1f} s**, {noop_mem} MB", f"{one_s:.1f} s, {one_mem} MB"]
            columns.append([*cells, f"{manifest_mb(out):.1f} MB", json_storage(out, tmp / "scratch.json")])
            print(f"{n}: {columns[-1]}", flush=True)
            if template is not None and template != out:
                shutil.rmtree(template.parent / template.name.replace("out-", "arts-"))
                shutil.rmtree(template)
            template = out
    labels = [
        "first build (stand-in model, `-j 4`): time, peak memory",
        "re-run, nothing changed: time, peak memory",
        "re-run, one article edited: time, peak memory",
        "`manifest.sqlite` on disk",
        "0.x's single `manifest.json` at this size: one save / one load",
    ]
    return [(label, [col[i] for col in columns]) for i, label in enumerate(labels)]


def main() -> int:
    """Run both parts and print (and optionally write) Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--scale", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--build-max", type=int, default=10000, help="larger sizes are synthesised, not built")
    parser.add_argument("--skip-server", action="store_true", help="only part (b)")
    parser.add_argument("--skip-scale", action="store_true", help="only part (a)")
    parser.add_argument(
        "--llama-server", type=int, metavar="SLOTS", default=None, help="part (a) on llama-server with SLOTS slots"
    )
    parser.add_argument(
        "--embedded",
        type=int,
        nargs="*",
        metavar="SEQUENCES",
        default=[],
        help="part (a) also in-process on the embedded model with each count of sequences side by side",
    )
    parser.add_argument("--server-model", choices=sorted(EMBEDDED_MODELS), default="qwen2.5-0.5b")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not DATASET.exists():
        print(f"error: {DATASET} not found", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        table = [] if args.skip_scale else scale(rows, args.scale, args.build_max, Path(tmp))
        model = EMBEDDED_MODELS[args.server_model]
        server_rows = (
            []
            if args.skip_server
            else throughput(rows[: args.articles], args.concurrency, Path(tmp), model, args.llama_server, args.embedded)
        )
    header = (
        f"bench/bench_regenerate.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; {time.perf_counter() - started:.0f} s in all"
    )
    parts = [header, ""]
    if server_rows:
        server = f"`llama-server` ({args.llama_server} slots)" if args.llama_server else "`llama_cpp.server`"
        where = [server] if args.concurrency else []
        where += ["in-process"] if args.embedded else []
        parts += [
            f"(a) {args.articles} FRANK dev articles, {' and '.join(where)}, local:{args.server_model} "
            f"({threads()} threads), cache off:",
            "",
            "| run | result | wall time | articles/min | tokens in / out | differ from its backend's first row |",
            "|---|---|---|---|---|---|",
            *server_rows,
            "",
        ]
    sizes = sorted(args.scale)
    if table:
        parts += [
            f"(b) {', '.join(f'{n:,}' for n in sizes)} distinct articles, stand-in model (sizes over "
            f"{args.build_max:,} synthesised); target at 100,000: re-run with nothing changed ≤ 30 s, ≤ 1 GB:",
            "",
            "| measure | " + " | ".join(f"{n:,} articles" for n in sizes) + " |",
            "|---|" + "---|" * len(sizes),
            *(f"| {label} | " + " | ".join(cells) + " |" for label, cells in table),
        ]
    text = "\n".join(parts) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
