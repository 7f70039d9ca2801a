"""Wire datelines: "ROTTERDAM, March 4 (Reuters) -" before the first sentence of a news story.

A dateline says where a story was filed and by whom; it is not part of the claim that
follows. `dateline` finds one at the start of a sentence — a place in capitals ("LIMA",
"NEW YORK"; as a name, "Washington", only when an agency follows), optionally followed by a
region or country ("LIMA, Peru") and a date ("March 4", "Sept 18"), then optionally a news
agency in brackets ("(Reuters)", "(AP)", "(CNN)"), then a dash — or the bracketed agency and
the dash alone ("(CNN) --"), or the bracketed agency right before the first word ("(CNN)ESPN's
Britt McHenry …"). Summary bullets and implications start after it
(`summariser.brief.numbering`); the place and the agency it names are a place and an
organisation of the story (`summariser.brief.entities`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Dateline", "dateline"]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3}"
_REGION = r"[A-Z][a-z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,2}"
_AGENCY = r"\([A-Za-z][\w .&’'-]{0,30}\)"  # "(Reuters)": a place written as a name needs one after it
_DATELINE = re.compile(
    rf"^(?:(?P<place>{_CAPS_PLACE}|{_REGION}(?=\s*{_AGENCY}))"
    rf"(?:,\s*(?P<region>(?!{_MONTH}\s+\d){_REGION}))?"
    rf"(?:,?\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?\s*)?"
    r"(?:\((?P<agency>[A-Za-z][\w .&’'-]{0,30})\)\s*)?"
    r"(?:(?:--?|–|—|:)\s+(?=\S)|(?<=\))(?=[A-Z\"“‘']))"  # "(CNN)ESPN's …": CNN's own style, no dash
)


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a sentence: where the claim starts, and the place and agency it names."""

    end: int
    place: str | None
    """The place in capitals as written ("ROTTERDAM"), or None."""
    agency: str | None


def dateline(sentence: str) -> Dateline | None:
    """The wire dateline that opens ``sentence``, or None (module docstring)."""
    match = _DATELINE.match(sentence)
    if match is None or not (match["place"] or match["agency"]):
        return None
    place = match["place"]
    if sentence[match.end() :][:1].islower():
        return None
    if not (match["agency"] or match["region"] or match["date"]) and len((place or "").replace(" ", "")) < 4:
        return None  # "US - China talks": a bare place needs four letters at least
    if match["place"] is None and match.group(0).rstrip().endswith(":"):
        return None  # "(Reuters):" is not a dateline shape
    return Dateline(match.end(), place, match["agency"])
