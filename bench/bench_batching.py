"""Batched decoding benchmark (issue 16): side by side against one request at a time, on the embedded model.

    .venv/bin/python bench/bench_batching.py [--model local:qwen2.5-1.5b] [--articles 20]
                                             [--sequences 1 2 3 4 8] [--rounds 3] [--skip-briefing] [--skip-folder]
                                             [--out bench/results/batching.md]

One process, one run (the machine is shared and noisy: compare the ratios):

(1) one briefing: each seed article briefed (cache off) with its requests decoded one after
    the other (a batch of one sequence: what the embedded backend did before) and side by side
    (the default), ``--rounds`` times each in alternating order, after one untimed briefing of a
    short text (the first of a process loads spaCy, the grammar and the weights); the best wall
    time of each, the ratio, and whether all the briefings are identical;
(2) a folder: ``regenerate`` over the first ``--articles`` FRANK dev articles (cache off),
    one briefing at a time with one sequence (-j 1, before) against the default (side by
    side, as many briefings at a time as fill the batch); articles per minute, the ratio, and
    how many briefings differ;
(6) the limit: raw llama.cpp decode tokens/s with 1, 2, 3, 4 and 8 sequences stepping together
    (greedy, no grammar, one token per sequence per ``llama_decode``; best of three rounds),
    beside the lone sequence's, and whether each width gives every sequence the lone
    sequence's logits bit for bit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from summariser import Settings, regenerate, summarise
from summariser.llm.backends import resolve
from summariser.llm.embedded import sequence_routing as batching
from summariser.llm.embedded.backend import load_llama, threads
from summariser.llm.embedded.sequences import sequences_context

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRANK = SHARED / "eval-data" / "frank_cnndm_dev.jsonl"
WARM_UP = (
    "The port of Valdmar reopened on Monday after a nine-day strike. Union leader Marta Kessel said members "
    "accepted a 6 percent raise. Grain exports resume on Wednesday, port director Jonas Berg said."
)


def _settings(model: str) -> Settings:
    return Settings(model=model, cache="off")


def _brief_each_way(path: Path, model: str, llm: Any, rounds: int) -> dict[str, Any]:
    """Brief ``path`` with one sequence and side by side, ``rounds`` times in alternating order.

    The best time of each counts (on a shared machine other tenants only slow a run down); and
    whether every answer was the same.
    """
    out: dict[str, Any] = {"article": path.name}
    modes = (("one at a time", 1), ("side by side", batching.sequences()))
    answers = set()
    for r in range(rounds):
        for label, n_seq in modes if r % 2 == 0 else modes[::-1]:
            batching.resize(llm, n_seq)
            started = time.perf_counter()
            briefing = summarise([str(path)], settings=_settings(model))
            seconds = time.perf_counter() - started
            out[label] = min(out.get(label, seconds), seconds)
            answers.add(briefing.model_dump_json(exclude={"meta"}))
    out["identical"] = len(answers) == 1
    return out


def _folder(articles: Path, model: str, llm: Any, sequences: int, concurrency: int) -> tuple[float, Path]:
    out = Path(tempfile.mkdtemp(prefix=f"bench-batching-{sequences}-"))
    os.environ["SUMMARISER_SEQUENCES"] = str(sequences)
    batching.resize(llm, sequences)
    try:
        started = time.perf_counter()
        report = regenerate(articles, out, settings=_settings(model), concurrency=concurrency)
        seconds = time.perf_counter() - started
    finally:
        os.environ.pop("SUMMARISER_SEQUENCES", None)
    if report.failed:
        print(f"  {len(report.failed)} failed: {[o.detail for o in report.failed][:3]}", file=sys.stderr)
    return seconds, out


def _differ(a: Path, b: Path) -> int:
    def body(path: Path) -> str:
        data = json.loads(path.read_text())
        data.pop("meta", None)
        return json.dumps(data, sort_keys=True)

    names = sorted(p.name for p in a.glob("*.json"))
    return sum(1 for n in names if not (b / n).exists() or body(a / n) != body(b / n))


def _decode_run(llm: Any, prompt: list[int], k: int, steps: int) -> tuple[float, list[list[Any]]]:
    """One run of ``k`` sequences stepping together: tokens/s, and each sequence's first three logit vectors."""
    import llama_cpp
    import numpy as np

    n_vocab = llm.n_vocab()
    ctx = sequences_context(llm, k, 1024)
    batch = llama_cpp.llama_batch_init(max(len(prompt), k), 0, 1)
    try:
        last = []
        for seq in range(k):  # each sequence's prompt alone, as the batcher does
            for i, t in enumerate(prompt):
                batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = t, i, 1, i == len(prompt) - 1
                batch.seq_id[i][0] = seq
            batch.n_tokens = len(prompt)
            llama_cpp.llama_decode(ctx, batch)
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(n_vocab,))
            last.append(int(np.argmax(logits)))
        early: list[list[Any]] = [[] for _ in range(k)]
        started = time.perf_counter()
        for step in range(steps):
            for seq in range(k):
                batch.token[seq], batch.pos[seq], batch.n_seq_id[seq], batch.logits[seq] = (
                    last[seq],
                    len(prompt) + step,
                    1,
                    True,
                )
                batch.seq_id[seq][0] = seq
            batch.n_tokens = k
            llama_cpp.llama_decode(ctx, batch)
            for seq in range(k):
                logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, seq), shape=(n_vocab,))
                last[seq] = int(np.argmax(logits))
                if step < 3:
                    early[seq].append(logits.copy())
        return k * steps / (time.perf_counter() - started), early
    finally:
        llama_cpp.llama_batch_free(batch)
        llama_cpp.llama_free(ctx)


