"""JSON Schema references made local: `inline_refs` replaces every ``$ref`` with its definition.

Shared by the HTTP path (`transport.dialect`, for servers that take a schema without ``$defs``) and the
embedded backend (`embedded.backend`, whose grammar converter needs one flat schema), so that neither
imports the other.
"""

from __future__ import annotations

from typing import Any

__all__ = ["inline_refs"]


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Return ``schema`` with every local ``$ref`` replaced by its definition and ``$defs`` dropped."""
    defs = schema.get("$defs", {})

    def walk(node: Any, depth: int = 0) -> Any:
        if depth > 50:
            raise ValueError("schema nests references more than 50 deep (recursive model?)")
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
                return walk(merged, depth + 1)
            return {k: walk(v, depth + 1) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v, depth + 1) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result
