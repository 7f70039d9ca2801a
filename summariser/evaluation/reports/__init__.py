"""Reports of a gold evaluation: the per-field diff page (``summariser eval --html FILE``) and its chart.

* `html` — the diff page, from ``diff.html.j2`` beside it;
* `chart` — the page's score chart, this run beside the baseline's.
"""

__all__: list[str] = []
