"""Item 4 of issue 14: articles are read only from inside the articles folder.

``arts/notes.txt -> ../outside/id_rsa`` was read, sent to the endpoint and copied into the
briefing. Now a link whose target resolves outside the folder — to a file, or to a folder
(never entered anyway) — is skipped with a warning that the CLI prints and the run report
lists, and is never read: the secret reaches no request, no output file. Links inside the
folder are read as before; link loops end the scan. Link trees are generated (hypothesis):
whatever the links, `discover` lists exactly the article files whose real path is inside.
A file swapped for a link after the scan is refused when it is read (`paths.article_path`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import figures
from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI
from helpers.generated import FAST as GENERATED
from helpers.regenerate import regenerate as run_cli
from hypothesis import given
from hypothesis import strategies as st

from summariser.errors import InputError
from summariser.regenerate import regenerate
from summariser.regenerate.jobs import discover
from summariser.regenerate.paths import article_path

FAST = GENERATED
SECRET = "BEGIN OPENSSH PRIVATE KEY sekrit-4f1c9e"
TEXT = (
    "Dock workers in Valdmar held a rally on Monday. Union leader Marta Kessel spoke to the crowd at the gates. "
    "The port authority said talks would resume on Friday morning."
)


def hostile_folder(root: Path) -> Path:
    """Articles with a link out to a secret (file and folder), a link inside, and two loops."""
    arts, outside = root / "arts", root / "outside"
    (arts / "desk").mkdir(parents=True)
    outside.mkdir()
    (outside / "id_rsa").write_text(f"{SECRET}\nDock workers in Valdmar said so on Monday.\n", encoding="utf-8")
    (outside / "leak.txt").write_text(f"{SECRET} again, long enough to be an article of the folder.", "utf-8")
    (arts / "real.txt").write_text(TEXT, encoding="utf-8")
    (arts / "notes.txt").symlink_to("../outside/id_rsa")
    (arts / "desk" / "deep.md").symlink_to("../../outside/leak.txt")
    (arts / "abs.txt").symlink_to(outside / "leak.txt")
    (arts / "mirror").symlink_to(outside, target_is_directory=True)
    (arts / "alias.txt").symlink_to("real.txt")  # inside: read
    (arts / "desk" / "loop").symlink_to("..", target_is_directory=True)
    (arts / "self.txt").symlink_to("self.txt")
    return arts


def test_links_out_of_the_folder_are_skipped_with_a_warning_and_never_sent(tmp_path: Path) -> None:
    arts, out = hostile_folder(tmp_path), tmp_path / "out"
    with FakeOpenAI(responder=echo_answer) as server:
        report = regenerate(arts, out, model=f"{server.base_url}#echo")
        sent = b"".join(r.raw for r in server.requests)
    assert sorted(o.name for o in report.outcomes) == ["alias", "real"] and not report.failed
    skipped = " ".join(report.warnings)
    assert all(name in skipped for name in ("notes.txt", "desk/deep.md", "abs.txt", "mirror/"))
    assert SECRET.encode() not in sent and sent
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    figures.record("security", "link_trees")


def test_the_cli_prints_the_warning_and_reports_it_in_json(tmp_path: Path) -> None:
    arts, out = hostile_folder(tmp_path), tmp_path / "out"
    with FakeOpenAI(responder=echo_answer) as server:
        result = run_cli(server, arts, out, "--json")
        dry = run_cli(server, arts, out, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "warning: skipped notes.txt: a link to a file outside" in result.stderr
    assert any("notes.txt" in w for w in json.loads(result.stdout)["warnings"])
    assert "warning: skipped notes.txt" in dry.stderr and "notes" not in dry.stdout
    figures.record("security", "link_trees", 2)


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read(tmp_path: Path) -> None:
    arts = hostile_folder(tmp_path)
    assert article_path(arts, "real.txt") == arts / "real.txt"
    assert article_path(arts, "alias.txt") == arts / "alias.txt"
    for relative in ("notes.txt", "mirror/leak.txt", "../outside/leak.txt", "/etc/passwd", "desk/loop/notes.txt"):
        with pytest.raises(InputError, match="not read"):
            article_path(arts, relative)
    figures.record("security", "link_trees", 5)


# Each node: a file or folder inside, or a link to one of a few targets (inside, outside, a loop).
_TARGETS = ["../outside/secret.txt", "../outside", "real.txt", "sub", "sub/inner.txt", ".", "..", "/", "nowhere.txt"]
node = st.tuples(st.sampled_from(["", "sub/"]), st.sampled_from(["a", "b", "c.txt", "d.md", "e.json"]),
                 st.sampled_from(_TARGETS))  # fmt: skip


@FAST
@given(links=st.lists(node, max_size=6, unique_by=lambda n: n[0] + n[1]))
def test_discover_lists_exactly_the_articles_whose_real_path_is_inside(
    tmp_path_factory: pytest.TempPathFactory, links: list[tuple[str, str, str]]
) -> None:
    figures.record("security", "link_trees")
    root = tmp_path_factory.mktemp("tree")
    arts, outside = root / "arts", root / "outside"
    (arts / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (arts / "real.txt").write_text(TEXT, encoding="utf-8")
    (arts / "sub" / "inner.txt").write_text(TEXT, encoding="utf-8")
    for folder, name, target in links:
        prefix = "../" if folder else ""
        (arts / folder / name).symlink_to(target if target.startswith("/") else prefix + target)
    warnings: list[str] = []
    found = discover(arts, warnings.append)
    real = os.path.realpath(arts)
    for relative in found:
        resolved = os.path.realpath(arts / relative)
        assert resolved.startswith(real + os.sep) and os.path.isfile(resolved), relative
        assert SECRET not in (arts / relative).read_text(encoding="utf-8")
    expected = {"real.txt", "sub/inner.txt"}
    for folder, name, _ in links:
        path = arts / folder / name
        if Path(name).suffix and os.path.isfile(path) and os.path.realpath(path).startswith(real + os.sep):
            expected.add(folder + name)
    assert set(found) == expected
    outside_files = [f + n for f, n, _ in links if os.path.isfile(arts / f / n) and Path(n).suffix
                     and not os.path.realpath(arts / f / n).startswith(real + os.sep)]  # fmt: skip
    assert all(any(f in w for w in warnings) for f in outside_files)
