"""Merging the drafts of one or more articles into one briefing body (`summariser.brief.merge`):
people and their roles, role conflicts, word limits, nulls and themes.
"""

from __future__ import annotations

import pytest
from helpers.drafts import draft

from summariser.brief.draft import Draft
from summariser.brief.merge import fit_words, merge
from summariser.brief.numbering import number
from summariser.schemas import BULLET_MAX_WORDS, Briefing, EntitiesDraft, OverviewDraft, PersonDraft, Quote


def test_fit_words_cuts_at_sentence_ends() -> None:
    long = "First sentence has five words. " + "Second sentence is much longer " * 10
    assert fit_words(long, 10) == "First sentence has five words."
    one = " ".join(["word"] * 60)
    cut = fit_words(one, 45)
    assert len(cut.split()) <= 45 and cut.endswith("…")
    assert fit_words("short one", 45) == "short one"


_TOPICS = {
    "a": ["Ministers met in Washington on Monday.", "Rare earths were the focus.", "Allies backed diversification."],
    "b": ["Seventeen officials attended the talks.", "Canada kept its own approach.", "Bankers presented plans."],
}


def _draft(
    doc: str,
    people: list[tuple[str, str | None, str | None]],
    quotes: tuple[Quote, ...] = (),
    summary: list[str] | None = None,
    **overview: object,
) -> Draft:
    """A draft of ``doc`` whose model picked sentences 1, 2, … as bullets: ``summary`` (default: its topics)."""
    bullets = summary or [f"{doc}: {topic}" for topic in _TOPICS[doc]]
    ov: dict[str, object] = {
        "headline": f"Headline from {doc}",
        "location": None,
        "summary": list(range(1, len(bullets) + 1)),
        "themes": ["minerals", "trade"],
        "implications": [],
    }
    ov.update(overview)
    return Draft(
        doc,
        EntitiesDraft(
            people=[PersonDraft(name=n, role=r, affiliation=a) for n, r, a in people],
            organisations=["US Treasury", "JP Morgan"],
        ),
        OverviewDraft.model_validate(ov),
        summary=bullets,
        countries=["U.S.", "UK", "JP Morgan"],
        quotes=quotes,
    )


def test_merge_deduplicates_people_and_keeps_roles_from_either_article() -> None:
    a = _draft("a", [("Bessent", None, None), ("Jay Horine", "Managing Director", "JP Morgan")])
    b = _draft(
        "b",
        [("Scott Bessent", "Treasury Secretary", "United States"), ("Baltic Cereals", "director", None),
         ("Tomas Rinne", "trading director", "Baltic Cereals")],
        location="Washington",
        quotes=(Quote(text="derisking rather than decoupling", speaker="Bessent"),),
    )  # fmt: skip
    body = merge([a, b])
    names = [p.name for p in body.people]
    assert names == ["Scott Bessent", "Jay Horine", "Tomas Rinne"]  # "Baltic Cereals" is Rinne's employer
    assert body.people[0].role == "Treasury Secretary"
    assert body.countries == ["United States", "United Kingdom"]
    assert [o.name for o in body.organisations] == ["US Treasury", "JP Morgan", "Baltic Cereals"]
    assert body.headline == "Headline from a" and body.location == "Washington"
    assert [q.text for q in body.quotes] == ["derisking rather than decoupling"]
    assert body.summary[0].text.startswith("a:") and body.summary[1].text.startswith("b:"), "round-robin"
    assert len(body.summary) == 6 and body.themes == ["minerals", "trade"]


def test_merge_repairs_overlong_headline_and_bullets() -> None:
    long_bullet = "This bullet is one sentence. " + " ".join(["more"] * 50) + "."
    d = _draft("a", [], headline=" ".join(["word"] * 20), summary=[long_bullet, "Two words.", "Three small words."])
    body = merge([d])
    assert len(body.headline.split()) <= 16
    assert body.summary[0].text == "This bullet is one sentence."


def test_an_overlong_bullet_is_accepted_from_the_model_and_cut_by_merge() -> None:
    # The model picks sentences by number, so a bullet is as long as the sentence it picked: a
    # word limit on the draft could only cost re-asks. The draft takes the sentence; merge cuts it.
    bullet = "Port officials said " + " ".join(["grain"] * 44) + ", and ministers met again on Friday."
    assert len(bullet.split()) == 53
    numbered = number(f"{bullet} Two small words were said. Three small words were said.")
    overview = OverviewDraft(
        headline="Strike", location=None, summary=[1, 2, 3], themes=["a b", "c d"], implications=[]
    )
    picked = numbered.picked(overview.summary)
    assert picked[0] == bullet
    with pytest.raises(ValueError, match="53 words"):
        Briefing.model_validate({"headline": "h", "summary": [{"text": bullet}] * 3, "themes": ["a", "b"],
                                 "sources": [{"doc_id": "a"}]})  # fmt: skip
    cut = merge([Draft("a", EntitiesDraft(people=[], organisations=[]), overview, summary=picked)]).summary[0].text
    assert len(cut.split()) <= BULLET_MAX_WORDS and cut.startswith("Port officials said grain")


def test_nullish_strings_become_null() -> None:
    d = _draft("a", [("Anneli Ross", "port director", "null"), ("Jay Horine", "N/A", " JP Morgan ")], location="none")
    body = merge([d])
    assert [(p.role, p.affiliation) for p in body.people] == [("port director", None), (None, "JP Morgan")]
    assert body.location is None


def test_blank_or_repeated_themes_give_way_to_what_the_article_is_about() -> None:
    # A small model answered ["  ", "  "] three times: the themes fall back on the place and names.
    body = merge([_draft("a", [("Jay Horine", None, None)], themes=["  ", "  "], location="Valdmar")])
    assert body.themes == ["Valdmar", "US Treasury"]  # location, then the first organisation
    body = merge([_draft("a", [], themes=["Sports", "sports"])])
    assert body.themes[0] == "Sports" and len(body.themes) == 2 and "sports" not in body.themes


def test_roles_that_cannot_both_be_true_become_a_conflict() -> None:
    merged = merge(
        [
            draft("a", [PersonDraft(name="Henrik Aalto", role="Transport Minister", affiliation=None)]),
            draft("b", [PersonDraft(name="Aalto", role="Finance Minister", affiliation=None)]),
            draft("c", [PersonDraft(name="Marta Kessel", role="union leader", affiliation=None)]),
            draft("d", [PersonDraft(name="Marta Kessel", role="Valdmar union leader", affiliation=None)]),
        ]
    )
    assert [p.name for p in merged.people] == ["Henrik Aalto", "Marta Kessel"]
    (conflict,) = merged.conflicts
    assert conflict.field == "people.role" and conflict.subject == "Henrik Aalto"
    assert [(v.value, v.doc_ids) for v in conflict.values] == [
        ("Transport Minister", ["a"]),
        ("Finance Minister", ["b"]),
    ]


def test_parts_of_one_article_never_conflict_with_each_other() -> None:
    merged = merge(
        [
            draft("a", [PersonDraft(name="Henrik Aalto", role="Transport Minister", affiliation=None)]),
            draft("a", [PersonDraft(name="Henrik Aalto", role="chair of the talks", affiliation=None)]),
        ]
    )
    assert merged.conflicts == []
