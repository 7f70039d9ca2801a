"""The summary benchmark: brief reference-summary datasets and score them beside Lead-3.

The dataset is JSON Lines, one article a line: ``{"id", "article", "reference"}`` (the FRANK
CNN/DailyMail subset has this shape). Each article is briefed with `summarise` (through the
response cache, so a re-run is instant); the briefing's summary bullets, one sentence a line,
are scored against the reference highlights, one sentence a line, with ROUGE-1/2/Lsum
(rouge-score, Porter stemming). Lead-3 — the article's first three sentences (pysbd) — is
scored on the same articles. An article the pipeline fails on (validation, input, a backend
error after retries) is counted as a failure with its message; errors that would fail every
article (configuration, missing model, rejected key, cassette miss) stop the run.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summariser.config import Settings
from summariser.errors import AuthError, CassetteMiss, ConfigError, InputError, ModelUnavailable, SummariserError
from summariser.evaluation.models import DatasetArticle, DatasetReport
from summariser.evaluation.scoring.textscore import rouge
from summariser.files import open_regular, size_words
from summariser.ingest.limits import max_input_bytes
from summariser.text.sentences import scoring_sentences as sentences

__all__ = ["MAX_DATASET_BYTES", "ROUGE_KEYS", "DatasetRow", "lead3", "max_line_bytes", "read_dataset", "run_dataset"]

ROUGE_KEYS = ("rouge1", "rouge2", "rougeLsum")
#: Errors that would fail every article the same way: they end the run instead of counting.
FATAL = (ConfigError, AuthError, ModelUnavailable, CassetteMiss)
#: The most bytes of a dataset read (every row is held while the run lasts): the whole
#: CNN/DailyMail test split, 11,490 articles, is about 60 MB; ``--limit`` stops reading early.
MAX_DATASET_BYTES = 128 * 2**20


@dataclass(frozen=True)
class DatasetRow:
    """One article of the dataset with its reference summary."""

    id: str
    article: str
    reference: str


def max_line_bytes() -> int:
    """The longest dataset line read: an article at the input limit as JSON (escapes can triple it), its reference."""
    return 3 * max_input_bytes() + 2**20


def _row(line: bytes, where: str, first: bool) -> DatasetRow | None:
    """The row of one line (None for a blank line); a malformed line is an `InputError` naming ``where``."""
    text = line.decode("utf-8")
    if first:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as err:  # also: nested too deeply, an integer too long
        detail = err.msg if isinstance(err, json.JSONDecodeError) else " ".join(str(err).split())[:80]
        raise InputError(f"{where} is not valid JSON ({detail}); fix or remove the line") from None
    fields = ("id", "article", "reference")
    if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) and obj[k].strip() for k in fields):
        raise InputError(f'{where} needs string fields "id", "article" and "reference"')
    return DatasetRow(obj["id"], obj["article"], obj["reference"])


def read_dataset(path: Path, limit: int | None = None) -> list[DatasetRow]:
    """The first ``limit`` rows (all if None) of a JSON Lines dataset; a malformed line is an `InputError`.

    The file is streamed a line at a time from a regular file (`summariser.files.open_regular`:
    a FIFO or a device is refused); a line over `max_line_bytes`, or more than
    `MAX_DATASET_BYTES` read in all, is refused before more is read.
    """
    if not path.exists():
        raise InputError(f"dataset {path} does not exist; pass --dataset FILE.jsonl")
    rows: list[DatasetRow] = []
    handle, _ = open_regular(path, what="dataset", error=InputError)
    cap, total = max_line_bytes(), 0
    with handle:
        for number in itertools.count(1):
            if limit is not None and len(rows) >= limit:
                break
            try:
                line = handle.readline(cap + 1)
            except OSError as err:
                raise InputError(f"cannot read dataset {path} ({err.strerror or err}); check the file") from None
            total += len(line)
            if len(line) > cap:
                raise InputError(f"{path} line {number} is over the {size_words(cap)} line limit; fix or remove it")
            if total > MAX_DATASET_BYTES:
                raise InputError(
                    f"dataset {path} is over the {size_words(MAX_DATASET_BYTES)} limit; "
                    "pass --limit N, or split it into several files"
                )
            if not line:
                break
            try:
                row = _row(line, f"{path} line {number}", number == 1)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"dataset {path} is not UTF-8 text ({err.reason} after {len(rows)} articles); "
                    "convert it, e.g. `iconv -f latin1 -t utf-8`"
                ) from None
            if row is not None:
                rows.append(row)
    if not rows:
        raise InputError(f"dataset {path} holds no articles; put one JSON object a line")
    return rows


def lead3(article: str) -> list[str]:
    """The first three sentences of ``article`` (pysbd), the classic extractive baseline."""
    return sentences(article)[:3]


def _mean(articles: list[DatasetArticle], attribute: str) -> dict[str, float]:
    values = [getattr(a, attribute) for a in articles if getattr(a, attribute)]
    if not values:
        return dict.fromkeys(ROUGE_KEYS, 0.0)
    return {k: round(sum(v[k] for v in values) / len(values), 4) for k in ROUGE_KEYS}


def run_dataset(
    path: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_article: Callable[[int, int, DatasetArticle | None, str], None] | None = None,
) -> DatasetReport:
    """Brief every article of the dataset and score the summaries beside Lead-3 (see the module docstring).

    ``on_article(index, total, result, article_id)`` is called before each article (result None)
    and after it (with its result), for progress display.
    """
    from summariser.brief.pipeline import summarise
    from summariser.ingest.read import make_article

    rows = read_dataset(path, limit)
    results: list[DatasetArticle] = []
    model_label: str | None = None
    for index, row in enumerate(rows):
        if on_article is not None:
            on_article(index, len(rows), None, row.id)
        reference = sentences(row.reference)
        base = rouge(reference, lead3(row.article))
        result = DatasetArticle(id=row.id, ok=False, lead3={k: base[k] for k in ROUGE_KEYS})
        started = time.monotonic()
        try:
            briefing = summarise(make_article(row.article), settings=settings)
        except FATAL:
            raise
        except SummariserError as err:
            result.error = f"{type(err).__name__}: {err.message}"
            result.error_details = err.details() or None
        except ValidationError as err:  # the assembled briefing broke the contract
            result.error = f"invalid briefing: {err.error_count()} validation errors, first: {err.errors()[0]['msg']}"
        else:
            scores = rouge(reference, [p.text for p in briefing.summary])
            result.ok, result.model = True, {k: scores[k] for k in ROUGE_KEYS}
            model_label = briefing.meta.model if briefing.meta else model_label
        result.seconds = round(time.monotonic() - started, 2)
        results.append(result)
        if on_article is not None:
            on_article(index, len(rows), result, row.id)
    scored = [a for a in results if a.ok]
    model_rouge, lead3_rouge = _mean(scored, "model"), _mean(scored, "lead3")
    metrics: dict[str, float | None] = {f"model.{k}": v if scored else None for k, v in model_rouge.items()}
    metrics["success_rate"] = round(len(scored) / len(results), 4)
    return DatasetReport(
        dataset=str(path),
        model=model_label or settings.model,
        articles=results,
        scored=len(scored),
        failures=len(results) - len(scored),
        model_rouge=model_rouge,
        lead3_rouge=lead3_rouge,
        lead3_all_rouge=_mean(results, "lead3"),
        metrics=metrics,
    )
