"""``python -m summariser``: the same command as ``summariser``."""

from .cli import main

if __name__ == "__main__":
    main()
