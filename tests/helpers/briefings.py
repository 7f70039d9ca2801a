"""Small hand-made briefings and gold folders for the evaluator's tests (no model, no shared data)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from summariser.schemas import (
    Briefing,
    Implication,
    Organisation,
    Person,
    Quote,
    SourceRef,
    SummaryPoint,
)

ARTICLE = (
    "Harbour workers in Rotterdam ended a three-day strike on Tuesday after port operator Portvale raised pay "
    "by 4 percent.\n\n"
    "Union leader Maria Jansen said the deal was “a fair result for every crane driver”. Dutch Economy Minister "
    "Pieter de Vries welcomed the agreement, and U.S. Trade Representative Jamieson Greer said American "
    "shippers had lost money during the stoppage.\n\n"
    "The European Union and the United Kingdom had urged both sides to settle. Portvale chief executive "
    "Anna Berg said: “We want the port working again.” Shipping group Maersk rerouted vessels to Antwerp."
)


def gold_briefing() -> Briefing:
    """A correct briefing of `ARTICLE`."""
    return Briefing(
        headline="Rotterdam port strike ends after 4 percent pay rise",
        event_date=dt.date(2026, 3, 10),
        location="Rotterdam",
        summary=[
            SummaryPoint(
                text="Harbour workers in Rotterdam ended a three-day strike after Portvale raised pay by 4 percent."
            ),
            SummaryPoint(text="Union leader Maria Jansen called the deal a fair result for every crane driver."),
            SummaryPoint(text="The European Union and the United Kingdom had urged both sides to settle."),
        ],
        people=[
            Person(name="Maria Jansen", role="Union leader", affiliation=None),
            Person(name="Pieter de Vries", role="Economy Minister", affiliation="Netherlands"),
            Person(name="Jamieson Greer", role="Trade Representative", affiliation="United States"),
            Person(name="Anna Berg", role="chief executive", affiliation="Portvale"),
        ],
        organisations=[Organisation(name="Portvale"), Organisation(name="Maersk")],
        countries=["Netherlands", "United States", "European Union", "United Kingdom"],
        quotes=[
            Quote(text="a fair result for every crane driver", speaker="Maria Jansen"),
            Quote(text="We want the port working again.", speaker="Anna Berg"),
        ],
        themes=["labour dispute", "port logistics", "wages"],
        implications=[Implication(text="Shipping through Rotterdam resumes after vessels were rerouted to Antwerp.")],
        sources=[SourceRef(doc_id="a1", title="Port strike ends", text=ARTICLE)],
    )


def dump(briefing: Briefing | dict[str, Any]) -> str:
    """JSON text of a briefing (or of a raw dict, which may be an invalid briefing)."""
    if isinstance(briefing, Briefing):
        return briefing.model_dump_json(indent=2)
    return json.dumps(briefing, indent=2)


def write_set(
    root: Path, gold: dict[str, Briefing], pred: dict[str, Briefing | dict[str, Any] | str]
) -> tuple[Path, Path]:
    """Write ``root/gold/NAME.json`` and ``root/pred/NAME.json``; a str prediction is written as is."""
    gold_dir, pred_dir = root / "gold", root / "pred"
    gold_dir.mkdir(parents=True, exist_ok=True)
    pred_dir.mkdir(parents=True, exist_ok=True)
    for name, briefing in gold.items():
        (gold_dir / f"{name}.json").write_text(dump(briefing), encoding="utf-8")
    for name, value in pred.items():
        text = value if isinstance(value, str) else dump(value)
        (pred_dir / f"{name}.json").write_text(text, encoding="utf-8")
    return gold_dir, pred_dir
