"""LLM layer: backends, the embedded transport, cache, cassettes, retries, the token budget
(`ledger`, with prompt counts from `tokens` and dry-run estimates from `estimate`) and the client."""
