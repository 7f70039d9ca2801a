"""Batch input files (`summariser.llm.openai_batch.jobs`): requests cut into files within the count and size limits."""

from __future__ import annotations

import json

from summariser.llm.openai_batch.jobs import BatchOptions, chunks


def test_requests_are_cut_into_files_within_the_batch_limits() -> None:
    requests = {f"{i:064x}": {"messages": [{"role": "user", "content": "x" * 100}]} for i in range(7)}
    assert [len(c) for c in chunks(requests, BatchOptions(max_requests=3))] == [3, 3, 1]
    one = len(chunks(requests, BatchOptions())[0][0].encode()) + 1
    assert [len(c) for c in chunks(requests, BatchOptions(max_bytes=2 * one))] == [2, 2, 2, 1]
    assert [json.loads(line)["custom_id"] for c in chunks(requests, BatchOptions()) for line in c] == sorted(requests)
