"""Settings (`summariser.config`): flag over environment over config file over default, bad config
files, the record switch, and the settings table as the one owner of every variable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.paths import ROOT

from summariser import testpoints
from summariser.config import Settings, load_settings, load_settings_from_flags, override
from summariser.errors import ConfigError
from summariser.settings_table import TABLE


def test_precedence_flag_env_file_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('model = "local:qwen2.5-0.5b"\ncache = "off"\nreasks = 1\n')
    monkeypatch.setenv("SUMMARISER_CONFIG", str(config))
    assert load_settings().model == "local:qwen2.5-0.5b"
    assert load_settings().cache == "off" and load_settings().reasks == 1
    monkeypatch.setenv("SUMMARISER_MODEL", "http://localhost:8000/v1#m")
    assert load_settings().model == "http://localhost:8000/v1#m"
    assert load_settings(model="openai:gpt-4o-mini").model == "openai:gpt-4o-mini"
    assert load_settings(model=None).model == "http://localhost:8000/v1#m"
    assert Settings().cache == "on" and Settings().model is None


@pytest.mark.parametrize(
    "content, needle",
    [
        ('api_key = "sk-123"', "SUMMARISER_API_KEY"),
        ('colour = "blue"', "unknown setting"),
        ('cache = "sometimes"', "cache in .* must be one of on, off, refresh"),
        ("model = ", "cannot read the config file"),
        ("max_tokens_total = 0", "max_tokens_total in .* must be a whole number of tokens from 1 to"),
        ("max_tokens_total = 1.5", "max_tokens_total in .* must be a whole number of tokens from 1 to"),
        ('max_tokens_total = "many"', "max_tokens_total in .* must be a whole number of tokens from 1 to"),
        ("reasks = 100000", "reasks in .* must be a whole number from 0 to 10, not 100000"),
        ('timeout = "60"', "timeout in .* must be a number of seconds"),
    ],
)
def test_bad_config_files_are_clear_errors(
    content: str, needle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    monkeypatch.setenv("SUMMARISER_CONFIG", str(config))
    with pytest.raises(ConfigError, match=needle) as info:
        load_settings()
    assert "\n" not in str(info.value)


def test_record_env_switches_cassettes_to_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISER_RECORD", "1")
    assert load_settings().cassette_mode == "record"


def test_the_token_budget_flows_flag_env_file_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().max_tokens_total is None and load_settings().max_tokens_total is None  # no limit
    config = tmp_path / "config.toml"
    config.write_text("max_tokens_total = 50000\n")
    monkeypatch.setenv("SUMMARISER_CONFIG", str(config))
    assert load_settings().max_tokens_total == 50_000
    monkeypatch.setenv("SUMMARISER_MAX_TOKENS_TOTAL", "20000")
    assert load_settings().max_tokens_total == 20_000
    assert load_settings_from_flags(max_tokens_total="300").max_tokens_total == 300  # a flag, as given
    assert override(Settings(), max_tokens_total=7).max_tokens_total == 7
    for bad in (0, -1, 2.0, True, "1e3", "300"):  # a keyword argument is typed: "300" is a flag's text
        with pytest.raises(ConfigError, match="keyword argument max_tokens_total must be a whole number of tokens"):
            override(Settings(), max_tokens_total=bad)


def test_every_summariser_variable_is_one_the_table_reads_and_the_docs_list() -> None:
    """`summariser.settings_table.TABLE` owns every ``SUMMARISER_*`` variable: a name the package or its
    docs write (a message's fix, a docstring) is one it reads — the crash tests' kill switch aside —
    and the settings table of docs/usage.md lists every one."""
    owned = {s.env for s in TABLE.values() if s.env is not None}
    name = re.compile(r"SUMMARISER_[A-Z][A-Z_]*[A-Z]")
    written = {
        (found, str(path.relative_to(ROOT)))
        for path in [*(ROOT / "summariser").rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
        for found in name.findall(path.read_text(encoding="utf-8"))
    }
    assert {(n, where) for n, where in written if n not in owned | {testpoints.ENV}} == set()
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    documented = name.findall("\n".join(line for line in usage.splitlines() if line.startswith("|")))
    assert owned - set(documented) == set()
