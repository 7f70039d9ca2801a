"""Why prompt-lookup speculative decoding does not pay here: acceptance rate and its hidden cost.

    .venv/bin/python bench/bench_speculative.py [--model qwen2.5-1.5b] [--out bench/results/speculative.md]

(a) Acceptance, without running the model: greedy decoding is deterministic, so a draft is
    accepted exactly as far as it agrees with the answer the model really gave. For every
    recorded exchange of the project's cassettes (real answers of the embedded models), the
    prompt and answer are tokenised and llama-cpp-python's `LlamaPromptLookupDecoding`
    policy is replayed (draft up to N tokens that followed the last 2-gram's latest earlier
    occurrence): tokens per verification step, share of steps with any accepted token.
(b) The cost: `LlamaPromptLookupDecoding` needs ``logits_all=True`` in llama-cpp-python
    0.3.x, which computes the 152k-entry output layer for every prompt token, not just the
    last. Times prompt evaluation of one real briefing prompt both ways, and one verification
    batch of N+1 tokens against single-token decode steps.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

from summariser.llm.embedded.weights import EMBEDDED_MODELS, assemble  # noqa: E402


def chat_text(messages: list[dict[str, str]]) -> str:
    """The Qwen chat template as llama.cpp renders it (enough for n-gram lookup)."""
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"


def draft(ids: list[int], ngram: int, n_pred: int) -> list[int]:
    """What `LlamaPromptLookupDecoding` proposes after ``ids``: tokens that followed the last n-gram before."""
    for size in range(ngram, 0, -1):
        tail = ids[-size:]
        for start in range(len(ids) - size - 1, -1, -1):
            if ids[start : start + size] == tail:
                return ids[start + size : start + size + n_pred]
    return []


def replay(prompt: list[int], answer: list[int], ngram: int = 2, n_pred: int = 10) -> tuple[int, int, int]:
    """(verification steps, tokens, steps with at least one draft token accepted) for one answer."""
    ids, position, steps, useful = list(prompt), 0, 0, 0
    while position < len(answer):
        proposal = draft(ids, ngram, n_pred)
        accepted = 0
        while accepted < len(proposal) and position + accepted < len(answer):
            if proposal[accepted] != answer[position + accepted]:
                break
            accepted += 1
        take = min(accepted + 1, len(answer) - position)  # the verify step also yields one model token
        ids.extend(answer[position : position + take])
        position += take
        steps += 1
        useful += accepted > 0
    return steps, len(answer), useful


def exchanges() -> list[tuple[str, list[dict[str, str]], str]]:
    """(cassette, messages, answer text) of every recorded chat completion."""
    out = []
    for path in sorted((ROOT / "cassettes").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")).get("interactions", []):
            body, response = item["request"]["body"], item["response"]["body"]
            if item["response"]["status"] == 200 and isinstance(response, dict) and response.get("choices"):
                out.append((path.stem, body["messages"], response["choices"][0]["message"]["content"]))
    return out


def acceptance(model_alias: str) -> dict[str, Any]:
    """Replay the lookup policy over every cassette exchange (tokeniser only)."""
    from llama_cpp import Llama

    vocab = Llama(model_path=str(assemble(EMBEDDED_MODELS[model_alias])), vocab_only=True, verbose=False)
    steps = tokens = useful = 0
    per_answer = []
    for _, messages, answer in exchanges():
        p = vocab.tokenize(chat_text(messages).encode(), add_bos=False, special=True)
        a = vocab.tokenize(answer.encode(), add_bos=False, special=False)
        s, t, u = replay(p, a)
        steps, tokens, useful = steps + s, tokens + t, useful + u
        per_answer.append(t / s)
    return {
        "answers": len(per_answer),
        "tokens": tokens,
        "steps": steps,
        "tokens_per_step": tokens / steps,
        "useful_share": useful / steps,
        "median_tokens_per_step": statistics.median(per_answer),
    }


def cost(model_alias: str, n_pred: int = 10) -> dict[str, float]:
    """Prompt evaluation with and without ``logits_all``; a (n_pred+1)-token batch vs one-token steps."""
    from llama_cpp import Llama

    messages = exchanges()[0][1]
    path = str(assemble(EMBEDDED_MODELS[model_alias]))
    out: dict[str, float] = {}
    for logits_all in (False, True):
        llm = Llama(model_path=path, n_ctx=8192, n_threads=2, logits_all=logits_all, verbose=False)
        ids = llm.tokenize(chat_text(messages).encode(), add_bos=False, special=True)
        started = time.perf_counter()
        llm.eval(ids)
        out[f"prompt_s_logits_all_{logits_all}"] = time.perf_counter() - started
        out["prompt_tokens"] = len(ids)
        if not logits_all:
            import llama_cpp

            last = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
            token = int(np.argmax(np.ctypeslib.as_array(last, shape=(llm.n_vocab(),))))
            started = time.perf_counter()
            for _ in range(n_pred + 1):
                llm.eval([token])
            out["single_steps_s"] = time.perf_counter() - started
            llm.n_tokens -= n_pred + 1
            llm._ctx.kv_cache_seq_rm(-1, llm.n_tokens, -1)
            started = time.perf_counter()
            llm.eval([token] * (n_pred + 1))
            out["one_batch_s"] = time.perf_counter() - started
        llm.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="qwen2.5-1.5b")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "speculative.md")
    args = parser.parse_args(argv)
    acc = acceptance(args.model)
    c = cost(args.model)
    extra = c["prompt_s_logits_all_True"] - c["prompt_s_logits_all_False"]
    lines = [
        f"bench/bench_speculative.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, local:{args.model}, 2 threads",
        "",
        "| measure | result |",
        "|---|---|",
        f"| recorded answers replayed (cassettes) | {acc['answers']} answers, {acc['tokens']} tokens |",
        f"| prompt lookup (2-gram, 10 draft tokens): tokens per verification step | {acc['tokens_per_step']:.2f} "
        f"(median answer {acc['median_tokens_per_step']:.2f}) |",
        f"| steps where any draft token is accepted | {100 * acc['useful_share']:.0f} % |",
        f"| prompt evaluation, {c['prompt_tokens']:.0f} tokens, logits for the last token only | "
        f"{c['prompt_s_logits_all_False']:.2f} s |",
        f"| same prompt with `logits_all=True` (required by `LlamaPromptLookupDecoding`) | "
        f"{c['prompt_s_logits_all_True']:.2f} s (+{extra:.2f} s) |",
        f"| 11 single-token decode steps | {c['single_steps_s']:.2f} s ({c['single_steps_s'] / 11 * 1000:.0f} ms each) "
        "|",
        f"| one 11-token verification batch | {c['one_batch_s']:.2f} s |",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
