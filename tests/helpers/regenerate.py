"""``summariser regenerate`` against the echo model (in this process: `helpers.cli.run`), on a folder of articles.

`article_folder` is the CLI tests' folder (four articles, one in ``desk/``); `three_articles` the
library tests' (three articles, flat).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpers.cli import run
from helpers.fake_server import FakeOpenAI
from helpers.paths import FIXTURES

#: The fixture articles copied into the folder (the last one into a subfolder ``desk/``).
ARTICLES = ["harbour_fees.md", "port_strike.html", "port_strike.txt", "rail_tender.json"]


def article_folder(tmp_path: Path) -> Path:
    """``tmp_path/articles`` with the four `ARTICLES` (one renamed, one in ``desk/``) and a hidden file."""
    folder = tmp_path / "articles"
    (folder / "desk").mkdir(parents=True)
    for name in ARTICLES[:3]:
        target = "port_strike_page.html" if name == "port_strike.html" else name
        shutil.copy(FIXTURES / "articles" / name, folder / target)
    shutil.copy(FIXTURES / "articles" / ARTICLES[3], folder / "desk" / ARTICLES[3])
    (folder / ".hidden.txt").write_text("not an article", encoding="utf-8")
    return folder


#: The fixture articles of `three_articles`; their briefings are named after them, in this order.
THREE = ["harbour_fees.md", "port_strike.txt", "rail_tender.json"]


def three_articles(tmp_path: Path) -> Path:
    """``tmp_path/articles`` with the three `THREE` fixture articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in THREE:
        shutil.copy(FIXTURES / "articles" / name, folder / name)
    return folder


def echo_url(server: FakeOpenAI) -> str:
    """The model string of ``server`` as the echo model."""
    return f"{server.base_url}#echo"


def regenerate(
    server: FakeOpenAI, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``summariser regenerate *args`` with ``server`` (the echo model) as the model; ``env`` added."""
    return run("regenerate", *args, "--model", echo_url(server), env=env)
