"""The install smoke test (`summariser.llm.embedded.smoke`): it generates with the real 0.5B model."""

from __future__ import annotations

import pytest


@pytest.mark.model
@pytest.mark.usefixtures("small_model")
def test_install_smoke_test_generates_with_the_small_model(capsys: pytest.CaptureFixture[str]) -> None:
    from summariser.llm.embedded import smoke

    assert smoke.main() == 0
    assert "llama.cpp OK" in capsys.readouterr().out
