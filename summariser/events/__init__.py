"""Events: group a stream of articles into the events they report, online (issue 27).

* `features` — what one article brings: words, stems, names by kind, numbers, years, dates, a sketch;
* `vectors` — hashed TF-IDF rows and the document frequencies of the stream so far;
* `duplicates` — exact and near-duplicate copies, found first and counted once;
* `similarity` — an event's running state and the pair features of (article, event);
* `model` / `weights` — the learned decision "this event, or a new one?" and its shipped fit;
* `assign` — the online assignment with a bounded candidate set;
* `describe` — an event's label and key names, and the reason each article is where it is;
* `stream` — `EventStream`: one article at a time in, its `Member` out; the events so far;
* `stored` — `FeatureStore`: an article's features kept on disk by content (a kept grouping replayed without spaCy);
* `results` — `Grouping` → `Event` → `Member`, the pydantic models returned;
* `api` — `group`: sources in (read, put in arrival order, placed one by one), `Grouping` out.
"""

from __future__ import annotations

__all__: list[str] = []
