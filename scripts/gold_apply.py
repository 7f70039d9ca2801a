"""Apply an annotator's corrections of the entity fields to gold drafts, with evidence, and mark them reviewed.

    .venv/bin/python scripts/gold_apply.py GOLD/ CORRECTIONS/

For each ``CORRECTIONS/NAME.json`` — ``{"people": [[name, role, affiliation], ...], "organisations":
[...], "places": [...], "countries": [...]}``, written by a person who read the article and
corrected the draft item by item — the draft ``GOLD/NAME.json`` gets exactly those people,
organisations, places and countries, each name with its evidence (every place the article
writes it, found by the grounder as the pipeline finds its own), and loses its unreviewed mark;
a note says which fields were reviewed. A name the article does not write is an error: gold
holds only what the text names. Text fields (headline, summary, themes, implications) and the
event date and location are not touched: this gold set is for the entity fields.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from summariser.atomic import write_atomic
from summariser.brief.grounding import Grounder
from summariser.evaluation.gold.sets import read_sources_map
from summariser.ingest.read import load_sources
from summariser.output.render import read_briefing, to_json
from summariser.schemas import UNREVIEWED, Organisation, Person, Place
from summariser.text.names import country_name

UK_NATIONS = frozenset({"England", "Scotland", "Wales", "Northern Ireland"})
REVIEWED = (
    "gold: entity fields reviewed against the text (people, organisations, places, countries); "
    "other fields not reviewed"
)


def apply(gold: Path, corrections: Path) -> list[str]:
    sources = read_sources_map(gold, required=True)
    problems: list[str] = []
    for fix in sorted(corrections.glob("*.json")):
        name = fix.stem
        data = json.loads(fix.read_text(encoding="utf-8"))
        draft = read_briefing(gold / f"{name}.json")
        articles = load_sources([str(p) for p in sources[name]])
        grounder = Grounder(articles)
        people, orgs, places, countries = [], [], [], []
        for person, role, affiliation in data["people"]:
            evidence = grounder.name(person)
            people.append(Person(name=person, role=role, affiliation=affiliation, evidence=evidence))
        for org in data["organisations"]:
            orgs.append(Organisation(name=org, evidence=grounder.name(org)))
        for place in data["places"]:
            places.append(Place(name=place, evidence=grounder.name(place)))
        for country in data["countries"]:
            # England, Scotland, Wales and Northern Ireland are the United Kingdom, as the tool names it
            canonical = "United Kingdom" if country in UK_NATIONS else country_name(country)
            if canonical is None:
                problems.append(f"{name}: country {country!r} is not a known country name")
                continue
            if canonical not in countries:
                countries.append(canonical)
        for kind, items in (("person", people), ("organisation", orgs), ("place", places)):
            problems += [f"{name}: {kind} {i.name!r} is not written in the article" for i in items if not i.evidence]
        gold_briefing = draft.model_copy(
            update={"people": people, "organisations": orgs, "places": places, "countries": countries}
        )
        if gold_briefing.grounding is not None:
            gold_briefing.grounding.countries = {c: grounder.country(c) for c in countries}
            gold_briefing.grounding.dropped = []
        assert gold_briefing.meta is not None
        gold_briefing.meta.notes = [n for n in gold_briefing.meta.notes if n != UNREVIEWED and n != REVIEWED]
        gold_briefing.meta.notes.append(REVIEWED)
        write_atomic(gold / f"{name}.json", to_json(gold_briefing))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("corrections", type=Path)
    args = parser.parse_args(argv)
    problems = apply(args.gold, args.corrections)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
