"""Tests of summariser.llm.transport.cassette: recording, redaction, replay and misses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summariser.errors import CassetteMiss
from summariser.llm.secrets import redact
from summariser.llm.transport.cassette import FORMAT_VERSION, CassetteTransport
from summariser.llm.transport.exchange import canonical

SECRET = "sk-test-SECRET123"
IDENTITY = "http://backend.test/v1"
URL = "http://backend.test/v1/chat/completions"


def body(question: str = "Paris?") -> dict[str, Any]:
    return {"model": "fake", "messages": [{"role": "user", "content": question}], "temperature": 0.0}


def request(question: str = "Paris?", **headers: str) -> httpx2.Request:
    return httpx2.Request(
        "POST", URL, json=body(question), headers={"Authorization": f"Bearer {SECRET}", "X-Custom": "hdr", **headers}
    )


def completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
    }


class Backend(httpx2.MockTransport):
    """Answers a scripted list of (status, body) in order and counts the calls."""

    def __init__(self, *answers: tuple[int, Any]) -> None:
        self.answers = list(answers)
        self.calls = 0
        super().__init__(self._answer)

    def _answer(self, req: httpx2.Request) -> httpx2.Response:
        assert self.calls < len(self.answers), "backend called more often than scripted"
        status, payload = self.answers[self.calls]
        self.calls += 1
        return httpx2.Response(status, json=payload, headers={"X-Request-Id": "req-42", "Set-Cookie": "s=1"})


def send(transport: httpx2.BaseTransport, req: httpx2.Request) -> httpx2.Response:
    response = transport.handle_request(req)
    response.read()
    return response


def recorder(path: Path, *answers: tuple[int, Any]) -> tuple[CassetteTransport, Backend]:
    backend = Backend(*answers)
    return CassetteTransport(path, IDENTITY, "record", backend, secrets=[SECRET]), backend


def replayer(path: Path) -> CassetteTransport:
    return CassetteTransport(path, IDENTITY, "replay", inner=None, secrets=[SECRET])


# --------------------------------------------------------------------------- recording


def test_record_writes_one_readable_json_file(tmp_path: Path) -> None:
    path = tmp_path / "cassettes" / "case.json"
    transport, backend = recorder(path, (200, completion("Paris is the capital.")))
    response = send(transport, request())
    assert response.status_code == 200
    assert response.json() == completion("Paris is the capital.")
    assert backend.calls == 1

    assert sorted(p.name for p in path.parent.iterdir()) == ["case.json"]
    text = path.read_text(encoding="utf-8")
    assert "\n" in text  # indented for humans and diffs
    data = json.loads(text)
    assert data["version"] == FORMAT_VERSION
    assert len(data["interactions"]) == 1
    item = data["interactions"][0]
    assert set(item) == {"key", "request", "response"}
    assert item["key"] == canonical(IDENTITY, request()).key
    assert item["request"] == {"endpoint": IDENTITY, "method": "POST", "path": "/chat/completions", "body": body()}
    assert item["response"] == {"status": 200, "body": completion("Paris is the capital.")}


def test_record_never_writes_headers(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("ok")))
    send(transport, request(**{"X-Api-Key": "hdr-value-123"}))
    text = path.read_text(encoding="utf-8").lower()
    for needle in ("authorization", "bearer", "x-custom", "hdr-value-123", "x-request-id", "req-42", "set-cookie"):
        assert needle not in text, f"cassette contains {needle!r}"


def test_record_redacts_secrets_in_request_and_response(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    answer = completion(f"The key you sent was {SECRET}; keep {SECRET} safe")
    answer["id"] = f"chatcmpl-{SECRET}"
    transport, _ = recorder(path, (200, answer))
    req = httpx2.Request(
        "POST",
        URL,
        json={"model": "fake", "messages": [{"role": "user", "content": f"my key is {SECRET}"}], "user": SECRET},
        headers={"Authorization": f"Bearer {SECRET}"},
    )
    live = send(transport, req)
    assert SECRET in live.text  # the live caller still gets the real answer

    raw = path.read_bytes()
    assert raw.count(SECRET.encode()) == 0
    assert b"SECRET123" not in raw
    data = json.loads(raw)
    item = data["interactions"][0]
    assert item["request"]["body"]["messages"][0]["content"] == "my key is <redacted>"
    assert item["request"]["body"]["user"] == "<redacted>"
    assert item["response"]["body"]["choices"][0]["message"]["content"] == (
        "The key you sent was <redacted>; keep <redacted> safe"
    )


def test_redact_walks_nested_values_and_ignores_short_secrets(tmp_path: Path) -> None:
    assert redact({"a": ["x sk-1234 y", {"b": "sk-1234"}], "n": 3}, ["sk-1234"]) == {
        "a": ["x <redacted> y", {"b": "<redacted>"}],
        "n": 3,
    }
    # Secrets shorter than 4 characters (e.g. "abc") are ignored, or every "abc" would vanish.
    transport = CassetteTransport(tmp_path / "c.json", IDENTITY, "record", Backend(), secrets=["abc", "", SECRET])
    assert transport.secrets == [SECRET]


def test_record_appends_and_keeps_earlier_interactions(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    first, _ = recorder(path, (200, completion("one")))
    send(first, request("one?"))
    second, backend = recorder(path, (200, completion("two")))
    assert send(second, request("one?")).json() == completion("one")  # replayed, not re-sent
    assert backend.calls == 0
    send(second, request("two?"))
    assert backend.calls == 1
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [i["response"]["body"]["choices"][0]["message"]["content"] for i in data["interactions"]] == ["one", "two"]


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, *[(200, completion(f"answer {i}")) for i in range(5)])
    for i in range(5):
        send(transport, request(f"q{i}?"))
        # After every write the file is complete, valid JSON holding all interactions so far.
        assert len(json.loads(path.read_text(encoding="utf-8"))["interactions"]) == i + 1
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_record_without_network_error_records_nothing(tmp_path: Path) -> None:
    def refuse(req: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("refused")

    path = tmp_path / "c.json"
    transport = CassetteTransport(path, IDENTITY, "record", httpx2.MockTransport(refuse), secrets=[SECRET])
    with pytest.raises(httpx2.ConnectError):
        send(transport, request())
    assert not path.exists()


# --------------------------------------------------------------------------- replay


def test_replay_answers_from_the_file_without_an_inner_transport(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("Paris is the capital.")))
    send(transport, request())

    replay = replayer(path)
    assert replay.inner is None
    response = send(replay, request())
    assert response.status_code == 200
    assert response.json() == completion("Paris is the capital.")
    # Headers are not part of the match: another key and header set still replays.
    other = httpx2.Request("POST", URL, json=body(), headers={"Authorization": "Bearer sk-other-key"})
    assert send(replay, other).json() == completion("Paris is the capital.")
    assert replay.used == {canonical(IDENTITY, request()).key}


def test_replay_through_an_httpx2_client(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("hi")))
    send(transport, request())
    with httpx2.Client(transport=replayer(path)) as client:
        response = client.post(URL, json=body())
    assert response.json()["choices"][0]["message"]["content"] == "hi"


def test_unrecorded_request_raises_cassette_miss_naming_the_record_switch(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("hi")))
    send(transport, request())

    with pytest.raises(CassetteMiss) as caught:
        send(replayer(path), request("A question never recorded?"))
    message = str(caught.value)
    assert "SUMMARISER_RECORD" in message
    assert "c.json" in message
    assert "\n" not in message
    assert caught.value.exit_code == 6


def test_missing_cassette_file_is_a_miss_too(tmp_path: Path) -> None:
    with pytest.raises(CassetteMiss, match="SUMMARISER_RECORD"):
        send(replayer(tmp_path / "absent.json"), request())


def test_record_mode_without_inner_transport_is_a_miss(tmp_path: Path) -> None:
    transport = CassetteTransport(tmp_path / "c.json", IDENTITY, "record", inner=None)
    with pytest.raises(CassetteMiss):
        send(transport, request())


def test_endpoint_identity_is_part_of_the_match(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("hi")))
    send(transport, request())
    elsewhere = CassetteTransport(path, "http://elsewhere.test/v1", "replay")
    with pytest.raises(CassetteMiss):
        send(elsewhere, request())


def test_repeated_request_replays_recorded_answers_in_order_then_repeats_the_last(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, backend = recorder(path, (503, {"error": {"message": "busy"}}), (200, completion("finally")))
    assert send(transport, request()).status_code == 503
    assert send(transport, request()).status_code == 200
    assert backend.calls == 2
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [i["response"]["status"] for i in data["interactions"]] == [503, 200]
    assert data["interactions"][0]["key"] == data["interactions"][1]["key"]

    replay = replayer(path)
    statuses = [send(replay, request()).status_code for _ in range(4)]
    assert statuses == [503, 200, 200, 200]
    assert send(replay, request()).json() == completion("finally")


def test_each_transport_replays_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (503, {"error": {"message": "busy"}}), (200, completion("ok")))
    send(transport, request())
    send(transport, request())
    for _ in range(2):
        replay = replayer(path)
        assert [send(replay, request()).status_code for _ in range(2)] == [503, 200]


def test_non_json_response_is_recorded_as_text(tmp_path: Path) -> None:
    def gateway(req: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(502, text=f"<html>Bad gateway for {SECRET}</html>")

    path = tmp_path / "c.json"
    transport = CassetteTransport(path, IDENTITY, "record", httpx2.MockTransport(gateway), secrets=[SECRET])
    assert send(transport, request()).status_code == 502
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["interactions"][0]["response"] == {"status": 502, "body": "<html>Bad gateway for <redacted></html>"}


# --------------------------------------------------------------------------- what a miss says


def hand_written(path: Path, *bodies: dict[str, Any]) -> None:
    """A cassette written as a person (or an older version) would: one interaction per body, keyed as replay keys."""
    interactions = []
    for i, item in enumerate(bodies):
        req = httpx2.Request("POST", URL, json=item)
        interactions.append(
            {
                "key": canonical(IDENTITY, req).key,
                "request": {"endpoint": IDENTITY, "method": "POST", "path": "/chat/completions", "body": item},
                "response": {"status": 200, "body": completion(f"answer {i}")},
            }
        )
    path.write_text(json.dumps({"version": FORMAT_VERSION, "interactions": interactions}), encoding="utf-8")


def miss(path: Path, req: httpx2.Request) -> CassetteMiss:
    with pytest.raises(CassetteMiss) as caught:
        send(replayer(path), req)
    return caught.value


def test_a_miss_names_the_closest_recorded_request_and_the_first_field_that_differs(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    hand_written(path, body("Paris?"), body("Which river runs through Paris?"), body("Berlin?"))
    # the second question, asked at another temperature: closest to interaction 2, parting at the temperature
    warmer = {**body("Which river runs through Paris?"), "temperature": 0.7}
    err = miss(path, httpx2.Request("POST", URL, json=warmer))
    assert (err.recorded, err.closest, err.differs_at) == (3, 2, "$.body.temperature")
    assert "3 recorded; the closest, interaction 2, first differs at $.body.temperature: recorded 0.0, now 0.7" in (
        err.message
    )
    assert err.details() == {"cassette": str(path), "recorded": 3, "closest": 2, "differs_at": "$.body.temperature"}
    assert "SUMMARISER_RECORD" in err.message and "\n" not in err.message


def test_a_miss_in_a_long_prompt_shows_both_sides_where_they_part(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    article = "Dock workers at the port of Valdmar walked off the job on Monday. " * 40
    hand_written(path, body("Berlin?"), body(article + "Summarise it in three bullets."))
    err = miss(path, request(article + "Summarise it in four bullets."))
    assert (err.closest, err.differs_at) == (2, "$.body.messages[0].content")
    # 30 characters before the point where they part, and the rest (up to 30) from it
    assert 'recorded …"ob on Monday. Summarise it in three bullets.", now …"ob on Monday. Summarise it in four' in (
        err.message
    )
    assert len(err.message) < 1_000  # an excerpt of each side, not the article


def test_a_miss_names_a_field_only_one_side_has(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    hand_written(path, body("Paris?"))
    err = miss(path, httpx2.Request("POST", URL, json={**body("Paris?"), "seed": 7}))
    assert (err.closest, err.differs_at) == (1, "$.body.seed")
    assert "first differs at $.body.seed: recorded nothing, now 7" in err.message


def test_a_miss_on_another_endpoint_says_so(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    hand_written(path, body("Paris?"))
    with pytest.raises(CassetteMiss) as caught:
        send(CassetteTransport(path, "http://elsewhere.test/v1", "replay"), request("Paris?"))
    assert caught.value.differs_at == "$.endpoint"
    assert 'recorded "http://backend.test/v1", now "http://elsewhere.test/v1"' in caught.value.message


def test_a_miss_in_an_empty_cassette_has_nothing_to_compare(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    hand_written(path)
    err = miss(path, request())
    assert (err.recorded, err.closest, err.differs_at) == (0, None, None)
    assert "0 recorded; none to compare with" in err.message


def test_a_miss_never_shows_the_api_key_of_the_request(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    transport, _ = recorder(path, (200, completion("hi")))
    send(transport, httpx2.Request("POST", URL, json={**body("Paris?"), "user": SECRET}))
    err = miss(path, httpx2.Request("POST", URL, json={**body("Paris?"), "user": SECRET, "seed": 1}))
    assert err.differs_at == "$.body.seed"  # the key matched the recorded <redacted>: not a difference
    assert SECRET not in err.message
