"""People and organisations as the text states them (`summariser.brief.people`).

The checklists the entities prompt lists, and the titles read back from the text after the
model answered: a title left in a name comes out of it, the stated role and affiliation
replace the model's guesses, an organisation a title names is added — on the texts of the
issue that found them (issue 15), written here as fixtures.
"""

from __future__ import annotations

from summariser.brief.people import candidates, name_candidates, stated_titles
from summariser.schemas import EntitiesDraft, PersonDraft

SEED_LIKE = (
    "Presentations were delivered by US Trade Representative Jamieson Greer, Export-Import Bank of the "
    "United States President and Chairman John Jovanovic, and JP Morgan Managing Director Jay Horine. "
    "Attendees included the European Commission’s Valdis Dombrovskis and India’s Ashwini Vaishnaw, who "
    "holds a multi-ministry brief. This comes a month after Prime Minister Mark Carney said Canada will "
    "not guarantee access, even as he and Ontario Premier Doug Ford pitched an agreement."
)
WHO = (
    "GENEVA (Reuters) - The World Health Organization approved a malaria vaccine made by Bharat Biotech "
    "on Tuesday. WHO Director-General Tedros Adhanomi Ghebreyesus said it would save lives."
)


def test_name_candidates_strip_titles_and_possessives() -> None:
    text = (
        "Treasury Secretary Scott Bessent met Australia’s Treasurer Jim Chalmers and Mexico’s Secretary of "
        "Finance and Public Credit Edgar Amador Zamora. JP Morgan Managing Director Jay Horine spoke."
    )
    found = name_candidates(text)
    for name in ("Scott Bessent", "Jim Chalmers", "Edgar Amador Zamora", "Jay Horine"):
        assert name in found
    assert not [c for c in found if "Secretary" in c or "’s" in c]


def test_organisation_candidates_are_cleaned_and_the_fullest_form_kept() -> None:
    orgs = candidates(SEED_LIKE + " The Export-Import Bank said so.").organisations
    assert "Export-Import Bank of the United States" in orgs
    assert "Export-Import Bank" not in orgs  # a shorter form of a listed one
    assert "European Commission" in orgs  # "the European Commission’s" cleaned
    assert not [o for o in orgs if o.endswith("Managing") or o.startswith("the ")]
    assert "Attendees" not in orgs  # a capitalised first word of a sentence


def _person(name: str, role: str | None = None, affiliation: str | None = None) -> PersonDraft:
    return PersonDraft(name=name, role=role, affiliation=affiliation)


def test_stated_titles_replace_the_model_s_guesses_and_add_the_organisations_they_name() -> None:
    model = EntitiesDraft(
        people=[
            _person("Jamieson Greer"),
            _person("John Jovanovic", "President", "US"),
            _person("Jay Horine", "Managing Director"),
            _person("Valdis Dombrovskis", "Commissioner"),
            _person("Mark Carney", None, "Canada"),
            _person("Doug Ford"),
        ],
        organisations=["JP Morgan"],
    )
    got = {p.name: p for p in stated_titles(model, SEED_LIKE).people}
    assert (got["Jamieson Greer"].role, got["Jamieson Greer"].affiliation) == ("US Trade Representative", "US")
    assert got["John Jovanovic"].role == "President and Chairman"
    assert got["John Jovanovic"].affiliation == "Export-Import Bank of the United States"
    assert got["Jay Horine"].affiliation == "JP Morgan"
    assert got["Valdis Dombrovskis"].affiliation == "European Commission"
    assert got["Mark Carney"].role == "Prime Minister" and got["Mark Carney"].affiliation == "Canada"
    assert got["Doug Ford"].role == "Ontario Premier"
    orgs = stated_titles(model, SEED_LIKE).organisations
    assert "Export-Import Bank of the United States" in orgs and "European Commission" in orgs
    assert orgs.count("JP Morgan") == 1


def test_a_title_left_in_the_name_comes_out_of_it() -> None:
    model = EntitiesDraft(people=[_person("WHO Director-General Tedros Adhanomi Ghebreyesus")], organisations=[])
    person = stated_titles(model, WHO).people[0]
    assert person.name == "Tedros Adhanomi Ghebreyesus"
    assert (person.role, person.affiliation) == ("Director-General", "WHO")
    assert "WHO" in stated_titles(model, WHO).organisations


def test_a_person_with_no_stated_title_keeps_what_the_model_said() -> None:
    model = EntitiesDraft(people=[_person("Ashwini Vaishnaw", "Minister", None)], organisations=[])
    person = stated_titles(model, SEED_LIKE).people[0]
    assert person.affiliation == "India"  # the possessive names whose
    assert person.role == "Minister"  # grounding judges it (stated near the name, or dropped)


def test_a_role_the_text_writes_with_its_lower_case_words_is_kept_whole() -> None:
    text = "Dock workers walked out, union leader Marta Kessel said on Tuesday."
    model = EntitiesDraft(people=[_person("Marta Kessel", "union leader", None)], organisations=[])
    assert stated_titles(model, text).people[0].role == "union leader"  # not cut to the title word "leader"
    guessed = EntitiesDraft(people=[_person("Marta Kessel", "strike leader", None)], organisations=[])
    assert stated_titles(guessed, text).people[0].role == "union leader"  # what is written there, not the guess


def test_a_head_of_government_represents_the_one_country_their_sentence_names() -> None:
    text = "This comes a month after Prime Minister Mark Carney said Canada will not guarantee access."
    model = EntitiesDraft(people=[_person("Mark Carney", "Prime Minister", None)], organisations=[])
    assert stated_titles(model, text).people[0].affiliation == "Canada"
    two = "President Jane Doe said Canada and Mexico will talk."  # two countries: which one is not stated
    assert (
        stated_titles(EntitiesDraft(people=[_person("Jane Doe")], organisations=[]), two).people[0].affiliation is None
    )
