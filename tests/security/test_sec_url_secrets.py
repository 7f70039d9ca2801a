"""Issue 24, item 5: a secret in the query of a base URL is sent to the server and shown nowhere.

``-m 'http://host/v1?api-key=SECRET#m'`` put the key in the briefing's ``model``, its .md and
.html, ``manifest.sqlite`` and every error line, and the request went to
``POST /v1?api-key=…/chat/completions``. Query parameters of a base URL are secrets unless
known otherwise (`summariser.llm.endpoint.PUBLIC_PARAMS`: ``api-version``): the label and the
identity show them as ``REDACTED`` (`endpoint.public`), the client joins routes to the path
alone (`endpoint.client_base`) and the wire appends the query as given (`endpoint.wire_query`),
so the server gets ``POST /v1/chat/completions?api-key=SECRET`` and the key still works.

Generators: hypothesis draws base URLs with one to three secret parameters (any name but
``api-version``, percent-encoded or not, or a bare value), a ``user:password@`` or not, an
``api-version`` or not, a path and a model name; each is resolved and checked in every place a
URL reaches, and a few are run through the real CLI against a loopback server, every file
written (briefings, pages, manifest, index, response cache, cassette) and every output
(stdout, stderr, the ``--debug`` log, error lines that echo the request) searched for them.
"""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI, Reply, completion, error_body
from helpers.generated import FAST
from helpers.http import FAST as RETRY
from helpers.regenerate import article_folder
from helpers.tiers import examples
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from summariser.errors import EndpointError
from summariser.llm.backends import resolve
from summariser.llm.client import LLMClient, endpoint_auth
from summariser.llm.endpoint import HIDDEN, public, url_secrets
from summariser.llm.options import LLMOptions
from summariser.llm.secrets import redact_text, secret_values

ALNUM = string.ascii_letters + string.digits
KEY_CHARS = ALNUM + "-_.~+/="

names = st.one_of(
    st.sampled_from(["api-key", "api_key", "key", "token", "access_token", "sig", "Api-Key", "code", "API-VERSION2"]),
    st.text(alphabet=ALNUM + "-_.", min_size=1, max_size=12),
).filter(lambda n: n.casefold() != "api-version")
values = st.builds(
    lambda head, body: head + body,
    st.sampled_from(["sk-", "sk-proj-", "", "AIza"]),
    st.text(alphabet=KEY_CHARS, min_size=20, max_size=40),
).filter(lambda v: v[0].isalnum() and v[-1].isalnum())


PATHS = ["/v1", "/v1/", "/openai/deployments/gpt/", "", "/a/b/v1"]


@st.composite
def secret_urls(draw: st.DrawFn, host: str = "127.0.0.1:8000", paths: list[str] = PATHS) -> tuple[str, list[str], str]:
    """(a base URL with its model, the secrets in it as a server could echo them, the model name)."""
    params: list[str] = []
    secrets: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        value = draw(values)
        encoded = draw(st.booleans())
        written = quote(value, safe="") if encoded else value.replace("&", "%26").replace("+", "%2B")
        if draw(st.integers(0, 9)) == 0:  # a bare value: no name, and no "=" that would make one
            params.append(quote(value, safe=""))
        else:
            params.append(f"{quote(draw(names), safe='')}={written}")
        secrets.append(value)
    if draw(st.booleans()):
        params.insert(draw(st.integers(0, len(params))), "api-version=2024-06-01")
    userinfo = ""
    if draw(st.booleans()):
        password = draw(values)
        userinfo = f"user:{quote(password, safe='')}@"
        secrets.append(password)
    path = draw(st.sampled_from(paths))
    model = draw(st.sampled_from(["m", "echo", "gpt-4o-mini", "my model"]))
    return f"http://{userinfo}{host}{path}?{'&'.join(params)}#{model}", secrets, model


def _absent(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), unquote(secret)}:
            assert form not in text, (form, text)


@settings(FAST, max_examples=examples(300))
@given(secret_urls())
def test_a_secret_in_the_query_is_in_no_label_identity_or_client_url(case: tuple[str, list[str], str]) -> None:
    url, secrets, model = case
    figures.record("security", "url_query_secrets")
    spec = resolve(url)
    base, _ = endpoint_auth(spec)
    for shown in (spec.label, spec.identity, repr(spec), base, public(spec.base_url)):
        _absent(shown, secrets)
    assert HIDDEN in spec.label and spec.label.endswith(f"#{model}") and spec.model == model
    assert "?" not in base and "@" not in base and base.startswith("http://127.0.0.1:8000")
    if "api-version=2024-06-01" in url:  # known not to be a secret: shown as it is
        assert "api-version=2024-06-01" in spec.label and "api-version=2024-06-01" in spec.identity
    found = set(url_secrets(spec.base_url))
    assert all(s in found for s in secrets)
    text = " ".join(f"key={s}." for s in secrets)
    assert all(s not in redact_text(text, secret_values(*found)) for s in secrets)


