"""Items 5, 6 and 15 of issue 14: secrets stay out of every output, and redaction never corrupts text.

The class is closed at two places. Redaction is an exact token match
(`summariser.llm.secrets.redact_text`): a secret of at least 8 characters that is not a
placeholder (``test``, ``EMPTY``, ``lm-studio`` …) is replaced wherever no letter or digit
continues it, so a word that contains it never changes. It is applied where server text
enters: every response body at the top of the transport chain (`metering.MeteringTransport`)
and every error message of the error tree when it is made (`summariser.errors`).

Generators: hypothesis draws strong keys and Basic-auth tokens, words that contain them, the
delimiter contexts they can stand in, plain words and placeholder keys; the end-to-end tests
run the real CLI against a loopback server that echoes the key in error messages and answers.
"""

from __future__ import annotations

import json
import os
import secrets as random
import string
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.cli import run
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI, Reply, completion, error_body
from helpers.regenerate import article_folder
from helpers.regenerate import regenerate as run_regenerate
from helpers.tiers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient
from summariser.llm.options import LLMOptions
from summariser.llm.secrets import PLACEHOLDER_SECRETS, is_secret, redact_text, secret_values, url_secrets

KEY = "sk-live-" + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))
GEN = settings(max_examples=examples(300), deadline=None, derandomize=True, database=None)
SLOW = settings(
    max_examples=examples(4), deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)

ALNUM = string.ascii_letters + string.digits
#: Characters a key can stand next to in real text: whitespace, quotes, punctuation, and the key
#: characters that are not letters or digits (``key=…``, ``chatcmpl-…``, ``fp_…``, ``….``).
DELIMITERS = " \t\n\r\"'`=:;,.!?()[]{}<>/\\|-_+~*&^%$#@" + "\u00a0\u2014\u201c\u201d"

keys = st.builds(
    lambda head, body: head + body,
    st.sampled_from(["sk-", "sk-proj-", "org-", "proj_", "", "gsk_", "xai-"]),
    st.text(alphabet=ALNUM + "-_", min_size=20, max_size=48),
).filter(lambda k: k[-1].isalnum() and k[0].isalnum())
basic_tokens = st.builds(
    lambda user, password: url_secrets(f"http://{user}:{password}@host/v1")[0],
    st.text(alphabet=ALNUM, min_size=1, max_size=12),
    st.text(alphabet=ALNUM + "!$&*", min_size=8, max_size=24),
)
secrets_st = st.one_of(keys, basic_tokens)
words = st.text(alphabet=string.ascii_letters + "éüßж", min_size=1, max_size=12)


@given(secrets_st, st.lists(words, max_size=8), st.text(alphabet=ALNUM + "é", min_size=1, max_size=6), st.data())
@GEN
def test_words_that_contain_a_secret_never_change(secret: str, filler: list[str], glue: str, data: Any) -> None:
    side = data.draw(st.sampled_from(["before", "after", "both"]))
    word = (glue if side != "after" else "") + secret + (glue if side != "before" else "")
    text = " ".join([*filler[:4], word, *filler[4:]]) + "."
    figures.record("security", "redaction_words_kept", 1)
    assert redact_text(text, [secret]) == text


@given(secrets_st, st.text(alphabet=DELIMITERS, max_size=3), st.text(alphabet=DELIMITERS, max_size=3), words)
@GEN
def test_a_secret_in_any_delimiter_context_is_always_redacted(secret: str, left: str, right: str, word: str) -> None:
    text = f"{word} {left}{secret}{right} {word}"
    clean = redact_text(text, [secret])
    figures.record("security", "redaction_contexts_redacted", 1)
    assert secret not in clean
    assert clean == f"{word} {left}<redacted>{right} {word}"


@given(st.one_of(st.sampled_from(sorted(PLACEHOLDER_SECRETS)), st.text(min_size=1, max_size=7), words))
@GEN
def test_placeholders_short_values_and_plain_words_are_never_secrets(value: str) -> None:
    figures.record("security", "placeholder_keys_refused", 1)
    if value.isalpha() and len(value) >= 16:
        return  # a long run of letters may be a key
    assert not is_secret(value)
    if value in PLACEHOLDER_SECRETS:
        assert not is_secret(value.upper()) and not is_secret(value.title())


