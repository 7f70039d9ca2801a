"""Hardening, secrets: no API key, organisation or project id, URL password (or its Basic-auth
token) is ever written to a file — cassette, response cache (diskcache's SQLite and value
files), briefings, manifest, review pages, index, logs.

A run records a cassette, fills the cache and writes debug logs while fake credentials are
set; the fake server echoes them back (in headers, in response ids, in an error message) as
real servers do. Then every file under the test's folder is scanned for every secret: zero
hits allowed. Cassettes made by users go through the same filter (`redact`) when rewritten.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets as random_secrets
import shutil
import string
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import FIXTURES
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI, Reply, error_body, unused_port

from summariser.config import Settings
from summariser.errors import EndpointError
from summariser.llm.secrets import RedactingFilter, redact, secret_values, url_secrets
from summariser.llm.transport.cache import CachingTransport, ResponseCache
from summariser.llm.transport.cassette import CassetteTransport
from summariser.llm.transport.exchange import canonical
from summariser.llm.transport.retry import RetryPolicy
from summariser.regenerate.manifest import load_manifest
from summariser.schemas import Briefing

CLI = [sys.executable, "-m", "summariser"]
ARTICLE = FIXTURES / "articles" / "harbour_fees.md"


def _random(n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(random_secrets.choice(alphabet) for _ in range(n))


@dataclass(frozen=True)
class Creds:
    key: str
    org: str
    project: str
    user: str
    password: str

    @property
    def needles(self) -> dict[str, str]:
        """Every form a secret could be written in, by name."""
        userinfo = f"{self.user}:{self.password}".encode()
        return {
            "api key": self.key,
            "api key body": self.key.removeprefix("sk-test-"),
            "organisation": self.org,
            "project": self.project,
            "url password": self.password,
            "basic token": base64.b64encode(userinfo).decode(),
            "basic token (url-safe)": base64.urlsafe_b64encode(userinfo).decode().rstrip("="),
            "basic token (no padding)": base64.b64encode(userinfo).decode().rstrip("="),
        }


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> Creds:
    found = Creds(
        key="sk-test-" + _random(40),
        org="org-" + _random(24),
        project="proj_" + _random(24),
        user="reporter",
        password="pw" + _random(30),
    )
    # What openai 3.3.0 reads itself (OPENAI_ORG_ID / OPENAI_PROJECT_ID become the
    # OpenAI-Organization / OpenAI-Project headers) and what summariser reads.
    monkeypatch.setenv("OPENAI_API_KEY", found.key)
    monkeypatch.setenv("SUMMARISER_API_KEY", found.key)
    monkeypatch.setenv("OPENAI_ORG_ID", found.org)
    monkeypatch.setenv("OPENAI_PROJECT_ID", found.project)
    return found


def leaky_server(creds: Creds) -> FakeOpenAI:
    """The echo stand-in, answering like a real API that echoes account ids and the key back."""

    def answer(body: Any) -> Reply:
        reply = echo_answer(body)
        payload = dict(reply.body)
        payload["id"] = f"chatcmpl-{creds.key}"
        payload["system_fingerprint"] = f"fp_{creds.org}_{creds.project}"
        headers = {
            "openai-organization": creds.org,
            "openai-project": creds.project,
            "x-request-id": f"req_{creds.project}",
            "set-cookie": f"session={creds.key}; Path=/",
        }
        return Reply(reply.status, payload, headers)

    return FakeOpenAI(responder=answer)


def scan(root: Path, creds: Creds) -> tuple[int, list[str]]:
    """(files scanned, "path: secret name" for every hit) over every file under ``root``."""
    needles = {name: value.encode() for name, value in creds.needles.items()}
    scanned, hits = 0, []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        scanned += 1
        for name, needle in needles.items():
            if needle in data or needle.lower() in data.lower():
                hits.append(f"{path.relative_to(root)}: {name}")
    return scanned, hits


def cli(*args: str | Path, log: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``env`` added; its stdout and stderr are also kept in ``log``."""
    result = subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"{result.stdout}\n{result.stderr}", encoding="utf-8")
    return result


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every library logger at DEBUG into a plain file handler (no filter: what a user's setup would do)."""
    path = tmp_path / "logs" / "library.log"
    path.parent.mkdir(parents=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(n) for n in ("summariser", "openai", "httpx2", "instructor")]
    before = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.addHandler(handler)
    try:
        yield path
    finally:
        for lg, (level, _) in zip(loggers, before, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
        handler.close()


# --------------------------------------------------------------------------- end to end


@pytest.mark.subprocess(reason="--debug logs: a fresh process sets up their handler on stderr")
def test_no_secret_reaches_any_file_a_run_writes(creds: Creds, tmp_path: Path, debug_log: Path) -> None:
    from summariser import summarise

    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("harbour_fees.md", "port_strike.txt", "rail_tender.json"):
        shutil.copy(FIXTURES / "articles" / name, articles / name)
    out, logs, cassettes, cache = tmp_path / "out", tmp_path / "logs", tmp_path / "cassettes", tmp_path / "cache"
    record = {"SUMMARISER_RECORD": "1", "SUMMARISER_CACHE_DIR": str(cache)}

    with leaky_server(creds) as server:
        plain = f"{server.base_url}#echo"  # Bearer key from SUMMARISER_API_KEY
        with_password = f"http://{creds.user}:{creds.password}@127.0.0.1:{server.port}/v1#echo"

        # 1. The library: record a cassette and fill the cache, logging at DEBUG; then a cache hit.
        settings = Settings(model=plain, cassette=cassettes / "library.json", cassette_mode="record", cache_dir=cache)
        first = summarise(ARTICLE, settings=settings)
        again = summarise(ARTICLE, settings=Settings(model=plain, cache_dir=cache))
        assert again.meta is not None and again.meta.usage.cache_hits >= 1
        (out / "library.json").parent.mkdir(parents=True)
        (out / "library.json").write_text(first.model_dump_json(indent=1), encoding="utf-8")

        # 2. `brief` with user:password in the URL, --debug logs, cassette recorded by a user's env.
        brief = cli(
            "--debug",
            "brief",
            ARTICLE,
            "-m",
            with_password,
            "--refresh",
            "-o",
            out / "brief.json",
            "--html",
            out / "brief.html",
            log=logs / "brief.log",
            SUMMARISER_CASSETTE=str(cassettes / "brief.json"),
            **record,
        )
        assert brief.returncode == 0, brief.stderr
        assert "HTTP Request" in brief.stderr  # the debug logs really were on

        # 3. `regenerate` (briefings, manifest, review pages, index) with --debug, another cassette.
        regen = cli(
            "--debug",
            "regenerate",
            articles,
            out / "briefings",
            "-m",
            with_password,
            "--json",
            log=logs / "regenerate.log",
            SUMMARISER_CASSETTE=str(cassettes / "regenerate.json"),
            **record,
        )
        assert regen.returncode == 0, regen.stderr
        sent = list(server.requests)

    # 4. Failures say what went wrong, never with the credentials: an unreachable endpoint with
    #    a password in its URL (message and whole traceback), and a server that echoes the
    #    rejected key in its error message (--debug traceback and logs).
    gone = f"http://{creds.user}:{creds.password}@127.0.0.1:{unused_port()}/v1#echo"
    with pytest.raises(EndpointError) as caught:  # in-process: one attempt, no backoff to wait for
        summarise(ARTICLE, settings=Settings(model=gone, cache="off", retry=RetryPolicy(attempts=1)))
    assert caught.value.message.startswith("cannot reach http://127.0.0.1:")
    (logs / "unreachable.log").write_text("".join(traceback.format_exception(caught.value)), encoding="utf-8")
    rejected = error_body(f"Incorrect API key provided: {creds.key} (org {creds.org})", code="invalid_api_key")
    with FakeOpenAI(responder=lambda body: Reply(401, rejected)) as strict:
        denied = cli(
            "--debug",
            "brief",
            ARTICLE,
            "-m",
            f"{strict.base_url}#echo",
            "--no-cache",
            log=logs / "rejected.log",
            SUMMARISER_CASSETTE=str(cassettes / "rejected.json"),
            SUMMARISER_RECORD="1",
        )
        assert denied.returncode == 4 and "rejected the API key" in denied.stderr

    # The credentials really were in play: sent on the wire (and so echoed back).
    basic = "Basic " + creds.needles["basic token"]
    assert any(r.headers.get("authorization") == f"Bearer {creds.key}" for r in sent)
    assert any(r.headers.get("authorization") == basic for r in sent)
    assert all(r.headers.get("openai-organization") == creds.org for r in sent)
    assert all(r.headers.get("openai-project") == creds.project for r in sent)
    # …and everything that should have been written was.
    stored = ResponseCache(cache)
    assert len(stored) >= 4
    stored.close()
    for name in ("library", "brief", "regenerate", "rejected"):
        assert json.loads((cassettes / f"{name}.json").read_text(encoding="utf-8"))["interactions"], name
    assert len(load_manifest(out / "briefings").briefings) == 3
    for path in (out / "briefings").glob("*.json"):
        if path.name != "manifest.json":
            Briefing.model_validate_json(path.read_bytes())
    assert (out / "briefings" / "index.html").exists() and (out / "brief.html").exists()
    assert debug_log.stat().st_size > 0 and any(cache.rglob("*.db"))

    scanned, hits = scan(tmp_path, creds)
    figures.record("secrets", "files_scanned", scanned)
    figures.record("secrets", "hits", len(hits))
    assert scanned >= 20
    assert hits == []


# --------------------------------------------------------------------------- the filter itself


def test_redact_catches_secrets_anywhere_in_nested_bodies(creds: Creds) -> None:
    found = secret_values()
    for value in (creds.key, creds.org, creds.project):
        assert value in found  # read from the environment, with nothing configured
    body = {
        "messages": [{"role": "user", "content": f"key {creds.key}, org {creds.org}"}],
        # a key stands as a token of its own (issue 14 item 6: "xORGy" is a longer word, "x-ORG-y" is not)
        creds.project: {"nested": [("tuple", f"x-{creds.org}-y"), [[{"deep": creds.key}]]]},
        "n": 3,
        "none": None,
        "flag": True,
    }
    clean = redact(body, found)
    text = json.dumps(clean)
    assert creds.key not in text and creds.org not in text and creds.project not in text
    assert clean["messages"][0] == {"role": "user", "content": "key <redacted>, org <redacted>"}
    assert clean["<redacted>"]["nested"] == [["tuple", "x-<redacted>-y"], [[{"deep": "<redacted>"}]]]
    assert clean["n"] == 3 and clean["none"] is None and clean["flag"] is True
    # A secret inside a longer one: the longer one goes whole, no tail is left behind.
    assert redact("a sk-abcdef-LONGER b", secret_values("sk-abcdef", "sk-abcdef-LONGER")) == "a <redacted> b"
    # URL credentials: the password and the Basic token, never the host or the user name alone.
    url_found = secret_values(*url_secrets(f"http://{creds.user}:{creds.password}@example.test/v1"))
    assert creds.password in url_found and creds.needles["basic token"] in url_found
    assert creds.user not in url_found and "example.test" not in url_found


def test_cassette_and_cache_never_write_headers_or_secrets(creds: Creds, tmp_path: Path) -> None:
    def backend(request: httpx2.Request) -> httpx2.Response:
        answer = {
            "id": f"chatcmpl-{creds.key}",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": f"{creds.org}!"}}
            ],
            "usage": {"organization": creds.org, "project": creds.project},
        }
        return httpx2.Response(200, json=answer, headers={"openai-organization": creds.org, "x-secret": creds.key})

    request = httpx2.Request(
        "POST",
        "http://backend.test/v1/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": f"project {creds.project}"}]},
        headers={
            "Authorization": f"Bearer {creds.key}",
            "OpenAI-Organization": creds.org,
            "OpenAI-Project": creds.project,
        },
    )
    # No secret passed explicitly: the environment alone is enough.
    cassette = CassetteTransport(tmp_path / "c.json", "http://backend.test/v1", "record", httpx2.MockTransport(backend))
    cache = ResponseCache(tmp_path / "cache")
    chain = CachingTransport(cassette, cache, "http://backend.test/v1", "on")
    live = chain.handle_request(request)
    assert creds.key in live.read().decode()  # the caller still gets the live answer
    hit = cache.get(canonical("http://backend.test/v1", request).key)
    assert hit is not None and hit["id"] == "chatcmpl-<redacted>"
    cache.close()

    text = (tmp_path / "c.json").read_text(encoding="utf-8").lower()
    for needle in ("authorization", "bearer", "openai-organization", "openai-project", "x-secret"):
        assert needle not in text
    scanned, hits = scan(tmp_path, creds)
    figures.record("secrets", "files_scanned", scanned)
    figures.record("secrets", "hits", len(hits))
    assert scanned >= 2 and hits == []


