"""Progress events: a tiny hook the CLI uses to show what the pipeline is doing.

Library code calls `report("loading model")`; whoever called `listen(callback)` sees it.
With no listener, events go to the ``summariser`` logger at DEBUG level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_log = logging.getLogger("summariser")
_listeners: list[Callable[[str], None]] = []


def report(event: str) -> None:
    """Tell listeners (or the debug log) what is happening now."""
    _log.debug(event)
    for listener in list(_listeners):
        listener(event)


@contextmanager
def listen(callback: Callable[[str], None]) -> Iterator[None]:
    """Send progress events to ``callback`` inside the ``with`` block."""
    _listeners.append(callback)
    try:
        yield
    finally:
        _listeners.remove(callback)
