"""``summariser eval`` (in this process, `helpers.cli.run`): outputs, the regression gate and bad input.

Gold and predicted briefings are written to tmp_path by the test; no model runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.briefings import gold_briefing, write_set
from helpers.cli import assert_clean_failure, run, spawn

from summariser.schemas import Briefing


def gold_set(tmp_path: Path, pred: Briefing | str | None = None) -> tuple[Path, Path]:
    return write_set(
        tmp_path,
        {"port": gold_briefing(), "port_again": gold_briefing()},
        {"port": pred if pred is not None else gold_briefing(), "port_again": gold_briefing()},
    )


def test_eval_help_has_an_example() -> None:
    result = run("eval", "--help")
    assert result.returncode == 0 and "Example" in result.stdout and "--baseline" in result.stdout


def test_eval_prints_per_field_scores_and_writes_json_and_html(tmp_path: Path) -> None:
    pred = gold_briefing()
    pred.people[0] = pred.people[0].model_copy(update={"role": "mayor"})
    gold, preds = gold_set(tmp_path, pred)
    report, page = tmp_path / "out" / "report.json", tmp_path / "diff.html"
    result = run("eval", "--gold", str(gold), "--pred", str(preds), "--json", str(report), "--html", str(page))
    assert result.returncode == 0, result.stderr
    for needle in ("people", "organisations", "countries", "quotes", "themes", "summary", "event_date", "port_again"):
        assert needle in result.stdout
    data = json.loads(report.read_text())
    assert data["metrics"]["people.role"] == pytest.approx(7 / 8)
    assert data["lists"]["people"]["attributes"]["role"] == {"correct": 7, "total": 8, "accuracy": 0.875}
    assert [b["name"] for b in data["briefings"]] == ["port", "port_again"]
    html = page.read_text()
    assert "Union leader" in html and "mayor" in html and "wrong" in html


def test_piped_tables_name_every_briefing_in_full(tmp_path: Path) -> None:
    """The per-briefing table's twelve columns leave little room: a piped table grows, names are never cut."""
    names = ["000_d88f05556ae02bff", "harbour_council_hearing_on_the_2027_budget_part_two"]
    gold, preds = write_set(tmp_path, dict.fromkeys(names, gold_briefing()), dict.fromkeys(names, gold_briefing()))
    for args in (["--json", str(tmp_path / "report.json")], ["--json", "-"]):
        result = run("eval", "--gold", str(gold), "--pred", str(preds), *args)
        assert result.returncode == 0, result.stderr
        tables = result.stdout if args[-1] != "-" else result.stderr
        assert all(name in tables for name in names) and "…" not in tables, tables