def test_a_user_made_cassette_goes_through_the_same_filter(creds: Creds, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    hand_made = {
        "version": 1,
        "interactions": [
            {
                "key": "0" * 64,
                "request": {
                    "endpoint": "http://x/v1",
                    "method": "POST",
                    "path": "/chat/completions",
                    "body": {"messages": [{"content": f"use {creds.key} for {creds.org}"}]},
                },
                "response": {"status": 200, "body": {"id": creds.project, "choices": []}},
            }
        ],
    }
    path.write_text(json.dumps(hand_made), encoding="utf-8")

    def backend(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"choices": [], "echo": creds.key})

    cassette = CassetteTransport(path, "http://x/v1", "record", httpx2.MockTransport(backend))
    cassette.handle_request(httpx2.Request("POST", "http://x/v1/chat/completions", json={"q": 1})).read()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["interactions"]) == 2
    assert data["interactions"][0]["request"]["body"]["messages"][0]["content"] == "use <redacted> for <redacted>"
    scanned, hits = scan(tmp_path, creds)
    figures.record("secrets", "files_scanned", scanned)
    figures.record("secrets", "hits", len(hits))
    assert hits == []


def test_the_debug_log_filter_redacts_messages_args_and_tracebacks(creds: Creds, tmp_path: Path) -> None:
    log = tmp_path / "debug.log"
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("summariser.test_secrets")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("headers %s", {"openai-organization": creds.org, "openai-project": creds.project})
        logger.info(f"key {creds.key}")
        try:
            raise RuntimeError(f"server said {creds.key}")
        except RuntimeError:
            logger.exception("failed for %s", creds.project)
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = log.read_text(encoding="utf-8")
    assert text.count("<redacted>") >= 5 and "RuntimeError" in text
    scanned, hits = scan(tmp_path, creds)
    figures.record("secrets", "files_scanned", scanned)
    figures.record("secrets", "hits", len(hits))
    assert hits == []
