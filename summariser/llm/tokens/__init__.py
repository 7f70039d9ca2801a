"""Tokens: how many an answer may take, how many a prompt has, and how many a run may spend.

* `max_tokens` — ``max_tokens`` of a request, sized from its JSON Schema so a complete answer fits;
* `counting` — the prompt tokens of a chat request, before it is sent;
* `run_budget` — `TokenLedger`, the token budget of a run (``max_tokens_total``), shared by every request;
* `estimate` — what the requests of one briefing would cost, found without sending them (dry run).
"""

__all__: list[str] = []
