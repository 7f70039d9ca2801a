"""Large articles of hostile shapes, and the peak memory of briefing one in a child process.

`article` writes an article of a shape and an exact size in bytes (ASCII): prose, repeated names,
one giant sentence, no punctuation, many short lines, long words (few tokens a byte), 20 articles
of long words in one ``.jsonl``, an HTML page of paragraphs, and an HTML page that is mostly
markup. `brief_peak` runs ``summariser brief`` on a file in a fresh process (against a model URL,
without the cache) and returns how it ended and its peak RSS (VmHWM: counted from exec, so not the
forking process's pages). Used by tests/security/test_sec_large_articles.py and
bench/bench_memory.py.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.echo_model import echo_answer
from helpers.fake_server import FakeOpenAI

__all__ = [
    "ADDRESS_SPACE", "CONSTANT_MIB", "ORDINARY", "PEAK_PROBE", "PER_MB", "SHAPES", "Briefed", "allowed", "article",
    "brief_peak", "echo_server",
]  # fmt: skip

#: Every shape `article` writes.
SHAPES = (
    "prose", "repeated-names", "one-sentence", "no-punctuation", "short-lines", "long-words", "jsonl-articles",
    "html-paragraphs", "html-page",
)  # fmt: skip
#: What a large article may cost above a small ordinary one, in MiB: one spaCy batch of `nlp.BATCH_TOKENS`
#: tokens (~17 KiB each: ~500 MiB; 100,000 characters of news are ~18,000 tokens) and room.
CONSTANT_MIB = 600
#: And per MB of article (MiB): the text, its parts and prompts, masks, normalised copies, offsets.
#: Measured from 1 MiB to 3 MiB of short lines: 16.0 and 16.5 (this code and 8b87758, one sitting, 2026-12-07),
#: 17.5 in a CI run; long words to the input limit: ~10. Before the fix (issue 24) it was thousands.
PER_MB = 20
#: The ordinary small article (shape, bytes) whose peak the bound is counted from (`allowed`).
ORDINARY = ("prose", 4_000)
#: Address space the child may use: a runaway ends in MemoryError there, not in a machine swapping.
ADDRESS_SPACE = 8 * 2**30

#: ``python -c PEAK_PROBE PEAK_FILE ARGS…``: the CLI with ARGS; its peak RSS (VmHWM, KiB) is written to PEAK_FILE.
PEAK_PROBE = """
import sys
peak_file = sys.argv.pop(1)
try:
    from summariser.cli.app import main
    main()
finally:
    with open(peak_file, "w") as f:
        f.write(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""
_NAMES = ["Marta Kessel", "Henrik Aalto", "Jane Doe", "Acme Shipping Ltd", "European Commission", "Valdmar Port"]
#: Articles in the ``.jsonl`` shape: the most one briefing takes (`summariser.ingest.limits.MAX_ARTICLES`).
MAX_ARTICLES = 20
_WORDS = "the port officials said grain exports would rise after talks with union leaders on monday".split()


def _fill(size: int, unit: Callable[[], str]) -> str:
    parts, total = [], 0
    while total < size:
        piece = unit()
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]


