"""``summariser models``: the embedded models as JSON."""

from __future__ import annotations

import json

from helpers.cli import run


def test_models_json_lists_the_embedded_models() -> None:
    result = run("models", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert {r["model"] for r in rows} == {"local:qwen2.5-1.5b", "local:qwen2.5-0.5b"}
    assert sum(r["default"] for r in rows) == 1
