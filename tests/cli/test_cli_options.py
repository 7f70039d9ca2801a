"""Options the commands share (`summariser.cli.options`): the two cache flags and the model option."""

from __future__ import annotations

import pytest
from helpers.cli import run

from summariser.cli.options import cache_mode
from summariser.errors import ConfigError


def test_cache_mode_turns_the_two_flags_into_the_cache_setting() -> None:
    assert cache_mode(no_cache=False, refresh=False) is None  # unset: env and config file decide
    assert cache_mode(no_cache=True, refresh=False) == "off"
    assert cache_mode(no_cache=False, refresh=True) == "refresh"
    with pytest.raises(ConfigError, match="--no-cache and --refresh exclude each other"):
        cache_mode(no_cache=True, refresh=True)


def test_the_shared_model_option_lists_the_valid_forms_in_every_command() -> None:
    for command in ("brief", "eval", "regenerate"):
        out = " ".join(run(command, "--help").stdout.split())
        assert "--model -m" in out and "local:qwen2.5-1.5b" in out and "openai:<model>" in out, command
