"""Item 6 of issue 24: every setting has a type and a range, checked in one place, whichever way it comes.

The audit found ``SUMMARISER_CONTEXT_TOKENS=abc`` read with a bare ``int()`` (exit 70),
``SUMMARISER_CACHE_DIR=/dev/null`` ending in FileExistsError, ``reasks = 100000`` accepted, and
``SUMMARISER_SEQUENCES=abc`` silently ignored. Now `summariser.settings_table.TABLE` holds every
setting's kind and range, and every way in goes through it. For every setting, values bad by
construction (`helpers.settings_values`: a word where a number goes, a number past the range,
a device or a FIFO where a folder goes) are generated and given

* as its ``SUMMARISER_*`` variable, to the code that really reads it (`load_settings`,
  `resolve`, `sequences`, `threads`, `cache_root`, `prompts_dir`, `max_input_bytes`…);
* as its key in a config file, and as a keyword argument (`load_settings`, `override`, `Settings`);
* as its flag's text (`load_settings_from_flags`, `flag_value`);

and each must be one `ConfigError` line naming the setting as it was given and the accepted
values; good values must be accepted. A sample goes through the real command in a subprocess:
exit 2, one ``error:`` line, no traceback. A source scan checks that no module reads a
``SUMMARISER_*`` variable except through the table.
"""

from __future__ import annotations

import ast
import contextlib
import math
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from helpers import figures
from helpers.cli import assert_clean_failure, run
from helpers.generated import FAST
from helpers.paths import FIXTURES, ROOT
from helpers.settings_values import bad_text, bad_typed, good_typed
from hypothesis import given
from hypothesis import strategies as st

from summariser.brief.prompts import prompts_dir
from summariser.config import FIELDS, FILE_KEYS, Settings, flag_value, load_settings, load_settings_from_flags, override
from summariser.errors import ConfigError
from summariser.ingest.limits import max_articles, max_input_bytes
from summariser.llm.backends import resolve
from summariser.llm.embedded import backend as embedded
from summariser.llm.embedded import llama_server, server_build, weights
from summariser.llm.embedded import sequence_routing as batching
from summariser.settings_table import TABLE, Setting

HTTP = "http://127.0.0.1:9/v1#m"
VARIABLE = re.compile(r"SUMMARISER_[A-Z][A-Z_]*[A-Z]")
ARTICLE = str(FIXTURES / "articles" / "harbour_fees.md")
#: The code that reads each variable (every one must refuse a bad value); debug: the CLI only (below).
READERS: dict[str, list[Callable[[], object]]] = {
    "model": [load_settings, lambda: resolve(None)],
    "api_key": [load_settings, lambda: resolve(HTTP), lambda: resolve("openai:gpt-4o-mini")],
    "cache_dir": [load_settings, weights.cache_root],
    "context_tokens": [load_settings, lambda: resolve(HTTP).context_tokens],
    "sequences": [load_settings, batching.sequences],
    "threads": [load_settings, embedded.threads],
    "models_dir": [load_settings, weights.models_dir],
    "prompts_dir": [load_settings, prompts_dir],
    "max_input_mb": [load_settings, max_input_bytes],
    "max_articles": [load_settings, max_articles],
    "llama_server": [load_settings, llama_server.binary],
    "llama_server_cache": [load_settings, server_build.build_cache, llama_server.binary],
    "llama_server_build": [load_settings, server_build.build_script, llama_server.binary],
}
ENV_SETTINGS = sorted(name for name, s in TABLE.items() if s.env and name != "debug")
FLAG_SETTINGS = sorted(name for name, s in TABLE.items() if s.flag and name not in {"cache", "model", "api_key"})


