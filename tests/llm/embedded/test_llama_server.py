"""`summariser.llm.embedded.llama_server`: llama-server started on loopback, stopped for good, failing in one line.

Most tests run a stand-in binary (tests/helpers/fake_llama_server.py), so they need neither
llama-server nor a model; the ``model`` tests run the real binary on the small model, built
on first need if it is not cached (`summariser.llm.embedded.server_build`, tested in test_server_build.py).
"""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest
from helpers.fake_llama_server import alive, build_runs, fake_binary, fake_build, gguf, listening, record
from pydantic import BaseModel, Field

from summariser.errors import ConfigError, ModelUnavailable
from summariser.llm.backends import resolve
from summariser.llm.embedded import llama_server
from summariser.llm.embedded.llama_server import BUILD, ENV_BINARY, HOST, serve
from summariser.llm.embedded.weights import EmbeddedModel, gguf_file

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to see sockets and processes")
#: The tests that start a server process: its start, its signals and its exit are what they check.
CHILD = pytest.mark.subprocess(reason="starts a llama-server stand-in: the child's start, signals and exit are checked")


@pytest.fixture(autouse=True)
def no_real_build(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Outside the ``model`` tests, a build that was not asked for fails at once instead of compiling llama.cpp."""
    if request.node.get_closest_marker("model") is None:
        (tmp_path / "unasked").mkdir()
        monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_BUILD", str(fake_build(tmp_path / "unasked", "fail")))


@pytest.fixture
def tiny(tmp_path: Path) -> EmbeddedModel:
    return gguf_file(str(gguf(tmp_path)))


def use(monkeypatch: pytest.MonkeyPatch, exe: Path) -> Path:
    monkeypatch.setenv(ENV_BINARY, str(exe))
    return exe


def one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(err.value)
    assert "\n" not in text
    return text


# --------------------------------------------------------------------------- finding the binary


@pytest.mark.subprocess(reason="the first need runs the build script (bash)")
def test_without_the_variable_the_binary_is_this_machines_build_made_on_first_need(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_CACHE", str(tmp_path / "cache"))
    script = fake_build(tmp_path, key="feedfacefeedface")
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_BUILD", str(script))
    assert llama_server.binary() == tmp_path / "cache" / "feedfacefeedface" / "llama-server"
    assert llama_server.binary() == tmp_path / "cache" / "feedfacefeedface" / "llama-server"
    assert build_runs(script) == 1


def test_a_bad_env_binary_is_named_with_its_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_BINARY, str(tmp_path / "nowhere"))
    with pytest.raises(ModelUnavailable) as err:
        llama_server.binary()
    assert f"{ENV_BINARY}={tmp_path / 'nowhere'}" in one_line(err)
    assert BUILD in str(err.value)


def test_the_variable_wins_over_the_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = fake_build(tmp_path, "fail")
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_BUILD", str(script))
    exe = use(monkeypatch, fake_binary(tmp_path))
    assert llama_server.binary() == exe
    assert build_runs(script) == 0


# --------------------------------------------------------------------------- start and stop


@CHILD
def test_it_serves_on_loopback_only_and_the_process_is_gone_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    exe = use(monkeypatch, fake_binary(tmp_path))
    monkeypatch.setenv("LLAMA_ARG_HOST", "0.0.0.0")  # would override --host: must not reach the server
    with serve(tiny, parallel=3) as server:
        pid = server.process.pid
        assert listening(pid) == {(HOST, server.port)}
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        assert server.model_string == f"{server.base_url}#tiny"
    assert not alive(pid)
    ran = record(exe)
    assert ran["env"] == {}
    argv = ran["argv"]
    assert argv[argv.index("--host") + 1] == HOST
    assert argv[argv.index("--parallel") + 1] == "3"
    assert argv[argv.index("--ctx-size") + 1] == str(3 * 16384)  # n_ctx per slot × slots


@CHILD
def test_an_exception_or_ctrl_c_inside_stops_the_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    use(monkeypatch, fake_binary(tmp_path))
    for raised in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(raised)), serve(tiny, parallel=1) as server:
            pid = server.process.pid
            raise raised
        assert not alive(pid)


@CHILD
def test_a_server_that_ignores_sigterm_is_killed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    use(monkeypatch, fake_binary(tmp_path, "stubborn"))
    monkeypatch.setattr(llama_server, "STOP_GRACE", 0.5)
    started = time.monotonic()
    with serve(tiny, parallel=1) as server:
        pid = server.process.pid
    assert not alive(pid)
    assert time.monotonic() - started < 10


# --------------------------------------------------------------------------- failures, one line each


@CHILD
def test_a_server_that_exits_gives_its_last_line_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    exe = use(monkeypatch, fake_binary(tmp_path, "fail"))
    with pytest.raises(ModelUnavailable) as err, serve(tiny):
        pytest.fail("a server that exits is not ready")
    message = one_line(err)
    assert message.startswith("llama-server did not start (exit code 1): srv load_model: failed to load model")
    assert BUILD in message
    assert not alive(record(exe)["pid"])


@CHILD
def test_a_binary_that_is_not_llama_server_fails_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    exe = tmp_path / "false"
    exe.write_text("#!/bin/sh\nexit 1\n")
    exe.chmod(0o755)
    use(monkeypatch, exe)
    with pytest.raises(ModelUnavailable) as err, serve(tiny):
        pass
    assert one_line(err) == (
        "llama-server did not start (exit code 1): it logged nothing; check the model file and the port, "
        f"or rebuild the server with `{BUILD}`"
    )


def test_a_port_in_use_is_refused_before_starting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny: EmbeddedModel
) -> None:
    exe = use(monkeypatch, fake_binary(tmp_path))
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {port} on 127.0.0.1 is in use"), serve(tiny, port=port):
            pass
    assert not exe.with_suffix(".json").exists()  # never started


def test_zero_slots_is_a_config_error(tiny: EmbeddedModel) -> None:
    with pytest.raises(ConfigError, match="parallel must be at least 1"), serve(tiny, parallel=0):
        pass


# --------------------------------------------------------------------------- the real llama-server


class City(BaseModel):
    city: str = Field(max_length=40)  # every answer is bounded (summariser.llm.tokens.max_tokens)


@pytest.mark.model
def test_real_llama_server_answers_the_projects_structured_requests_on_loopback(small_model: EmbeddedModel) -> None:
    """Built on first need if it is not cached (~6 min, once): a build that fails fails this test."""
    from summariser.llm.client import LLMClient
    from summariser.llm.options import LLMOptions

    with serve(small_model, parallel=2) as server:
        pid = server.process.pid
        assert listening(pid) == {(HOST, server.port)}
        client = LLMClient(resolve(server.model_string), LLMOptions(cache="off"))
        try:
            answer = client.extract(
                City, [{"role": "user", "content": "Paris is the capital of France. Which city is named? JSON."}]
            )
        finally:
            client.close()
        assert answer.city.lower().startswith("paris")
        assert client.usage.completion_tokens > 0
    assert not alive(pid)
