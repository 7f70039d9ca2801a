"""Usage errors (issue 14, item 15): any bogus command line exits 2 with click's usage line, never "internal error".

The command lines are generated with hypothesis from the app's real command tree (read
through typer's click command, so a new option is attacked too): unknown commands and
options (hostile ones with escape sequences and markup among them), an option missing its
value, a value of the wrong type or out of its choices or range, a flag given a value, a
missing or an extra argument. Each runs through the console script's entry point; nothing
of the command itself may run.
"""

from __future__ import annotations

from typing import Any

import typer
from helpers import figures
from helpers.terminal import HOSTILE, assert_no_controls, in_process
from helpers.tiers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser.cli.app import app

ROOT: Any = typer.main.get_command(app)
COMMANDS: dict[str, Any] = dict(ROOT.commands)


def _options(command: Any) -> list[Any]:
    return [p for p in command.params if isinstance(p, typer.core.TyperOption)]


def _known(command: Any) -> set[str]:
    return {opt for p in [*command.params, *ROOT.params] for opt in (*p.opts, *p.secondary_opts)} | {"--help"}


def _arguments(command: Any) -> list[str]:
    """Placeholders for the command's required arguments (never read: parsing fails first)."""
    return [
        f"arg{i}.txt" for i, p in enumerate(command.params) if isinstance(p, typer.core.TyperArgument) and p.required
    ]


_NAME = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz-_0123456789"), min_size=1, max_size=12)
_TOKEN = st.one_of(_NAME, HOSTILE.filter(lambda t: t.strip() and not t.startswith("-")), _NAME.map(str.upper))


@st.composite
def bogus_command_lines(draw: st.DrawFn) -> list[str]:
    """A command line that is wrong for click's parser, in one of eight ways."""
    kind = draw(
        st.sampled_from(["command", "option", "no value", "bad number", "bad choice", "flag value", "missing", "extra"])
    )
    if kind == "command":
        word = draw(_TOKEN.filter(lambda w: w not in COMMANDS))
        return [word]
    name = draw(st.sampled_from(sorted(COMMANDS)))
    command = COMMANDS[name]
    args, options = _arguments(command), _options(command)
    valued = [p for p in options if not p.is_flag]
    if kind == "option" or (kind == "no value" and not valued):
        dashes = draw(st.sampled_from(["--", "-"]))
        known = _known(command)
        bogus = dashes + draw(
            _TOKEN.filter(  # "-m0" is "-m 0", a known short option with its value attached: not bogus
                lambda t: (dashes + t) not in known and t != "-" and (dashes == "--" or "-" + t[0] not in known)
            )
        )
        position = draw(st.integers(0, len(args)))
        return [name, *args[:position], bogus, *args[position:]]
    if kind == "no value":
        return [name, *args, draw(st.sampled_from([o for p in valued for o in p.opts]))]
    numbers = [p for p in valued if p.type.name in {"int", "float", "integer range", "int range", "float range"}]
    if kind == "bad number" and numbers:
        option = draw(st.sampled_from(numbers))
        low, high = getattr(option.type, "min", None), getattr(option.type, "max", None)
        outside = [str(low - 1)] if low is not None else []
        outside += [str(high + 1)] if high is not None else []
        value = draw(st.one_of(_TOKEN.filter(_not_a_number), st.sampled_from(outside or ["x"])))
        return [name, *args, option.opts[0], value]
    choices = [p for p in valued if p.type.name == "choice"]
    if kind == "bad choice" and choices:
        option = draw(st.sampled_from(choices))
        return [name, *args, option.opts[0], draw(_TOKEN.filter(lambda t: t not in option.type.choices))]
    flags = [p for p in options if p.is_flag]
    if kind == "flag value" and flags:
        return [name, *args, f"{draw(st.sampled_from(flags)).opts[0]}={draw(_NAME)}"]
    if kind == "missing" and args:
        return [name, *args[: draw(st.integers(0, len(args) - 1))]]
    positional = [p for p in command.params if isinstance(p, typer.core.TyperArgument)]
    if len(positional) == 1 and positional[0].nargs == -1:  # takes any number: give it a bogus option instead
        return [name, *args, "--" + draw(_NAME.filter(lambda t: "--" + t not in _known(command)))]
    return [name, *args, *(["extra.txt"] if positional else []), draw(_NAME)]


def _not_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


@settings(
    max_examples=examples(600), deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
@given(bogus_command_lines())
def test_any_bogus_command_line_is_a_usage_error_with_exit_2(argv: list[str]) -> None:
    figures.record("security", "usage_command_lines")
    code, stdout, stderr = in_process(*argv)
    assert_no_controls(stderr)  # also: no "internal error", no traceback
    assert code == 2, (argv, stderr)
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines and lines[0].startswith("Usage: "), (argv, stderr)
    assert any(text.startswith("Error: ") for text in lines), (argv, stderr)


def test_the_generator_reaches_every_kind_of_usage_error() -> None:
    """The attack is not vacuous: each of click's usage errors is among the messages it produces."""
    seen: set[str] = set()
    wanted = {
        "No such command",
        "No such option",
        "requires an argument",
        "Invalid value",
        "does not take a value",
        "Missing argument",
        "unexpected extra argument",
    }

    @settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))
    @given(bogus_command_lines())
    def collect(argv: list[str]) -> None:
        stderr = in_process(*argv)[2]
        seen.update(w for w in wanted if w in stderr)

    collect()
    assert seen == wanted
