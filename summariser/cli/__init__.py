"""The ``summariser`` command line: one module per command over the library."""

from .app import app, main

__all__ = ["app", "main"]
