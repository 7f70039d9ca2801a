"""Items 1 and 6 of issue 24: the config file is read like every other file — bounded, regular, UTF-8.

``SUMMARISER_CONFIG=/dev/zero`` ended in "internal error: MemoryError" after filling memory, a
FIFO would hang every command, and a config file in Latin-1 was an internal error. The loader
now reads it with `summariser.files.read_text_bounded` (the open descriptor must be a regular
file; at most `MAX_CONFIG_BYTES`; UTF-8) and parses it with errors caught, so each hostile
file below — given as ``SUMMARISER_CONFIG`` or found at the platform's config location — is
refused by the real command in a child process with exit 2, one ``error:`` line naming the
file, no traceback and a bounded peak memory. Generated documents (bytes, text, TOML of every
value type, deep nesting) either load or are one `ConfigError` line; never anything else.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import figures
from helpers.generated import FAST
from helpers.paths import FIXTURES
from hypothesis import given
from hypothesis import strategies as st

from summariser.config import MAX_CONFIG_BYTES, Settings, load_settings
from summariser.errors import ConfigError

ARTICLE = str(FIXTURES / "articles" / "harbour_fees.md")
#: Runs the command in this process and writes its peak RSS (VmHWM, MB) to argv[1] when it exits.
PROBE = """
import atexit, re, sys
out = sys.argv[1]
def peak():
    status = open("/proc/self/status").read()
    open(out, "w").write(str(int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) // 1024))
atexit.register(peak)
sys.argv = ["summariser", *sys.argv[2:]]
from summariser.cli.app import main
main()
"""


def hostile(tmp_path: Path, kind: str) -> Path:
    """A config file of ``kind`` under ``tmp_path``."""
    path = tmp_path / "config.toml"
    if kind == "dev-zero":
        return Path("/dev/zero")
    if kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "latin-1":
        path.write_bytes('model = "caf\xe9"\n'.encode("latin-1"))
    elif kind == "huge":
        with path.open("w", encoding="utf-8") as out:
            out.write("# a comment line of the config file\n" * (MAX_CONFIG_BYTES // 36 + 1))
    elif kind == "nested":
        path.write_text("model = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    elif kind == "directory":
        path.mkdir()
    return path


#: What the one line says of each: the variable's check or the bounded reader ("… is a FIFO, not a regular file").
KINDS = {
    "dev-zero": "regular file", "link-to-dev-zero": "regular file", "fifo": "regular file", "directory": "regular file",
    "latin-1": "not UTF-8", "huge": "over the 1 MB limit", "nested": "cannot read the config file",
}  # fmt: skip


#: Each kind given as SUMMARISER_CONFIG and found at the platform location (a path in a folder, so /dev/zero
#: itself cannot be there: the link to it is that case).
CASES = [(k, w) for k in sorted(KINDS) for w in ("SUMMARISER_CONFIG", "platform config dir") if (k, w) != ("dev-zero",
         "platform config dir")]  # fmt: skip


@pytest.mark.subprocess(reason="the command's peak RSS under a memory rlimit: a fresh process per file")
@pytest.mark.parametrize(("kind", "where"), CASES)
def test_hostile_config_files_are_refused_by_the_command_in_one_line_with_bounded_memory(
    tmp_path: Path, kind: str, where: str
) -> None:
    home = tmp_path / "xdg"
    (home / "summariser").mkdir(parents=True)
    path = hostile(home / "summariser" if where != "SUMMARISER_CONFIG" else tmp_path, kind)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMARISER_")}
    env |= {"XDG_CONFIG_HOME": str(home), "SUMMARISER_CACHE_DIR": str(tmp_path / "cache")}
    if where == "SUMMARISER_CONFIG":
        env["SUMMARISER_CONFIG"] = str(path)
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    peak_file = tmp_path / "peak"
    try:
        result = subprocess.run(
            [sys.executable, str(tmp_path / "probe.py"), str(peak_file), "brief", ARTICLE, "-m", "http://127.0.0.1:9/v1#m"],
            capture_output=True, text=True, env=env, timeout=60,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32)),  # a runaway ends, not the box
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"a {kind} config file hung the command")
    figures.record("security", "config_files")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert lines[0].startswith("error: ") and KINDS[kind] in lines[0] and str(path) in lines[0], lines[0]
    assert result.stdout == ""
    assert int(peak_file.read_text()) < 400  # the interpreter and the package: ~100 MB


#: TOML values of every type, for the known keys and for unknown ones.
VALUE = st.one_of(
    st.integers(), st.floats().map(repr).filter(lambda r: "e" not in r or "." in r),
    st.booleans().map(str).map(str.lower),
    st.text(max_size=6).map(lambda t: '"' + "".join(f"\\u{ord(c):04x}" if not c.isalnum() else c for c in t) + '"'),
    st.sampled_from(["[]", "[1, 2]", "{a = 1}", "1979-05-27T07:32:00Z", "07:32:00", "'~/x'", '"on"', '"off"',
                     '"chunk"', "inf", "nan", "-0.0", "0x10", "1_000"]),
)  # fmt: skip
KEY = st.sampled_from(["model", "cache", "cache_dir", "reasks", "timeout", "deadline", "seed", "temperature",
                       "allow_ungrounded", "long_articles", "max_tokens_total", "retry", "api_key", "colour",
                       "[t]"])  # fmt: skip
DOCUMENT = st.one_of(
    st.lists(st.tuples(KEY, VALUE.map(str)), max_size=4).map(
        lambda pairs: "\n".join(f"{k} = {v}" if k != "[t]" else f"[t]\nx = {v}" for k, v in pairs).encode()
    ),
    st.binary(max_size=64),
    st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.integers(1, 3000).map(lambda n: b"a = " + b"[" * n + b"]" * n),
    st.integers(1, 3000).map(lambda n: b"a = " + b"{b = " * n + b"1" + b"}" * n),
)


@FAST
@given(document=DOCUMENT)
def test_generated_config_files_load_or_are_one_clean_error(tmp_path_factory: pytest.TempPathFactory,
                                                            document: bytes) -> None:  # fmt: skip
    figures.record("security", "config_files")
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_bytes(document)
    os.environ["SUMMARISER_CONFIG"] = str(path)  # the autouse fixture restores the variable
    try:
        settings = load_settings()
    except ConfigError as err:
        assert "\n" not in err.message and len(err.message) < 600, err.message
        return
    assert isinstance(settings, Settings)
    data = tomllib.loads(document.decode("utf-8"))  # it loaded, so it is UTF-8 TOML of known keys
    assert set(data) <= {"model", "cache", "cache_dir", "reasks", "timeout", "deadline", "seed", "temperature",
                         "allow_ungrounded", "long_articles", "max_tokens_total"}  # fmt: skip
    for key, value in data.items():
        assert getattr(settings, key) == value or str(getattr(settings, key)) == str(Path(value).expanduser())


def test_dev_null_is_no_config_file_and_a_missing_one_is_named(tmp_path: Path) -> None:
    os.environ["SUMMARISER_CONFIG"] = os.devnull
    assert load_settings() == Settings(cache_dir=load_settings().cache_dir)
    os.environ["SUMMARISER_CONFIG"] = str(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match=re.escape(f"no such file: the config file {tmp_path / 'nope.toml'}")):
        load_settings()
    figures.record("security", "config_files", 2)
