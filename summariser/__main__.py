"""``python -m summariser``: the same command as ``summariser``."""

from .cli import main

main()
