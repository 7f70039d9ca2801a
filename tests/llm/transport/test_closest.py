"""How near two canonical requests are (`summariser.llm.transport.closest`): the measure a cassette miss uses to
name the closest recorded request, and the JSON path where two requests first part."""

from __future__ import annotations

from typing import Any

from summariser.llm.transport.closest import Difference, closest, first_difference, similarity


def chat(question: str, **extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "system", "content": "Answer."}, {"role": "user", "content": question}],
            **extra}  # fmt: skip


def test_similarity_is_one_for_equal_requests_and_falls_with_each_field_that_differs() -> None:
    base = chat("Which river runs through Paris?", temperature=0.0)
    assert similarity(base, base) == 1.0
    one = similarity(base, chat("Which river runs through Paris?", temperature=0.5))
    two = similarity(base, chat("Which river runs through Paris?", temperature=0.5, seed=1))
    assert 1.0 > one > two > 0.0


def test_a_prompt_edited_in_one_place_stays_closer_than_another_prompt() -> None:
    article = "The council voted to close the library on Tuesday. " * 50
    asked = chat(article + "Give three bullets.")
    recorded = [chat("Berlin?"), chat(article + "Give four bullets."), None, chat("Paris?")]
    assert closest(asked, recorded) == 1
    assert closest(asked, [None, None]) is None
    assert closest(asked, []) is None


def test_the_first_difference_is_named_by_its_json_path_in_key_order() -> None:
    recorded = chat("Paris?", temperature=0.0, seed=1)
    assert first_difference(recorded, recorded) is None
    assert first_difference(recorded, chat("Paris?", temperature=0.5, seed=2)) == Difference("$.seed", "1", "2")
    found = first_difference(recorded, chat("Rome?", temperature=0.0, seed=1))
    assert found is not None and found.path == "$.messages[1].content"
    assert found.line() == '$.messages[1].content: recorded "Paris?", now "Rome?"'


def test_paths_of_keys_that_are_not_names_lists_of_other_lengths_and_missing_fields() -> None:
    schema = {"$defs": {"City": {"type": "object"}}}
    other = {"$defs": {"City": {"type": "array"}}}
    assert first_difference(schema, other) == Difference('$["$defs"].City.type', '"object"', '"array"')
    assert first_difference({"a": [1, 2]}, {"a": [1, 2, 3]}) == Difference("$.a[2]", "nothing", "3")
    assert first_difference({"a": 1}, {"a": 1, "b": None}) == Difference("$.b", "nothing", "null")
    assert first_difference({"a": 1}, {"a": 1.0}) == Difference("$.a", "1", "1.0")  # JSON types differ
