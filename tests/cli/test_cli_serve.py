"""``summariser serve``: the model string on stdout, Ctrl-C stops the server, failures in one line.

The server is a stand-in binary (tests/helpers/fake_llama_server.py), given by
``SUMMARISER_LLAMA_SERVER`` or "built" on first use by a stand-in build script; the real one is
tested in tests/llm/embedded/test_llama_server.py. The command runs in this process
(`helpers.cli.run`) but where it is stopped by a signal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import assert_clean_failure, run
from helpers.fake_llama_server import alive, build_runs, fake_binary, fake_build, gguf, record

from summariser.errors import ModelUnavailable
from summariser.llm.embedded.llama_server import BUILD, ENV_BINARY
from summariser.llm.embedded.server_build import BUILD_TIME, FAILED_LOG

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to see processes")


@pytest.mark.subprocess(reason="Ctrl-C and SIGTERM are sent to a real serve process, which stops its server child")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_prints_the_model_string_and_ctrl_c_stops_the_server(tmp_path: Path, stop: signal.Signals) -> None:
    exe = fake_binary(tmp_path)
    env = {**os.environ, ENV_BINARY: str(exe)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "summariser", "serve", "--model", f"local:{gguf(tmp_path)}", "--parallel", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:") and line.endswith("/v1#tiny"), line
        server = record(exe)["pid"]
        assert alive(server)
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "llama-server stopped" in err
    assert not alive(server)


@pytest.mark.subprocess(reason="the first use runs the build script (bash), then serve starts its server child")
def test_serve_builds_llama_server_on_first_use_saying_so_then_serves(tmp_path: Path) -> None:
    exe = fake_binary(tmp_path)
    script = fake_build(tmp_path, binary=exe, key="00c0ffee00c0ffee")
    cache = tmp_path / "cache"
    env = {**os.environ, "SUMMARISER_LLAMA_SERVER_CACHE": str(cache), "SUMMARISER_LLAMA_SERVER_BUILD": str(script)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "summariser", "serve", "--model", f"local:{gguf(tmp_path)}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("http://127.0.0.1:")
        cmdline = Path(f"/proc/{record(exe)['pid']}/cmdline").read_bytes().split(b"\0")
        assert cmdline[1] == bytes(cache / "00c0ffee00c0ffee" / "llama-server")  # the build's copy is what runs
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert err.splitlines()[0] == f"building llama.cpp's llama-server ({BUILD_TIME}, once; cached in {cache})"
    assert "Traceback" not in err and build_runs(script) == 1


@pytest.mark.subprocess(reason="the first use runs the build script (bash), which fails")
def test_serve_a_failed_build_is_one_error_line_after_the_building_line(tmp_path: Path) -> None:
    cache, script = tmp_path / "cache", fake_build(tmp_path, "fail")
    env = {"SUMMARISER_LLAMA_SERVER_CACHE": str(cache), "SUMMARISER_LLAMA_SERVER_BUILD": str(script)}
    result = run("serve", "--model", f"local:{gguf(tmp_path)}", env=env)
    assert result.returncode == ModelUnavailable.exit_code and result.stdout == ""
    building, error = result.stderr.splitlines()
    assert building.startswith("building llama.cpp's llama-server")
    assert error.startswith("error: cannot build llama-server: cmake is not installed: install cmake")
    assert f"the build's log is {cache / FAILED_LOG}" in error and "Traceback" not in result.stderr


def test_serve_without_the_binary_names_the_build_command(tmp_path: Path) -> None:
    result = run("serve", "--model", f"local:{gguf(tmp_path)}", env={ENV_BINARY: str(tmp_path / "none")})
    assert_clean_failure(result, "llama-server not found", BUILD)


@pytest.mark.subprocess(reason="serve starts the stand-in llama-server binary, which exits at once")
def test_serve_a_server_that_fails_to_start_is_one_line(tmp_path: Path) -> None:
    result = run("serve", "--model", f"local:{gguf(tmp_path)}", env={ENV_BINARY: str(fake_binary(tmp_path, "fail"))})
    assert_clean_failure(result, "llama-server did not start (exit code 1)", "failed to load model", BUILD)


def test_serve_refuses_an_http_model(tmp_path: Path) -> None:
    result = run("serve", "--model", "http://localhost:8000/v1#m")
    assert_clean_failure(result, "runs an embedded model", "local:qwen2.5-0.5b")
