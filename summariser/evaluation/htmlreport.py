"""The per-field diff page of a gold evaluation (``summariser eval --html FILE``).

One self-contained HTML file: the scores (beside the baseline, when one was given), then for
every briefing each field's diff — paired items with their similarity, missing gold items,
extra predictions, paired items whose attributes are wrong (gold → predicted), the date and
place, ROUGE of the texts and which gold facts the summary covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..atomic import write_atomic
from .baseline import Comparison
from .models import GoldReport

__all__ = ["render_html", "write_html"]

_HERE = Path(__file__).resolve().parent


def render_html(report: GoldReport, comparison: Sequence[Comparison] = ()) -> str:
    """The diff page of ``report`` (with the baseline comparison, if any) as an HTML document."""
    env = Environment(loader=FileSystemLoader(_HERE), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("diff.html.j2").render(report=report, comparison={c.metric: c for c in comparison})


def write_html(report: GoldReport, path: Path, comparison: Sequence[Comparison] = ()) -> None:
    """Write the diff page of ``report`` to ``path`` atomically."""
    write_atomic(path, render_html(report, comparison))
