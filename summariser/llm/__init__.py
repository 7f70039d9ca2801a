"""LLM layer: backends, the embedded transport, cache, cassettes (a miss diagnosed by `closest`), retries,
the token budget (`ledger`, with prompt counts from `tokens` and dry-run estimates from `estimate`), the
client, and `failures`, which makes every failed call one error of the tree, with its data."""
