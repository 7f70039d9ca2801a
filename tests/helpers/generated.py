"""The hypothesis settings of the generated attacks, defined once.

Repeatability (``derandomize``, no example database) comes from the profile in
tests/conftest.py; these add what the security tests share: no per-example deadline (a
case may start a process or write a folder) and no health check against slow data or
function-scoped fixtures.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["FAST"]

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
