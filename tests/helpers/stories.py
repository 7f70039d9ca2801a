"""Short fresh articles for the grouping tests, written for them: ten reports of six events.

Two earthquakes (Chile, Japan), two company results (a carmaker, a bank), a court ruling and a
football match, with topic words shared across events of one kind ("earthquake", "magnitude",
"profit", "quarter"). `STORIES` maps a file name to (gold event, text); `write_stories` writes them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STORIES", "gold_of", "write_stories"]

STORIES: dict[str, tuple[str, str]] = {
    "quake_chile_1.txt": (
        "quake-chile",
        "Magnitude 6.8 earthquake shakes northern Chile\n\n"
        "A magnitude 6.8 earthquake struck near the Chilean port of Antofagasta on Tuesday, the national "
        "seismological centre said, shaking buildings and cutting power to parts of the city. Chile's "
        "emergency office ONEMI said two people were injured by falling debris in Antofagasta and that no "
        "tsunami warning was issued. Mining company Codelco said its copper mines near Calama were inspected "
        "and kept working.",
    ),
    "quake_chile_2.txt": (
        "quake-chile",
        "Antofagasta counts damage after strong quake\n\n"
        "Residents of Antofagasta cleared fallen walls on Wednesday after the magnitude 6.8 earthquake that hit "
        "northern Chile a day earlier. ONEMI raised the number of injured to four and said 120 homes were "
        "damaged. Codelco reported no damage at its Calama copper operations, and power returned to most of "
        "the Chilean port city overnight.",
    ),
    "quake_japan_1.txt": (
        "quake-japan",
        "Strong earthquake hits off Japan's Hokkaido, tsunami advisory lifted\n\n"
        "A magnitude 6.1 earthquake struck off the coast of Hokkaido in northern Japan on Saturday, the Japan "
        "Meteorological Agency said. Trains on the Hokkaido Shinkansen line were halted and Kushiro airport "
        "closed its runway for checks. A tsunami advisory for the Kushiro coast was lifted after two hours. "
        "Hokkaido Electric Power said the Tomari nuclear plant was not affected.",
    ),
    "quake_japan_2.txt": (
        "quake-japan",
        "Hokkaido trains resume after magnitude 6.1 quake\n\n"
        "Hokkaido Shinkansen trains were running again on Sunday after Saturday's magnitude 6.1 earthquake off "
        "Kushiro, JR Hokkaido said. The Japan Meteorological Agency warned of aftershocks for a week. Three "
        "people in Kushiro were treated for minor injuries, and Hokkaido Electric Power again said Tomari was "
        "safe.",
    ),
    "results_volta_1.txt": (
        "results-volta",
        "Volta Motors quarterly profit falls 12% on weak electric car demand\n\n"
        "German carmaker Volta Motors said on Thursday its third-quarter operating profit fell 12% to 2.1 billion "
        "euros as demand for electric cars in Europe slowed. Chief executive Ingrid Baumann said Volta would cut "
        "production at its Zwickau plant and lowered the full-year margin forecast to 6%. Volta shares fell 4% in "
        "Frankfurt.",
    ),
    "results_volta_2.txt": (
        "results-volta",
        "Volta cuts Zwickau output as quarterly profit drops\n\n"
        "Volta Motors will cut output at Zwickau after third-quarter operating profit dropped 12% to 2.1 billion "
        "euros, chief executive Ingrid Baumann told analysts in Frankfurt. The carmaker blamed slower electric "
        "car sales in Europe and said its 6% margin forecast assumed no recovery this year.",
    ),
    "results_harbour_1.txt": (
        "results-harbour",
        "Harbour Bank quarterly profit rises 9% as lending grows\n\n"
        "Harbour Bank said on Thursday its third-quarter net profit rose 9% to 640 million pounds, helped by "
        "higher mortgage lending in Scotland. Chief executive Tom Reddy said the Edinburgh-based lender would buy "
        "back 200 million pounds of shares. Harbour shares rose 3% in London.",
    ),
    "ruling_1.txt": (
        "ruling",
        "Supreme Court blocks Riverton dam over river habitat\n\n"
        "The state Supreme Court on Monday blocked construction of the Riverton dam, ruling that the water agency "
        "had ignored the habitat of the endangered Delmar salmon. Justice Maria Okafor wrote for the 5-2 majority "
        "that the agency must redo its environmental review. The Delmar Valley Water Authority said it would "
        "study the judgment.",
    ),
    "ruling_2.txt": (
        "ruling",
        "Riverton dam halted: what the court decided\n\n"
        "Monday's 5-2 ruling by the state Supreme Court stops work on the Riverton dam until the Delmar Valley "
        "Water Authority completes a new environmental review. Writing for the majority, Justice Maria Okafor "
        "said the Delmar salmon habitat had been ignored. Fishing groups that brought the case welcomed the "
        "judgment.",
    ),
    "football_1.txt": (
        "football",
        "Northport beat Castleford 3-1 to top the league\n\n"
        "Northport United beat Castleford Rovers 3-1 on Saturday to go top of the league. Striker Leo Mensah "
        "scored twice before half-time and Castleford's Danny Hart pulled one back, before Ryo Tanaka sealed the "
        "win in the 88th minute. Northport manager Ellen Brooks praised her side's pressing.",
    ),
}


def gold_of(names: list[str]) -> dict[str, str]:
    """Gold event of each file name."""
    return {name: STORIES[name][0] for name in names}


#: A folder of three events (two earthquake reports, two of a court ruling, one football match): the grouped
#: regenerate tests start from it.
FIRST = ["quake_chile_1.txt", "quake_chile_2.txt", "ruling_1.txt", "ruling_2.txt", "football_1.txt"]
#: A third report of the Chile earthquake, dropped into that folder later.
CHILE_3 = (
    "Aftershock rattles Antofagasta as Chile quake repairs begin\n\n"
    "A magnitude 5.2 aftershock shook Antofagasta on Thursday, two days after the magnitude 6.8 earthquake "
    "that hit northern Chile. ONEMI said the number of homes damaged by the earthquake had risen to 140 and "
    "that crews were inspecting schools in the Chilean port city. Codelco said its copper mines near Calama "
    "kept working through the aftershock."
)


def write_stories(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the stories ``names`` (default: every one) into ``folder``; their paths, in that order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names if names is not None else list(STORIES):
        path = folder / name
        path.write_text(STORIES[name][1] + "\n", encoding="utf-8")
        paths.append(path)
    return paths
