"""A name's words settle its kind when they can: organisation and place words, countries, nationalities."""

from __future__ import annotations

import pytest

from summariser.text.kinds import is_demonym, shape_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("U.S. Geological Survey", "organisation"),
        ("National Emergency Operations Center", "organisation"),
        ("Pacific Tsunami Warning Center", "organisation"),
        ("Geophysical Institute", "organisation"),
        ("Port of Rotterdam Authority", "organisation"),
        ("APM Terminals", "organisation"),
        ("Hutchison Ports ECT", "organisation"),
        ("Westbridge Rovers", "organisation"),
        ("Zhejiang Huayu Holdings", "organisation"),
        ("Wembley Stadium", "place"),
        ("Lake Titicaca", "place"),
        ("Strait of Hormuz", "place"),
        ("Thames River", "place"),
        ("Academy Awards", "event"),
        ("Recording Artists' Coalition Award", "event"),  # an event word ends it: not the coalition
        ("General Election", "event"),
        ("Wulong International Kite Festival", "event"),
        ("Finance Ministerial", "event"),  # a meeting of ministers
        ("Olympics", "event"),
        ("Finance Bill", "event"),
        ("Bill", None),  # a first name: one word is an event only in the plural
        ("Cup", None),
        ("Ross County", "place"),  # the shape alone; the model may make it the club (settle)
        ("Peru", "country"),
        ("the Netherlands", "country"),
        ("European Union", "country"),
        ("Niek Stam", None),
        ("Park Geun-hye", None),  # a place word opening a name is a surname here
        ("Lima", None),
        ("Maersk", None),
        ("Nicole Miller Bold Stripe Mini Skirt", "product"),  # a thing sold, not the brand's company
        ("Hubble Space Telescope", "product"),
        ("Human Rights Watch", None),  # "watch" ends an organisation's name: no product word
        ("Skirt", None),  # one word alone is no product name
    ],
)
def test_shape_kind(name: str, kind: str | None) -> None:
    assert shape_kind(name) == kind


@pytest.mark.parametrize(("name", "expected"), [("Dutch", True), ("Peruvian", True), ("Peruvians", True),
                                                 ("Peru", False), ("Dina Boluarte", False),
                                                 ("Scots", True), ("Brits", True), ("Scotland", False),
                                                 ("Yorkshiremen", True), ("Frenchmen", True), ("Yemen", False),
                                                 ("Carmen", False)])  # fmt: skip
def test_demonyms(name: str, expected: bool) -> None:
    assert is_demonym(name) is expected
