# The llama.cpp build settings of this project, in one place: sourced (not run) by
# scripts/install.sh (the llama-cpp-python wheel) and scripts/build_llama_server.sh (llama.cpp's
# own llama-server), so both builds use the same sources and exactly the same CPU flags.
#
# Sets LLAMA_VERSION (the llama-cpp-python release whose vendored llama.cpp is built; pyproject.toml
# pins the same one) and LLAMA_CPU_FLAGS (CMake flags chosen from /proc/cpuinfo). The default
# native build enables AMX and segfaults on this machine kind, so GGML_NATIVE is off and
# AVX2/FMA/F16C (+ AVX-512 where the CPU has it; never AMX) are switched on explicitly.

LLAMA_VERSION=0.3.36

llama_cpu_flags() {
  local cpu flags
  cpu=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  has() { [[ " $cpu " == *" $1 "* ]]; }
  flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  if ! has avx2 || ! has fma || ! has f16c; then
    printf '\033[1m==> %s\033[0m\n' "this CPU lacks AVX2/FMA/F16C: building llama.cpp without them (slower)" >&2
    flags="-DGGML_NATIVE=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF"
  fi
  if has avx512f && has avx512bw && has avx512vl; then
    flags="$flags -DGGML_AVX512=ON"
    if has avx512vbmi; then flags="$flags -DGGML_AVX512_VBMI=ON"; fi
    if has avx512_vnni; then flags="$flags -DGGML_AVX512_VNNI=ON"; fi
    if has avx512_bf16; then flags="$flags -DGGML_AVX512_BF16=ON"; fi
  fi
  if has avx_vnni; then flags="$flags -DGGML_AVX_VNNI=ON"; fi
  printf '%s\n' "$flags -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
}

LLAMA_CPU_FLAGS=$(llama_cpu_flags)
