"""Named points where crash tests kill the process: inert unless ``SUMMARISER_TEST_KILL_AT`` is set.

A crash test runs the CLI in a child process with ``SUMMARISER_TEST_KILL_AT=<point>:<n>`` and
the process SIGKILLs itself the ``n``-th time it reaches ``<point>`` (e.g.
``atomic-write:3``: inside the third atomic write, after the temporary file is written and
before it replaces the target). So a test kills at a named place every time, instead of
after a delay that depends on how busy the machine is. In production the variable is unset
and `reached` returns at once.
"""

from __future__ import annotations

import os
import signal

__all__ = ["ENV", "reached"]

#: The environment variable naming the point and the count: ``<point>:<n>``.
ENV = "SUMMARISER_TEST_KILL_AT"
_counts: dict[str, int] = {}


def reached(point: str) -> None:
    """Count one arrival at ``point``; SIGKILL this process if it is the one ``SUMMARISER_TEST_KILL_AT`` names."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    _counts[point] = _counts.get(point, 0) + 1
    if _counts[point] == int(nth or "1"):
        os.kill(os.getpid(), signal.SIGKILL)
