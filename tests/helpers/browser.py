"""Debian's headless Chromium driven through its chromedriver (Selenium), for the page tests.

`chromium` starts one browser (skipped when it is not installed, failed in CI), with
downloads — the review page's "Save as gold" — going to ``downloads`` without a prompt
(Chrome's preferences and CDP ``Page.setDownloadBehavior``). `select_text` makes a DOM
selection over the first occurrence of a text in an element, as a mouse drag would;
`wait_for_file` waits for a download to be complete.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CHROMEDRIVER", "CHROMIUM", "chromium", "select_text", "wait_for_file"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

_SELECT = """
const [root, needle] = arguments;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = [];
let text = "";
for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.data; }
const at = text.indexOf(needle);
if (at < 0) { return false; }
const locate = (k) => {
  for (let j = nodes.length - 1; j >= 0; j--) { if (nodes[j][1] <= k) { return [nodes[j][0], k - nodes[j][1]]; } }
};
const [a, ao] = locate(at), [z, zo] = locate(at + needle.length);
const range = document.createRange();
range.setStart(a, ao);
range.setEnd(z, zo);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
return true;
"""


@contextmanager
def chromium(downloads: Path | None = None) -> Iterator[Any]:
    """A headless Chromium (a Selenium ``WebDriver``), closed afterwards."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed in CI (.ci/run installs them)")
        pytest.skip("chromium/chromedriver not installed: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
    ):
        options.add_argument(flag)
    if downloads is not None:
        downloads.mkdir(parents=True, exist_ok=True)
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        if downloads is not None:
            driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()


def select_text(driver: Any, root: Any, needle: str) -> None:
    """Select the first occurrence of ``needle`` in the text of element ``root`` (across its child elements)."""
    assert driver.execute_script(_SELECT, root, needle), f"{needle!r} is not in the element"


def wait_for_file(path: Path, timeout: float = 20.0) -> Path:
    """``path`` once it exists and its download is finished (no ``.crdownload`` beside it)."""
    deadline = time.monotonic() + timeout
    partial = path.with_name(path.name + ".crdownload")
    while time.monotonic() < deadline:
        if path.exists() and not partial.exists():
            return path
        time.sleep(0.1)
    raise AssertionError(f"{path} was not downloaded within {timeout:g} s")
