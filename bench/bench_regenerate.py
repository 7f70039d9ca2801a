"""Regenerate benchmark: throughput against a real local server, and a no-op re-run at scale.

    .venv/bin/python bench/bench_regenerate.py [--articles 20] [--concurrency 1 2 4]
                                               [--corpus 1000] [--out bench/results/regenerate.md]

(a) Starts llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) on
    loopback with the small embedded model (2 threads), writes the first ``--articles`` FRANK
    dev articles as ``.txt`` files, and runs ``summariser regenerate`` over them once per
    concurrency level (fresh output folder, response cache off, so the model really runs),
    reporting articles/minute. The server is stopped at the end.
(b) Builds a corpus of ``--corpus`` distinct articles once against a loopback stand-in model
    (tests/helpers/echo_model.py — the model is not what (b) measures), then times the
    ``summariser regenerate`` command (a fresh process, imports included) re-run over it with
    nothing changed, and the same re-run with one article edited.

One run, same machine: compare the ratios (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.echo_model import echo_answer  # noqa: E402
from helpers.fake_server import FakeOpenAI  # noqa: E402

from summariser.llm.weights import EMBEDDED_MODELS, assemble  # noqa: E402

DATASET = ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"
CLI = [sys.executable, "-m", "summariser", "regenerate"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(model: Path, port: int) -> subprocess.Popen[bytes]:
    """Start llama_cpp.server and wait until it answers /v1/models."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            "2",
            "--n_ctx",
            "8192",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(
                    "llama_cpp.server exited; install the bench extra: pip install -e .[bench]"
                ) from None
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("llama_cpp.server did not start within 120 s")


def regenerate(
    articles: Path, out: Path, model: str, *extra: str, env: dict[str, str] | None = None
) -> tuple[float, dict[str, Any]]:
    """Run the CLI; return (wall seconds, its --json summary)."""
    start = time.perf_counter()
    done = subprocess.run(
        [*CLI, str(articles), str(out), "--model", model, "--json", *extra],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=7200,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 7):
        raise RuntimeError(f"regenerate failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, json.loads(done.stdout)


def throughput(rows: list[dict[str, Any]], levels: list[int], tmp: Path) -> list[str]:
    arts = tmp / "frank"
    arts.mkdir()
    for row in rows:
        (arts / f"{row['id']}.txt").write_text(row["article"], encoding="utf-8")
    port = free_port()
    server = start_server(assemble(EMBEDDED_MODELS["qwen2.5-0.5b"]), port)
    lines = []
    try:
        for level in levels:
            seconds, result = regenerate(
                arts,
                tmp / f"out-{level}",
                f"http://127.0.0.1:{port}/v1#qwen2.5-0.5b",
                "--concurrency",
                str(level),
                env={"SUMMARISER_CACHE": "off"},
            )
            built, usage = result["built"], result["usage"]
            lines.append(
                f"| {level} | {built}/{len(rows)} built, {len(result['failed'])} failed | {seconds:.0f} s "
                f"| {built / seconds * 60:.2f} | {usage['prompt_tokens']} / {usage['completion_tokens']} |"
            )
            print(lines[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return lines


def noop_rerun(rows: list[dict[str, Any]], corpus: int, tmp: Path) -> list[tuple[str, str]]:
    arts, out = tmp / "corpus", tmp / "corpus-out"
    arts.mkdir()
    for i in range(corpus):
        row = rows[i % len(rows)]
        (arts / f"a{i:05d}.txt").write_text(f"{row['article']}\n\nDesk copy {i}.\n", encoding="utf-8")
    env = {"SUMMARISER_CACHE_DIR": str(tmp / "cache")}
    with FakeOpenAI(responder=echo_answer) as fake:
        model = f"{fake.base_url}#echo"
        build_s, built = regenerate(arts, out, model, "--concurrency", "4", env=env)
        noop_s, noop = regenerate(arts, out, model, env=env)
        first = arts / "a00000.txt"
        first.write_text(first.read_text(encoding="utf-8") + "Updated.\n", encoding="utf-8")
        one_s, one = regenerate(arts, out, model, env=env)
    assert noop["built"] == 0 and one["built"] == 1, (noop, one)
    return [
        (
            f"(b) first build of {corpus} articles (stand-in model, concurrency 4)",
            f"{build_s:.1f} s, {built['built']} built",
        ),
        (f"(b) re-run, nothing changed ({corpus} unchanged)", f"**{noop_s:.2f} s** (target < 2 s)"),
        ("(b) re-run, one article edited", f"{one_s:.2f} s, {one['built']} rebuilt"),
    ]


def main() -> int:
    """Run both parts and print (and optionally write) Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--corpus", type=int, default=1000)
    parser.add_argument("--skip-server", action="store_true", help="only part (b)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not DATASET.exists():
        print(f"error: {DATASET} not found", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        scale = noop_rerun(rows, args.corpus, Path(tmp))
        for k, v in scale:
            print(f"| {k} | {v} |", flush=True)
        server_rows = [] if args.skip_server else throughput(rows[: args.articles], args.concurrency, Path(tmp))
    header = (
        f"bench/bench_regenerate.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    parts = [header, ""]
    if server_rows:
        parts += [
            f"(a) {args.articles} FRANK dev articles, `llama_cpp.server` + Qwen2.5-0.5B (2 threads), cache off:",
            "",
            "| concurrency | result | wall time | articles/min | tokens in / out |",
            "|---|---|---|---|---|",
            *server_rows,
            "",
        ]
    parts += ["| measure | result |", "|---|---|", *(f"| {k} | {v} |" for k, v in scale)]
    text = "\n".join(parts) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
