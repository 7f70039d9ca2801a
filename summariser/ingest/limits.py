"""The input size policy: how large one input may be, and the error for one that is larger.

Inputs over `MAX_INPUT_BYTES` (20 MB) are refused; a file is refused before it is read in
full (`summariser.ingest.read` reads at most ``limit + 1`` bytes), so memory stays bounded
however large it is. The ``SUMMARISER_MAX_INPUT_MB`` environment variable (`MAX_INPUT_ENV`)
raises or lowers the limit. One briefing merges at most `MAX_ARTICLES` (20) articles
(``SUMMARISER_MAX_ARTICLES``), however they are given: `check_article_count`.
"""

from __future__ import annotations

from ..errors import InputError
from ..settings_table import MAX_ARTICLES as ARTICLES_SETTING
from ..settings_table import MAX_INPUT_MB

__all__ = [
    "MAX_ARTICLES",
    "MAX_ARTICLES_ENV",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_ENV",
    "check_article_count",
    "check_text_size",
    "max_articles",
    "max_input_bytes",
    "too_big",
]

#: Inputs larger than this are refused before they are read in full (see `max_input_bytes`).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Environment variable that overrides `MAX_INPUT_BYTES`, in MB (2**20 bytes): the table's.
MAX_INPUT_ENV = MAX_INPUT_MB.variable
#: The most articles one briefing merges (a ``.jsonl`` file, a group, a ``summarise([...])``
#: call): each costs two or three requests, one after the other (see `max_articles`).
MAX_ARTICLES = 20
#: Environment variable that overrides `MAX_ARTICLES`: the table's.
MAX_ARTICLES_ENV = ARTICLES_SETTING.variable


def max_input_bytes() -> int:
    """The input size limit in bytes: ``SUMMARISER_MAX_INPUT_MB`` if set (checked by its entry of
    `summariser.settings_table`), else `MAX_INPUT_BYTES`."""
    megabytes = MAX_INPUT_MB.from_env()
    return MAX_INPUT_BYTES if megabytes is None else max(1, int(megabytes * 2**20))


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


def max_articles() -> int:
    """The most articles per briefing: ``SUMMARISER_MAX_ARTICLES`` if set (checked), else `MAX_ARTICLES`."""
    return ARTICLES_SETTING.env_or(MAX_ARTICLES)


def check_article_count(count: int, where: str) -> None:
    """Refuse ``count`` articles for one briefing when over `max_articles`; ``where`` names their source."""
    limit = max_articles()
    if count > limit:
        raise InputError(
            f"{where}: {count} articles for one briefing, over the cap of {limit}; split them into several "
            f"files or groups, or raise the cap with {MAX_ARTICLES_ENV}={count}"
        )