def test_json_to_stdout_moves_the_tables_to_stderr(tmp_path: Path) -> None:
    gold, preds = gold_set(tmp_path)
    result = run("eval", "--gold", str(gold), "--pred", str(preds), "--json", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["metrics"]["people.f1"] == 1.0
    assert "List fields" in result.stderr


def test_an_invalid_prediction_is_reported_not_fatal(tmp_path: Path) -> None:
    gold, preds = gold_set(tmp_path, '{"headline": "no summary"}')
    result = run("eval", "--gold", str(gold), "--pred", str(preds), "--json", "-")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metrics"]["briefing.schema_valid"] == 0.5
    assert "port is not a valid briefing" in result.stderr


def test_the_gate_fails_on_a_regression_naming_the_fields_and_passes_unchanged(tmp_path: Path) -> None:
    gold, preds = gold_set(tmp_path)
    baseline = tmp_path / "baseline.json"
    saved = run("eval", "--gold", str(gold), "--pred", str(preds), "--save-baseline", str(baseline))
    assert saved.returncode == 0, saved.stderr
    assert json.loads(baseline.read_text())["metrics"]["countries.f1"] == 1.0

    unchanged = run("eval", "--gold", str(gold), "--pred", str(preds), "--baseline", str(baseline))
    assert unchanged.returncode == 0, unchanged.stderr
    assert "REGRESSED" not in unchanged.stdout

    worse = gold_briefing()
    worse.countries = ["Netherlands"]
    worse.people = [p.model_copy(update={"role": "spokesperson"}) for p in worse.people]
    (preds / "port.json").write_text(worse.model_dump_json(), encoding="utf-8")
    page = tmp_path / "diff.html"
    failed = run(
        "eval", "--gold", str(gold), "--pred", str(preds), "--baseline", str(baseline), "--max-drop", "0.02",
        "--html", str(page),
    )  # fmt: skip
    assert failed.returncode != 0
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    verdict = lines[-1]  # after "wrote diff.html": the one error line
    assert verdict.startswith("error: regression") and sum(x.startswith("error") for x in lines) == 1, lines
    assert "countries.f1" in verdict and "people.role" in verdict
    assert "people.f1" not in verdict and "themes.f1" not in verdict  # unchanged fields are not blamed
    assert "Traceback" not in failed.stderr
    assert "REGRESSED" in failed.stdout  # the comparison table is printed before the verdict
    assert page.read_text().count("regressed") >= 2  # and the diff page marks the regressed scores

    lenient = run("eval", "--gold", str(gold), "--pred", str(preds), "--baseline", str(baseline), "--max-drop", "1")
    assert lenient.returncode == 0, lenient.stderr


def _cases(tmp: Path) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    gold, preds = gold_set(tmp)
    broken_gold = tmp / "broken_gold"
    broken_gold.mkdir()
    (broken_gold / "port.json").write_text("{not json", encoding="utf-8")
    invalid_gold = tmp / "invalid_gold"
    invalid_gold.mkdir()
    (invalid_gold / "port.json").write_text('{"headline": "x"}', encoding="utf-8")
    extra = tmp / "extra_pred"
    extra.mkdir()
    for name in ("port", "port_again", "stray"):
        (extra / f"{name}.json").write_text(gold_briefing().model_dump_json(), encoding="utf-8")
    short = tmp / "short_pred"
    short.mkdir()
    (short / "port.json").write_text(gold_briefing().model_dump_json(), encoding="utf-8")
    not_json = tmp / "baseline.txt"
    not_json.write_text("scores: good", encoding="utf-8")
    wrong_shape = tmp / "baseline.json"
    wrong_shape.write_text('{"metrics": [1, 2]}', encoding="utf-8")
    empty = tmp / "empty_gold"
    empty.mkdir()
    bad_lines = tmp / "data.jsonl"
    bad_lines.write_text('{"id": "a", "article": "Text.", "reference": "Ref."}\n{"id": "b"}\n', encoding="utf-8")
    g, p = str(gold), str(preds)
    return {
        "missing gold dir": (["--gold", str(tmp / "nope"), "--pred", p], ("gold folder", "does not exist", "--gold")),
        "empty gold dir": (["--gold", str(empty), "--pred", p], ("no .json gold briefings",)),
        "gold not json": (["--gold", str(broken_gold), "--pred", p], ("port.json", "not valid JSON")),
        "gold not a briefing": (["--gold", str(invalid_gold), "--pred", p], ("port.json", "not a valid briefing")),
        "missing pred dir": (["--gold", g, "--pred", str(tmp / "nope")], ("prediction folder", "does not exist")),
        "unpaired prediction": (["--gold", g, "--pred", str(extra)], ("unpaired", "stray")),
        "unpaired gold": (["--gold", g, "--pred", str(short)], ("unpaired", "port_again")),
        "no sources.yaml": (["--gold", g], ("sources.yaml", "--pred")),
        "baseline missing": (["--gold", g, "--pred", p, "--baseline", str(tmp / "none.json")], ("baseline", "save")),
        "baseline not json": (["--gold", g, "--pred", p, "--baseline", str(not_json)], ("not valid JSON", "baseline")),
        "baseline wrong shape": (
            ["--gold", g, "--pred", p, "--baseline", str(wrong_shape)],
            ("not a summariser eval",),
        ),
        "gold and dataset": (["--gold", g, "--dataset", str(bad_lines)], ("exactly one of",)),
        "neither": ([], ("exactly one of",)),
        "threshold": (["--gold", g, "--pred", p, "--threshold", "1.5"], ("--threshold",)),
        "no-cache and refresh": (["--gold", g, "--no-cache", "--refresh"], ("--no-cache", "--refresh", "exclude")),
        "model with pred": (["--gold", g, "--pred", p, "--model", "small"], ("--model", "--pred")),
        "limit with gold": (["--gold", g, "--pred", p, "--limit", "3"], ("--limit", "--dataset")),
        "html with dataset": (["--dataset", str(bad_lines), "--html", "x.html"], ("--html",)),
        "dataset missing": (["--dataset", str(tmp / "none.jsonl")], ("dataset", "does not exist")),
        "dataset bad line": (["--dataset", str(bad_lines)], ("line 2", '"reference"')),
    }


CASE_NAMES = [
    "missing gold dir", "empty gold dir", "gold not json", "gold not a briefing", "missing pred dir",
    "unpaired prediction", "unpaired gold", "no sources.yaml", "baseline missing", "baseline not json",
    "baseline wrong shape", "gold and dataset", "neither", "threshold", "no-cache and refresh", "model with pred",
    "limit with gold", "html with dataset", "dataset missing", "dataset bad line",
]  # fmt: skip


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_gives_one_error_line(tmp_path: Path, case: str) -> None:
    args, needles = _cases(tmp_path)[case]
    assert_clean_failure(run("eval", *args), *needles)


@pytest.mark.subprocess(reason="the one-line error and exit status as a real process gives them to the shell")
def test_the_one_line_errors_hold_in_a_real_subprocess(tmp_path: Path) -> None:
    assert_clean_failure(spawn("eval", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path)), "gold folder")
