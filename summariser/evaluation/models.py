"""The evaluator's results as pydantic models: what ``--json`` writes and a baseline stores.

A `GoldReport` holds one `BriefingScore` per gold briefing (every pair, missing and extra
item, every attribute and fact check — the material of the HTML diff) and the aggregates
per field. A `DatasetReport` holds the summary benchmark. Both expose ``metrics``: a flat
``{name: score}`` of the numbers the regression gate compares (all in [0, 1], higher is
better; None when not applicable to this run).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

__all__ = [
    "AttributeDiff",
    "AttributeScore",
    "Baseline",
    "BriefingScore",
    "DatasetArticle",
    "DatasetReport",
    "FactResult",
    "GoldReport",
    "ListAggregate",
    "ListFieldScore",
    "PairDiff",
    "ScalarAggregate",
    "ScalarScore",
    "TextAggregate",
    "TextScore",
]

Metrics = dict[str, float | None]


class AttributeDiff(BaseModel):
    """One attribute of a paired item: the gold and predicted values and whether they match."""

    gold: str | None
    pred: str | None
    match: bool


class PairDiff(BaseModel):
    """A gold item paired with a predicted one (``gold_index``, ``pred_index``: their places in the lists)."""

    gold: str
    pred: str
    similarity: float
    gold_index: int = 0
    pred_index: int = 0
    attributes: dict[str, AttributeDiff] = Field(default_factory=dict)


class AttributeScore(BaseModel):
    """Accuracy of one attribute over the paired items (None when nothing was paired)."""

    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        """``correct / total``, or None without pairs."""
        return self.correct / self.total if self.total else None


class ListAggregate(BaseModel):
    """A list field over all briefings: micro-averaged P/R/F1 and attribute accuracy."""

    gold: int
    pred: int
    matched: int
    precision: float
    recall: float
    f1: float
    attributes: dict[str, AttributeScore] = Field(default_factory=dict)


class ListFieldScore(ListAggregate):
    """One list field of one briefing: counts, P/R/F1, attribute accuracy and the diff."""

    pairs: list[PairDiff] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    missing_index: list[int] = Field(default_factory=list)
    """Where each missing item is in the gold list (the review page's anchor ``FIELD-INDEX``)."""
    extra_index: list[int] = Field(default_factory=list)
    """Where each extra item is in the predicted list."""


class ScalarScore(BaseModel):
    """A scalar field (event_date, location): values as given, and whether they agree once normalised."""

    gold: str | None
    pred: str | None
    correct: bool


class FactResult(BaseModel):
    """One gold summary fact: covered or not, by which predicted bullet, and what it lacks."""

    fact: str
    covered: bool
    recall: float
    best: str | None
    best_index: int | None = None
    """Which predicted bullet ``best`` is (None if there are none)."""
    missing_words: list[str] = Field(default_factory=list)
    missing_numbers: list[str] = Field(default_factory=list)


class TextScore(BaseModel):
    """A text field: ROUGE F1 scores, the texts compared and (for the summary) the fact checks."""

    rouge: dict[str, float]
    gold: list[str]
    pred: list[str]
    facts: list[FactResult] | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fact_coverage(self) -> float | None:
        """Share of gold facts covered (None for fields without fact checks or without facts)."""
        if not self.facts:
            return None
        return sum(f.covered for f in self.facts) / len(self.facts)


class BriefingScore(BaseModel):
    """Everything measured on one predicted briefing against its gold briefing."""

    name: str
    valid: bool
    model: str | None = None
    """The model that made the prediction (from its ``meta``), if it says."""
    errors: list[str] = Field(default_factory=list)
    """Why the prediction is not a valid briefing (it is then scored as an empty one)."""
    lists: dict[str, ListFieldScore] = Field(default_factory=dict)
    scalars: dict[str, ScalarScore] = Field(default_factory=dict)
    texts: dict[str, TextScore] = Field(default_factory=dict)
    grounding_rate: float | None = None
    names_checked: int | None = None
    """How many people and organisation names were looked up in the source text (None: no text)."""
    names_not_in_source: list[str] = Field(default_factory=list)


class ScalarAggregate(BaseModel):
    """A scalar field over all briefings."""

    correct: int
    total: int
    accuracy: float


class TextAggregate(BaseModel):
    """A text field over all briefings: mean ROUGE and mean fact coverage."""

    rouge: dict[str, float]
    fact_coverage: float | None = None


class GoldReport(BaseModel):
    """The result of ``summariser eval --gold``."""

    kind: Literal["gold"] = "gold"
    gold_dir: str
    pred_dir: str | None = None
    model: str | None = None
    threshold: float
    briefings: list[BriefingScore]
    lists: dict[str, ListAggregate]
    scalars: dict[str, ScalarAggregate]
    texts: dict[str, TextAggregate]
    metrics: Metrics


class DatasetArticle(BaseModel):
    """One article of the summary benchmark: model and Lead-3 ROUGE, or why it failed."""

    id: str
    ok: bool
    error: str | None = None
    error_details: dict[str, Any] | None = None
    """The data the error carried (`SummariserError.details`: a validation failure's attempts, usage, last answer)."""
    model: dict[str, float] = Field(default_factory=dict)
    lead3: dict[str, float] = Field(default_factory=dict)
    seconds: float = 0.0


class DatasetReport(BaseModel):
    """The result of ``summariser eval --dataset``: mean ROUGE of the model and of Lead-3."""

    kind: Literal["dataset"] = "dataset"
    dataset: str
    model: str | None = None
    articles: list[DatasetArticle]
    scored: int
    failures: int
    model_rouge: dict[str, float]
    """Mean ROUGE F1 of the model over the articles it briefed."""
    lead3_rouge: dict[str, float]
    """Mean ROUGE F1 of Lead-3 over the same articles."""
    lead3_all_rouge: dict[str, float]
    """Mean ROUGE F1 of Lead-3 over every article read (failed ones included)."""
    metrics: Metrics


class Baseline(BaseModel):
    """A stored set of scores (``--save-baseline``) that later runs are gated against."""

    format: Literal["summariser-eval-baseline/1"] = "summariser-eval-baseline/1"
    kind: Literal["gold", "dataset"]
    model: str | None = None
    items: list[str] = Field(default_factory=list)
    """The briefings (or article ids) scored, to warn when a later run scores others."""
    metrics: Metrics
