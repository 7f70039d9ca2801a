"""The exported JSON Schemas: ``schemas/*.schema.json``, kept in sync with the models by a test."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .contract import Article, Briefing
from .drafts import OverviewDraft, kinds_model

__all__ = ["EXPORTED_MODELS", "export_schemas", "schema_documents"]

#: Every model whose JSON Schema is exported to ``schemas/``.
EXPORTED_MODELS: dict[str, type[BaseModel]] = {
    "briefing.v1": Briefing,
    "article": Article,
    #: The kinds request is made per article (one key per name); its shape, for two example names:
    "entity-kinds": kinds_model(("NAME 1", "NAME 2")),
    "overview-draft": OverviewDraft,
}


def schema_documents() -> dict[str, str]:
    """Return ``{file name: JSON text}`` for every exported model, as written to ``schemas/``."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
        for name, model in EXPORTED_MODELS.items()
    }


def export_schemas(directory: Path) -> list[Path]:
    """Write the JSON Schema of every exported model into ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_documents().items():
        path = directory / filename
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
