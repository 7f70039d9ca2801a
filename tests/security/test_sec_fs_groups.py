"""Item 12 of issue 14: a grouping file cannot exhaust memory, and only strings are names and files.

A 565-byte YAML groups file with nested aliases reached 1.77 GB in 15 s; ``groups.yaml ->
/dev/zero`` ended in "internal error: MemoryError". `summariser.regenerate.groups.read_groups`
reads at most `MAX_GROUPS_BYTES` of a regular file and walks the parser's events without
composing a document, refusing anchors and aliases, other shapes and non-string items.
Generated YAML and JSON documents (hypothesis: nested lists and mappings of every scalar
type, with and without anchors) either give exactly the groups a plain reader would or fail
with a one-line `InputError`; the billion-laughs files are refused in a child process whose
peak memory is measured.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import figures
from helpers.generated import FAST as GENERATED
from hypothesis import given
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.regenerate.groups import MAX_GROUPS_BYTES, read_groups

FAST = GENERATED

LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
       f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    + ["group: [*i]"]
)  # fmt: skip
PROBE = """
import re, sys
from pathlib import Path
from summariser.errors import InputError
from summariser.regenerate.folder import regenerate
try:
    regenerate(sys.argv[1], sys.argv[2], model="http://127.0.0.1:9/v1#m", group_by="event", groups=sys.argv[3])
    outcome = "accepted"
except InputError as err:
    outcome = "refused: " + err.message
print(outcome)
# VmHWM: the peak RSS of this program only (ru_maxrss would include the forking pytest's)
print(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024)
"""


def probe(tmp_path: Path, groups: Path) -> tuple[str, int]:
    """Run regenerate on ``groups`` in a child process: (outcome, peak RSS in MB)."""
    articles = tmp_path / "arts"
    articles.mkdir(exist_ok=True)
    (articles / "lol").write_text("x", encoding="utf-8")
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(articles), str(tmp_path / "out"), str(groups)],
        capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32)),  # a runaway ends, not the box
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    outcome, peak = result.stdout.strip().splitlines()[-2:]
    return outcome, int(peak)


@pytest.mark.subprocess(reason="the peak RSS of a fresh process reading the grouping file")
@pytest.mark.parametrize("kind", ["laughs", "dev-zero", "huge", "fifo"])
def test_hostile_grouping_files_are_refused_with_bounded_memory(tmp_path: Path, kind: str) -> None:
    groups = tmp_path / "groups.yaml"
    if kind == "laughs":
        groups.write_text(LAUGHS, encoding="utf-8")
        assert len(LAUGHS.encode()) < 700
    elif kind == "dev-zero":
        groups.symlink_to("/dev/zero")
    elif kind == "huge":
        with groups.open("w", encoding="utf-8") as handle:
            handle.write("g:\n")
            handle.write("  - a.txt\n" * (MAX_GROUPS_BYTES // 10 + 1))
    else:
        os.mkfifo(groups)
    outcome, peak = probe(tmp_path, groups)
    figures.record("security", "groups_documents")
    assert outcome.startswith("refused: "), outcome
    expected = {"laughs": "anchor or alias", "dev-zero": "not a regular file", "huge": "over", "fifo": "regular"}
    assert expected[kind] in outcome and str(groups) in outcome
    assert peak < 400, f"{peak} MB"  # the interpreter and the package are ~100 MB


def test_names_and_files_that_yaml_reads_as_other_types_are_refused(tmp_path: Path) -> None:
    cases = {
        "2024: [a.txt]": "quote it",
        "g: [1]": "quote it",
        "g: [true]": "quote it",
        "g: [null]": "quote it",
        "2024-01-05: [a.txt]": "quote it",
        "g: [!!binary aGk=]": "quote it",
        "g: []": "must map each group name",
        "g: a.txt": "must map each group name",
        "g: [[a.txt]]": "must map each group name",
        "[a.txt]": "must map each group name",
        "g: [a.txt]\n---\nh: [b.txt]": "more than one YAML document",
        "g: [a.txt]\ng: [b.txt]": "appears twice",
        "g: !!python/object:os.system [a]": "must map each group name",
        "<<: {g: [a.txt]}": "quote it",
        "g: !!seq [a.txt]\nh: !!map {}": "must map each group name",
        "": "must map each group name",
        "g: [a.txt": "cannot read the grouping file",
    }
    for text, needle in cases.items():
        groups = tmp_path / "g.yaml"
        groups.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=needle):
            read_groups(groups)
    groups.write_bytes(b"g: [\xff]")
    with pytest.raises(InputError, match="not UTF-8"):
        read_groups(groups)
    figures.record("security", "groups_documents", len(cases) + 1)


scalar = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False,
                   allow_infinity=False))  # fmt: skip
key = st.text(max_size=6) | st.integers()
document = st.recursive(
    scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(key, inner, max_size=4), max_leaves=20
)


def duplicate_keys(text: str) -> bool:
    """Whether a JSON text repeats a key in an object (``{1: …, "1": …}`` dumps so)."""
    seen: list[bool] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen.append(len({k for k, _ in pairs}) < len(pairs))
        return dict(pairs)

    json.loads(text, object_pairs_hook=hook)
    return any(seen)


def plain_groups(value: Any) -> list[tuple[str, list[str]]] | None:
    """What a grouping file means when it has the one shape (None: it has not)."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, list) and v and all(isinstance(i, str) for i in v)
               for k, v in value.items()):  # fmt: skip
        return None
    return list(value.items())


@FAST
@given(value=document, style=st.sampled_from(["json", "block", "flow", "anchored"]))
def test_generated_documents_give_their_groups_or_one_clean_error(
    tmp_path_factory: pytest.TempPathFactory, value: Any, style: str
) -> None:
    figures.record("security", "groups_documents")
    groups = tmp_path_factory.mktemp("g") / ("groups.json" if style == "json" else "groups.yaml")
    if style == "json":
        text = json.dumps(value)
    elif style == "anchored":  # the same value with its lists shared by anchors and aliases
        text = yaml.dump({"first": value, "second": value}, default_flow_style=False)
        value = {"first": value, "second": value}
    else:
        text = yaml.safe_dump(value, default_flow_style=style == "flow", allow_unicode=True)
    groups.write_text(text, encoding="utf-8")
    expected = plain_groups(yaml.safe_load(text) if style != "json" else json.loads(text))
    try:
        got = read_groups(groups)
    except InputError as err:
        assert "\n" not in err.message and str(groups) in err.message
        assert expected is None or "&" in text or (style == "json" and duplicate_keys(text)), (text, err.message)
        return
    assert got == expected
