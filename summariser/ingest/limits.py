"""The input size policy: how large one input may be, and the error for one that is larger.

Inputs over `MAX_INPUT_BYTES` (20 MB) are refused; a file is refused before it is read in
full (`summariser.ingest.read` reads at most ``limit + 1`` bytes), so memory stays bounded
however large it is. The ``SUMMARISER_MAX_INPUT_MB`` environment variable (`MAX_INPUT_ENV`)
raises or lowers the limit.
"""

from __future__ import annotations

import os

from ..errors import ConfigError, InputError

__all__ = ["MAX_INPUT_BYTES", "MAX_INPUT_ENV", "check_text_size", "max_input_bytes", "too_big"]

#: Inputs larger than this are refused before they are read in full (see `max_input_bytes`).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Environment variable that overrides `MAX_INPUT_BYTES`, in MB (2**20 bytes).
MAX_INPUT_ENV = "SUMMARISER_MAX_INPUT_MB"


def max_input_bytes() -> int:
    """The input size limit in bytes: ``SUMMARISER_MAX_INPUT_MB`` if set, else `MAX_INPUT_BYTES`."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not value:
        return MAX_INPUT_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 2**20:  # also refuses nan and inf
        raise ConfigError(f"{MAX_INPUT_ENV}={value[:40]!r} is not a size in MB; use a number such as 50")
    return int(megabytes * 2**20)


def too_big(where: str, size: int, limit: int) -> InputError:
    """The one-line error for an input of ``size`` bytes (at least) over the ``limit``."""
    shown = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} bytes"
    return InputError(
        f"{where} is over the {limit / 2**20:g} MB input limit ({shown}); pass one article at a time, "
        f"or raise the limit with {MAX_INPUT_ENV}={max(1, -(-size // 2**20))}"
    )


def check_text_size(text: str, where: str) -> None:
    """Raise `too_big` when ``text`` (UTF-8 encoded) is over the limit; ``where`` names it."""
    limit = max_input_bytes()
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise too_big(where, size, limit)
