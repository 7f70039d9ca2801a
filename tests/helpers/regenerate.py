"""``summariser regenerate`` run as a subprocess against the echo model, on a folder of fixture articles."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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


def regenerate(server: FakeOpenAI, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m summariser regenerate *args`` with ``server`` (the echo model) as the model."""
    return subprocess.run(
        [sys.executable, "-m", "summariser", "regenerate", *map(str, args), "--model", f"{server.base_url}#echo"],
        capture_output=True,
        text=True,
        timeout=120,
    )
