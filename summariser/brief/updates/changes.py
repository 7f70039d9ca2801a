"""Changed quantities: the numbers the new articles restate with a different value (a toll that rises).

Every sentence of every source is read for quantities (`summariser.text.quantities`: what each
number counts, in what unit). A new article's quantity is a change when the earlier articles
state the same quantity with exactly one value, and a different one: "killing at least 30
people" then "the death toll rose to 45" is deaths 30 → 45. It is left out, rather than
guessed, when the earlier articles give that quantity several values, or the new ones several
new values. Both spans are kept: where the earlier articles state the old value (``before``)
and where the new ones state the new value (``evidence``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ...schemas import UPDATE_MAX_CHANGES, Change, Evidence
from ...text import sentences
from ...text.quantities import Quantity, quantities
from ..grounding import Grounder

__all__ = ["changes_between"]


@dataclass(frozen=True)
class _Stated:
    """A quantity as one source states it."""

    doc_id: str
    quantity: Quantity
    quote: str


def _stated(grounder: Grounder, doc_ids: Collection[str]) -> list[_Stated]:
    """Every quantity the sources ``doc_ids`` state, sentence by sentence, in source order.

    Read from the text grounding reads (text addressed to the model blanked: no evidence).
    """
    out = []
    for src in grounder.sources:
        if src.doc_id in doc_ids:
            for start, end in sentences.spans(src.text):
                for q in quantities(src.text, start, end):
                    out.append(_Stated(src.doc_id, q, src.raw[q.start : q.end]))
    return out


def _evidence(stated: list[_Stated]) -> list[Evidence]:
    return [
        Evidence(doc_id=s.doc_id, start=s.quantity.start, end=s.quantity.end, quote=s.quote, match="exact")
        for s in stated
    ]


def changes_between(grounder: Grounder, earlier: Collection[str], fresh: Collection[str]) -> list[Change]:
    """The quantities the ``fresh`` sources state with a value the ``earlier`` sources did not (module docstring)."""
    old = _stated(grounder, earlier)
    found: list[tuple[list[_Stated], list[_Stated]]] = []
    for new in _stated(grounder, fresh):
        same = [s for s in old if s.quantity.same_quantity(new.quantity)]
        if len({s.quantity.value for s in same}) != 1 or new.quantity.value == same[0].quantity.value:
            continue  # never stated before, stated with several values, or stated again unchanged
        group = next((g for g in found if g[0][0] is same[0]), None)
        if group is None:
            found.append((same, [new]))
        else:
            group[1].append(new)
    changes = []
    for before, after in found:
        if len({s.quantity.value for s in after}) > 1:
            continue  # the new articles disagree among themselves: no one new value to report
        changes.append(
            Change(
                quantity=after[0].quantity.label,
                old=before[0].quantity.written,
                new=after[0].quantity.written,
                before=_evidence(before),
                evidence=_evidence(after),
            )
        )
    return changes[:UPDATE_MAX_CHANGES]
