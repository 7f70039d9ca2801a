"""``summariser serve``: the model string on stdout, Ctrl-C stops the server, failures in one line.

The server is a stand-in binary (tests/helpers/fake_llama_server.py); the real one is tested
in tests/llm/test_llama_server.py. The command runs in this process (`helpers.cli.run`) but
where it is stopped by a signal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import assert_clean_failure, run
from helpers.fake_llama_server import alive, fake_binary, gguf, record

from summariser.llm.llama_server import BUILD, ENV_BINARY

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
