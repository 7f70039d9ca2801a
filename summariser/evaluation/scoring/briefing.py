"""Score one predicted briefing against its gold briefing, field by field, and aggregate.

* list fields (people, organisations, places, countries, quotes, themes): one-to-one pairing by
  optimal assignment on the field's similarity (`similarity.SIMILARITY`), counted when the
  similarity reaches the threshold (default `DEFAULT_THRESHOLD`); precision, recall, F1;
* attributes of paired items (people's role and affiliation, quotes' speaker): accuracy with
  `similarity.attribute_match`;
* scalar fields (event_date, location): exact after normalisation;
* text fields (headline, summary, implications): ROUGE-1/2/L(sum), and for the summary the
  share of gold facts covered (`textscore.fact_coverage`);
* per briefing: schema validity of the raw prediction (an invalid one is scored as an empty
  briefing: it finds nothing and its scalars and texts are wrong), grounding rate, and the
  people and organisation names that do not occur in the source text.

Lists are micro-averaged over briefings (items summed), texts and scalars are means.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import ValidationError

from summariser.evaluation.models import (
    AttributeDiff,
    AttributeScore,
    BriefingScore,
    FactResult,
    ListAggregate,
    ListFieldScore,
    PairDiff,
    ScalarAggregate,
    ScalarScore,
    TextAggregate,
    TextScore,
)
from summariser.evaluation.scoring.pairing import pair, prf
from summariser.evaluation.scoring.phrases import occurring
from summariser.evaluation.scoring.similarity import SIMILARITY, attribute_match, canonical_words, location_key
from summariser.evaluation.scoring.textscore import fact_coverage, rouge
from summariser.schemas import Briefing
from summariser.text.names import strip_titles

__all__ = [
    "ATTRIBUTES",
    "DEFAULT_THRESHOLD",
    "LIST_FIELDS",
    "SCALAR_FIELDS",
    "TEXT_FIELDS",
    "aggregate",
    "parse_prediction",
    "score_briefing",
]

#: Similarity at or above which a gold and a predicted list item pair up.
DEFAULT_THRESHOLD = 0.8
LIST_FIELDS = ("people", "organisations", "places", "countries", "quotes", "themes")
SCALAR_FIELDS = ("event_date", "location")
TEXT_FIELDS = ("headline", "summary", "implications")
#: Attributes compared on paired items, per list field.
ATTRIBUTES: dict[str, tuple[str, ...]] = {"people": ("role", "affiliation"), "quotes": ("speaker",)}
#: How many validation errors of an invalid prediction are kept in the report.
MAX_ERRORS = 5


def parse_prediction(raw: str | bytes) -> tuple[Briefing | None, list[str]]:
    """Validate raw JSON against the `Briefing` model: the briefing, or None and the reasons it is invalid."""
    try:
        data = json.loads(raw)
    except RecursionError:
        return None, ["not JSON that can be read: nested too deeply"]
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError, an integer with too many digits
        return None, [f"not JSON: {' '.join(str(err).split())[:200]}"]
    try:
        return Briefing.model_validate(data), []
    except ValidationError as err:
        errors = [f"{'.'.join(str(p) for p in e['loc']) or 'document'}: {e['msg']}" for e in err.errors()[:MAX_ERRORS]]
        if err.error_count() > MAX_ERRORS:
            errors.append(f"… and {err.error_count() - MAX_ERRORS} more")
        return None, errors


def _items(briefing: Briefing | None, field: str) -> list[tuple[str, dict[str, str | None]]]:
    """The comparable text of each item of a list field, with its attributes."""
    if briefing is None:
        return []
    if field == "people":
        return [(p.name, {"role": p.role, "affiliation": p.affiliation}) for p in briefing.people]
    if field in ("organisations", "places"):
        return [(o.name, {}) for o in getattr(briefing, field)]
    if field == "quotes":
        return [(q.text, {"speaker": q.speaker}) for q in briefing.quotes]
    values: list[str] = getattr(briefing, field)
    return [(v, {}) for v in values]


def _score_list(field: str, gold: Briefing, pred: Briefing | None, threshold: float) -> ListFieldScore:
    g_items, p_items = _items(gold, field), _items(pred, field)
    pairing = pair([g for g, _ in g_items], [p for p, _ in p_items], SIMILARITY[field], threshold)
    attrs = {a: AttributeScore() for a in ATTRIBUTES.get(field, ())}
    pairs = []
    for p in pairing.pairs:
        (g_text, g_attrs), (p_text, p_attrs) = g_items[p.gold], p_items[p.pred]
        diffs = {}
        for name, score in attrs.items():
            match = attribute_match(g_attrs[name], p_attrs[name], name)
            diffs[name] = AttributeDiff(gold=g_attrs[name], pred=p_attrs[name], match=match)
            score.total += 1
            score.correct += match
        pairs.append(
            PairDiff(
                gold=g_text,
                pred=p_text,
                similarity=p.similarity,
                gold_index=p.gold,
                pred_index=p.pred,
                attributes=diffs,
            )
        )
    precision, recall, f1 = prf(len(pairs), len(g_items), len(p_items))
    return ListFieldScore(
        gold=len(g_items),
        pred=len(p_items),
        matched=len(pairs),
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        attributes=attrs,
        pairs=pairs,
        missing=[g_items[i][0] for i in pairing.missing],
        extra=[p_items[j][0] for j in pairing.extra],
        missing_index=list(pairing.missing),
        extra_index=list(pairing.extra),
    )


def _score_scalars(gold: Briefing, pred: Briefing | None) -> dict[str, ScalarScore]:
    g_date = gold.event_date.isoformat() if gold.event_date else None
    p_date = pred.event_date.isoformat() if pred and pred.event_date else None
    p_loc = pred.location if pred else None
    valid = pred is not None
    return {
        "event_date": ScalarScore(gold=g_date, pred=p_date, correct=valid and g_date == p_date),
        "location": ScalarScore(
            gold=gold.location, pred=p_loc, correct=valid and location_key(gold.location) == location_key(p_loc)
        ),
    }


def _texts(briefing: Briefing, field: str) -> list[str]:
    if field == "headline":
        return [briefing.headline]
    return [item.text for item in getattr(briefing, field)]


def _score_texts(gold: Briefing, pred: Briefing | None) -> dict[str, TextScore]:
    scores = {}
    for field in TEXT_FIELDS:
        g, p = _texts(gold, field), _texts(pred, field) if pred else []
        if pred is None:
            keys = ("rouge1", "rouge2", "rougeL" if field == "headline" else "rougeLsum")
            values = dict.fromkeys(keys, 0.0)
        else:
            values = rouge(g[0], p[0]) if field == "headline" else rouge(g, p)
        facts = None
        if field == "summary":
            facts = [
                FactResult(
                    fact=c.fact,
                    covered=c.covered,
                    recall=c.recall,
                    best=p[c.best] if c.best is not None else None,
                    best_index=c.best,
                    missing_words=list(c.missing_words),
                    missing_numbers=list(c.missing_numbers),
                )
                for c in fact_coverage(g, p)
            ]
        scores[field] = TextScore(rouge=values, gold=g, pred=p, facts=facts)
    return scores


def _names_not_in(pred: Briefing, texts: Sequence[str]) -> list[str]:
    """People and organisation names of ``pred`` that occur in none of ``texts`` (normalised, whole words).

    The texts' words are read once for all the names (`phrases.occurring`), not once per name.
    """
    words = " ".join(" ".join(canonical_words(t)) for t in texts).split(" ")
    names = [strip_titles(p.name) for p in pred.people] + [o.name for o in pred.organisations]
    found = occurring([" ".join(canonical_words(n)).split(" ") for n in names], words)
    return [n for n, hit in zip(names, found, strict=True) if not hit]


def score_briefing(
    name: str,
    gold: Briefing,
    raw_pred: str | bytes,
    *,
    source_texts: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> BriefingScore:
    """Score the raw JSON ``raw_pred`` against ``gold``, field by field (see the module docstring).

    ``source_texts`` are the articles' cleaned texts, used to look up names when the prediction
    does not carry them in ``sources[].text``.
    """
    pred, errors = parse_prediction(raw_pred)
    score = BriefingScore(
        name=name,
        valid=pred is not None,
        errors=errors,
        lists={f: _score_list(f, gold, pred, threshold) for f in LIST_FIELDS},
        scalars=_score_scalars(gold, pred),
        texts=_score_texts(gold, pred),
    )
    if pred is not None:
        score.model = pred.meta.model if pred.meta else None
        score.grounding_rate = round(pred.grounding.rate, 4) if pred.grounding else None
        texts = [s.text for s in pred.sources if s.text]
        if len(texts) < len(pred.sources):
            texts = list(source_texts or [])
        if texts:
            score.names_not_in_source = _names_not_in(pred, texts)
            score.names_checked = len(pred.people) + len(pred.organisations)
    return score


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def aggregate(
    scores: Sequence[BriefingScore],
) -> tuple[dict[str, ListAggregate], dict[str, ScalarAggregate], dict[str, TextAggregate], dict[str, float | None]]:
    """Per-field aggregates over briefings and the flat ``metrics`` the regression gate compares."""
    metrics: dict[str, float | None] = {}
    lists = {}
    for field in LIST_FIELDS:
        parts = [s.lists[field] for s in scores]
        gold, pred, matched = (sum(getattr(p, k) for p in parts) for k in ("gold", "pred", "matched"))
        precision, recall, f1 = prf(matched, gold, pred)
        attrs: dict[str, AttributeScore] = {}
        for attr in ATTRIBUTES.get(field, ()):
            attrs[attr] = AttributeScore(
                correct=sum(p.attributes[attr].correct for p in parts),
                total=sum(p.attributes[attr].total for p in parts),
            )
        lists[field] = ListAggregate(
            gold=gold,
            pred=pred,
            matched=matched,
            precision=round(precision, 4),
            recall=round(recall, 4),
            f1=round(f1, 4),
            attributes=attrs,
        )
        metrics[f"{field}.f1"] = lists[field].f1
        for attr, value in attrs.items():
            metrics[f"{field}.{attr}"] = round(value.accuracy, 4) if value.accuracy is not None else None
    scalars = {}
    for field in SCALAR_FIELDS:
        correct = sum(s.scalars[field].correct for s in scores)
        scalars[field] = ScalarAggregate(correct=correct, total=len(scores), accuracy=round(correct / len(scores), 4))
        metrics[f"{field}.accuracy"] = scalars[field].accuracy
    texts = {}
    for field in TEXT_FIELDS:
        keys = list(scores[0].texts[field].rouge)
        means = {k: _mean([s.texts[field].rouge[k] for s in scores]) or 0.0 for k in keys}
        coverage = _mean([s.texts[field].fact_coverage for s in scores]) if field == "summary" else None
        texts[field] = TextAggregate(rouge=means, fact_coverage=coverage)
        metrics.update({f"{field}.{k}": v for k, v in means.items()})
        if field == "summary":
            metrics["summary.facts"] = coverage
    metrics["briefing.schema_valid"] = round(sum(s.valid for s in scores) / len(scores), 4)
    metrics["briefing.grounding_rate"] = _mean([s.grounding_rate for s in scores])
    checked = sum(s.names_checked or 0 for s in scores)
    missing = sum(len(s.names_not_in_source) for s in scores)
    metrics["briefing.names_in_source"] = round(1 - missing / checked, 4) if checked else None
    return lists, scalars, texts, metrics
