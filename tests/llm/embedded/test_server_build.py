"""`summariser.llm.embedded.server_build`: llama-server built on first need — once, under a lock, published whole.

The build script is a stand-in (`helpers.fake_llama_server.fake_build`, named by
``SUMMARISER_LLAMA_SERVER_BUILD``) and the cache an empty temporary folder, so nothing here
compiles llama.cpp. The real script is run too, but only for what costs nothing: ``--key``, and
``--in`` with ``cmake`` and ``pip`` replaced by stand-ins that record what they were asked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.fake_llama_server import build_runs, fake_build

from summariser.errors import ModelUnavailable
from summariser.llm.embedded import server_build
from summariser.llm.embedded.server_build import BUILD_TIME, FAILED_LOG, LOCK, SCRIPT, ensure

pytestmark = pytest.mark.subprocess(reason="the build is a script run under a lock that processes share")

KEY = "0123456789abcdef"
#: The real script's line when cmake is missing (the stand-in's ``fail`` mode prints it too).
NO_CMAKE = "cmake is not installed: install cmake and a C++ compiler (apt-get install cmake g++)"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty llama-server cache (not made yet)."""
    root = tmp_path / "cache"
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_CACHE", str(root))
    return root


def use(monkeypatch: pytest.MonkeyPatch, script: Path) -> Path:
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_BUILD", str(script))
    return script


def building(root: Path) -> str:
    return f"building llama.cpp's llama-server ({BUILD_TIME}, once; cached in {root})"


def wait_for(path: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.02)


def one_line(err: pytest.ExceptionInfo[ModelUnavailable]) -> str:
    text = str(err.value)
    assert "\n" not in text
    return text


def test_a_missing_build_is_built_once_saying_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = use(monkeypatch, fake_build(tmp_path))
    exe = ensure()
    assert exe == cache / KEY / "llama-server"
    assert subprocess.run([exe], capture_output=True, text=True).stdout == "version: stand-in\n"
    assert capsys.readouterr().err == building(cache) + "\n"
    assert os.readlink(cache / "current") == KEY
    assert not list(cache.glob(".build-*")) and not (cache / FAILED_LOG).exists()
    assert ensure() == exe  # found, not built again, and nothing said
    assert build_runs(script) == 1 and capsys.readouterr().err == ""


def test_the_build_appears_whole_or_not_at_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path) -> None:
    """While the script runs, its half-written binary is only in a temporary folder, never at the key."""
    script = use(monkeypatch, fake_build(tmp_path, "gated"))
    found: list[Path] = []
    builder = threading.Thread(target=lambda: found.append(ensure()))
    builder.start()
    try:
        wait_for(script.parent / "started")
        (half,) = cache.glob(".build-*/out/llama-server")
        assert "first half" in half.read_text() and os.access(half, os.X_OK)
        assert not (cache / KEY).exists() and not (cache / "current").exists()
    finally:
        (script.parent / "go").touch()
        builder.join(30)
    assert found == [cache / KEY / "llama-server"]
    assert "version: stand-in" in found[0].read_text()
    assert not half.exists() and not list(cache.glob(".build-*"))


def test_a_second_first_use_waits_for_the_build_and_does_not_build_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path
) -> None:
    """Another process asking while the build runs waits on the cache's lock, then finds the build."""
    script = use(monkeypatch, fake_build(tmp_path, "gated"))
    found: list[Path] = []
    builder = threading.Thread(target=lambda: found.append(ensure()))
    builder.start()
    other = None
    try:
        wait_for(script.parent / "started")
        other = subprocess.Popen(
            [sys.executable, "-m", "summariser.llm.embedded.server_build"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert other.stderr is not None
        waiting = other.stderr.readline()
        assert waiting == f"waiting for the llama-server build another process is running ({cache / LOCK})\n"
        assert other.poll() is None  # still waiting: the lock is held
    finally:
        (script.parent / "go").touch()
        builder.join(30)
        out, err = other.communicate(timeout=60) if other is not None else ("", "")
    assert other.returncode == 0, err
    assert out == f"{cache / KEY / 'llama-server'}\n" and found == [cache / KEY / "llama-server"]
    assert build_runs(script) == 1 and "building" not in err


def test_a_failed_build_is_one_line_naming_the_fix_and_leaves_nothing_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = use(monkeypatch, fake_build(tmp_path, "fail"))
    with pytest.raises(ModelUnavailable) as err:
        ensure()
    assert one_line(err).startswith(f"cannot build llama-server: {NO_CMAKE}; ")
    assert f"the build's log is {cache / FAILED_LOG}" in str(err.value)
    assert "SUMMARISER_LLAMA_SERVER" in str(err.value)
    assert "compiling llama-server (stand-in)" in (cache / FAILED_LOG).read_text()
    assert capsys.readouterr().err == building(cache) + "\n"
    assert not (cache / KEY).exists() and not list(cache.glob(".build-*"))  # the executable half is gone
    with pytest.raises(ModelUnavailable):
        ensure()
    assert build_runs(script) == 2  # a failure is not remembered: the next use tries again


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("crash", "failed (exit code 2): ninja: build stopped: interrupted by user."),
        ("empty", "succeeded but left no executable out/llama-server"),
    ],
)
def test_a_build_without_an_error_line_or_a_binary_still_fails_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path, mode: str, reason: str
) -> None:
    script = use(monkeypatch, fake_build(tmp_path, mode))
    with pytest.raises(ModelUnavailable) as err:
        ensure()
    assert one_line(err).startswith(f"cannot build llama-server: {script} {reason}; the build's log is")
    assert not (cache / KEY).exists()