def article(shape: str, size: int, seed: int = 0) -> tuple[str, str]:
    """(file name, text) of an article of ``shape`` with exactly ``size`` characters (ASCII: as many bytes)."""
    rng = random.Random(seed)
    names = rng.sample(_NAMES, k=rng.randint(2, len(_NAMES)))
    words = rng.sample(_WORDS, k=rng.randint(5, len(_WORDS)))

    def sentence() -> str:
        said = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
        return f"{said.capitalize()}, {rng.choice(names)} said."

    if shape == "prose":
        return "prose.txt", _fill(size, lambda: " ".join(sentence() for _ in range(rng.randint(1, 4))) + "\n\n")
    if shape == "repeated-names":  # the case: one line of names, nothing else
        return "names.txt", "Dock strike news.\n\n" + _fill(size - 19, lambda: rng.choice(names) + " ")
    if shape == "one-sentence":
        return "sentence.txt", _fill(size - 1, lambda: f"{rng.choice(words + names)}, ") + "."
    if shape == "no-punctuation":
        newline = rng.choice([" ", "\n"])  # one giant line, or a line per run of words
        return "plain.txt", _fill(size, lambda: " ".join(rng.choice(words) for _ in range(20)) + newline)
    if shape == "short-lines":
        return "lines.txt", _fill(size, lambda: f"{rng.choice(names)} said exports rose {rng.randrange(99)}%.\n")
    word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(99))
    long = [" ".join(word[rng.randrange(50) :] for _ in range(12)) + "." for _ in range(8)]
    if shape == "long-words":  # few tokens a byte: spaCy is quick, every other pass sees the whole size
        return "long.txt", _fill(size, lambda: " ".join([sentence(), *long]) + "\n\n")
    if shape == "jsonl-articles":  # as many articles as one briefing takes, of long words, in one file
        records = []
        for k in range(MAX_ARTICLES):
            room = size // MAX_ARTICLES if k < MAX_ARTICLES - 1 else size - sum(len(r) + 1 for r in records)
            record = {"title": f"Port strike, report {k + 1}", "text": ""}
            text = _fill(room, lambda: " ".join([sentence(), *long]) + "\n\n")
            while len(json.dumps(record | {"text": text})) > room - 1:  # a line break after each record
                text = text[: len(text) - (len(json.dumps(record | {"text": text})) - room + 1)]
            text += " " * (room - 1 - len(json.dumps(record | {"text": text})))
            records.append(json.dumps(record | {"text": text}))
        return "reports.jsonl", "".join(f"{r}\n" for r in records)
    if shape == "html-paragraphs":
        head, tail = "<html><head><title>Port strike</title></head><body><article>\n", "</article></body></html>\n"
        body = _fill(size - len(head) - len(tail), lambda: f"<p>{sentence()} {sentence()}</p>\n")
        return "page.html", head + body[: body.rfind("\n") + 1].ljust(len(body)) + tail
    if shape == "html-page":  # mostly markup, as a page at the limit is: a script's data, links, one story
        head = "<html><head><title>Port strike</title><script>var state = ["
        story = "".join(f"<p>{sentence()}</p>\n" for _ in range(40))
        tail = f"];</script></head><body><nav>{'<a href=/x>Section</a>' * 2000}</nav><article>{story}</article>"
        tail += "</body></html>\n"
        return "page.html", head + _fill(size - len(head) - len(tail), lambda: f'"{rng.choice(words)}",') + tail
    raise ValueError(f"no article shape {shape!r}; the shapes are {', '.join(SHAPES)}")


@dataclass(frozen=True)
class Briefed:
    """How ``summariser brief`` ended in the child, and its peak RSS."""

    returncode: int
    stderr: str
    peak_mib: int


class _Uncounted(list[object]):
    """A request log that keeps nothing: a large article is hundreds of requests."""

    def append(self, item: object) -> None:
        return


def echo_server() -> FakeOpenAI:
    """The echo model on loopback (`helpers.echo_model`), keeping no log of its requests; ``with`` it, and
    address it as ``f"{server.base_url}#echo"``."""
    server = FakeOpenAI(responder=echo_answer)
    server.requests = _Uncounted()  # type: ignore[assignment]
    return server


def allowed(ordinary: int, size: int) -> float:
    """The most peak RSS (MiB) briefing ``size`` bytes may cost, given an ordinary small article's peak (MiB)."""
    return ordinary + CONSTANT_MIB + PER_MB * size / 2**20


def brief_peak(path: Path, model: str, out: Path, timeout: float = 3600) -> Briefed:
    """``summariser brief PATH -m MODEL --no-cache -o OUT`` in a fresh process capped at `ADDRESS_SPACE`."""
    peak = out.with_name(out.name + ".peak")
    result = subprocess.run(
        [sys.executable, "-c", PEAK_PROBE, str(peak), "brief", str(path), "-m", model, "--no-cache", "-o", str(out)],
        capture_output=True, text=True, timeout=timeout,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE)),
    )  # fmt: skip
    return Briefed(result.returncode, result.stderr, int(peak.read_text()) // 1024)
