"""Gold sets on disk: read gold briefings, pair them with predictions, or brief their articles.

A gold folder holds ``NAME.json`` gold briefings and, optionally, ``sources.yaml`` mapping
each NAME to the paths of its articles (relative to the gold folder's parent, the project
root). Predictions are paired with gold files by name (``pred/NAME.json``); without a
prediction folder they are made on the fly by `summariser.summarise` from those articles.
Every problem with the inputs is an `InputError` naming the file and the fix; a prediction
that is not a valid briefing is *not* an error here — it is scored as invalid.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from summariser.config import Settings
from summariser.errors import InputError, first_validation_error
from summariser.evaluation.models import GoldReport
from summariser.evaluation.scoring.briefing import DEFAULT_THRESHOLD, aggregate, score_briefing
from summariser.files import read_text_bounded
from summariser.ingest.read import load_sources
from summariser.output.render import read_briefing_bytes, to_json
from summariser.schemas import Briefing, is_unreviewed

__all__ = [
    "MAX_SOURCES_BYTES",
    "GoldItem",
    "evaluate",
    "generate_predictions",
    "load_gold",
    "load_predictions",
    "read_sources_map",
    "read_sources_text",
]

SOURCES_FILE = "sources.yaml"
#: The largest ``sources.yaml`` read: an entry (``name: [a.txt, b.txt]``) is about 100 bytes,
#: so 4 MB holds some 40,000 gold briefings — a gold set has dozens to hundreds.
MAX_SOURCES_BYTES = 4 * 2**20


@dataclass(frozen=True)
class GoldItem:
    """One gold briefing: its name (file stem), path and validated content."""

    name: str
    path: Path
    briefing: Briefing


def load_gold(directory: Path, *, allow_unreviewed: bool = False) -> list[GoldItem]:
    """Every ``*.json`` gold briefing in ``directory``, validated, sorted by name.

    A draft still marked unreviewed (`summariser.schemas.gold`) is an `InputError` unless
    ``allow_unreviewed``: scores against unconfirmed gold would look like scores against gold.
    Each file is read bounded (`summariser.output.render.read_briefing_bytes`); a link out of
    the folder, a FIFO or a device is refused.
    """
    if not directory.is_dir():
        raise InputError(f"gold folder {directory} does not exist; pass --gold DIR with the gold NAME.json files")
    items = []
    for path in sorted(directory.glob("*.json")):
        raw = read_briefing_bytes(path, what="the gold file", within=directory)
        try:
            items.append(GoldItem(path.stem, path, Briefing.model_validate_json(raw)))
        except ValidationError as err:
            kind = "is not valid JSON" if err.errors()[0]["type"] == "json_invalid" else "is not a valid briefing"
            raise InputError(
                f"gold file {path} {kind} ({first_validation_error(err)}); fix it to follow the briefing contract"
            ) from None
    if not items:
        raise InputError(f"gold folder {directory} has no .json gold briefings; add NAME.json files")
    drafts = [g.name for g in items if is_unreviewed(g.briefing)]
    if drafts and not allow_unreviewed:
        raise InputError(
            f"{len(drafts)} of the {len(items)} gold files in {directory} are unreviewed drafts ({', '.join(drafts)}); "
            "confirm each in `summariser review FILE --edit` and save it, or pass --allow-unreviewed"
        )
    return items


def load_predictions(directory: Path, gold: list[GoldItem]) -> dict[str, bytes]:
    """The raw prediction file of every gold briefing (``directory/NAME.json``); unpaired files are an error."""
    if not directory.is_dir():
        raise InputError(f"prediction folder {directory} does not exist; pass --pred DIR, or omit it to brief")
    names = {g.name for g in gold}
    present = {p.stem: p for p in directory.glob("*.json")}
    missing = sorted(names - present.keys())
    extra = sorted(present.keys() - names)
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"no prediction for gold {', '.join(missing)} (expected {directory}/NAME.json)")
        if extra:
            problems.append(f"no gold for prediction {', '.join(extra)}")
        raise InputError(
            f"unpaired files: {'; '.join(problems)}; name each prediction after its gold file, or move it out"
        )
    return {name: read_briefing_bytes(present[name], what="the prediction", within=directory) for name in sorted(names)}


def read_sources_text(path: Path) -> str:
    """The text of a gold folder's ``sources.yaml``: a regular file inside its folder, at most `MAX_SOURCES_BYTES`."""
    return read_text_bounded(
        path, what="the sources file", limit=MAX_SOURCES_BYTES, error=InputError, within=path.parent,
        too_big="it maps each gold name to its article paths, one short line each",
    )  # fmt: skip