def assert_refused(err: ConfigError, setting: Setting[Any], where: str, value: object = None) -> None:
    """One line that names the setting as given (``where``) and says what it accepts; never a secret."""
    assert "\n" not in err.message and where in err.message, (where, err.message)
    assert setting.kind.accepted.split(":")[0] in err.message, err.message
    if setting.secret and isinstance(value, str) and len(value) >= 4:
        assert value not in err.message


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Only ``values`` of the ``SUMMARISER_*`` variables set (the fixtures' cache folder too is unset)."""
    with mock.patch.dict(os.environ, values):
        for name in [n for n in os.environ if n.startswith("SUMMARISER_") and n not in values]:
            del os.environ[name]
        yield


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-paths")


def test_every_variable_has_its_reader_and_none_is_read_past_the_table() -> None:
    """Every ``SUMMARISER_*`` the package names is in the table, and only the table reads them."""
    known = {s.env for s in TABLE.values() if s.env} | {"SUMMARISER_TEST_KILL_AT"}
    reads: list[str] = []
    for path in sorted((ROOT / "summariser").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: n.value.value
            for n in tree.body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named = set(VARIABLE.findall(node.value))
                assert named <= known, (path, sorted(named - known))
            if isinstance(node, ast.Call) and ast.unparse(node.func) in {"os.environ.get", "os.getenv"} and node.args:
                arg: ast.expr | None = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                arg = node.slice
            else:
                continue
            value = arg.value if isinstance(arg, ast.Constant) else constants.get(getattr(arg, "id", ""), "")
            if str(value).startswith("SUMMARISER_"):
                reads.append(f"{path.relative_to(ROOT)}: {value}")
    allowed = {"summariser/testpoints.py: SUMMARISER_TEST_KILL_AT"}
    assert set(reads) <= allowed, sorted(set(reads) - allowed)
    assert set(READERS) | {n for n in ENV_SETTINGS if n in FIELDS or n in {"config", "record"}} == set(ENV_SETTINGS)


@FAST
@given(data=st.data(), name=st.sampled_from(ENV_SETTINGS))
def test_a_bad_variable_is_one_config_error_naming_it_wherever_it_is_read(
    place: Path, data: st.DataObject, name: str
) -> None:
    setting = TABLE[name]
    assert setting.env is not None
    value = data.draw(bad_text(setting.kind, place), label="value")
    figures.record("security", "settings_values")
    for reader in READERS.get(name, [load_settings]):
        with environment(**{setting.env: value}), pytest.raises(ConfigError) as info:
            reader()
        assert_refused(info.value, setting, setting.env, value)


def test_the_smallest_context_window_accepted_still_fits_a_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The range's floor is not a value that then fails: a briefing's prompts and answers fit in it."""
    from summariser.brief.pipeline import plan_parts
    from summariser.ingest.read import load_sources

    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", str(TABLE["context_tokens"].kind.lo))  # type: ignore[attr-defined]
    (article,) = load_sources(["The port of Harbourtown raised its fees on Monday, the authority said. " * 800])
    assert len(plan_parts(article, resolve(HTTP), Settings())) > 1
    monkeypatch.setenv("SUMMARISER_CONTEXT_TOKENS", str(TABLE["context_tokens"].kind.lo - 1))  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="SUMMARISER_CONTEXT_TOKENS must be a whole number of tokens from 12,288"):
        plan_parts(article, resolve(HTTP), Settings())


def toml(value: Any) -> str:
    """``value`` written as a TOML value (bytes as an array of numbers: TOML has no bytes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or c in '"\\\x7f' else c for c in value)
        return f'"{escaped}"'
    if isinstance(value, bytes):
        return toml(list(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml(str(k))} = {toml(v)}" for k, v in value.items()) + "}"


@FAST
@given(data=st.data(), name=st.sampled_from(FILE_KEYS))
def test_a_bad_config_file_value_is_one_config_error_naming_the_key_and_the_file(
    tmp_path_factory: pytest.TempPathFactory, place: Path, data: st.DataObject, name: str
) -> None:
    setting = TABLE[name]
    config = tmp_path_factory.mktemp("config") / "config.toml"
    good = data.draw(good_typed(setting.kind, place), label="good")
    config.write_text(f"{name} = {toml(good)}\n", encoding="utf-8")
    with environment(SUMMARISER_CONFIG=str(config)):
        assert getattr(load_settings(), name) == setting.check(good, "")
    bad = data.draw(bad_typed(setting.kind, place).filter(lambda v: not isinstance(v, bytes)), label="bad")
    config.write_text(f"{name} = {toml(bad)}\n", encoding="utf-8")
    figures.record("security", "settings_values")
    with environment(SUMMARISER_CONFIG=str(config)), pytest.raises(ConfigError) as info:
        load_settings()
    assert_refused(info.value, setting, f"{name} in {config}")


@FAST
@given(data=st.data(), name=st.sampled_from(FIELDS))
def test_a_bad_keyword_argument_is_one_config_error_naming_it(place: Path, data: st.DataObject, name: str) -> None:
    setting = TABLE[name]
    good = data.draw(good_typed(setting.kind, place), label="good")
    assert getattr(override(Settings(), **{name: good}), name) == setting.check(good, "")
    bad = data.draw(bad_typed(setting.kind, place), label="bad")
    figures.record("security", "settings_values")
    for make in (load_settings, lambda **kw: override(Settings(), **kw), Settings):
        with pytest.raises(ConfigError) as info:
            make(**{name: bad})
        assert_refused(info.value, setting, f"keyword argument {name}", bad)


@FAST
@given(data=st.data(), name=st.sampled_from(FLAG_SETTINGS))
def test_a_bad_flag_is_one_config_error_naming_the_flag(place: Path, data: st.DataObject, name: str) -> None:
    setting = TABLE[name]
    assert setting.flag is not None
    value = data.draw(bad_text(setting.kind, place), label="value")
    figures.record("security", "settings_values")
    with pytest.raises(ConfigError) as info:
        if name in FIELDS:
            load_settings_from_flags(**{name: value})
        else:
            flag_value(name, value)
    assert_refused(info.value, setting, setting.flag, value)


def _config(tmp_path: Path, content: bytes) -> str:
    (tmp_path / "config.toml").write_bytes(content)
    return str(tmp_path / "config.toml")


#: (command line, environment, needle): each must end as exit 2 with one line naming the needle.
CLI_CASES: list[tuple[list[str], dict[str, str], str]] = [
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_CONTEXT_TOKENS": "abc"}, "SUMMARISER_CONTEXT_TOKENS"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_CACHE_DIR": os.devnull}, "SUMMARISER_CACHE_DIR"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_REASKS": "100000"}, "from 0 to 10"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_SEQUENCES": "abc"}, "SUMMARISER_SEQUENCES"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_THREADS": "0"}, "SUMMARISER_THREADS"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_MAX_INPUT_MB": "lots"}, "SUMMARISER_MAX_INPUT_MB"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_API_KEY": "sk key"}, "SUMMARISER_API_KEY"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_DEBUG": "maybe"}, "SUMMARISER_DEBUG"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_CONFIG": "/dev/zero"}, "SUMMARISER_CONFIG"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_CONFIG": "{config}:reasks = 100000"}, "reasks in"),
    (["brief", ARTICLE, "-m", HTTP], {"SUMMARISER_CONFIG": "{config}:model = '\xff'"}, "not UTF-8"),
    (["brief", ARTICLE, "-m", HTTP, "--timeout", "abc"], {}, "--timeout"),
    (["brief", ARTICLE, "-m", HTTP, "--timeout", "-1"], {}, "--timeout"),
    (["brief", ARTICLE, "-m", HTTP, "--deadline", "inf"], {}, "--deadline"),
    (["regenerate", "{arts}", "{out}", "-m", HTTP, "-j", "0"], {}, "--concurrency"),
    (["regenerate", "{arts}", "{out}", "-m", HTTP, "--max-tokens-total", "1e3"], {}, "--max-tokens-total"),
    (["regenerate", "{arts}", "{out}", "-m", HTTP, "--batch-api", "--batch-poll", "nan"], {}, "--batch-poll"),
    (["serve", "--parallel", "0"], {}, "--parallel"),
    (["serve", "--port", "70000"], {}, "--port"),
]


@pytest.mark.parametrize(("args", "env", "needle"), CLI_CASES, ids=[f"{c[0][0]}-{c[2]}" for c in CLI_CASES])
def test_bad_settings_through_the_cli_are_exit_2_and_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], needle: str
) -> None:
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a.md").write_text(Path(ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    args = [a.format(arts=tmp_path / "arts", out=tmp_path / "out") for a in args]
    for key, value in env.items():
        if value.startswith("{config}:"):
            env[key] = _config(tmp_path, value.removeprefix("{config}:").encode("latin-1"))
    try:
        result = run(*args, env=env)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"{args} with {env} did not end")
    figures.record("security", "settings_cli_runs")
    assert result.returncode == 2, result.stderr
    assert_clean_failure(result, needle)
    assert not (tmp_path / "out").exists()
