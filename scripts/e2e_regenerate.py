"""End-to-end check of ``summariser regenerate`` on real articles and a real model.

    .venv/bin/python scripts/e2e_regenerate.py [--model local:qwen2.5-1.5b] [--dev 10]

Copies the two seeds and the first ``--dev`` FRANK dev articles into a temporary folder (the
shared data is never copied into the project) and checks, each with a fresh process:

1. the first run builds every briefing;
2. an immediate second run rebuilds nothing and says so;
3. editing one article rebuilds exactly that briefing;
4. a new version of one prompt template (``SUMMARISER_PROMPTS_DIR``) rebuilds them all.

Uses the normal response cache, so answers already computed (e.g. by ``summariser eval``) are
reused; the edited article always needs the model. Exit 1 on any failed check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from summariser.brief import prompts

SHARED = Path(__file__).resolve().parents[2] / "shared"
ALLOW = "--allow-ungrounded" in sys.argv


def regenerate(
    articles: Path, out: Path, model: str, env: dict[str, str] | None = None
) -> tuple[float, dict[str, Any], str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "summariser", "regenerate", str(articles), str(out), "--model", model, "--json"]
        + (["--allow-ungrounded"] if ALLOW else []),
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=7200,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"FAIL: regenerate exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return seconds, json.loads(done.stdout), done.stderr


def main() -> int:
    """Run the four checks and print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local:qwen2.5-1.5b")
    parser.add_argument("--dev", type=int, default=10)
    parser.add_argument(
        "--allow-ungrounded", action="store_true", help="keep unsupported bullets (flagged) instead of failing"
    )
    args = parser.parse_args()
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    rows = [json.loads(line) for line in (SHARED / "eval-data" / "frank_cnndm_dev.jsonl").read_text().splitlines()]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        arts, out = Path(tmp) / "articles", Path(tmp) / "briefings"
        arts.mkdir()
        for seed in seeds:
            shutil.copy(seed, arts / seed.name)
        for row in rows[: args.dev]:
            (arts / f"{row['id']}.txt").write_text(row["article"], encoding="utf-8")
        total = len(seeds) + args.dev

        steps = []
        s, r, _ = regenerate(arts, out, args.model)
        steps.append(("first run", s, r, total))
        s, r, err = regenerate(arts, out, args.model)
        steps.append(("second run, nothing changed", s, r, 0))
        if "nothing to rebuild" not in err:
            problems.append("the second run did not say it had nothing to rebuild")
        edited = arts / f"{rows[0]['id']}.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + "\nThe club confirmed the appointment on Friday.\n")
        s, r, _ = regenerate(arts, out, args.model)
        steps.append(("one article edited", s, r, 1))
        custom = Path(tmp) / "prompts"
        shutil.copytree(prompts.prompts_dir(), custom)
        overview = custom / "overview.j2"
        old = prompts.load("overview").version
        overview.write_text(overview.read_text().replace(f"version: {old}", f"version: {old}.1", 1))
        s, r, _ = regenerate(arts, out, args.model, {"SUMMARISER_PROMPTS_DIR": str(custom)})
        steps.append((f"overview template {old}→{old}.1", s, r, total))
        for name, seconds, result, expected in steps:
            ok = result["built"] == expected and not result["failed"]
            print(
                f"{'ok  ' if ok else 'FAIL'} {name}: built {result['built']} (expected {expected}), "
                f"unchanged {result['unchanged']}, failed {len(result['failed'])}, "
                f"requests {result['usage']['requests']} ({result['usage']['cache_hits']} cached), {seconds:.1f} s"
            )
            if not ok:
                problems.append(f"{name}: built {result['built']}, expected {expected}; failed {result['failed']}")
    if problems:
        print("FAIL: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"OK: regenerate keeps {total} briefings in step ({args.model})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
