"""The batch itself: several greedy, grammar-constrained requests decoded together as llama.cpp sequences.

`SequenceDecoder` keeps a context of ``n_seq`` sequences with own KV streams (`sequences_context`) and
steps every active request by one token per ``llama_decode`` (continuous batching). A prompt is
evaluated alone, in `reuse`'s ``n_batch`` chunks from 0; a prefix another sequence holds is
copied in whole chunks; each samples with its own `sampling.GreedyGrammarSampler`. Up to three
sequences a step get the lone sequence's logits bit for bit; from four on llama.cpp's repacked
Q4_K weights take columns in blocks of four through gemm, not gemv: answers change (bench/results/
batching.md). A waiting request's thread drives the batch until its own is done (no background
thread); an error or interrupt there fails the batch (`DecodeInterrupted`) and empties the streams.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from summariser.llm.embedded.prefix_reuse import aligned_prefix
from summariser.llm.embedded.sampling import GreedyGrammarSampler

__all__ = ["N_SEQ", "DecodeInterrupted", "DecodeStats", "SequenceDecoder", "sequences_context"]

#: Sequences the embedded model decodes together: one briefing's two requests. Four (two briefings at
#: once) change the 1.5B model's answers (see above); ``SUMMARISER_SEQUENCES=4`` opts in.
N_SEQ = 2

_NO_SCORES = np.zeros(0, dtype=np.single)  # criteria get no logits here (the chat format's ignore them)


class DecodeInterrupted(RuntimeError):
    """The thread that drove the batch stopped (an error or Ctrl-C there); this request was not finished."""


@dataclass
class DecodeStats:
    """What the batch did, summed over its life (read by ``bench/``)."""

    prompt_tokens: int = 0  # evaluated (not copied from another sequence, not kept from an earlier request)
    prompt_s: float = 0.0
    shared_tokens: int = 0  # prompt tokens copied from another sequence's KV stream instead of evaluated
    steps: int = 0  # decode calls (one token for each active sequence)
    decode_tokens: int = 0
    decode_s: float = 0.0
    widest: int = 0  # most sequences decoded in one step


def sequences_context(llm: Any, n_seq: int, n_ctx: int) -> Any:
    """A new llama.cpp context on ``llm``'s model, its settings, ``n_seq`` KV streams of ``n_ctx`` each."""
    import llama_cpp

    params = llama_cpp.llama_context_default_params()
    for name, _ in type(params)._fields_:
        setattr(params, name, getattr(llm.context_params, name))
    params.n_ctx, params.n_seq_max, params.kv_unified = n_ctx * n_seq, n_seq, False
    return llama_cpp.llama_init_from_model(llm._model.model, params)


class _Job:
    def __init__(
        self, tokens: list[int], sampler: GreedyGrammarSampler, max_tokens: int, stops: list[bytes], stopping: Any
    ) -> None:
        self.tokens = tokens
        self.stopping = stopping
        self.sampler = sampler
        self.max_tokens = max_tokens
        self.stops = stops
        self.out: list[int] = []
        self.text = b""
        self.finish = "length"
        self.next = -1  # the sampled token to feed in the next step
        self.seq = -1
        self.evaluated = 0  # prompt tokens this request evaluated itself
        self.prompt_s = 0.0
        self.decoding_from = 0.0  # when its prompt was done
        self.multibyte = 0
        self.done = False
        self.error: BaseException | None = None


