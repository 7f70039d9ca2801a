"""Item 6 of issue 24: the public API refuses arguments of the wrong type or out of range with its own errors.

``summarise(None)``, ``summarise(123)`` and ``summarise(b"…")`` ended in ``TypeError`` (or briefed
the bytes' numbers as articles), ``regenerate(concurrency=0)`` ran with no worker and
``allow_ungrounded="yes"`` was taken as true. Now every argument of `summarise`, `asummarise`,
`regenerate` and `dry_run` is checked before any work: a source that is not a path, a text or
an `Article` is an `InputError`, as is a folder argument that is not a path; every other
argument (settings, run options, callbacks, batch options) is a `ConfigError` naming it. The
values are generated (hypothesis), each wrong by construction, and nothing may be written.
"""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Any

import pytest
from helpers import figures
from helpers.generated import FAST
from helpers.settings_values import bad_typed
from hypothesis import given
from hypothesis import strategies as st

from summariser import Settings, asummarise, regenerate, summarise
from summariser.errors import ConfigError, InputError, SummariserError
from summariser.regenerate.batch import BatchOptions
from summariser.regenerate.folder import dry_run
from summariser.settings_table import TABLE

HTTP = "http://127.0.0.1:9/v1#m"
TEXT = "Dockworkers walked out at the port on Monday. The union asked for higher pay and shorter shifts."
#: Not a source: not a str, an os.PathLike or an Article (nor an iterable of them).
NOT_A_SOURCE = st.one_of(
    st.none(), st.integers(), st.floats(), st.booleans(), st.binary(min_size=1), st.builds(bytearray, st.binary()),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), min_size=1), st.builds(object),
)  # fmt: skip
BAD_SOURCES = st.one_of(
    NOT_A_SOURCE.filter(lambda v: not isinstance(v, dict) or v),
    st.lists(st.one_of(st.just(TEXT), NOT_A_SOURCE), min_size=1).filter(lambda items: any(i != TEXT for i in items)),
    st.tuples(st.just(TEXT), NOT_A_SOURCE),
)
GROUP_BY = {"file", "event"}
BAD_BATCH = st.one_of(
    st.integers(), st.text(max_size=3), st.builds(dict, a=st.integers()),
    st.builds(BatchOptions, poll=st.sampled_from([math.nan, -1.0, 0.0, math.inf])),
    st.builds(BatchOptions, wait=st.sampled_from([math.nan, -1.0, math.inf])),
)  # fmt: skip
NOT_CALLABLE = st.one_of(st.integers(), st.text(max_size=4), st.lists(st.integers(), max_size=1))
NOT_A_PATH = st.one_of(st.none(), st.integers(), st.binary(), st.just(""), st.floats(), st.lists(st.text(), max_size=1))


def _setting(name: str) -> st.SearchStrategy[Any]:
    """Bad values of a setting that is not a path (a path setting's hostile files need a folder: `place`)."""
    return bad_typed(TABLE[name].kind, Path("/nonexistent"))


#: keyword → (strategy of bad values, the error it must raise). Folder arguments are positional in use.
REGENERATE: dict[str, tuple[st.SearchStrategy[Any], type[SummariserError]]] = {
    "articles": (NOT_A_PATH, InputError),
    "briefings": (NOT_A_PATH, InputError),
    "groups": (NOT_A_PATH.filter(lambda v: v is not None), InputError),
    "concurrency": (st.one_of(st.none(), _setting("concurrency")), ConfigError),
    "force": (_setting("force"), ConfigError),
    "prune": (_setting("prune"), ConfigError),
    "edit_pages": (_setting("edit_pages"), ConfigError),
    "allow_ungrounded": (_setting("allow_ungrounded"), ConfigError),
    "max_tokens_total": (_setting("max_tokens_total"), ConfigError),
    "model": (_setting("model"), ConfigError),
    "settings": (st.one_of(st.integers(), st.text(max_size=3), st.builds(dict)), ConfigError),
    "group_by": (st.one_of(st.text(max_size=6).filter(lambda t: t not in GROUP_BY), st.integers()), ConfigError),
    "batch": (BAD_BATCH, ConfigError),
    "on_plan": (NOT_CALLABLE, ConfigError),
    "on_event": (NOT_CALLABLE, ConfigError),
    "on_stage": (NOT_CALLABLE, ConfigError),
    "on_batch": (NOT_CALLABLE, ConfigError),
}
DRY_RUN = {k: v for k, v in REGENERATE.items() if k not in {"concurrency", "prune", "edit_pages"} and "on_" not in k}
DRY_RUN["estimate"] = (_setting("force"), ConfigError)