@pytest.mark.parametrize("placeholder", ["test", "EMPTY", "dummy", "lm-studio", "not-needed", "sk-no-key-required"])
def test_a_placeholder_api_key_never_corrupts_an_answer(
    placeholder: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue item 6: with SUMMARISER_API_KEY=test, "Protesters … latest" stayed intact on the first run
    only; the cached copy said "Pro<redacted>ers … la<redacted>"."""

    class Note(BaseModel):
        text: str = Field(max_length=300)

    monkeypatch.setenv("SUMMARISER_API_KEY", placeholder)
    sentence = "Protesters gathered for the latest round; a contest, EMPTY seats, dummy runs, lm-studio."
    with FakeOpenAI() as server:
        server.push(Reply(200, completion(json.dumps({"text": sentence}))))
        answers = []
        for _ in range(2):  # the second answer comes from the response cache
            client = LLMClient(resolve(f"{server.base_url}#m"), LLMOptions(cache_dir=tmp_path / "c", timeout=5))
            try:
                answers.append(client.extract(Note, [{"role": "user", "content": "hi"}]).text)
            finally:
                client.close()
    assert placeholder not in secret_values()
    assert answers == [sentence, sentence]


# --------------------------------------------------------------------------- end to end: every output path

ECHOES = [
    "Incorrect API key provided: Bearer {key}",
    "invalid key={key}.",
    "the key '{key}' is revoked",
    "auth failed\n{key}\n(see docs)",
    'header {{"Authorization": "Bearer {key}"}} rejected',
]


def _scan(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]


def test_regenerate_never_prints_or_stores_a_key_the_server_echoes_in_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue item 5: ``brief`` printed <redacted>, but ``regenerate`` printed ``Bearer sk-…`` on stderr
    and in ``--json``'s ``failed`` field."""
    monkeypatch.setenv("SUMMARISER_API_KEY", KEY)
    turn = iter(range(10**6))

    def refuse(body: Any) -> Reply:
        return Reply(400, error_body(ECHOES[next(turn) % len(ECHOES)].format(key=KEY)))

    articles = article_folder(tmp_path)
    with FakeOpenAI(responder=refuse) as server:
        result = run_regenerate(server, articles, tmp_path / "out", "--json")
    figures.record("security", "echoed_key_errors", len(server.requests))
    assert result.returncode == 7, result.stderr
    failed = json.loads(result.stdout)["failed"]
    assert len(failed) == 4
    assert KEY not in result.stdout and KEY not in result.stderr
    assert "<redacted>" in result.stderr and "<redacted>" in result.stdout
    assert _scan(tmp_path) == []


def test_a_key_echoed_in_the_answer_reaches_no_file_on_the_first_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue item 5, the other direction: the first run wrote the echoed key into json/md/html/index/manifest."""
    monkeypatch.setenv("SUMMARISER_API_KEY", KEY)

    def leak(body: Any) -> Reply:
        reply = echo_answer(body)
        answer = json.loads(reply.body["choices"][0]["message"]["content"])
        if "headline" in answer:
            answer["headline"] = f"Key {KEY} leaked"
        for person in answer.get("people", []):
            person["role"] = f"holder of {KEY}"
        payload = completion(json.dumps(answer))
        payload["id"] = f"chatcmpl-{KEY}"
        return Reply(200, payload)

    articles = article_folder(tmp_path)
    with FakeOpenAI(responder=leak) as server:
        result = run_regenerate(server, articles, tmp_path / "out", "--json")
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stdout and KEY not in result.stderr
    headlines = [
        json.loads(p.read_text())["headline"] for p in (tmp_path / "out").glob("*.json") if p.stem != "manifest"
    ]
    assert headlines and all(h == "Key <redacted> leaked" for h in headlines)
    figures.record("security", "echoed_key_answers", len(server.requests))
    assert _scan(tmp_path) == []


@given(st.sampled_from(["--group-by", "--concurrency", "--batch-poll"]))
@SLOW
def test_a_usage_error_that_quotes_a_secret_prints_it_redacted(option: str) -> None:
    """Item 15's fix (typer's bundled click exceptions caught in ``cli.main``) redacts too."""
    result = run("regenerate", "a", "b", option, KEY, env={**os.environ, "SUMMARISER_API_KEY": KEY})
    figures.record("security", "usage_errors_redacted", 1)
    assert result.returncode == 2
    assert KEY not in result.stderr and "Traceback" not in result.stderr
    assert "<redacted>" in result.stderr
