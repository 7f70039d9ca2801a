"""Item 10 of issue 14 and the redirect report: a broken server's numbers and redirects, told as what they are.

Usage is read by one function, `summariser.llm.transport.metering.read_usage`, which the metering
transport, the token budget and the batch harvest all use: a block is believed only when both
counts are whole numbers from 1 to what the request allows (issue 24, item 4: ``max_tokens``
for the completion, the request's bytes plus `PROMPT_SLACK` for the prompt); anything else counts
0, is noted in the log, and a good answer is kept (before: "cannot reach …", negative sums, an
"internal error" in the batch path).
A redirect is never followed and is reported as a redirect naming its target
(`summariser.llm.failures.translate`), not as "kept failing … try again later".

Generators: hypothesis draws usage blocks as raw JSON (numbers of every kind, strings,
nulls, nesting) and ``Location`` headers (other hosts, the same host, relative paths, bad
ports, garbage), all served by a real loopback server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_batch import FakeBatchServer
from helpers.fake_server import FakeOpenAI, Reply, completion
from helpers.http import make_client
from helpers.tiers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from summariser.config import load_settings
from summariser.errors import EndpointError
from summariser.llm.openai_batch.jobs import BatchOptions
from summariser.llm.transport.metering import MAX_COUNT, PROMPT_SLACK, read_usage
from summariser.regenerate.batch import prefill
from summariser.regenerate.jobs import Job
from summariser.regenerate.plan import Planned

GEN = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
MESSAGES = [{"role": "user", "content": "Which city?"}]


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


CONTENT = json.dumps({"name": "Paris", "population": 2})


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


# --------------------------------------------------------------------------- usage

#: A count as raw JSON text, and its value if it is a JSON integer (None: not a whole number).
counts = st.one_of(
    st.integers(-3, 3).map(lambda n: (str(n), n)),
    st.integers(0, MAX_COUNT).map(lambda n: (str(n), n)),
    st.integers(max_value=-1).map(lambda n: (str(n), n)),
    st.integers(min_value=MAX_COUNT + 1, max_value=10**30).map(lambda n: (str(n), n)),
    st.sampled_from(
        ["1e999", "-1e999", "1.5", "12.0", "0.0", '"12"', '"abc"', "true", "false", "[]", "{}", "null"]
    ).map(lambda raw: (raw, None)),
    st.text(max_size=10).map(lambda s: (json.dumps(s), None)),
)


@st.composite
def usage_blocks(draw: Any) -> tuple[str, int | None, int | None]:
    """(raw JSON of a ``usage`` value, its prompt count, its completion count); None where there is no integer."""
    kind = draw(st.sampled_from(["object", "object", "object", "null", "string", "list", "number", "absent"]))
    if kind != "object":
        raw = {"null": "null", "string": '"lots"', "list": "[1, 2]", "number": "7", "absent": ""}[kind]
        return raw, None, None
    prompt, completion_ = draw(counts), draw(counts)
    fields = [f'"prompt_tokens": {prompt[0]}', f'"completion_tokens": {completion_[0]}', '"total_tokens": "x"']
    fields = draw(st.permutations(fields))[: draw(st.integers(0, 3))]
    got = {f.split(":")[0].strip('"') for f in fields}
    return (
        "{" + ", ".join(fields) + "}",
        prompt[1] if "prompt_tokens" in got else None,
        completion_[1] if "completion_tokens" in got else None,
    )


def believed(prompt: int | None, completion: int | None, most_prompt: int, most_completion: int) -> tuple[int, int]:
    """What the rule of `read_usage` counts for these counts: both, if both are in range; else nothing."""
    if prompt is None or completion is None:
        return 0, 0
    if 1 <= prompt <= most_prompt and 1 <= completion <= most_completion:
        return prompt, completion
    return 0, 0


def body_with_usage(raw_usage: str) -> str:
    body = completion(CONTENT)
    del body["usage"]
    text = json.dumps(body)
    return text[:-1] + (f', "usage": {raw_usage}' if raw_usage else "") + "}"


def test_the_issue_usage_keeps_the_good_answer(server: FakeOpenAI, tmp_path: Path) -> None:
    """``"usage": {"prompt_tokens": "abc"}`` (or 1e999) made ``brief`` fail with "cannot reach …"."""
    for raw in (
        '{"prompt_tokens": "abc", "completion_tokens": 5}',
        '{"prompt_tokens": 1e999, "completion_tokens": 5}',
        '{"prompt_tokens": -40, "completion_tokens": -5}',
    ):
        server.push(Reply(200, body_with_usage(raw)))
        client = make_client(f"{server.base_url}#m", tmp_path)
        assert client.extract(City, MESSAGES).name == "Paris"
        assert (client.usage.prompt_tokens, client.usage.completion_tokens) == (0, 0)  # not believed, never negative
        client.close()
    server.push(Reply(200, body_with_usage('{"prompt_tokens": 40, "completion_tokens": 5}')))
    client = make_client(f"{server.base_url}#m", tmp_path)
    client.extract(City, MESSAGES)
    assert (client.usage.prompt_tokens, client.usage.completion_tokens) == (40, 5)
    client.close()


@given(usage_blocks())
@settings(GEN, max_examples=examples(60))
def test_any_usage_block_keeps_the_answer_and_counts_only_believable_counts(
    server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory, block: tuple[str, int | None, int | None]
) -> None:
    raw, prompt, completion_tokens = block
    server.push(Reply(200, body_with_usage(raw)))
    client = make_client(f"{server.base_url}#m", tmp_path_factory.mktemp("c"))
    try:
        assert client.extract(City, MESSAGES).name == "Paris"
        sent = server.requests[-1]
        most = len(json.dumps(sent.body, ensure_ascii=False).encode()) + PROMPT_SLACK, sent.body["max_tokens"]
        assert (client.usage.prompt_tokens, client.usage.completion_tokens) == believed(
            prompt, completion_tokens, *most
        )
    finally:
        client.close()
    figures.record("security", "usage_blocks", 1)


@given(usage_blocks())
@settings(GEN, max_examples=examples(500))
def test_read_usage_never_raises_and_never_counts_a_non_count(block: tuple[str, int | None, int | None]) -> None:
    raw, prompt, completion_tokens = block
    counted = read_usage(json.loads(body_with_usage(raw)))
    figures.record("security", "usage_blocks", 1)
    assert (counted.prompt, counted.completion) == believed(prompt, completion_tokens, MAX_COUNT, MAX_COUNT)
    assert counted.believable == ((counted.prompt, counted.completion) != (0, 0))


def test_bad_usage_in_a_batch_answer_is_counted_as_zero_not_an_internal_error(tmp_path: Path) -> None:
    """In the batch path one such line was an "internal error", exit 70, and nothing was built."""

    def bad_usage(body: Any) -> Reply:
        reply = echo_answer(body)
        reply.body["usage"] = {"prompt_tokens": "abc", "completion_tokens": float("inf"), "total_tokens": -3}
        return reply

    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(2):
        (articles / f"a{i}.txt").write_text(
            f"Harbour fees rose by a tenth on Monday, Marta Kessel said. Story {i} told here."  # a kinds request too
        )
    planned = [Planned(Job(p.stem, (p.name,)), {}, "new") for p in sorted(articles.iterdir())]
    with FakeBatchServer(responder=bad_usage) as fake:
        _, done = prefill(planned, articles, load_settings(model=f"{fake.base_url}#echo"), BatchOptions(poll=0.01))
    assert done.failed == 0 and done.stored == 4, done
    assert (done.usage.prompt_tokens, done.usage.completion_tokens) == (0, 0)


# --------------------------------------------------------------------------- redirects

#: What a header value can hold on the wire: latin-1, no line breaks.
LATIN1 = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255, blacklist_characters="\x7f"), max_size=20)
locations = st.one_of(
    st.sampled_from(
        [
            "http://evil.example/v1/chat/completions",
            "https://evil.example:8443/v1/chat/completions?key=1",
            "/v2/chat/completions",
            "//other.example/v1",
            "http://127.0.0.1:99999999/x",
            "http://[::1/x",
            "",
            "not a url at all",
        ]
    ),
    st.builds(
        lambda host, path: f"http://{host}/{path}",
        st.from_regex(r"[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True),
        LATIN1,
    ),
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=40),
)


@given(st.sampled_from([301, 302, 303, 307, 308]), locations)
@settings(GEN, max_examples=examples(40))
def test_a_redirect_is_reported_as_one_naming_its_target(
    server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory, status: int, location: str
) -> None:
    headers = {"Location": location} if location else {}
    server.push(Reply(status, {"error": {"message": "moved"}}, headers=headers))
    client = make_client(f"{server.base_url}#m", tmp_path_factory.mktemp("c"))
    try:
        with pytest.raises(EndpointError) as caught:
            client.extract(City, MESSAGES)
    finally:
        client.close()
    figures.record("security", "redirects", 1)
    message = caught.value.message
    assert "redirect" in message and f"HTTP {status}" in message and "try again later" not in message
    assert "\n" not in message
    if location.startswith("http://evil.example"):
        assert "another host, evil.example" in message and "--model" in message
