"""LLM layer: backends, the embedded transport, cache, cassettes, retries and the client."""