def raw_decode(llm: Any, widths: list[int], steps: int = 64, rounds: int = 3) -> dict[int, tuple[float, bool]]:
    """llama.cpp decode tokens/s with ``k`` sequences stepping together (greedy argmax, no grammar).

    Every sequence has the same prompt, so each must get the lone sequence's logits if the
    arithmetic does not depend on the batch's width; the second value says whether all did
    (the first three steps, bit for bit). The widths run in turn, ``rounds`` times, and the
    best round of each counts: on a shared machine the other tenants only ever slow a run down.
    """
    import numpy as np

    prompt = llm.tokenize(b"The finance ministers of the G7 met in Washington on Monday to discuss", add_bos=False)
    _, alone = _decode_run(llm, prompt, 1, 3)
    best: dict[int, float] = dict.fromkeys(widths, 0.0)
    same: dict[int, bool] = {}
    for _ in range(rounds):
        for k in widths:
            speed, early = _decode_run(llm, prompt, k, steps)
            best[k] = max(best[k], speed)
            same[k] = same.get(k, True) and all(
                np.array_equal(a, b) for seq in early for a, b in zip(alone[0], seq, strict=True)
            )
    return {k: (best[k], same[k]) for k in widths}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local:qwen2.5-1.5b")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--sequences", type=int, nargs="+", default=[1, 2, 3, 4, 8])
    parser.add_argument("--skip-folder", action="store_true")
    parser.add_argument("--skip-briefing", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="briefings of each seed in each mode")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    spec = resolve(args.model)
    assert spec.embedded is not None, "bench_batching measures the embedded model"
    llm = load_llama(spec.embedded)
    lines = [
        f"# Batched decoding ({spec.label}, {threads()} threads, {platform.machine()}, {time.strftime('%Y-%m-%d')})",
        "",
        f"`.venv/bin/python bench/bench_batching.py {' '.join(sys.argv[1:])}` — one process, one run.",
    ]
    seeds = [] if args.skip_briefing else sorted((SHARED / "seeds").glob("*.txt"))
    if seeds:
        lines += [
            "",
            "## One briefing: its requests one after the other vs side by side (cache off)",
            "",
            "| article | one at a time | side by side | ratio | identical |",
            "|---|---|---|---|---|",
        ]
        # untimed: the first briefing of a process also loads spaCy, the grammar and the weights' pages
        summarise(WARM_UP, settings=_settings(args.model))
    for path in seeds:
        row = _brief_each_way(path, args.model, llm, args.rounds)
        print(row, file=sys.stderr)
        ratio = row["side by side"] / row["one at a time"]
        lines.append(
            f"| {path.name[:12]}… | {row['one at a time']:.1f} s | {row['side by side']:.1f} s | "
            f"{ratio:.2f}× ({1 - ratio:.0%} less) | {'yes' if row['identical'] else 'NO'} |"
        )

    if not args.skip_folder:
        folder = Path(tempfile.mkdtemp(prefix="bench-batching-articles-"))
        with FRANK.open() as handle:
            for i, line in zip(range(args.articles), handle, strict=False):
                (folder / f"frank_{i:03d}.txt").write_text(json.loads(line)["article"])
        one_s, one_out = _folder(folder, args.model, llm, 1, 1)
        n_seq = batching.sequences()
        many_s, many_out = _folder(folder, args.model, llm, n_seq, 4)
        stats = llm.summariser_batcher.stats
        per_min = [args.articles / s * 60 for s in (one_s, many_s)]
        lines += [
            "",
            f"## A folder: regenerate over the first {args.articles} FRANK dev articles (cache off)",
            "",
            "| build | seconds | articles/min | ratio | briefings that differ |",
            "|---|---|---|---|---|",
            f"| one at a time (-j 1, 1 sequence: before) | {one_s:.0f} | {per_min[0]:.2f} | 1.00× | — |",
            f"| side by side (-j 4 → {max(1, n_seq // 2)} briefings, {n_seq} sequences) | {many_s:.0f} | "
            f"{per_min[1]:.2f} | {per_min[1] / per_min[0]:.2f}× | {_differ(one_out, many_out)} of {args.articles} |",
            "",
            f"Batched run: {stats.steps} decode steps, {stats.decode_tokens / max(stats.steps, 1):.2f} "
            f"sequences a step on average, widest {stats.widest}; {stats.shared_tokens} prompt tokens "
            "copied between sequences instead of evaluated.",
        ]
        shutil.rmtree(folder, ignore_errors=True)

    speeds = raw_decode(llm, args.sequences)
    lines += [
        "",
        "## The limit: raw llama.cpp decode with k sequences stepping together",
        "",
        "| sequences | tokens/s (all sequences) | × one sequence | logits as one sequence's |",
        "|---|---|---|---|",
        *(
            f"| {k} | {v:.1f} | {v / speeds[args.sequences[0]][0]:.2f}× | {'yes' if same else 'no'} |"
            for k, (v, same) in speeds.items()
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
