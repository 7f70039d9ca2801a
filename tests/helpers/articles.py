"""Article texts the tests share, and `only`, the one article a source holds.

`NEWS` is ordinary local news with nothing addressed to a model; `WIRE` and `PAGE` are two
invented reports of the Valdmar dock strike for grounding; `long_article` is longer than the
embedded model's context allows in one piece.
"""

from __future__ import annotations

from pathlib import Path

from summariser.ingest.read import load_source
from summariser.schemas import Article

#: Three short paragraphs of plain news: no instruction, no tag, nothing to guard against.
NEWS = (
    "PORTVILLE — The city council approved a new bus line on Tuesday.\n\n"
    'Mayor Ann Lee said the line would open in May. "It is overdue," she said.\n\n'
    "The line will cost 12 million euros."
)

#: A wire story: typographic quotes and dashes, accents, "U.S." and a number to ground.
WIRE = Article(
    id="wire",
    text=(
        "Dock workers at the port of Valdmar walked off the job on Monday, halting grain shipments "
        "and stranding at least 14 bulk carriers.\n\n"
        "“We will not load a single ship until the cuts are reversed,” union leader Marta Kessel told reporters. "
        "U.S. Treasury Secretary Scott Bessent said Washington was watching.\n\n"
        "Grain traders at Nordgrain warned that a prolonged stoppage could push up wheat prices across the region. "
        "José Núñez, a Spanish shipping agent, said the port authority had asked a labour court to intervene."
    ),
)
#: A page about the talks: people by surname only, "UK" and the European Union.
PAGE = Article(
    id="page",
    text=(
        "Talks were chaired by Transport Minister Henrik Aalto. Bessent joined by video.\n"
        'Kessel said the union would "not sign anything that leaves the night shift worse off". '
        "Officials from the UK and the European Union attended."
    ),
)


def only(path: Path | str) -> Article:
    """The article ``path`` holds, asserting that it holds exactly one."""
    articles = load_source(path)
    assert len(articles) == 1
    return articles[0]


def long_article() -> str:
    """A ~39,000-character hearing report: longer than the embedded context allows in one piece."""
    speakers = ["Anna Lindqvist", "Peter Haldane", "Maria Santos", "Olaf Brenner", "Ruth Okoye", "Ivan Petrov"]
    paragraphs = ["Harbour council hearing on the 2027 budget", "2026-05-20 09:00:00"]
    for i in range(150):
        who = speakers[(i * len(speakers)) // 150]
        paragraphs.append(
            f"Councillor {who} told the hearing that item {i + 1} of the harbour budget, covering dredging, "
            f"ferry berths and the fish market roof, should be reviewed again before the final vote next month, "
            f"because costs had risen by {3 + i % 7} percent since the spring estimate."
        )
    return "\n\n".join(paragraphs)
