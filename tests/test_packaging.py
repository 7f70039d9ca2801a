"""Packaging: the version is written once, in ``summariser/__init__.py``, and the build reads it from there."""

from __future__ import annotations

import re
import tomllib

from helpers.paths import ROOT

import summariser

#: hatchling's default pattern for its ``regex`` version source (``[tool.hatch.version] path = …``).
HATCH_VERSION = re.compile(r"""^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2""", re.M | re.I)


def test_the_version_has_one_owner_that_the_build_reads() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    source = ROOT / project["tool"]["hatch"]["version"]["path"]
    assert source == ROOT / "summariser" / "__init__.py"
    found = HATCH_VERSION.search(source.read_text(encoding="utf-8"))
    assert found is not None and found.group("version") == summariser.__version__
