"""Scoring: one predicted briefing against its gold, field by field, deterministic by construction.

* `similarity` — normalisation and the similarity of list items and attributes;
* `pairing` — one-to-one optimal assignment of gold and predicted items, P/R/F1;
* `phrases` — which of many word sequences occur in a long run of words;
* `textscore` — ROUGE and gold-fact coverage;
* `briefing` — one briefing against its gold, and aggregates over briefings.
"""

__all__: list[str] = []
