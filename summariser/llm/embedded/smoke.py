"""Install-time smoke test: load the small embedded model and generate a few tokens.

Run as ``python -m summariser.llm.embedded.smoke``; exits non-zero if llama.cpp cannot run here.
"""

from __future__ import annotations

import sys
import time

from summariser.llm.embedded.backend import load_llama
from summariser.llm.embedded.weights import EMBEDDED_MODELS


def main() -> int:
    """Generate 8 tokens with the 0.5B model and print the speed."""
    start = time.perf_counter()
    llm = load_llama(EMBEDDED_MODELS["qwen2.5-0.5b"])
    out = llm.create_completion("The capital of France is", max_tokens=8, temperature=0.0)
    text = out["choices"][0]["text"].strip()
    print(f"llama.cpp OK in {time.perf_counter() - start:.1f}s: {text!r}")
    return 0 if text else 1


if __name__ == "__main__":
    sys.exit(main())
