"""``summariser regenerate``: incremental, grouped, partial, concurrent, locked and kill-safe.

The model is the deterministic echo stand-in (helpers.echo_model) behind a real loopback
HTTP server, so these tests exercise the real CLI, manifest, atomic writes and pipeline. The
command runs in this process (`helpers.cli.run`) but where a run is killed: that needs a real one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.budget import worst_case
from helpers.cli import run
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.regenerate import article_folder, regenerate

from summariser.brief import prompts
from summariser.regenerate.lock import LOCK, folder_lock
from summariser.regenerate.manifest import MANIFEST, RACY_NS, load_manifest
from summariser.schemas import Briefing


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return article_folder(tmp_path)


def summary(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def briefing_files(out: Path) -> dict[str, float]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != LOCK}


def assert_intact(out: Path) -> list[str]:
    """Every briefing JSON in ``out`` is complete and valid; return their names."""
    names = []
    for path in sorted(out.rglob("*.json")):
        if path.name == "manifest.json":
            continue
        Briefing.model_validate_json(path.read_bytes())
        names.append(str(path.relative_to(out).with_suffix("")))
    load_manifest(out)  # the manifest parses too
    return names


def test_builds_everything_then_nothing_then_exactly_the_edited_article(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    # Articles older than the racy window, as real ones are: a stat recorded within it is not trusted, and
    # the second run would hash them again and save the refreshed stats.
    time.sleep(RACY_NS / 1e9)
    first = regenerate(server, articles, out, "--json")
    assert first.returncode == 0, first.stderr
    assert summary(first)["built"] == 4 and summary(first)["unchanged"] == 0
    names = assert_intact(out)
    assert names == ["desk/rail_tender", "harbour_fees", "port_strike", "port_strike_page"]
    for name in ("harbour_fees", "desk/rail_tender"):
        for suffix in (".json", ".md", ".html"):
            assert (out / f"{name}{suffix}").stat().st_size > 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.count("\n| ") == 1 + 4 and "desk/rail_tender" in index  # header + one row each
    assert 'href="harbour_fees.html"' in (out / "index.html").read_text(encoding="utf-8")

    before, sent = briefing_files(out), len(server.requests)
    second = regenerate(server, articles, out, "--json")
    assert second.returncode == 0 and summary(second)["built"] == 0 and summary(second)["unchanged"] == 4
    assert "nothing to rebuild" in second.stderr
    assert len(server.requests) == sent  # no request at all
    after = briefing_files(out)
    assert {k: v for k, v in after.items() if not k.startswith("index.")} == {
        k: v for k, v in before.items() if not k.startswith("index.")
    }

    (articles / "harbour_fees.md").write_text(
        (articles / "harbour_fees.md").read_text(encoding="utf-8") + "\nThe port board approved the plan on Tuesday.\n",
        encoding="utf-8",
    )
    dry = regenerate(server, articles, out, "--dry-run")
    assert dry.returncode == 0 and "build  harbour_fees  (inputs changed: harbour_fees.md)" in dry.stdout
    assert briefing_files(out) == after  # a dry run writes nothing
    third = regenerate(server, articles, out, "--json")
    assert summary(third)["built"] == 1 and summary(third)["unchanged"] == 3
    changed = {k for k, v in briefing_files(out).items() if after.get(k) != v and not k.startswith("index.")}
    assert changed == {"harbour_fees.json", "harbour_fees.md", "harbour_fees.html", MANIFEST}


def test_a_new_prompt_template_version_rebuilds_every_briefing(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    assert regenerate(server, articles, out).returncode == 0
    custom = tmp_path / "prompts"
    shutil.copytree(prompts.prompts_dir(), custom)
    overview = custom / "overview.j2"
    old = prompts.load("overview").version
    overview.write_text(
        overview.read_text(encoding="utf-8").replace(f"version: {old}", "version: 99", 1), encoding="utf-8"
    )
    env = {"SUMMARISER_PROMPTS_DIR": str(custom)}
    dry = regenerate(server, articles, out, "--dry-run", env=env)
    assert dry.stdout.count(f"(prompt versions changed: overview {old}→99)") == 4
    result = regenerate(server, articles, out, "--json", env=env)
    assert result.returncode == 0 and summary(result)["built"] == 4
    assert {e.prompts["overview"] for e in load_manifest(out).briefings.values()} == {"99"}


def test_group_by_event_writes_one_merged_briefing_per_group(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    groups = tmp_path / "events.yaml"
    groups.write_text("valdmar-strike:\n  - port_strike.txt\n  - harbour_fees.md\n", encoding="utf-8")
    out = tmp_path / "briefings"
    result = regenerate(server, articles, out, "--group-by", "event", "--groups", groups, "--json")
    assert result.returncode == 0, result.stderr
    assert sorted(assert_intact(out)) == ["desk/rail_tender", "port_strike_page", "valdmar-strike"]
    merged = Briefing.model_validate_json((out / "valdmar-strike.json").read_bytes())
    assert len(merged.sources) == 2
    assert set(load_manifest(out).briefings["valdmar-strike"].inputs) == {"port_strike.txt", "harbour_fees.md"}

    groups.write_text("valdmar-strike:\n  - port_strike.txt\n  - missing.txt\n", encoding="utf-8")
    bad = regenerate(server, articles, out, "--group-by", "event", "--groups", groups)
    assert bad.returncode == 3 and "missing.txt" in bad.stderr and "Traceback" not in bad.stderr


def test_one_bad_article_does_not_stop_the_run_and_is_retried_next_time(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    (articles / "broken.txt").write_bytes(b"\x00\x01\x02 binary junk \xff\xfe")
    out = tmp_path / "briefings"
    result = regenerate(server, articles, out, "--json")
    assert result.returncode == 7, result.stderr
    assert summary(result)["built"] == 4 and list(summary(result)["failed"]) == ["broken"]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: 1 of 5 briefings failed") and "Traceback" not in result.stderr
    (articles / "broken.txt").write_text(
        "Valdmar port reopened on Friday after the strike ended. Crane drivers returned for the morning shift. "
        "The first grain ship left the harbour at noon.",
        encoding="utf-8",
    )
    again = regenerate(server, articles, out, "--json")
    assert again.returncode == 0 and summary(again)["built"] == 1 and summary(again)["unchanged"] == 4


def test_a_briefing_the_model_never_answers_validly_fails_with_its_data_in_json_and_debug(
    articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    invalid = '{"headline": "Tender'  # cut short: never valid

    def answer(body: Any) -> Reply:
        return Reply(200, completion(invalid)) if "tender" in json.dumps(body).lower() else echo_answer(body)

    out = tmp_path / "briefings"
    with FakeOpenAI(responder=answer) as server:
        result = regenerate(server, articles, out, "--json", env={"SUMMARISER_REASKS": "1"})
        quiet = [r for r in caplog.records if r.name == "summariser.cli.regenerate"]
        caplog.clear()
        again = regenerate(server, articles, out, "--json", env={"SUMMARISER_REASKS": "1", "SUMMARISER_DEBUG": "1"})
    assert result.returncode == 7, result.stderr
    report = summary(result)
    assert list(report["failed"]) == ["desk/rail_tender"] and "2 attempts" in report["failed"]["desk/rail_tender"]
    data = report["errors"]["desk/rail_tender"]
    assert data["error"] == "ValidationFailed" and data["exit_code"] == 5
    assert data["message"] == report["failed"]["desk/rail_tender"]
    assert (data["attempts"], data["last_answer"]) == (2, invalid)
    assert data["usage"] == {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}
    assert "last_answer" not in result.stderr  # the data is shown only with --debug
    assert again.returncode == 7 and summary(again)["errors"] == report["errors"]
    assert quiet == []  # without --debug the debug log says nothing
    # the command runs in this process, where the debug log is pytest's to capture, not stderr
    shown = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.name == "summariser.cli.regenerate"]
    assert len(shown) == 1 and '"attempts": 2' in shown[0] and '"last_answer": "{\\"headline\\": \\"Tender"' in shown[0]


def test_briefings_are_built_concurrently_against_an_http_endpoint(articles: Path, tmp_path: Path) -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def slow(body: Any) -> Reply:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.15)
        with lock:
            active[0] -= 1
        return echo_answer(body)

    for jobs, expected in (("1", 1), ("3", 3)):
        peak[0] = 0
        with FakeOpenAI(responder=slow) as fake:
            result = regenerate(fake, articles, tmp_path / f"out{jobs}", "--concurrency", jobs)
        assert result.returncode == 0, result.stderr
        assert peak[0] == expected


def test_a_second_run_on_the_same_folder_refuses_while_the_first_holds_the_lock(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    with folder_lock(out):
        result = regenerate(server, articles, out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "another summariser regenerate" in lines[0] and str(os.getpid()) in lines[0]
    assert not (out / MANIFEST).exists()


@pytest.mark.subprocess(reason="the run is killed (SIGKILL, SIGINT) and its exit status read: a real process")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_leaves_every_briefing_intact_and_the_next_run_completes_it(
    articles: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    for n in range(6):
        (articles / f"wire_{n}.txt").write_text(
            f"Dock workers in Valdmar held rally number {n} on Monday. Union leader Marta Kessel spoke to the "
            f"crowd of {100 + n} people. The port authority said talks would resume on Friday.",
            encoding="utf-8",
        )
    out = tmp_path / "briefings"
    with FakeOpenAI(responder=echo_answer, delay=0.25) as slow:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "summariser",
                "regenerate",
                str(articles),
                str(out),
                "--model",
                f"{slow.base_url}#echo",
                "--concurrency",
                "1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until some, not all, briefings are saved
            if (out / MANIFEST).exists() and len(load_manifest(out).briefings) >= 2:
                break
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        saved = load_manifest(out).briefings
        intact = assert_intact(out)
        slow.delay = 0.0
        rest = regenerate(slow, articles, out, "--json")  # same endpoint, so the same model
    assert proc.returncode == (-9 if sig == signal.SIGKILL else 130)
    if sig == signal.SIGINT:
        assert "interrupted" in err and "rerun" in err and "Traceback" not in err
    assert 2 <= len(saved) < 10
    assert set(intact) >= set(saved)  # every saved briefing is whole and valid
    assert rest.returncode == 0, rest.stderr
    assert summary(rest)["built"] == 10 - len(saved) and summary(rest)["unchanged"] == len(saved)
    assert len(assert_intact(out)) == 10 and not list(out.rglob(".*.tmp"))


def test_orphans_are_listed_kept_and_deleted_only_with_prune(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    assert regenerate(server, articles, out).returncode == 0
    (articles / "harbour_fees.md").unlink()
    dry = regenerate(server, articles, out, "--dry-run")
    assert dry.returncode == 0 and "orphan harbour_fees  (its articles are gone)" in dry.stdout
    assert "0 to build, 3 unchanged (dry run: nothing written)" in dry.stderr
    kept = regenerate(server, articles, out, "--json")
    assert kept.returncode == 0 and summary(kept)["orphans"] == ["harbour_fees"]
    assert "orphaned (articles gone; --prune deletes)" in kept.stderr and (out / "harbour_fees.json").exists()
    pruned = regenerate(server, articles, out, "--prune", "--json")
    assert pruned.returncode == 0 and summary(pruned)["orphans"] == [] and summary(pruned)["built"] == 0
    assert "pruned 1 briefings whose articles are gone: harbour_fees" in pruned.stderr
    assert not list(out.glob("harbour_fees.*")) and "harbour_fees" not in load_manifest(out).briefings


def test_group_by_event_finds_groups_yaml_in_the_articles_folder(
    server: FakeOpenAI, articles: Path, tmp_path: Path
) -> None:
    (articles / "groups.yaml").write_text("valdmar-strike:\n  - port_strike.txt\n  - harbour_fees.md\n")
    out = tmp_path / "briefings"
    result = regenerate(server, articles, out, "--group-by", "event", "--json")
    assert result.returncode == 0, result.stderr
    assert sorted(assert_intact(out)) == ["desk/rail_tender", "port_strike_page", "valdmar-strike"]


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("groups without event", "--groups only applies with --group-by event"),
        ("briefings inside the articles", "the briefings folder must not be the articles folder or inside it"),
        ("batch timing without batch", "--batch-poll and --batch-wait only apply with --batch-api"),
    ],
)
def test_misused_options_are_one_error_line_and_exit_2(
    server: FakeOpenAI, articles: Path, tmp_path: Path, case: str, needle: str
) -> None:
    groups = tmp_path / "events.yaml"
    groups.write_text("valdmar-strike:\n  - port_strike.txt\n", encoding="utf-8")
    out = articles / "briefings" if case == "briefings inside the articles" else tmp_path / "briefings"
    extra = {
        "groups without event": ["--groups", str(groups)],
        "briefings inside the articles": [],
        "batch timing without batch": ["--batch-poll", "1"],
    }[case]
    result = regenerate(server, articles, out, *extra)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {needle}"), lines
    assert not out.exists() and server.requests == [] and result.stdout == ""


def test_the_embedded_model_with_batch_api_is_a_one_line_config_error(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Dock workers in Valdmar went on strike on Monday over night-shift pay.")
    for extra, needle in ((["--model", "local", "--batch-api"], "--model openai:"), (["--batch-wait", "5"], "only")):
        result = run("regenerate", folder, tmp_path / "out", *extra)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "--batch-api" in lines[0] and needle in lines[0], lines
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("flag", "env"),
    [
        ("--max-tokens-total=0", None),
        ("--max-tokens-total=-5", None),
        ("--max-tokens-total=1.5", None),
        ("--max-tokens-total=lots", None),
        (None, "0"),
        (None, "2e5"),
    ],
)
def test_a_bad_token_budget_is_one_error_line_and_exit_2(
    server: FakeOpenAI, articles: Path, tmp_path: Path, flag: str | None, env: str | None
) -> None:
    out = tmp_path / "briefings"
    environ = {"SUMMARISER_MAX_TOKENS_TOTAL": env} if env else {}
    for dry in ([], ["--dry-run"]):
        result = regenerate(server, articles, out, *dry, *([flag] if flag else []), env=environ)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        named = "--max-tokens-total" if flag else "SUMMARISER_MAX_TOKENS_TOTAL"  # the setting as it was given
        assert len(lines) == 1 and lines[0].startswith(f"error: {named} must be a whole number of tokens from 1 to")
        assert result.stdout == ""
    assert not out.exists() and server.requests == []


def test_a_run_the_token_budget_stops_exits_8_keeps_what_it_built_and_a_rerun_finishes(
    articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "briefings"
    with FakeOpenAI(responder=worst_case()) as billing:  # bills each request its worst case
        dry = regenerate(billing, articles, out, "--dry-run", "--json")
        assert dry.returncode == 0, dry.stderr
        plan = json.loads(dry.stdout)
        rows = [b for b in plan["briefings"] if b["reason"]]
        costs = [b["estimate"]["prompt_tokens"] + b["estimate"]["completion_tokens"] for b in rows]
        assert plan["estimate"]["prompt_tokens"] == sum(b["estimate"]["prompt_tokens"] for b in rows)
        assert plan["estimate"]["completion_tokens"] == sum(b["estimate"]["completion_tokens"] for b in rows)
        total = plan["estimate"]["prompt_tokens"] + plan["estimate"]["completion_tokens"]
        assert f"4 to build, 0 unchanged; estimated ~{plan['estimate']['prompt_tokens']:,} prompt" in dry.stderr
        assert not out.exists() and billing.requests == []

        budget = costs[0] + costs[1]
        first = regenerate(billing, articles, out, "-j", "1", "--max-tokens-total", str(budget), "--json")
        assert first.returncode == 8, first.stderr
        report = summary(first)
        assert report["built"] == 2 and report["left"] == [b["name"] for b in rows[2:]] and report["failed"] == {}
        assert report["budget"] == {"limit": budget, "spent": budget, "charged_worst_case": 0}  # honest usage
        assert report["usage"]["requests"] == len(billing.requests) == 4
        last = first.stderr.strip().splitlines()[-1]
        assert last == (
            f"error: token budget of {budget:,} reached (spent {budget:,}; 2 built, 2 left for the next run); "
            "raise --max-tokens-total (max_tokens_total, SUMMARISER_MAX_TOKENS_TOTAL) or rerun to resume"
        )
        assert "Traceback" not in first.stderr and "tokens spent / budget" in first.stderr
        assert sorted(assert_intact(out)) == sorted(b["name"] for b in rows[:2])
        assert set(load_manifest(out).briefings) == {b["name"] for b in rows[:2]}

        rest = regenerate(billing, articles, out, "--max-tokens-total", str(total - budget), "--json")
        assert rest.returncode == 0, rest.stderr
        assert summary(rest)["built"] == 2 and summary(rest)["unchanged"] == 2 and summary(rest)["left"] == []
        assert len(billing.requests) == 8  # two requests per briefing, none sent twice