class SequenceDecoder:
    """Greedy constrained completions of one ``llama_cpp.Llama`` model, decoded `N_SEQ` at a time."""

    def __init__(self, llm: Any, n_seq: int = N_SEQ) -> None:
        import llama_cpp

        self._api = llama_cpp
        self._llm = llm
        self.n_seq = n_seq
        self.n_ctx = int(llm.n_ctx())
        self.chunk = int(llm.n_batch)
        self._ctx = sequences_context(llm, n_seq, self.n_ctx)
        if not self._ctx:
            raise RuntimeError(f"llama.cpp could not create a context for {n_seq} sequences")
        self._raw = SimpleNamespace(ctx=self._ctx)  # what GreedyGrammarSampler.sample reads of a context
        self._mem = llama_cpp.llama_get_memory(self._ctx)
        self._batch = llama_cpp.llama_batch_init(max(self.chunk, n_seq), 0, 1)
        self._vocab = llm._model.vocab
        self._held: list[list[int]] = [[] for _ in range(n_seq)]  # tokens whose KV each sequence holds
        self._busy: list[_Job | None] = [None] * n_seq
        self._queue: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._driving = False
        self._halt: BaseException | None = None  # set by an interrupted waiter; the driver then abandons the batch
        self.stats = DecodeStats()

    # -- the public call ------------------------------------------------------------------

    def complete(
        self,
        tokens: list[int],
        grammar: Any,
        max_tokens: int | None,
        repeat_penalty: float,
        stops: list[bytes],
        stopping: Any = None,
    ) -> dict[str, Any]:
        """Decode ``tokens`` greedily under ``grammar``; the answer as llama-cpp-python's completion fields."""
        if len(tokens) >= self.n_ctx:
            raise ValueError(f"Requested tokens ({len(tokens)}) exceed context window of {self.n_ctx}")
        if max_tokens is None or max_tokens <= 0 or max_tokens + len(tokens) >= self.n_ctx:
            max_tokens = self.n_ctx - len(tokens)  # as llama-cpp-python truncates it
        sampler = GreedyGrammarSampler(self._llm, grammar, repeat_penalty, int(self._llm.last_n_tokens_size))
        job = _Job(list(tokens), sampler, max_tokens, stops, stopping)
        try:
            self._run(job)
        finally:
            sampler.close()
        if job.error is not None:
            raise job.error
        return {
            "text": job.text,
            "finish_reason": job.finish,
            "completion_tokens": len(job.out),
            "prompt_evaluated": job.evaluated,
            "prompt_s": job.prompt_s,
            "decode_s": time.perf_counter() - job.decoding_from,
        }

    def close(self) -> None:
        """Free the context (before its model is freed)."""
        if self._ctx:
            self._api.llama_batch_free(self._batch)
            self._api.llama_free(self._ctx)
            self._ctx = None

    # -- who drives -----------------------------------------------------------------------

    def _run(self, job: _Job) -> None:
        with self._cond:
            self._queue.append(job)
            self._cond.notify_all()
            while not job.done:
                if self._driving:
                    try:
                        self._cond.wait()
                    except BaseException as err:  # Ctrl-C while another thread drives: it stops at its next step
                        self._halt = self._halt or err
                        raise
                    continue
                self._driving = True
                try:
                    self._cond.release()
                    try:
                        while not job.done:
                            self._step()
                    finally:
                        self._cond.acquire()
                except BaseException as err:
                    self._abandon(err)
                    raise
                finally:
                    self._driving = False
                    self._cond.notify_all()

    def _abandon(self, err: BaseException) -> None:
        """Fail every request in the batch (the lock is held) and empty the KV streams."""
        reason = DecodeInterrupted(f"decoding stopped: {type(err).__name__}: {err}" if str(err) else type(err).__name__)
        for job in [*self._queue, *(j for j in self._busy if j)]:
            if not job.done:
                job.error, job.done = job.error or reason, True
        self._queue.clear()
        self._busy = [None] * self.n_seq
        self._halt = None
        for seq in range(self.n_seq):
            self._api.llama_memory_seq_rm(self._mem, seq, -1, -1)
            self._held[seq] = []

    # -- one step -------------------------------------------------------------------------

    def _step(self) -> None:
        while True:  # admit one at a time: a request then finds the prefix its twin just evaluated
            with self._cond:
                if self._halt is not None:
                    halted = type(self._halt).__name__
                    raise DecodeInterrupted(f"another request of the batch was interrupted ({halted})")
                if not self._queue or None not in self._busy:
                    break
                job = self._queue.popleft()
                job.seq = self._slot(job.tokens)
                self._busy[job.seq] = job
            self._prefill(job)
        active = [j for j in self._busy if j is not None and not j.done and j.next >= 0]
        if active:
            self._decode(active)
        with self._cond:
            self._busy = [None if j is None or j.done else j for j in self._busy]
            self._cond.notify_all()

    def _slot(self, tokens: list[int]) -> int:
        """A free sequence for ``tokens``, holding (or given a copy of) the longest reusable prefix."""
        keep = [aligned_prefix(held, tokens, self.chunk) for held in self._held]
        dest = max((s for s in range(self.n_seq) if self._busy[s] is None), key=lambda s: keep[s])
        source = max(range(self.n_seq), key=lambda s: keep[s])
        if keep[source] > keep[dest]:
            # across KV streams llama.cpp copies a whole stream; the tail beyond the prefix goes below
            self._api.llama_memory_seq_rm(self._mem, dest, -1, -1)
            self._api.llama_memory_seq_cp(self._mem, source, dest, -1, -1)
            self._held[dest] = list(self._held[source])
            self.stats.shared_tokens += keep[source]
            dest_keep = keep[source]
        else:
            dest_keep = keep[dest]
        self._api.llama_memory_seq_rm(self._mem, dest, dest_keep, -1)
        del self._held[dest][dest_keep:]
        return dest

    def _prefill(self, job: _Job) -> None:
        """Evaluate the rest of the prompt alone, chunk by chunk as a lone run would, and sample its first token."""
        started = time.perf_counter()
        held = self._held[job.seq]
        for begin in range(len(held), len(job.tokens), self.chunk):
            part = job.tokens[begin : begin + self.chunk]
            self._fill([(t, begin + i, job.seq, i == len(part) - 1) for i, t in enumerate(part)])
            held.extend(part)
            job.evaluated += len(part)
        job.decoding_from = time.perf_counter()
        job.prompt_s = job.decoding_from - started
        self.stats.prompt_tokens += job.evaluated
        self.stats.prompt_s += job.prompt_s
        self._take(job, job.sampler.sample(self._raw, self._batch.n_tokens - 1))

    def _decode(self, active: list[_Job]) -> None:
        started = time.perf_counter()
        self._fill([(j.next, len(self._held[j.seq]), j.seq, True) for j in active])
        for job in active:
            self._held[job.seq].append(job.next)
        for i, job in enumerate(active):
            self._take(job, job.sampler.sample(self._raw, i))
        self.stats.steps += 1
        self.stats.decode_tokens += len(active)
        self.stats.widest = max(self.stats.widest, len(active))
        self.stats.decode_s += time.perf_counter() - started

    def _fill(self, rows: list[tuple[int, int, int, bool]]) -> None:
        batch = self._batch
        for i, (token, pos, seq, logits) in enumerate(rows):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, pos, 1, logits
            batch.seq_id[i][0] = seq
        batch.n_tokens = len(rows)
        code = self._api.llama_decode(self._ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode failed ({code}) with {len(rows)} tokens")

    def _take(self, job: _Job, token: int) -> None:
        """Record ``token`` for ``job`` as llama-cpp-python's completion loop does (end, stops, length)."""
        job.next = -1
        if job.stopping is not None and job.stopping(np.array(self._held[job.seq], dtype=np.intc), _NO_SCORES):
            # the chat format's criterion (the last evaluated token ends the turn), checked where llama-cpp-python does
            job.text, job.finish, job.done = self._text(job), "stop", True
            return
        if self._api.llama_vocab_is_eog(self._vocab, token):
            job.text, job.finish, job.done = self._text(job), "stop", True
            return
        job.out.append(token)
        text = self._text(job)
        for k, char in enumerate(text[-3:]):  # an unfinished UTF-8 character: no stop or length check yet
            k = 3 - k
            for num, pattern in ((2, 192), (3, 224), (4, 240)):
                if num > k and pattern & char == pattern:
                    job.multibyte = num - k
        if job.multibyte > 0:
            job.multibyte -= 1
            job.next = token
            return
        stop = next((s for s in job.stops if s in text), None)
        if stop is not None:
            job.text, job.finish, job.done = text[: text.index(stop)], "stop", True
        elif len(job.out) >= job.max_tokens:
            job.text, job.finish, job.done = text, "length", True
        else:
            job.next = token

    def _text(self, job: _Job) -> bytes:
        return bytes(self._llm.detokenize(job.out, prev_tokens=job.tokens))
