"""A stand-in ``llama-server`` binary and build script, a GGUF-looking file, and what a process listens on.

`fake_binary` writes an executable that takes llama-server's command line and, by ``mode``:

* ``ok``: serves ``GET /health`` (503 for the first few polls, as while a model loads, then
  200) on ``--host``:``--port`` until SIGTERM;
* ``stubborn``: the same, but ignores SIGTERM (only SIGKILL stops it);
* ``fail``: prints a llama.cpp-like error line and exits 1.

Each run writes its pid, argv and the ``LLAMA_ARG_*`` variables it saw to ``<binary>.json``.
`listening` reads ``/proc`` for the TCP addresses a process listens on (Linux only).
`fake_build` writes a stand-in for ``scripts/build_llama_server.sh`` (``--key``, ``--in DIR``).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

_SCRIPT = """#!{python}
import http.server, json, os, signal, sys
argv = sys.argv[1:]
opt = lambda name: argv[argv.index(name) + 1]
seen = {{k: v for k, v in os.environ.items() if k.startswith("LLAMA_ARG_")}}
with open({record!r}, "w") as f:
    json.dump({{"pid": os.getpid(), "argv": argv, "env": seen}}, f)
if {mode!r} == "fail":
    print("main: loading model", file=sys.stderr)
    print("srv    load_model: failed to load model, '" + opt("--model") + "'", file=sys.stderr, flush=True)
    sys.exit(1)
if {mode!r} == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
polls = [0]
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        polls[0] += 1
        ok = self.path == "/health" and polls[0] > 2
        self.send_response(200 if ok else 503)
        self.end_headers()
        self.wfile.write(b'{{"status": "ok"}}' if ok else b'{{"error": "Loading model"}}')
    def log_message(self, *args):
        pass
server = http.server.HTTPServer((opt("--host"), int(opt("--port"))), Health)
print("main: server is listening on http://" + opt("--host") + ":" + opt("--port"), file=sys.stderr, flush=True)
server.serve_forever()
"""


def fake_binary(tmp_path: Path, mode: str = "ok") -> Path:
    """An executable ``llama-server`` stand-in in ``tmp_path`` (see the module docstring)."""
    exe = tmp_path / f"llama-server-{mode}"
    exe.write_text(_SCRIPT.format(python=sys.executable, mode=mode, record=str(record_path(exe))))
    exe.chmod(0o755)
    return exe


def record_path(exe: Path) -> Path:
    """Where a run of ``exe`` wrote its pid, argv and ``LLAMA_ARG_*`` environment."""
    return exe.with_suffix(".json")


def record(exe: Path) -> dict[str, Any]:
    """The last run's record of ``exe``."""
    data: dict[str, Any] = json.loads(record_path(exe).read_text())
    return data


def gguf(tmp_path: Path, name: str = "tiny.gguf") -> Path:
    """A file that passes `summariser.llm.embedded.weights.gguf_file`'s magic check (it is not a real model)."""
    path = tmp_path / name
    path.write_bytes(b"GGUF" + b"\0" * 60)
    return path


def alive(pid: int) -> bool:
    """True if ``pid`` is a process that has not exited (a zombie counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(pid: int) -> set[tuple[str, int]]:
    """The (address, port) pairs on which process ``pid`` has a listening TCP socket."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if cols[3] == "0A" and cols[9] in inodes:  # 0A = LISTEN
                address, port = cols[1].split(":")
                found.add((_address(address), int(port, 16)))
    return found


def _address(hexed: str) -> str:
    if len(hexed) == 8:  # IPv4, little-endian
        return ".".join(str(int(hexed[i : i + 2], 16)) for i in (6, 4, 2, 0))
    return f"ipv6:{hexed}"


_BUILD = """#!/usr/bin/env bash
# A stand-in for scripts/build_llama_server.sh (mode {mode}): --key prints the key, --in DIR "compiles".
set -eu
here={here}
case $1 in
  --key) printf '%s\\n' {key}; exit 0 ;;
  --in) work=$2 ;;
  *) exit 2 ;;
esac
echo run >>"$here/runs"
echo "==> compiling llama-server (stand-in)" >&2
mkdir -p "$work/out"
printf '#!/bin/sh\\n# the first half of the binary\\n' >"$work/out/llama-server"
chmod +x "$work/out/llama-server"
case {mode} in
  gated)
    touch "$here/started"
    for _ in $(seq 1200); do [ -e "$here/go" ] && break; sleep 0.05; done ;;
  fail)
    echo "error: cmake is not installed: install cmake and a C++ compiler (apt-get install cmake g++)" >&2
    exit 1 ;;
  crash)
    echo "ninja: build stopped: interrupted by user." >&2
    exit 2 ;;
  empty)
    rm -r "$work/out"
    exit 0 ;;
esac
{finish}
"""


def fake_build(tmp_path: Path, mode: str = "ok", *, key: str = "0123456789abcdef", binary: Path | None = None) -> Path:
    """A stand-in build script for ``SUMMARISER_LLAMA_SERVER_BUILD``, in a folder of its own under ``tmp_path``.

    ``--key`` prints ``key``; ``--in DIR`` counts the run (`build_runs`), writes the first half of
    ``DIR/out/llama-server`` (executable) and, by ``mode``: ``ok`` finishes it (a copy of ``binary``
    if given); ``gated`` touches ``started``, waits for a ``go`` file beside the script, then
    finishes; ``fail`` prints the real script's kind of ``error:`` line and exits 1; ``crash``
    exits 2 with a last line but no ``error:``; ``empty`` exits 0 and leaves no binary.
    """
    here = tmp_path / f"build-{mode}"
    here.mkdir()
    if binary is not None:
        finish = f'cp {shlex.quote(str(binary))} "$work/out/llama-server"'
    else:
        finish = """printf 'echo "version: stand-in"\\n' >>"$work/out/llama-server\""""
    script = here / "build_llama_server.sh"
    script.write_text(_BUILD.format(mode=mode, here=shlex.quote(str(here)), key=shlex.quote(key), finish=finish))
    return script


def build_runs(script: Path) -> int:
    """How many times ``script`` (a `fake_build`) was run to compile."""
    runs = script.parent / "runs"
    return len(runs.read_text().splitlines()) if runs.exists() else 0
