"""``summariser brief``, run as a real subprocess: help, output, and bad input.

Every bad input must give one line on stderr naming the problem and the fix, a non-zero
exit code, no traceback, no output file and no cache entry.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from helpers.cli import EVENT, assert_clean_failure, run
from helpers.paths import CASSETTES


def test_brief_help_shows_no_cache_as_a_plain_flag() -> None:
    out = run("brief", "--help").stdout
    row = next(line for line in out.splitlines() if "--no-cache" in line)
    assert "<bool>" not in row and re.search(r"--no-cache\s+Neither read nor write the", row), row
    assert re.search(r"--output\s+-o\s+<path>", out)


def test_brief_writes_json_and_markdown_from_the_recorded_model(tmp_path: Path) -> None:
    env = {"SUMMARISER_CASSETTE": str(CASSETTES / "test_pipeline__event_pair.json")}
    out = tmp_path / "briefing.json"
    page = tmp_path / "review.html"
    result = run("brief", *EVENT, "-o", str(out), "--html", str(page), env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["schema_version"] == "1" and len(data["sources"]) == 2
    assert data["event_date"] == "2026-03-09"
    html = page.read_text(encoding="utf-8")
    assert data["headline"] in html and html.count('class="source"') == 2 and 'class="ev"' in html
    md = run("brief", *EVENT, "--format", "markdown", env=env)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# ") and "## People" in md.stdout and "**Date:** 2026-03-09" in md.stdout


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    empty = tmp / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    latin = tmp / "latin.txt"
    latin.write_bytes("Caf\xe9 owners protest new rules in Z\xfcrich on Monday.".encode("latin-1"))
    folder = tmp / "folder"
    folder.mkdir()
    return {
        "empty": ([str(empty)], ("empty",)),
        "binary": ([str(binary)], ("binary",)),
        "non-utf8": ([str(latin)], ("UTF-8", "iconv")),
        "directory": ([str(folder)], ("directory",)),
        "missing": ([str(tmp / "nope.txt")], ("no such file",)),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "non-utf8", "directory", "missing"])
def test_bad_input_gives_one_line_and_no_output_file(case: str, tmp_path: Path) -> None:
    args, needles = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.json"
    cache = tmp_path / "cache"
    result = run("brief", *args, "-o", str(out), env={"SUMMARISER_CACHE_DIR": str(cache)})
    assert_clean_failure(result, *needles)
    assert result.returncode == 3
    assert not out.exists()
    assert not list(tmp_path.glob(".out.json.*")), "temporary file left behind"


def test_unknown_model_lists_the_valid_ones(tmp_path: Path) -> None:
    result = run("brief", EVENT[0], "--model", "gpt5:turbo", "-o", str(tmp_path / "o.json"))
    assert_clean_failure(result, "unknown model", "local:qwen2.5-1.5b", "openai:")
    assert result.returncode == 2


def test_unreachable_endpoint_fails_cleanly_and_caches_nothing(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = tmp_path / "cache"
    out = tmp_path / "o.json"
    result = run(
        "brief", EVENT[0], "--model", f"http://127.0.0.1:{port}/v1#m", "-o", str(out),
        env={"SUMMARISER_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert_clean_failure(result, "cannot reach", f"127.0.0.1:{port}")
    assert result.returncode == 4 and not out.exists()
    db = cache / "responses" / "cache.db"
    if db.exists():
        import diskcache

        with diskcache.Cache(str(cache / "responses")) as c:
            assert len(c) == 0


def test_missing_cassette_entry_says_how_to_record(tmp_path: Path) -> None:
    empty = tmp_path / "c.json"
    empty.write_text(json.dumps({"version": 1, "interactions": []}))
    result = run("brief", EVENT[0], env={"SUMMARISER_CASSETTE": str(empty)})
    assert_clean_failure(result, "SUMMARISER_RECORD=1")


def test_no_cache_and_refresh_exclude_each_other() -> None:
    result = run("brief", EVENT[0], "--no-cache", "--refresh")
    assert_clean_failure(result, "--no-cache", "--refresh")


def test_wrong_api_key_is_one_line_and_not_retried(tmp_path: Path) -> None:
    from helpers.fake_server import FakeOpenAI, Reply, error_body

    out = tmp_path / "o.json"
    with FakeOpenAI() as server:
        server.push(Reply(401, error_body("Incorrect API key provided", "invalid_api_key")))
        result = run(
            "brief", EVENT[0], "--model", f"{server.base_url}#m", "--api-key", "sk-wrong-KEY-123", "-o", str(out),
            env={"SUMMARISER_CACHE_DIR": str(tmp_path / "cache")},
        )  # fmt: skip
        assert len(server.requests) == 1, "a 401 must not be retried"
        assert server.requests[0].headers.get("authorization") == "Bearer sk-wrong-KEY-123"
    assert_clean_failure(result, "rejected the API key", "SUMMARISER_API_KEY")
    assert "sk-wrong-KEY-123" not in result.stderr
    assert result.returncode == 4 and not out.exists()
