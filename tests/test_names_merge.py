"""Name normalisation and the merge of several drafts into one briefing body."""

from __future__ import annotations

import pytest

from summariser.brief.draft import Draft, name_candidates
from summariser.brief.merge import fit_words, merge
from summariser.schemas import BULLET_MAX_WORDS, Briefing, EntitiesDraft, OverviewDraft, PersonDraft, Quote
from summariser.text.names import country_name, not_a_person, same_person
from summariser.text.normalise import plain_key


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("U.S.", "United States"), ("US", "United States"), ("the United States", "United States"),
        ("UK", "United Kingdom"), ("Britain", "United Kingdom"), ("Korea", "South Korea"),
        ("Korea, Republic of", "South Korea"), ("EU", "European Union"), ("European Union", "European Union"),
        ("Russia", "Russia"), ("Viet Nam", "Vietnam"), ("Türkiye", "Turkey"), ("Japan", "Japan"),
        ("JP Morgan", None), ("Major European", None), ("Roland Lescure", None), ("", None),
    ],
)  # fmt: skip
def test_country_names(raw: str, expected: str | None) -> None:
    assert country_name(raw) == expected


def test_fold_and_same_person() -> None:
    assert plain_key("François-Philippe  Champagne’s") == "francois philippe champagne"
    assert same_person("Bessent", "Scott Bessent")
    assert same_person("Treasury Secretary Scott Bessent", "Scott Bessent")
    assert same_person("scott bessent", "Scott Bessent")
    assert not same_person("Scott Bessent", "Scott Morrison")
    assert not same_person("Mark Carney", "Mark")


def test_not_a_person_by_its_words_or_by_what_the_drafts_say_of_it() -> None:
    assert not_a_person("Export-Import Bank") == "organisation"  # an organisation word
    assert not_a_person("Information Technology") == "topic"  # a portfolio
    assert not_a_person("Baltic Cereals") is None  # nothing in the name itself …
    assert not_a_person("Baltic Cereals", affiliations=["baltic cereals"]) == "affiliation"  # … another's employer
    assert not_a_person("Valdmar Port Authority", affiliations=["Valdmar Port Authority"]) == "affiliation"
    assert not_a_person("Nordgrain", organisations=["NORDGRAIN"]) == "organisation"  # listed as an organisation
    assert not_a_person("Information Technology", organisations=["Information Technology"]) == "organisation"
    assert not_a_person("Tomas Rinne", organisations=["Nordgrain"], affiliations=["Baltic Cereals"]) is None


def test_name_candidates_strip_titles_and_possessives() -> None:
    text = (
        "Treasury Secretary Scott Bessent met Australia’s Treasurer Jim Chalmers and Mexico’s Secretary of "
        "Finance and Public Credit Edgar Amador Zamora. JP Morgan Managing Director Jay Horine spoke."
    )
    found = name_candidates(text)
    for name in ("Scott Bessent", "Jim Chalmers", "Edgar Amador Zamora", "Jay Horine"):
        assert name in found
    assert not [c for c in found if "Secretary" in c or "’s" in c]


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
    doc: str, people: list[tuple[str, str | None, str | None]], quotes: tuple[Quote, ...] = (), **overview: object
) -> Draft:
    ov: dict[str, object] = {
        "headline": f"Headline from {doc}",
        "location": None,
        "summary": [f"{doc}: {topic}" for topic in _TOPICS[doc]],
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
    # A word limit as a validator of the draft would only cost re-asks: at temperature 0 the
    # model returned the same 53-word bullet three times. The draft takes it; merge cuts it.
    bullet = "Port officials said " + " ".join(["grain"] * 44) + ", and ministers met again on Friday."
    assert len(bullet.split()) == 53
    summary = [bullet, "Two small words.", "Three small words."]
    overview = OverviewDraft(headline="Strike", location=None, summary=summary, themes=["a b", "c d"], implications=[])
    assert overview.summary[0] == bullet
    with pytest.raises(ValueError, match="53 words"):
        Briefing.model_validate({"headline": "h", "summary": [{"text": bullet}] * 3, "themes": ["a", "b"],
                                 "sources": [{"doc_id": "a"}]})  # fmt: skip
    cut = merge([Draft("a", EntitiesDraft(people=[], organisations=[]), overview)]).summary[0].text
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
