#!/usr/bin/env bash
# llama.cpp's own C++ llama-server (a batching OpenAI-compatible server), compiled from the
# llama.cpp sources vendored in the llama-cpp-python sdist with the same CPU flags as the wheel
# (scripts/llama_cpp.sh: GGML_NATIVE off, explicit flags, never AMX).
#
#   bash scripts/build_llama_server.sh           # build it now if it is not cached; prints the binary's path
#   bash scripts/build_llama_server.sh --key     # the cache key of this machine's build, at once
#   bash scripts/build_llama_server.sh --in DIR  # compile into the empty folder DIR: DIR/out/llama-server
#
# Only `summariser serve` (and the bench and tests that start it) need the server, so the install
# does not build it: summariser.llm.embedded.server_build does, on first need — it runs this script with
# --key, and if ~/.cache/summariser/llama-server/<key>/ holds no build, takes the cache's lock,
# runs it with --in on a temporary folder beside the cache and renames DIR/out into place once it
# succeeded. The first form is that same path (python -m summariser.llm.embedded.server_build). This script
# owns how the server is compiled and the key (a hash of the version and every flag); the module
# owns when, where and the lock. Compiling takes ~1,000 CPU-seconds; llama.cpp is linked in
# statically (BUILD_SHARED_LIBS=OFF), so the binary runs from the cache. The only network used is
# PyPI (pip download of the sdist).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  PY=${PYTHON:-}
  if [ -z "$PY" ]; then if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi; fi
  exec "$PY" -m summariser.llm.embedded.server_build
fi

source scripts/llama_cpp.sh
# No web UI (it would be fetched from Hugging Face), no HTTPS, no tests/examples; only llama-server.
# LLAMA_CURL is gone from this llama.cpp (it warns only when ON); set OFF to be explicit.
options="-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF"
options="$options -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF"
flags="$LLAMA_CPU_FLAGS $options"

case $1 in
  --key)
    printf 'llama-server %s %s' "$LLAMA_VERSION" "$flags" | sha256sum | cut -c1-16
    exit 0
    ;;
  --in)
    work=${2:?usage: build_llama_server.sh --in DIR}
    ;;
  *)
    echo "error: unknown option $1 (use --key, --in DIR, or none)" >&2
    exit 2
    ;;
esac

PY=${PYTHON:-python3}
log() { printf '==> %s\n' "$*" >&2; }
fail() { echo "error: $*" >&2; exit 1; }

command -v cmake >/dev/null || fail "cmake is not installed: install cmake and a C++ compiler (apt-get install cmake g++)"
log "compiling llama-server from llama-cpp-python $LLAMA_VERSION's llama.cpp with: $LLAMA_CPU_FLAGS"
started=$SECONDS
"$PY" -m pip download --quiet --no-binary :all: --no-deps "llama-cpp-python==$LLAMA_VERSION" -d "$work/sdist" ||
  fail "could not download the llama-cpp-python $LLAMA_VERSION sources from PyPI: check the network and pip's index"
tar -xzf "$work"/sdist/llama_cpp_python-"$LLAMA_VERSION".tar.gz -C "$work"
src=$work/llama_cpp_python-$LLAMA_VERSION/vendor/llama.cpp
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
# shellcheck disable=SC2086  # the flags are words
cmake -S "$src" -B "$work/build" "${generator[@]}" $flags >"$work/cmake.log" 2>&1 || {
  tail -20 "$work/cmake.log" >&2
  fail "cmake failed to configure llama.cpp (log above): install a C++ compiler (apt-get install g++)"
}
cmake --build "$work/build" --target llama-server -j"$(nproc)" >"$work/build.log" 2>&1 || {
  tail -20 "$work/build.log" >&2
  fail "compiling llama-server failed (log above): check the compiler and the disk space"
}
mkdir -p "$work/out"
cp "$work/build/bin/llama-server" "$work/out/llama-server"
if ! "$work/out/llama-server" --version >"$work/version.log" 2>&1; then
  tail -5 "$work/version.log" >&2
  fail "the built llama-server does not run on this machine (above); report it with these flags: $flags"
fi
printf '%s\n' "$flags" >"$work/out/FLAGS"
log "compiled llama-server in $((SECONDS - started)) s"
