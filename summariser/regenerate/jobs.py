"""Jobs: which briefings a folder of articles asks for — one per article file, or one per group of a grouping file.

Articles are read only from inside the articles folder: `discover` skips (and reports) a link
whose target resolves outside it — a file, or a folder, which is never entered anyway — and
a FIFO, socket or device; it skips hidden files and folders. Every briefing name is checked before any work
(`summariser.regenerate.paths.output_problem`): its files may not be the folder's own
(manifest, index, lock), nor another briefing's folder, nor too long for a file name.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InputError
from ..files import file_kind
from ..ingest.limits import check_article_count
from ..ingest.read import SUFFIXES
from .groups import read_groups_lines
from .paths import folder_clash, is_outside_link, output_problem

__all__ = ["Job", "Warn", "check_names", "discover", "group_jobs", "safe_name", "single_jobs"]

Warn = Callable[[str], None]
"""Where a skipped input is reported (one line each)."""


@dataclass(frozen=True)
class Job:
    """One briefing to keep in step: its name (output path stem) and its input files."""

    name: str
    inputs: tuple[str, ...]
    """Input files, relative to the articles folder (POSIX form)."""


def _ignore(_: str) -> None:
    return None


def _kind(path: Path) -> str | None:
    """What ``path`` is when it is a FIFO, a socket or a device (None: anything else, or nothing)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):  # a dangling link, a loop: passed over, as before
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else file_kind(mode)


def discover(articles: Path, warn: Warn = _ignore) -> list[str]:
    """Article files under ``articles`` (recursively; hidden files and folders skipped), sorted.

    Links are not followed into folders; a link (to a file or a folder) that resolves outside
    ``articles`` is skipped and reported to ``warn``, and so is a FIFO, a socket or a device
    named like an article (never opened here; one that takes an article's place later is
    refused when the article is read: `summariser.ingest.read`).
    """
    if not articles.is_dir():
        raise InputError(f"{articles} is not a folder; pass the folder that holds the articles")
    root = os.path.realpath(articles)
    found = []
    for top, dirs, files in os.walk(articles):  # followlinks=False: a linked folder is not entered
        base = Path(top).relative_to(articles)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(dirs):
            if os.path.islink(os.path.join(top, name)) and is_outside_link(Path(top, name), root):
                warn(f"skipped {(base / name).as_posix()}/: a link to a folder outside {articles}")
        for name in sorted(files):
            path = Path(top, name)
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            relative = (base / name).as_posix()
            if path.is_symlink() and is_outside_link(path, root):  # a real file here is inside: its folder is
                warn(f"skipped {relative}: a link to a file outside {articles} (copy the file in to brief it)")
            elif (kind := _kind(path)) is not None:
                warn(f"skipped {relative}: {kind}, not a regular file (not read)")
            elif path.is_file():
                found.append(relative)
    return sorted(found)


def check_names(jobs: list[Job], what: Callable[[Job], str]) -> None:
    """Refuse names whose files cannot be written, or that collide with another's folder."""
    for job in jobs:
        if problem := output_problem(job.name):
            raise InputError(f"{what(job)} would be briefed as {job.name[:80]!r}, but {problem}; rename it")
    if clash := folder_clash(j.name for j in jobs):
        raise InputError(f"briefing {clash[0][:80]!r} writes a file where {clash[1][:80]!r} needs a folder; rename one")


def _article(job: Job) -> str:
    return f"article {job.inputs[0][:80]!r}"


def _singles(files: list[str]) -> list[Job]:
    """One job per file, named after it; two files with one name are an `InputError`."""
    jobs = [Job(str(PurePosixPath(f).with_suffix("")), (f,)) for f in files]
    clash = sorted(n for n, count in Counter(j.name for j in jobs).items() if count > 1)
    if clash:
        raise InputError(f"two articles would both be briefed as {clash[0]!r}; rename one of them")
    return jobs


def single_jobs(articles: Path, warn: Warn = _ignore) -> list[Job]:
    """One briefing per article file, named after the file (``world/strike.txt`` → ``world/strike``)."""
    jobs = _singles(discover(articles, warn))
    check_names(jobs, _article)
    return jobs


def safe_name(name: str, where: Path) -> str:
    """``name`` as a briefing name (POSIX, relative, no hidden or control characters); else an `InputError`."""
    parts = PurePosixPath(name).parts
    bad = not name or PurePosixPath(name).is_absolute() or ".." in parts or any(p.startswith(".") for p in parts)
    if bad or any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise InputError(f"group name {name[:80]!r} in {where} is not a plain relative name; rename it")
    return str(PurePosixPath(name))


def group_jobs(articles: Path, groups_file: Path, warn: Warn = _ignore) -> list[Job]:
    """One merged briefing per group of ``groups_file`` (JSON or YAML: name → list of files).

    File paths are relative to the articles folder. Articles in no group get a briefing of
    their own, as with the default grouping. The file is read by
    `summariser.regenerate.groups.read_groups` (bounded, no aliases, strings only).
    """
    groups = read_groups_lines(groups_file)
    found = discover(articles, warn)
    known = set(found)
    jobs: list[Job] = []
    grouped: dict[str, tuple[str, int]] = {}
    for name, _, files in groups:
        rel = []
        for file, line in files:
            posix = PurePosixPath(file).as_posix()
            if posix not in known:
                raise InputError(
                    f"{groups_file} line {line}: group {name[:80]!r} lists {file[:80]!r}, "
                    f"which is not an article in {articles}; fix the path or remove the line"
                )
            if posix in grouped:
                other, first = grouped[posix]
                raise InputError(
                    f"{groups_file} line {line}: {file[:80]!r} is already in group {other[:80]!r} (line {first}); "
                    "list each article in one group only"
                )
            grouped[posix] = (name, line)
            rel.append(posix)
        check_article_count(len(rel), f"group {name[:80]!r} in {groups_file}")
        jobs.append(Job(safe_name(name, groups_file), tuple(rel)))
    taken = {j.name for j in jobs}
    for job in _singles(found):
        if job.inputs[0] not in grouped:
            if job.name in taken:
                raise InputError(f"article {job.inputs[0]!r} and a group are both named {job.name!r}; rename one")
            jobs.append(job)
    jobs = sorted(jobs, key=lambda j: j.name)
    check_names(jobs, lambda j: f"group {j.name[:80]!r} of {groups_file}" if j.name in taken else _article(j))
    return jobs