def read_sources_map(directory: Path, *, required: bool) -> dict[str, list[Path]]:
    """``sources.yaml`` of a gold folder as ``{name: [article paths]}`` (paths resolved from the project root)."""
    path = directory / SOURCES_FILE
    if not path.exists():
        if required:
            raise InputError(
                f"{path} is missing; without --pred the articles of each gold briefing are read from it "
                "(NAME: [article paths]); add it or pass --pred DIR"
            )
        return {}
    text = read_sources_text(path)
    try:
        data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, RecursionError) as err:  # ValueError: a huge integer
        detail = " ".join(str(err).split())[:120]
        raise InputError(f"{path} cannot be read as YAML ({detail}); fix it") from None
    ok = isinstance(data, dict) and all(
        isinstance(k, str) and isinstance(v, list) and v and all(isinstance(p, str) for p in v) for k, v in data.items()
    )
    if not ok:
        raise InputError(f"{path} must map each gold name to a list of article paths, e.g. `seed_000: [a.txt]`")
    root = directory.resolve().parent
    return {name: [Path(os.path.normpath(root / p)) for p in paths] for name, paths in data.items()}


def _articles_of(name: str, sources: dict[str, list[Path]], directory: Path) -> list[Path]:
    if name not in sources:
        raise InputError(f"{directory / SOURCES_FILE} has no entry for gold {name}; add `{name}: [article paths]`")
    return sources[name]


def generate_predictions(
    gold: list[GoldItem],
    directory: Path,
    settings: Settings,
    *,
    save_to: Path | None = None,
    on_item: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """Brief the articles of every gold briefing (per ``sources.yaml``) and return the JSON of each.

    With ``save_to``, each prediction is also written there as ``NAME.json`` (atomically).
    """
    from summariser.atomic import write_atomic
    from summariser.brief.pipeline import summarise

    sources = read_sources_map(directory, required=True)
    paths = {g.name: _articles_of(g.name, sources, directory) for g in gold}  # check all before any work
    raw = {}
    for item in gold:
        if on_item is not None:
            on_item(item.name)
        text = to_json(summarise([str(p) for p in paths[item.name]], settings=settings))
        if save_to is not None:
            write_atomic(save_to / f"{item.name}.json", text)
        raw[item.name] = text.encode("utf-8")
    return raw


def evaluate(
    gold_dir: Path,
    predictions: dict[str, bytes],
    gold: list[GoldItem],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    pred_dir: Path | None = None,
    model: str | None = None,
) -> GoldReport:
    """Score every prediction against its gold briefing and aggregate (see `scoring`)."""
    sources = read_sources_map(gold_dir, required=False)
    scores = []
    for item in gold:
        texts = None
        if item.name in sources:
            try:
                texts = [a.text for a in load_sources([str(p) for p in sources[item.name]])]
            except InputError:
                texts = None  # names are then checked only where the prediction carries its sources' text
        scores.append(
            score_briefing(item.name, item.briefing, predictions[item.name], source_texts=texts, threshold=threshold)
        )
    lists, scalars, texts_agg, metrics = aggregate(scores)
    models = {s.model for s in scores if s.model}
    if model is None and models:
        model = ", ".join(sorted(models))
    return GoldReport(
        gold_dir=str(gold_dir),
        pred_dir=str(pred_dir) if pred_dir else None,
        model=model,
        threshold=threshold,
        briefings=scores,
        lists=lists,
        scalars=scalars,
        texts=texts_agg,
        metrics=metrics,
    )
