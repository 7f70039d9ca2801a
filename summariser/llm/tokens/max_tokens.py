"""Size ``max_tokens`` from a JSON Schema so that a complete answer always fits.

Constrained decoding guarantees valid JSON only if generation finishes; an answer cut at
``max_tokens`` is invalid. Every array must carry ``maxItems`` and every string
``maxLength``: `max_tokens_for` then computes an upper bound on the tokens of any answer the
grammar allows (pessimistic: ``CHARS_PER_TOKEN`` characters per token plus whitespace and
punctuation tokens), and raises if the schema is unbounded.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from pydantic import BaseModel

CHARS_PER_TOKEN = 0.9
"""Pessimistic: English averages ~4 characters per token, but Devanagari runs slightly above one
token per character on the Qwen tokenizer (measured by tests/llm/tokens/test_budget.py)."""


class UnboundedSchema(ValueError):
    """The schema allows answers of unbounded length (an array or string without a cap)."""


def max_tokens_for(schema: dict[str, Any]) -> int:
    """Upper bound on the completion tokens of any JSON document ``schema`` allows."""
    defs = schema.get("$defs", {})

    def size(node: dict[str, Any], where: str) -> int:
        if "$ref" in node:
            return size(defs[node["$ref"].rsplit("/", 1)[-1]], where)
        for combinator in ("anyOf", "oneOf"):
            if combinator in node:
                return max(size(option, where) for option in node[combinator])
        if "enum" in node:
            return max(math.ceil(len(str(v)) / CHARS_PER_TOKEN) + 2 for v in node["enum"])
        if "const" in node:
            return math.ceil(len(str(node["const"])) / CHARS_PER_TOKEN) + 2
        kind = node.get("type")
        if kind == "object":
            total = 2
            for name, prop in node.get("properties", {}).items():
                # key, its quotes, ": " and the ", " before the next key
                total += math.ceil(len(name) / CHARS_PER_TOKEN) + 6 + size(prop, f"{where}.{name}")
            return total
        if kind == "array":
            if "maxItems" not in node:
                raise UnboundedSchema(f"array {where or '<root>'} has no maxItems")
            return 2 + int(node["maxItems"]) * (size(node.get("items", {}), f"{where}[]") + 3)
        if kind == "string":
            if "maxLength" not in node:
                if node.get("format") in {"date", "date-time"}:
                    return 14
                raise UnboundedSchema(f"string {where or '<root>'} has no maxLength")
            return math.ceil(int(node["maxLength"]) / CHARS_PER_TOKEN) + 2
        if kind == "integer":
            return 18  # llama.cpp's grammar: "-", up to 16 digits (a token each on Qwen), a space
        if kind == "number":
            return 10
        if kind in {"boolean", "null"}:
            return 2
        raise UnboundedSchema(f"cannot bound {where or '<root>'} (type {kind!r})")

    return size(schema, "")


@cache
def max_tokens_for_model(model: type[BaseModel]) -> int:
    """`max_tokens_for` the JSON Schema of a pydantic model, computed once per model class."""
    return max_tokens_for(model.model_json_schema())
