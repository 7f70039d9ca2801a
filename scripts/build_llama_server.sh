#!/usr/bin/env bash
# Build llama.cpp's own C++ llama-server (a batching OpenAI-compatible server) from the
# llama.cpp sources vendored in the llama-cpp-python sdist, with the same CPU flags as the
# wheel (scripts/llama_cpp.sh). Prints the binary's path on stdout.
#
#   bash scripts/build_llama_server.sh    # ~1,000 CPU-seconds the first time, instant when cached
#
# The binary is kept in ~/.cache/summariser/llama-server/<hash of version and flags>/ (with a
# FLAGS file), and ~/.cache/summariser/llama-server/current points at the build this machine
# uses; `summariser serve` and summariser.llm.llama_server find it there (or at
# $SUMMARISER_LLAMA_SERVER). llama.cpp is linked in statically (BUILD_SHARED_LIBS=OFF), so the
# binary runs from the cache directory. The only network used is PyPI (pip download of the sdist).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

source scripts/llama_cpp.sh
# No web UI (it would be fetched from Hugging Face), no HTTPS, no tests/examples; only llama-server.
# LLAMA_CURL is gone from this llama.cpp (it warns only when ON); set OFF to be explicit.
options="-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF"
options="$options -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF"
flags="$LLAMA_CPU_FLAGS $options"

root=${SUMMARISER_LLAMA_SERVER_CACHE:-$HOME/.cache/summariser/llama-server}
key=$(printf 'llama-server %s %s' "$LLAMA_VERSION" "$flags" | sha256sum | cut -c1-16)
dir=$root/$key

if [ -x "$dir/llama-server" ]; then
  log "using cached llama-server build $dir/llama-server"
else
  log "building llama-server from llama-cpp-python $LLAMA_VERSION's llama.cpp with: $LLAMA_CPU_FLAGS"
  mkdir -p "$root"
  work=$(mktemp -d "$root/.build-XXXXXX")  # beside the cache: the finished build is published by a rename
  trap 'rm -rf "$work"' EXIT
  started=$SECONDS
  "$PY" -m pip download --quiet --no-binary :all: --no-deps "llama-cpp-python==$LLAMA_VERSION" -d "$work/sdist"
  tar -xzf "$work"/sdist/llama_cpp_python-"$LLAMA_VERSION".tar.gz -C "$work"
  src=$work/llama_cpp_python-$LLAMA_VERSION/vendor/llama.cpp
  generator=()
  if command -v ninja >/dev/null; then generator=(-G Ninja); fi
  # shellcheck disable=SC2086  # the flags are words
  cmake -S "$src" -B "$work/build" "${generator[@]}" $flags >"$work/cmake.log" 2>&1 || {
    tail -20 "$work/cmake.log" >&2
    echo "error: cmake failed to configure llama.cpp (log above)" >&2
    exit 1
  }
  cmake --build "$work/build" --target llama-server -j"$(nproc)" >"$work/build.log" 2>&1 || {
    tail -20 "$work/build.log" >&2
    echo "error: building llama-server failed (log above)" >&2
    exit 1
  }
  mkdir -p "$work/out"
  cp "$work/build/bin/llama-server" "$work/out/llama-server"
  if ! "$work/out/llama-server" --version >"$work/version.log" 2>&1; then
    tail -5 "$work/version.log" >&2
    echo "error: the built llama-server does not run on this machine (above); report it with these flags: $flags" >&2
    exit 1
  fi
  printf '%s\n' "$flags" >"$work/out/FLAGS"
  mv -T "$work/out" "$dir" 2>/dev/null || [ -x "$dir/llama-server" ]  # or another install published it first
  log "built llama-server in $((SECONDS - started)) s: $dir/llama-server"
fi
ln -sfn "$key" "$root/.current-$$"
mv -T "$root/.current-$$" "$root/current"
printf '%s\n' "$dir/llama-server"
