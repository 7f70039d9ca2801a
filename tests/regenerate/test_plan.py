"""Planning what to rebuild (`summariser.regenerate.plan`): the prompt versions and the model are
inputs of every briefing, so a change of either replans them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.regenerate import article_folder, regenerate

from summariser.brief import prompts
from summariser.config import Settings
from summariser.regenerate.jobs import single_jobs
from summariser.regenerate.manifest import load_manifest
from summariser.regenerate.plan import plan


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=echo_answer) as fake:
        yield fake


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return article_folder(tmp_path)


def test_a_prompt_version_change_replans_everything(
    server: FakeOpenAI, articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "briefings"
    assert regenerate(server, articles, out).returncode == 0
    settings = Settings(model=f"{server.base_url}#echo")
    manifest = load_manifest(out)
    assert all(p.reason is None for p in plan(single_jobs(articles), articles, out, manifest, settings))
    bumped = {**prompts.versions(), "overview": "99"}
    monkeypatch.setattr(prompts, "versions", lambda: bumped)
    reasons = {p.reason for p in plan(single_jobs(articles), articles, out, manifest, settings)}
    old = manifest.briefings["harbour_fees"].prompts["overview"]
    assert reasons == {f"prompt versions changed: overview {old}→99"}
    monkeypatch.undo()
    other_model = Settings(model=f"{server.base_url}#another")
    assert all(
        p.reason and p.reason.startswith("model changed")
        for p in plan(single_jobs(articles), articles, out, manifest, other_model)
    )
