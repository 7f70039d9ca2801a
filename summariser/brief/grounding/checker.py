"""The `Checker`: what every grounding rule shares — the `Grounder`, the user's choice on ungrounded claims, the report.

A rule (`Rule`) takes the body as grounded so far and returns it with its own field
grounded; it asks the checker, not the grounder, whenever it keeps, counts or drops an item,
so every rule reports the same way: per-field match counts (the best match per item), and
every dropped item with its reason — naming text addressed to the model as the cause when
that is the only place a source has it. `rules.check` runs the rules in order over one
checker and returns its report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...schemas import Evidence, GroundingIssue, GroundingReport, MatchCounts, best_match
from ...text.names import country_name
from ..body import Body
from .search import Grounder

__all__ = ["Checker", "Rule"]


class Checker:
    """Applies the rules to one briefing body and fills one report."""

    def __init__(self, grounder: Grounder, *, allow_ungrounded: bool = False) -> None:
        self.grounder = grounder
        self.allow_ungrounded = allow_ungrounded
        self.report = GroundingReport()

    def count(self, field: str, evidence: Sequence[Evidence]) -> None:
        """Count one item of ``field`` under its best match kind."""
        counts = self.report.counts.setdefault(field, MatchCounts())
        kind = best_match(evidence)
        setattr(counts, kind, getattr(counts, kind) + 1)

    def drop(self, field: str, item: str, reason: str, closest: Evidence | None = None) -> None:
        """Report a dropped item (or a value set to null), naming text addressed to the model as the cause."""
        if "." not in field and self.grounder.addressed_to_model(item):
            reason += "; the source has it only in text addressed to the model (possible prompt injection)"
        self.report.dropped.append(GroundingIssue(field=field, item=item, reason=reason, closest=closest))

    def claims(self, field: str, texts: Sequence[str]) -> list[tuple[str, list[Evidence]]]:
        """Bullets or implications with their evidence; unsupported ones dropped or flagged."""
        kept = []
        for text in texts:
            evidence = self.grounder.claim(text)
            if not evidence:
                reason = "no source sentence states this"
                if not self.allow_ungrounded:
                    self.drop(field, text, reason)
                    continue
                self.report.ungrounded.append(GroundingIssue(field=field, item=text, reason=reason))
            kept.append((text, evidence))
        return kept

    def named(self, field: str, name: str, evidence: list[Evidence]) -> bool:
        """Count a named item; report it when no source names it."""
        if not evidence:
            self.drop(field, name, "named in no source")
            return False
        self.count(field, evidence)
        return True

    def place(self, value: str | None) -> list[Evidence]:
        """Evidence for a place or affiliation: as a name, else as a country by any of its names.

        "Washington, D.C." is supported (as a fuzzy match) by "Washington" when only that is named.
        """
        if not value:
            return []
        for i, part in enumerate([value, *[p for p in value.split(",") if p.strip()][: 2 if "," in value else 0]]):
            found = self.grounder.name(part)
            country = country_name(part)
            found = found or (self.grounder.country(country) if country else [])
            if found:
                return found if i == 0 else [e.model_copy(update={"match": "fuzzy"}) for e in found]
        return []


Rule = Callable[[Checker, Body], Body]
"""``rule(checker, body)``: ``body`` with one field grounded, every item it drops or nulls reported to the checker."""