def test_the_leftovers_of_a_killed_build_are_swept_and_never_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path
) -> None:
    script = use(monkeypatch, fake_build(tmp_path))
    leftover = cache / ".build-killed" / "out"
    leftover.mkdir(parents=True)
    (leftover / "llama-server").write_text("#!/bin/sh\n")
    (leftover / "llama-server").chmod(0o755)
    (cache / KEY).mkdir()  # a folder at the key without a binary (made by hand): not a build
    assert ensure() == cache / KEY / "llama-server"
    assert build_runs(script) == 1 and not (cache / ".build-killed").exists()


def test_a_cached_build_is_used_without_the_lock_or_a_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path
) -> None:
    script = use(monkeypatch, fake_build(tmp_path, "fail"))  # would fail if it were run to compile
    (cache / KEY).mkdir(parents=True)
    (cache / KEY / "llama-server").write_text("#!/bin/sh\n")
    (cache / KEY / "llama-server").chmod(0o755)
    (cache / "current").symlink_to("an-older-build")
    assert ensure() == cache / KEY / "llama-server"
    assert build_runs(script) == 0 and not (cache / LOCK).exists()
    assert os.readlink(cache / "current") == KEY


@pytest.mark.parametrize("key", ["../../elsewhere", "current", ""])
def test_a_key_that_is_not_a_hash_is_refused_before_anything_is_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path, key: str
) -> None:
    script = use(monkeypatch, fake_build(tmp_path, key=key))
    with pytest.raises(ModelUnavailable, match="cannot name this machine's llama-server build") as err:
        ensure()
    assert f"`bash {script} --key` failed" in one_line(err)
    assert not cache.exists() and build_runs(script) == 0


def test_without_a_build_script_the_fix_is_a_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(server_build, "SCRIPT", tmp_path / "scripts" / "build_llama_server.sh")
    with pytest.raises(ModelUnavailable) as err:
        ensure()
    assert "installed without the repository" in one_line(err)
    assert "set SUMMARISER_LLAMA_SERVER to a llama-server binary" in str(err.value)
    monkeypatch.setenv("SUMMARISER_LLAMA_SERVER_BUILD", str(tmp_path / "nowhere.sh"))
    with pytest.raises(ModelUnavailable, match=re.escape(f"SUMMARISER_LLAMA_SERVER_BUILD={tmp_path / 'nowhere.sh'}")):
        ensure()


# --------------------------------------------------------------------------- the real build script


def test_the_real_script_names_this_machines_build_at_once() -> None:
    keys = [subprocess.run(["bash", SCRIPT, "--key"], capture_output=True, text=True, timeout=60) for _ in range(2)]
    assert keys[0].returncode == 0 and re.fullmatch(r"[0-9a-f]{16}\n", keys[0].stdout), keys[0]
    assert keys[1].stdout == keys[0].stdout
    bad = subprocess.run(["bash", SCRIPT, "--everything"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown option --everything" in bad.stderr


_FAKE_PIP = """#!/usr/bin/env bash
# python -m pip download ... llama-cpp-python==VERSION -d DIR: an sdist holding an empty llama.cpp
set -eu
for a in "$@"; do case $a in llama-cpp-python==*) version=${a#*==} ;; esac; done
dir=${!#}
src=$(mktemp -d)/llama_cpp_python-$version
mkdir -p "$src/vendor/llama.cpp" "$dir"
tar -czf "$dir/llama_cpp_python-$version.tar.gz" -C "$(dirname "$src")" "llama_cpp_python-$version"
"""
_FAKE_CMAKE = """#!/usr/bin/env bash
# cmake: configure records its arguments; --build writes a llama-server that answers --version
set -eu
printf '%s\\n' "$*" >>{calls}
if [ "$1" = --build ]; then
  [ -n "${{FAIL_BUILD:-}}" ] && {{ echo "FAILED: ggml-cpu.c.o"; exit 1; }}
  mkdir -p "$2/bin"
  printf '#!/bin/sh\\necho "version: 1 (stand-in)"\\n' >"$2/bin/llama-server"
  chmod +x "$2/bin/llama-server"
fi
"""


def _stand_ins(tmp_path: Path) -> tuple[dict[str, str], Path]:
    tools = tmp_path / "tools"
    tools.mkdir()
    calls = tmp_path / "cmake-calls"
    (tools / "cmake").write_text(_FAKE_CMAKE.format(calls=calls))
    (tools / "python").write_text(_FAKE_PIP)
    for tool in tools.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}", "PYTHON": str(tools / "python")}
    return env, calls


def test_the_real_script_compiles_with_the_projects_cpu_flags_never_amx(tmp_path: Path) -> None:
    env, calls = _stand_ins(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run(["bash", SCRIPT, "--in", work], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    configure, build = calls.read_text().splitlines()
    assert configure.startswith(f"-S {work}/llama_cpp_python-") and "/vendor/llama.cpp" in configure
    for flag in ("-DGGML_NATIVE=OFF", "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"):
        assert flag in configure.split()
    assert "-DGGML_AMX_TILE=ON" not in configure and "-DBUILD_SHARED_LIBS=OFF" in configure.split()
    assert build.startswith(f"--build {work}/build --target llama-server")
    assert os.access(work / "out" / "llama-server", os.X_OK)
    assert configure.endswith(" " + (work / "out" / "FLAGS").read_text().strip())  # the flags it was built with


def test_the_real_script_fails_with_one_error_line_and_no_binary(tmp_path: Path) -> None:
    env, _ = _stand_ins(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    env["FAIL_BUILD"] = "1"
    done = subprocess.run(["bash", SCRIPT, "--in", work], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    last = done.stderr.splitlines()[-1]
    assert last == "error: compiling llama-server failed (log above): check the compiler and the disk space"
    assert "FAILED: ggml-cpu.c.o" in done.stderr and not (work / "out").exists()