class City(BaseModel):
    name: str = Field(max_length=20)
    population: int = Field(ge=0)


def test_the_issue_url_is_joined_and_its_key_still_works(tmp_path: Path) -> None:
    """``POST /v1?api-key=…/chat/completions`` before; the key must reach the server in the query."""
    key = "Zk3-SECRET-query-key-0123456789"
    with FakeOpenAI() as server:
        server.push(Reply(200, completion(json.dumps({"name": "Paris", "population": 2}))))
        url = f"{server.base_url}/?api-key={key}&api-version=2024-06-01#m"
        client = LLMClient(resolve(url), LLMOptions(cache="off", retry=RETRY, cache_dir=tmp_path, timeout=5.0))
        try:
            assert client.extract(City, [{"role": "user", "content": "Paris?"}]).name == "Paris"
        finally:
            client.close()
    figures.record("security", "url_query_secrets")
    assert [r.path for r in server.requests] == [f"/v1/chat/completions?api-key={key}&api-version=2024-06-01"]
    assert server.requests[0].body["model"] == "m"


def test_an_unreachable_endpoint_names_it_without_its_key(tmp_path: Path) -> None:
    key = "Zk3-SECRET-query-key-0123456789"
    url = f"http://127.0.0.1:9/v1?key={key}#m"
    client = LLMClient(resolve(url), LLMOptions(cache="off", retry=RETRY, cache_dir=tmp_path, timeout=2.0))
    try:
        with pytest.raises(EndpointError) as caught:
            client.extract(City, [{"role": "user", "content": "Paris?"}])
    finally:
        client.close()
    figures.record("security", "url_query_secrets")
    assert key not in caught.value.message and f"?key={HIDDEN}" in caught.value.message


# --------------------------------------------------------------------------- through the CLI, every output


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.subprocess(reason="--debug logs: a fresh process sets up their handler on stderr")
@settings(FAST, max_examples=examples(6), phases=[Phase.explicit, Phase.generate])  # a run is slow: no shrinking
@given(secret_urls(host="HOST", paths=["/v1", "/v1/"]), st.sampled_from(["answer", "echo the request"]))
def test_a_url_with_secrets_reaches_no_file_or_output_of_a_run(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, list[str], str], server_kind: str
) -> None:
    template, secrets, model = case
    tmp = tmp_path_factory.mktemp("run")

    def respond(body: Any) -> Reply:
        if server_kind == "answer":
            return echo_answer(body)
        seen = server.requests[-1]
        return Reply(401, error_body(f"bad key in {seen.path} (auth {seen.headers.get('authorization')})"))

    with FakeOpenAI(responder=respond) as server:
        url = template.replace("HOST", f"127.0.0.1:{server.port}")
        env = {
            **os.environ,
            "SUMMARISER_CACHE_DIR": str(tmp / "cache"),
            "SUMMARISER_CASSETTE": str(tmp / "cassette.json"),
            "SUMMARISER_RECORD": "1",
        }
        command = ["regenerate", str(article_folder(tmp)), str(tmp / "out"), "-m", url, "-j", "1", "--json"]
        result = subprocess.run(
            [sys.executable, "-m", "summariser", "--debug", *command],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        requests = list(server.requests)
    figures.record("security", "url_secret_runs")
    query = url.split("?", 1)[1].split("#", 1)[0]
    assert requests and all(r.path == f"/v1/chat/completions?{query}" for r in requests), requests[0].path
    assert all(r.body["model"] == model for r in requests)
    _absent(result.stdout + result.stderr, secrets)
    written = _files(tmp)
    if server_kind == "answer":  # the scan covers every kind of file a run writes
        assert {"manifest.sqlite", "cassette.json", "index.html"} <= {p.name for p in written}
    for path in written:
        data = path.read_bytes()
        for secret in secrets:
            for form in {secret, quote(secret, safe=""), unquote(secret)}:
                assert form.encode() not in data, (path, form)
    if server_kind == "answer":
        assert result.returncode == 0, result.stderr
        briefing = next(p for p in (tmp / "out").glob("*.json") if p.stem != "manifest")
        assert json.loads(briefing.read_text())["meta"]["model"] == public(url)
    else:
        assert result.returncode != 0 and "<redacted>" in result.stdout + result.stderr
