"""Item 3 of issue 14: no article or group name can make a briefing's files the folder's own.

A briefing ``N`` writes ``N.json``, ``N.md`` and ``N.html``; the folder keeps
``manifest.json``, ``index.md``, ``index.html``, ``.summariser.lock`` and the batch state.
An article ``manifest.txt`` (the manifest overwrote its JSON) or ``index.txt`` (the index
overwrote its Markdown and page) is refused before any work, with one line naming the
article and the fix — in any case and any suffix, as a case-insensitive file system would
clash — and so is a group of that name, a name whose file would be another briefing's
folder, and a name too long for a file name. Nested names (``desk/index.txt``) are fine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import figures
from helpers.cli import assert_clean_failure
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST as GENERATED
from helpers.regenerate import regenerate as run_cli
from hypothesis import given
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.regenerate import dry_run, regenerate
from summariser.regenerate.batch import STATE_FILE
from summariser.regenerate.lock import LOCK
from summariser.regenerate.manifest import MANIFEST
from summariser.regenerate.paths import RESERVED, output_problem, outputs

FAST = GENERATED
TEXT = (
    "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd at the gates. "
    "The port authority said talks would resume on Friday morning."
)
SUFFIXES = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".markdown", ".TXT"]


def write_article(folder: Path, name: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"text": TEXT}) if path.suffix.lower() in (".json", ".jsonl") else TEXT
    path.write_text(body, encoding="utf-8")


def test_every_file_the_tool_keeps_in_the_folder_is_reserved() -> None:
    assert {MANIFEST, "index.md", "index.html", LOCK, STATE_FILE} <= set(RESERVED)


@FAST
@given(stem=st.sampled_from(["manifest", "index"]), case=st.integers(0, 2**10 - 1), suffix=st.sampled_from(SUFFIXES))
def test_a_top_level_article_named_like_the_folder_s_own_files_is_refused(
    tmp_path_factory: pytest.TempPathFactory, stem: str, case: int, suffix: str
) -> None:
    figures.record("security", "reserved_names")
    cased = "".join(c.upper() if case >> i & 1 else c for i, c in enumerate(stem))
    articles = tmp_path_factory.mktemp("arts")
    write_article(articles, "desk/index.txt")  # nested: not the folder's index
    write_article(articles, cased + suffix)
    out = articles.parent / (articles.name + "-out")
    with pytest.raises(InputError, match=r"would be briefed as .*rename it") as err:
        dry_run(articles, out, model="http://127.0.0.1:9/v1#m")
    assert cased + suffix in err.value.message and not out.exists()


@FAST
@given(name=st.text(min_size=1, max_size=20).filter(lambda n: "\x00" not in n))
def test_output_names_never_collide_with_a_reserved_file(name: str) -> None:
    figures.record("security", "reserved_names")
    folded = {r.casefold() for r in RESERVED}
    collides = any(f.casefold() in folded for f in outputs(name))
    if collides:
        assert output_problem(name) is not None
    if output_problem(name) is None:
        assert not collides


def test_cli_refuses_manifest_txt_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    for name in ("manifest.txt", "index.txt", "Index.HTML"):
        articles, out = tmp_path / name / "arts", tmp_path / name / "out"
        write_article(articles, "real.txt")
        write_article(articles, name)
        with FakeOpenAI(responder=echo_answer) as server:
            result = run_cli(server, articles, out)
        assert_clean_failure(result, name, "rename it")
        assert result.returncode == 3 and not out.exists() and not server.requests
    figures.record("security", "reserved_names", 3)


def test_a_group_named_like_the_index_is_refused(tmp_path: Path) -> None:
    articles = tmp_path / "arts"
    write_article(articles, "a.txt")
    for group in ["index", "MANIFEST", "Index"]:
        groups = tmp_path / "groups.yaml"
        groups.write_text(f'"{group}":\n  - a.txt\n', encoding="utf-8")
        with pytest.raises(InputError, match=f"group '{group}'.*rename it"):
            dry_run(articles, tmp_path / "out", model="http://127.0.0.1:9/v1#m", group_by="event", groups=groups)
        figures.record("security", "reserved_names")


def test_a_file_where_another_briefing_needs_a_folder_and_overlong_names_are_refused(tmp_path: Path) -> None:
    articles = tmp_path / "arts"
    write_article(articles, "a.txt")
    write_article(articles, "a.json/b.txt")  # briefing a writes a.json; briefing a.json/b needs it as a folder
    with pytest.raises(InputError, match="needs a folder"):
        dry_run(articles, tmp_path / "out", model="http://127.0.0.1:9/v1#m")
    long_group = tmp_path / "groups.yaml"
    long_group.write_text(f'"{"é" * 126}":\n  - a.txt\n', encoding="utf-8")  # 252 bytes + ".html" > 255
    with pytest.raises(InputError, match="over 255 bytes"):
        dry_run(articles, tmp_path / "out", model="http://127.0.0.1:9/v1#m", group_by="event", groups=long_group)
    figures.record("security", "reserved_names", 2)


def test_nested_index_articles_are_built_and_the_folder_index_stays_the_index(tmp_path: Path) -> None:
    articles, out = tmp_path / "arts", tmp_path / "out"
    write_article(articles, "desk/index.txt")
    write_article(articles, "desk/manifest.md")
    with FakeOpenAI(responder=echo_answer) as server:
        report = regenerate(articles, out, model=f"{server.base_url}#echo")
        again = regenerate(articles, out, model=f"{server.base_url}#echo")
    assert not report.failed and len(report.outcomes) == 2 and again.unchanged == 2
    assert (out / "index.md").read_text(encoding="utf-8").startswith("# Briefings")
    assert (out / "desk" / "index.json").read_text(encoding="utf-8").startswith("{")
