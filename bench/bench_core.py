"""Core benchmark: briefing time vs raw llama.cpp, cached throughput, pipeline overhead.

    .venv/bin/python bench/bench_core.py [--article ../shared/seeds/003_….txt] [--model local:qwen2.5-1.5b]
                                         [--hits 1000] [--out bench/results/core.md]

Measured in one process, one run (the machine is shared and noisy: compare the ratios):

(a) wall time of one briefing of the article on the embedded model (model already loaded,
    cache off), with its request count and prompt/completion tokens;
(b) raw llama.cpp: the same model generating the same number of tokens for the same chat
    prompts (no grammar, no instructor, no HTTP layer, end-of-turn suppressed so every
    request produces exactly as many tokens as the briefing's did), and the ratio (a)/(b);
    (b') the same with the briefing's JSON-Schema grammar, which separates the cost of
    constrained decoding from the cost of the pipeline around it; (b'') the same again with
    llama-cpp-python's own grammar sampler instead of `summariser.llm.embedded.sampling`;
(c) cached throughput: ``summarise()`` of the same article ``--hits`` times from the cache
    (briefings/s), and the per-call cost of one structured call through the full client
    (metering + cache hit + instructor + pydantic) against a bare instructor call answered by
    an in-memory transport with the same recorded response.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
import instructor
import openai

from summariser import Settings, summarise
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.embedded.backend import load_llama, threads
from summariser.llm.embedded.sampling import stock_sampler
from summariser.llm.schema_refs import inline_refs
from summariser.schemas import EntitiesDraft

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = ROOT.parent / "shared" / "seeds" / "003_23e1979fb4cc80f4.txt"


def raw_generation(llm: Any, exchanges: list[dict[str, Any]], grammar: bool = False) -> tuple[float, int, int]:
    """Replay the briefing's prompts on bare llama.cpp, forcing the same completion lengths.

    With ``grammar`` the same JSON-Schema constraint is applied (and the model stops where the
    briefing's answer stopped); without it, end-of-turn is suppressed so exactly as many
    tokens are generated as the briefing's answers had.
    """
    stop_ids = {llm.token_eos()}
    for text in ("<|im_end|>", "<|endoftext|>"):
        ids = llm.tokenize(text.encode(), add_bos=False, special=True)
        if len(ids) == 1:
            stop_ids.add(ids[0])
    bias = {i: -1e9 for i in stop_ids}
    llm.reset()
    start = time.perf_counter()
    prompt_tokens = completion_tokens = 0
    for ex in exchanges:
        n = ex["response"]["body"]["usage"]["completion_tokens"]
        extra: dict[str, Any] = {"logit_bias": bias}
        if grammar:
            schema = inline_refs(ex["request"]["body"]["response_format"]["json_schema"]["schema"])
            extra = {"response_format": {"type": "json_object", "schema": schema}}
        out = llm.create_chat_completion(
            messages=ex["request"]["body"]["messages"], max_tokens=n, temperature=0.0, seed=0, **extra
        )
        prompt_tokens += out["usage"]["prompt_tokens"]
        completion_tokens += out["usage"]["completion_tokens"]
    return time.perf_counter() - start, prompt_tokens, completion_tokens


def per_call_overhead(cassette: Path, identity: str, calls: int = 300) -> tuple[float, float]:
    """Seconds per structured call: full client on a cache hit vs bare instructor + in-memory reply."""
    data = json.loads(cassette.read_text())
    first = next(
        i
        for i in data["interactions"]
        if i["request"]["body"]["response_format"]["json_schema"]["name"] == "EntitiesDraft"
    )
    body, messages = first["response"]["body"], first["request"]["body"]["messages"]

    bare_transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=body))
    bare = instructor.from_openai(
        openai.OpenAI(
            base_url="http://bare/v1", api_key="x", http_client=httpx2.Client(transport=bare_transport), max_retries=0
        ),
        mode=instructor.Mode.JSON_SCHEMA,
    )
    spec = resolve("local")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_dir=Path(tmp), cassette=cassette, cassette_mode="replay")
        client = LLMClient(spec, settings.llm_options())
        client.extract(EntitiesDraft, messages)  # fills the cache from the cassette
        timings = {}
        for name, fn in (
            (
                "bare",
                lambda: bare.chat.completions.create(
                    model="m", response_model=EntitiesDraft, messages=messages, max_retries=0
                ),
            ),
            ("full", lambda: client.extract(EntitiesDraft, messages)),
        ):
            fn()
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            timings[name] = (time.perf_counter() - start) / calls
        client.close()
    return timings["full"], timings["bare"]


def main() -> int:
    """Run the benchmark and print (and optionally write) a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--model", default="local:qwen2.5-1.5b")
    parser.add_argument("--hits", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds of (a), (b), (b'); fastest kept")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.article.exists():
        print(f"error: {args.article} not found; pass --article", file=sys.stderr)
        return 2
    spec = resolve(args.model)
    assert spec.embedded is not None, "bench_core measures an embedded model"

    t0 = time.perf_counter()
    llm = load_llama(spec.embedded)
    load_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        cassette = Path(tmp) / "bench.json"
        settings = Settings(model=args.model, cache_dir=Path(tmp) / "cache", cassette=cassette, cassette_mode="record")
        # (a) one briefing, nothing cached (the cassette records the exchanges for (b) and (c)).
        t0 = time.perf_counter()
        briefing = summarise(args.article, settings=settings)
        brief_times = [time.perf_counter() - t0]
        usage = briefing.meta.usage if briefing.meta else None
        assert usage is not None and usage.cache_hits == 0
        exchanges = json.loads(cassette.read_text())["interactions"]

        # (b) raw llama.cpp, same prompts, same number of generated tokens; (b') with the grammar.
        # Rounds are interleaved and the fastest of each is kept: the machine is shared.
        raw_times, gram_times, stock_times = [], [], []
        for round_ in range(args.rounds):
            if round_:
                t0 = time.perf_counter()
                summarise(args.article, settings=Settings(model=args.model, cache="off"))
                brief_times.append(time.perf_counter() - t0)
            raw_s, raw_prompt, raw_completion = raw_generation(llm, exchanges)
            raw_times.append(raw_s)
            gram_s, _, gram_completion = raw_generation(llm, exchanges, grammar=True)
            gram_times.append(gram_s)
            with stock_sampler(llm):
                stock_times.append(raw_generation(llm, exchanges, grammar=True)[0])
        brief_s, raw_s, gram_s, stock_s = min(brief_times), min(raw_times), min(gram_times), min(stock_times)

        # (c) cache hits through the whole pipeline.
        cached = Settings(model=args.model, cache_dir=Path(tmp) / "cache")
        summarise(args.article, settings=cached)
        t0 = time.perf_counter()
        for _ in range(args.hits):
            summarise(args.article, settings=cached)
        hits_s = time.perf_counter() - t0
        full_call, bare_call = per_call_overhead(cassette, spec.identity)

    rows = [
        ("article", f"`{args.article.name}` ({len(args.article.read_text().split())} words)"),
        ("model", f"{args.model} ({threads()} threads), loaded in {load_s:.1f} s (not counted below)"),
        (
            f"(a) briefing wall time, cache off (fastest of {args.rounds} rounds)",
            f"{brief_s:.1f} s — {usage.requests} requests, "
            f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens",
        ),
        (
            "(b) raw llama.cpp, same prompts and token counts",
            f"{raw_s:.1f} s — {raw_prompt} prompt + {raw_completion} completion tokens",
        ),
        ("(a)/(b) pipeline ÷ raw", f"{brief_s / raw_s:.2f}×"),
        (
            "(b') raw llama.cpp with the same JSON-Schema grammar",
            f"{gram_s:.1f} s — {gram_completion} completion tokens; (a)/(b') = {brief_s / gram_s:.2f}×",
        ),
        (
            "(b'') the same with llama-cpp-python's own grammar sampler (whole vocabulary checked per token)",
            f"{stock_s:.1f} s; (b'')/(b') = {stock_s / gram_s:.2f}×",
        ),
        (
            "decode speed in the briefing (completion tokens / wall time)",
            f"{usage.completion_tokens / brief_s:.1f} tokens/s",
        ),
        (
            f"(c) cached briefings, {args.hits} hits",
            f"{args.hits / hits_s:.0f} briefings/s ({hits_s / args.hits * 1000:.2f} ms each)",
        ),
        ("(c) one structured call: full client on a cache hit", f"{full_call * 1e6:.0f} µs"),
        ("(c) one structured call: bare instructor, in-memory reply", f"{bare_call * 1e6:.0f} µs"),
        ("(c) pipeline overhead per call", f"{(full_call - bare_call) * 1e6:+.0f} µs ({full_call / bare_call:.2f}×)"),
    ]
    table = ["| measure | result |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]
    header = (
        f"bench/bench_core.py on {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    text = "\n".join([header, "", *table]) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
