"""Item 16 of issue 14: one briefing merges at most `MAX_ARTICLES` articles, however they are given.

A ``.jsonl`` file of 300 lines became 600 sequential requests. The cap
(`summariser.ingest.limits.check_article_count`, ``SUMMARISER_MAX_ARTICLES``) is applied where
articles are read for one briefing (`summariser.ingest.read.load_sources`: a ``.jsonl`` or
``.json`` list, a ``summarise([...])`` call, the files of a group) and, earlier, to a group of
a grouping file: over it is a one-line `InputError` naming the cap and the fix, before any
request. Counts around the cap are generated for every way of giving articles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST as GENERATED
from helpers.regenerate import regenerate as run_cli
from helpers.tiers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser import summarise
from summariser.errors import ConfigError, InputError
from summariser.ingest.limits import MAX_ARTICLES, MAX_ARTICLES_ENV
from summariser.ingest.read import load_sources
from summariser.regenerate import dry_run

FAST = settings(GENERATED, max_examples=examples(60))


def text(i: int) -> str:
    return f"Dock workers in Valdmar held rally number {i} on Monday. Union leader Marta Kessel spoke to them."


@FAST
@given(count=st.integers(1, 3 * MAX_ARTICLES), way=st.sampled_from(["jsonl", "json", "list", "files"]))
def test_more_articles_than_the_cap_for_one_briefing_are_refused(
    tmp_path_factory: pytest.TempPathFactory, count: int, way: str
) -> None:
    figures.record("security", "article_counts")
    folder = tmp_path_factory.mktemp("cap")
    if way == "jsonl":
        (folder / "a.jsonl").write_text("\n".join(json.dumps({"text": text(i)}) for i in range(count)), "utf-8")
        sources: list[str | Path] = [folder / "a.jsonl"]
    elif way == "json":
        (folder / "a.json").write_text(json.dumps([{"text": text(i)} for i in range(count)]), "utf-8")
        sources = [folder / "a.json"]
    elif way == "list":
        sources = [text(i) for i in range(count)]
    else:
        for i in range(count):
            (folder / f"{i}.txt").write_text(text(i), encoding="utf-8")
        sources = [folder / f"{i}.txt" for i in range(count)]
    if count <= MAX_ARTICLES:
        assert len(load_sources(sources)) == count
        return
    with pytest.raises(InputError) as err:
        load_sources(sources)
    assert f"over the cap of {MAX_ARTICLES}" in err.value.message and MAX_ARTICLES_ENV in err.value.message


def test_a_300_line_jsonl_sends_no_request_and_the_cli_says_why(tmp_path: Path) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    articles.mkdir()
    (articles / "wire.jsonl").write_text("\n".join(json.dumps({"text": text(i)}) for i in range(300)), "utf-8")
    with FakeOpenAI(responder=echo_answer) as server:
        with pytest.raises(InputError, match="300 articles for one briefing, over the cap of 20"):
            summarise(articles / "wire.jsonl", model=f"{server.base_url}#m", cache="off")
        result = run_cli(server, articles, out, "--json")
        assert not server.requests
    assert result.returncode != 0 and "Traceback" not in result.stderr
    failed = json.loads(result.stdout)["failed"]
    assert "over the cap of 20" in failed["wire"] and "split them" in failed["wire"]
    figures.record("security", "article_counts", 2)


def test_a_group_over_the_cap_is_refused_before_any_work_and_the_cap_can_be_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "arts"
    articles.mkdir()
    for i in range(MAX_ARTICLES + 1):
        (articles / f"{i}.txt").write_text(text(i), encoding="utf-8")
    groups = tmp_path / "groups.yaml"
    groups.write_text("big:\n" + "".join(f"  - {i}.txt\n" for i in range(MAX_ARTICLES + 1)), encoding="utf-8")
    model = "http://127.0.0.1:9/v1#m"
    with pytest.raises(InputError, match=f"group 'big' in .*: 21 articles for one briefing.*{MAX_ARTICLES_ENV}=21"):
        dry_run(articles, tmp_path / "out", model=model, group_by="event", groups=groups)
    monkeypatch.setenv(MAX_ARTICLES_ENV, "21")
    raised = dry_run(articles, tmp_path / "out", model=model, group_by="event", groups=groups)
    assert [p.job.name for p in raised.planned] == ["big"]
    for bad in ("0", "-3", "many", "1e9"):
        monkeypatch.setenv(MAX_ARTICLES_ENV, bad)
        with pytest.raises(ConfigError, match=MAX_ARTICLES_ENV):
            load_sources([text(1)])
    figures.record("security", "article_counts", 6)
