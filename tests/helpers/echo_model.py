"""A deterministic stand-in model for tests of the machinery around the model.

`echo_answer` reads the article out of a chat-completions request and answers the task the
request's JSON Schema asks for, using only words of the article: the numbers of the first
three numbered sentences (`summariser.brief.numbering`) as summary bullets, the first words of
the first as headline (no longer than the schema allows), two-word capitalised names of the
request's numbered list as people. Its briefings always pass grounding, whatever order
concurrent requests arrive in — so tests of regenerate (and its benchmark) do not depend on a
script order. It is not a summariser and claims nothing about quality.
"""

from __future__ import annotations

import json
import re
from typing import Any

from helpers.fake_server import Reply, completion
from helpers.kinds import asked_names, kinds_answer

_ARTICLE = re.compile(r"<article id=[^>]*>\n?(.*?)\n?</article>", re.S)
_NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.M)
_NAME = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")


def _article(body: dict[str, Any]) -> str:
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    found = _ARTICLE.search(text)
    return found.group(1) if found else ""


def _max_length(body: Any, field: str) -> int:
    """The ``maxLength`` the request's JSON Schema gives ``field`` (unbounded if none)."""
    form = body.get("response_format") or {} if isinstance(body, dict) else {}
    schema = (form.get("json_schema") or {}).get("schema") or {}
    limit = ((schema.get("properties") or {}).get(field) or {}).get("maxLength")
    return limit if isinstance(limit, int) else 10**9


def echo_answer(body: Any) -> Reply:
    """A valid, grounded answer to whichever draft schema the request asks for."""
    schema = json.dumps(body.get("response_format", {}) if isinstance(body, dict) else {})
    article = _article(body) if isinstance(body, dict) else ""
    numbered = [(int(n), text.strip()) for n, text in _NUMBERED.findall(article)]
    if "EntityKinds" in schema:
        names = [n for n in asked_names(body) if _NAME.fullmatch(n)][:4]
        answer: dict[str, Any] = kinds_answer(body, people=names)
    else:
        summary = [n for n, _ in numbered[:3]] or [1]  # no numbered sentence: a number that picks none
        words = (numbered[0][1] if numbered else "Untitled article").split()[:10]
        most = _max_length(body, "headline")  # as a model held to the schema: no longer than it allows
        while len(words) > 1 and len(" ".join(words).rstrip(".")) > most:  # long words ("long-words" articles)
            words.pop()
        headline = " ".join(words).rstrip(".")[:most]
        answer = {
            "headline": headline,
            "location": None,
            "summary": summary,
            "themes": ["news", "events"],
            "implications": [],
        }
    return Reply(200, completion(json.dumps(answer)))