def assert_one_line(err: SummariserError, kind: type[SummariserError], name: str) -> None:
    assert type(err) is kind, (type(err), err)
    assert "\n" not in err.message and len(err.message) < 400 and name in err.message, err.message


@FAST
@given(sources=BAD_SOURCES)
def test_summarise_refuses_what_is_not_a_source_with_an_input_error(sources: Any) -> None:
    figures.record("security", "api_arguments")
    with pytest.raises(SummariserError) as info:
        summarise(sources, model=HTTP)
    assert_one_line(info.value, InputError, "sources must be")


def test_the_examples_of_the_issue(tmp_path: Path) -> None:
    """``summarise(None)``, ``(123)``, ``(b"…")``, ``asummarise(None)``, ``regenerate(concurrency=0 | -1)``,
    ``allow_ungrounded="yes"``."""
    for sources in (None, 123, TEXT.encode()):
        with pytest.raises(InputError, match="sources must be"):
            summarise(sources, model=HTTP)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="decode bytes to str first"):
        summarise([TEXT, TEXT.encode()], model=HTTP)  # type: ignore[list-item]
    with pytest.raises(InputError, match="sources must be"):
        asyncio.run(asummarise(None, model=HTTP))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="keyword argument allow_ungrounded must be true or false"):
        summarise(TEXT, model=HTTP, allow_ungrounded="yes")
    (tmp_path / "arts").mkdir()
    for concurrency in (0, -1):
        with pytest.raises(ConfigError, match=r"keyword argument concurrency must be a whole number .* from 1 to 64"):
            regenerate(tmp_path / "arts", tmp_path / "out", model=HTTP, concurrency=concurrency)
    with pytest.raises(ConfigError, match="keyword argument allow_ungrounded"):
        regenerate(tmp_path / "arts", tmp_path / "out", model=HTTP, allow_ungrounded="yes")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
    figures.record("security", "api_arguments", 7)


@FAST
@given(data=st.data(), name=st.sampled_from(sorted(REGENERATE)), function=st.sampled_from(["regenerate", "dry_run"]))
def test_regenerate_and_dry_run_refuse_every_bad_argument_before_any_work(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, name: str, function: str
) -> None:
    table = REGENERATE if function == "regenerate" else DRY_RUN
    if name not in table:
        name = "estimate" if function == "dry_run" else name
    strategy, error = table[name]
    value = data.draw(strategy, label=name)
    figures.record("security", "api_arguments")
    place = tmp_path_factory.mktemp("run")
    (place / "arts").mkdir()
    arguments: dict[str, Any] = {"articles": place / "arts", "briefings": place / "out", "model": HTTP, name: value}
    call = regenerate if function == "regenerate" else dry_run
    with pytest.raises(SummariserError) as info:
        call(arguments.pop("articles"), arguments.pop("briefings"), **arguments)
    assert_one_line(info.value, error, name)
    assert not (place / "out").exists()


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-paths")


@FAST
@given(data=st.data(), name=st.sampled_from(sorted(n for n in TABLE if n in Settings.__dataclass_fields__)))
def test_summarise_refuses_every_bad_setting_keyword(place: Path, data: st.DataObject, name: str) -> None:
    value = data.draw(bad_typed(TABLE[name].kind, place), label=name)
    figures.record("security", "api_arguments")
    with pytest.raises(ConfigError) as info:
        summarise(TEXT, **({"model": HTTP} | {name: value}))
    assert_one_line(info.value, ConfigError, name)
