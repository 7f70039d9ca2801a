"""Jobs: which briefings a folder of articles asks for — one per article file, or one per group of a grouping file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..errors import InputError
from ..ingest.read import SUFFIXES

__all__ = ["Job", "discover", "group_jobs", "single_jobs"]


@dataclass(frozen=True)
class Job:
    """One briefing to keep in step: its name (output path stem) and its input files."""

    name: str
    inputs: tuple[str, ...]
    """Input files, relative to the articles folder (POSIX form)."""



def discover(articles: Path) -> list[str]:
    """Article files under ``articles`` (recursively; hidden files and folders skipped), sorted."""
    if not articles.is_dir():
        raise InputError(f"{articles} is not a folder; pass the folder that holds the articles")
    found = [
        p.relative_to(articles).as_posix()
        for p in articles.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(articles).parts)
    ]
    return sorted(found)


def single_jobs(articles: Path) -> list[Job]:
    """One briefing per article file, named after the file (``world/strike.txt`` → ``world/strike``)."""
    files = discover(articles)
    jobs = [Job(str(PurePosixPath(f).with_suffix("")), (f,)) for f in files]
    names = [j.name for j in jobs]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise InputError(f"two articles would both be briefed as {clash[0]!r}; rename one of them")
    return jobs


def _safe_name(name: str, where: Path) -> str:
    parts = PurePosixPath(name).parts
    if not name or PurePosixPath(name).is_absolute() or ".." in parts or any(p.startswith(".") for p in parts):
        raise InputError(f"group name {name!r} in {where} is not a plain relative name; rename it")
    return str(PurePosixPath(name))


def group_jobs(articles: Path, groups_file: Path) -> list[Job]:
    """One merged briefing per group of ``groups_file`` (JSON or YAML: name → list of files).

    File paths are relative to the articles folder. Articles in no group get a briefing of
    their own, as with the default grouping.
    """
    try:
        data = yaml.safe_load(groups_file.read_text(encoding="utf-8"))  # YAML is a superset of JSON
    except (OSError, ValueError, yaml.YAMLError, RecursionError) as err:  # ValueError: bad UTF-8, a huge integer
        detail = " ".join(str(err).split())[:160] or "nested too deeply"
        raise InputError(
            f"cannot read the grouping file {groups_file}: {detail}; fix or pass another --groups"
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, list) and v for v in data.values()):
        raise InputError(f"{groups_file} must map each group name to a non-empty list of article files")
    known = set(discover(articles))
    jobs, grouped = [], set()
    for name, files in data.items():
        rel = [PurePosixPath(str(f)).as_posix() for f in files]
        missing = [f for f in rel if f not in known]
        if missing:
            raise InputError(
                f"group {name!r} in {groups_file} lists {missing[0]!r}, which is not an article in {articles}"
            )
        jobs.append(Job(_safe_name(str(name), groups_file), tuple(rel)))
        grouped.update(rel)
    taken = {j.name for j in jobs}
    for job in single_jobs(articles):
        if job.inputs[0] not in grouped:
            if job.name in taken:
                raise InputError(f"article {job.inputs[0]!r} and a group are both named {job.name!r}; rename one")
            jobs.append(job)
    return sorted(jobs, key=lambda j: j.name)
