"""Scoring: one predicted briefing against its gold, field by field, deterministic by construction; and a grouping
of articles into events against gold groups.

* `similarity` — normalisation and the similarity of list items and attributes;
* `pairing` — one-to-one optimal assignment of gold and predicted items, P/R/F1;
* `phrases` — which of many word sequences occur in a long run of words;
* `textscore` — ROUGE and gold-fact coverage;
* `briefing` — one briefing against its gold, and aggregates over briefings;
* `clusters` — a grouping (``summariser group``) against gold groups: B-cubed and pairwise P/R/F1.
"""

__all__: list[str] = []
