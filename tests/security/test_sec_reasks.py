"""Item 6 of issue 24: re-asks are bounded, and ``--timeout`` covers a request and all its re-asks.

``reasks = 100000`` was accepted (the audit stopped at 669 requests), and each re-ask was a new
request with a fresh timeout, so a server that kept answering invalid JSON could stretch one
call to ``(1 + reasks) × timeout``. Now the re-asks are at most `MAX_REASKS` (10; more is a
`ConfigError` wherever it is set) and one call — a request and its re-asks — gets one timeout
(`summariser.llm.transport.deadline.Deadlines.call`): a loopback server that always answers JSON that never
validates, slowly, is cut off at the timeout with the re-asks at the maximum, through the client
(generated timings) and through the real command.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.cli import run
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.generated import FAST
from helpers.http import make_client
from helpers.paths import FIXTURES
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from summariser.config import Settings, load_settings
from summariser.errors import ConfigError, EndpointError, SummariserError, ValidationFailed
from summariser.llm.options import LLMOptions
from summariser.settings_table import MAX_REASKS

MESSAGES = [{"role": "user", "content": "Which city is the capital of France?"}]
#: Seconds a call may run past its timeout: the clock checks and the last read's cut (each well under 0.1 s).
SLACK = 0.75


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


class NeverValid:
    """Answers every request with JSON that misses a required field, after ``delay`` seconds; notes the times."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self, body: Any) -> Reply:
        self.times.append(time.monotonic())
        return Reply(200, completion(json.dumps({"name": "Paris"})))


def test_more_re_asks_than_the_maximum_are_refused_wherever_they_are_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for reasks in (MAX_REASKS + 1, 100_000):
        for make in (Settings, LLMOptions):
            with pytest.raises(
                ConfigError, match=f"keyword argument reasks must be a whole number from 0 to {MAX_REASKS}"
            ):
                make(reasks=reasks)
        monkeypatch.setenv("SUMMARISER_REASKS", str(reasks))
        with pytest.raises(ConfigError, match="SUMMARISER_REASKS must be a whole number from 0 to 10"):
            load_settings()
        monkeypatch.delenv("SUMMARISER_REASKS")
        (tmp_path / "c.toml").write_text(f"reasks = {reasks}\n", encoding="utf-8")
        monkeypatch.setenv("SUMMARISER_CONFIG", str(tmp_path / "c.toml"))
        with pytest.raises(ConfigError, match=f"reasks in {tmp_path / 'c.toml'} must be a whole number from 0 to 10"):
            load_settings()
        monkeypatch.delenv("SUMMARISER_CONFIG")
    assert Settings(reasks=MAX_REASKS).reasks == MAX_REASKS
    figures.record("security", "reask_calls", 8)


def call_never_valid(tmp_path: Path, reasks: int, timeout: float, delay: float) -> tuple[float, int, SummariserError]:
    """One extract against a never-valid server: (seconds it took, requests the server saw, the error)."""
    answers = NeverValid()
    with FakeOpenAI(answers, delay=delay) as server:
        client = make_client(f"{server.base_url}#fake", tmp_path, reasks=reasks, timeout=timeout)
        started = time.monotonic()
        try:
            with pytest.raises(SummariserError) as info:
                client.extract(City, MESSAGES)
        finally:
            elapsed = time.monotonic() - started
            client.close()
    return elapsed, len(answers.times), info.value


def test_the_timeout_covers_the_re_asks_at_their_maximum(tmp_path: Path) -> None:
    timeout, delay = 2.0, 0.5  # eleven answers would take 5.5 s
    elapsed, requests, error = call_never_valid(tmp_path, MAX_REASKS, timeout, delay)
    figures.record("security", "reask_calls")
    assert elapsed < timeout + SLACK, f"{elapsed:.2f} s for a {timeout} s timeout ({requests} requests)"
    assert requests <= timeout / delay + 1
    assert isinstance(error, EndpointError) and "\n" not in error.message, error
    assert "2 s" in error.message and "re-asks included" in error.message and "--timeout" in error.message


@settings(FAST, max_examples=examples(12))
@given(
    reasks=st.integers(0, MAX_REASKS),
    timeout=st.sampled_from([0.4, 0.7, 1.0]),
    delay=st.sampled_from([0.0, 0.05, 0.15, 0.3]),
)
def test_generated_re_ask_timings_end_within_the_timeout_or_after_every_re_ask(
    tmp_path_factory: pytest.TempPathFactory, reasks: int, timeout: float, delay: float
) -> None:
    elapsed, requests, error = call_never_valid(tmp_path_factory.mktemp("c"), reasks, timeout, delay)
    figures.record("security", "reask_calls")
    assert elapsed < timeout + SLACK, f"{elapsed:.2f} s for a {timeout} s timeout"
    assert requests <= reasks + 1
    if requests < reasks + 1:  # cut short: by the timeout, and it says so
        assert isinstance(error, EndpointError) and "re-asks included" in error.message, error
    else:
        assert isinstance(error, ValidationFailed | EndpointError), error


def test_the_command_ends_within_its_timeout_whatever_the_server_answers(tmp_path: Path) -> None:
    answers = NeverValid()
    config = tmp_path / "config.toml"
    config.write_text(f"reasks = {MAX_REASKS}\n", encoding="utf-8")
    article = str(FIXTURES / "articles" / "harbour_fees.md")
    with FakeOpenAI(answers, delay=0.5) as server:
        result = run(
            "brief", article, "--model", f"{server.base_url}#m", "--no-cache", "--timeout", "2",
            env={"SUMMARISER_CONFIG": str(config)},
        )  # fmt: skip
    figures.record("security", "reask_calls")
    assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "re-asks included" in result.stderr
    span = answers.times[-1] - answers.times[0]  # the briefing's two first calls run side by side
    assert span < 2 + SLACK, f"requests over {span:.2f} s for --timeout 2 ({len(answers.times)} requests)"
