"""Prompt templates: load, version and render the Jinja2 files in ``prompts/``.

Every template starts with ``{#- version: N -#}``. The version is recorded in each briefing's
``meta.prompts`` and in regenerate manifests; the rendered text is part of every
request, so the cache and cassette keys change whenever a template does.

Messages are laid out for prefix reuse: the system prompt and the article block are the
same for every task about one article, and the task instructions come last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ConfigError
from ..settings_table import PROMPTS_DIR

__all__ = ["TASKS", "Template", "load", "messages", "prompts_dir", "versions"]

_VERSION = re.compile(r"\{#-?\s*version:\s*([\w.]+)\s*-?#\}")


def prompts_dir() -> Path:
    """The directory holding the templates.

    ``SUMMARISER_PROMPTS_DIR`` points at your own copy of the templates; otherwise the ones
    inside the wheel, or ``prompts/`` of a checkout.
    """
    override = PROMPTS_DIR.from_env()
    if override is not None:
        return override
    packaged = Path(__file__).resolve().parents[1] / "_prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class Template:
    """One versioned prompt template."""

    name: str
    version: str
    source: str

    def render(self, **context: Any) -> str:
        """Render with ``context``; undefined variables are an error, not silently empty."""
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)
        return env.from_string(self.source).render(**context).strip()


def load(name: str) -> Template:
    """Load ``<name>.j2`` of `prompts_dir` and its version.

    Read once per folder: a process that points ``SUMMARISER_PROMPTS_DIR`` elsewhere (a second
    run of the CLI's entry point in one process, as the tests do) gets that folder's templates.
    """
    return _load(prompts_dir(), name)


@cache
def _load(folder: Path, name: str) -> Template:
    path = folder / f"{name}.j2"
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        raise ConfigError(f"prompt template {path} is missing; reinstall summariser") from None
    match = _VERSION.search(source)
    if match is None:
        raise ConfigError(f"prompt template {path} has no '{{#- version: N -#}}' header; add one")
    return Template(name, match.group(1), source)


TASKS = ("entities", "overview")


def versions() -> dict[str, str]:
    """Versions of every template a briefing depends on."""
    return {name: load(name).version for name in ("system", "article", *TASKS)}


def messages(task: str, *, article_id: str, text: str, part: str | None = None, **context: Any) -> list[dict[str, str]]:
    """Chat messages for ``task`` about one article (or one part of a long article)."""
    system = load("system").render()
    block = load("article").render(article={"id": article_id}, text=text, part=part)
    instructions = load(task).render(**context)
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"{block}\n\n{instructions}"},
    ]
