"""The rules that make grounding bite: keep what the sources support, drop and report the rest.

Applied to the merged body of a briefing (`body.Body`), with a `search.Grounder` over every
source article:

* a quote that is not verbatim in a source (after normalisation) is dropped and reported
  with the closest span found — a safety net: `mentions.quotes_in` copies quotes from the
  text, nothing asks the model for them;
* a "person" that `names.not_a_person` finds is an organisation ("Export-Import Bank", or
  the name of a listed organisation) moves to organisations, one that names a subject
  ("Information Technology") is dropped; each is reported;
* a person, organisation or country whose name occurs in no source is dropped; a role not
  stated near the person's name, an affiliation not named in a sentence that names the
  person, a quote speaker named nowhere, and a location named nowhere become null; each is
  reported;
* an implication that states no consequence (`CONSEQUENCE`: nothing that will, may or must
  follow, nothing something causes) is dropped — a sentence of fact is a summary bullet;
* a summary bullet or implication with no supporting span is dropped, or kept and flagged
  when the user allows ungrounded claims (``allow_ungrounded``); a briefing with fewer kept
  bullets than its sources need (`bullets_required`: three, fewer for sources with fewer
  sentences of content) fails, and the lists are cut to the contract's caps;
* the event date is the one most sources state in their own date expressions (resolved
  against the publication time, never from the model: `event_date_of`); sources that state
  different dates are a `Conflict`.

The result carries evidence on every kept item and a `GroundingReport` with per-field match
counts (the best match per item), every dropped or flagged item with its reason, and the
spans that support the event date, the location and each country.

`check` is one loop over `RULES`, one rule per field (`checker.Rule`): the claims' rules
are here, with `CONSEQUENCE`; the rules of the fields that name something are in `fields`.
"""

from __future__ import annotations

from dataclasses import replace

from ...errors import ValidationFailed
from ...schemas import (
    BRIEFING_MAX_IMPLICATIONS,
    SUMMARY_MAX_BULLETS,
    SUMMARY_MIN_BULLETS,
    GroundingReport,
    Implication,
    MatchCounts,
    SummaryPoint,
)
from ...text.consequence import CONSEQUENCE
from ..body import Body
from . import fields
from .checker import Checker, Rule
from .dated import event_date_of
from .search import Grounder

__all__ = ["RULES", "bullets_required", "check", "event_date_of", "implications", "summary"]


def bullets_required(content: int) -> int:
    """How many supported summary bullets sources with ``content`` sentences of content need.

    `SUMMARY_MIN_BULLETS` (three) when they have at least that many sentences that state
    something, else one per such sentence, and never fewer than one: a two-sentence wire
    item gets a two-bullet summary, not an error. The one owner of the rule: drafting asks
    each part for this many, `check` fails a briefing with fewer.
    """
    return max(1, min(SUMMARY_MIN_BULLETS, content))


def summary(c: Checker, body: Body) -> Body:
    """The summary bullets some source sentence states (`Grounder.claim`); the others dropped, or flagged.

    A bullet is a claim the briefing makes in the sources' name: one no source states is
    dropped, unless the user asked to keep such claims (``allow_ungrounded``), flagged.
    They are counted once cut to the contract's cap (`check`).
    """
    kept = c.claims("summary", [p.text for p in body.summary])
    return replace(body, summary=[SummaryPoint(text=t, evidence=ev) for t, ev in kept])


def implications(c: Checker, body: Body) -> Body:
    """The implications that state a consequence (`CONSEQUENCE`) and that a source states, as for `summary`.

    An implication says what follows from the event; a sentence of plain fact is a summary
    bullet in the wrong list, so it is dropped before its support is looked for.
    """
    consequences = []
    for stated in body.implications:
        if CONSEQUENCE.search(stated.text):
            consequences.append(stated.text)
        else:
            c.drop("implications", stated.text, "states no consequence (nothing that will, may or must follow)")
    kept = c.claims("implications", consequences)
    return replace(body, implications=[Implication(text=t, evidence=ev) for t, ev in kept])


#: The rules `check` applies, in this order (the order of the report's dropped items and counts):
#: `fields.people` moves organisations before `fields.organisations` grounds them, and
#: `fields.places` counts the location `fields.location` kept.
RULES: tuple[Rule, ...] = (
    summary,
    implications,
    fields.people,
    fields.organisations,
    fields.countries,
    fields.quotes,
    fields.location,
    fields.places,
)


def check(
    body: Body, grounder: Grounder, *, allow_ungrounded: bool = False, required: int = SUMMARY_MIN_BULLETS
) -> tuple[Body, GroundingReport]:
    """Ground every item of ``body`` in ``grounder``'s articles; return the kept body and the report.

    ``required`` is the number of supported summary bullets the briefing needs
    (`bullets_required` of its sources' content sentences); fewer is a `ValidationFailed`.

    The kept body has evidence on every item, the event date (`event_date_of`) and, before
    the body's own, the conflicts between the sources' dates.
    """
    c = Checker(grounder, allow_ungrounded=allow_ungrounded)
    grounded = body
    for rule in RULES:
        grounded = rule(c, grounded)
    _enough_bullets(len(grounded.summary), len(body.summary), required, allow_ungrounded=allow_ungrounded)
    grounded = _capped(c, grounded)
    date, c.report.event_date, date_conflicts = event_date_of(grounder.articles)
    if date is not None:
        c.report.counts["event_date"] = MatchCounts(exact=1)
    return replace(grounded, event_date=date, conflicts=[*date_conflicts, *body.conflicts]), c.report


def _enough_bullets(kept: int, given: int, required: int, *, allow_ungrounded: bool) -> None:
    """Raise `ValidationFailed` when fewer than ``required`` of the ``given`` summary bullets were ``kept``.

    With ``allow_ungrounded`` no bullet was dropped for want of support, so the model gave too
    few distinct ones: another model is the fix; otherwise keeping them, flagged, is.
    """
    if kept >= required:
        return
    if allow_ungrounded:
        raise ValidationFailed(
            f"the model gave only {kept} distinct summary bullets "
            f"(this briefing needs {required}); try another model (--model)"
        )
    raise ValidationFailed(
        f"only {kept} of {given} summary bullets are supported by the sources "
        f"(this briefing needs {required}); rerun with --allow-ungrounded to keep them, flagged"
    )


def _capped(c: Checker, body: Body) -> Body:
    """``body`` with the summary and implications cut to the contract's caps, then counted.

    Counted after the cut so the report describes the briefing as written; only the flagged
    claims that were kept stay flagged.
    """
    bullets, consequences = body.summary[:SUMMARY_MAX_BULLETS], body.implications[:BRIEFING_MAX_IMPLICATIONS]
    for field, items in (("summary", bullets), ("implications", consequences)):
        for item in items:
            c.count(field, item.evidence)
    kept_texts = {p.text for p in bullets} | {i.text for i in consequences}
    c.report.ungrounded = [u for u in c.report.ungrounded if u.item in kept_texts]
    return replace(body, summary=bullets, implications=consequences)
