"""A grammar-constrained answer is valid JSON by construction: no raw control character in a string.

llama-cpp-python's schema converter lets a string hold any character but ``"`` and ``\\``,
so a raw newline or NUL was "grammatical" and the answer then failed to parse (issue 15:
three identical failures at temperature 0 on articles whose captions run into the text).
These tests use the REAL llama.cpp grammar engine with the 0.5B model's vocabulary: the
grammar of `summariser.llm.embedded.grammar` refuses every token that carries a control character
inside a string, where the stock converter's grammar accepts them; and a real greedy
request whose favourite next token is a raw line break still ends in JSON that parses.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from summariser.llm.embedded import grammar
from summariser.llm.embedded.weights import EmbeddedModel, assemble

SCHEMA = {"type": "object", "properties": {"text": {"type": "string", "maxLength": 200}}, "required": ["text"]}
OPEN_STRING = '{"text": "Roses are red'  # a string left open: the next character is inside it


def test_the_string_rule_is_json_s_and_replaces_the_converter_s() -> None:
    gbnf = grammar.gbnf_for(SCHEMA)
    chars = [line for line in gbnf.splitlines() if line.startswith("char ::=")]
    assert chars == [f"char ::= {grammar.JSON_CHAR}"]
    assert "\\x00-\\x1F" in grammar.JSON_CHAR and "\\x7F" in grammar.JSON_CHAR


@pytest.fixture(scope="module")
def llm(small_model: EmbeddedModel) -> Any:
    from llama_cpp import Llama

    model = Llama(model_path=str(assemble(small_model)), n_ctx=1024, n_threads=2, seed=0, verbose=False)
    yield model
    model.close()


def _control_tokens(llm: Any) -> list[int]:
    """Every vocabulary token whose text has a character JSON forbids raw in a string."""
    out = []
    for token in range(llm.n_vocab()):
        piece = llm.detokenize([token], special=False)
        if piece and any(b < 0x20 or b == 0x7F for b in piece):
            out.append(token)
    return out


def _accepted_after(llm: Any, gbnf: str, prefix: str, tokens: list[int]) -> list[int]:
    """Which of ``tokens`` the grammar ``gbnf`` allows after the answer has begun with ``prefix``."""
    from llama_cpp.llama_grammar import LlamaGrammar

    from summariser.llm.embedded.sampling import GreedyGrammarSampler

    sampler = GreedyGrammarSampler(llm, LlamaGrammar.from_string(gbnf, verbose=False), 1.0, 0)
    try:
        for token in llm.tokenize(prefix.encode(), add_bos=False, special=False):
            assert sampler._allows(token, 0.0), f"the prefix {prefix!r} itself was refused"
            sampler._api.llama_sampler_accept(sampler._grammar, token)
        return [t for t in tokens if sampler._allows(t, 0.0)]
    finally:
        sampler.close()


@pytest.mark.model
def test_no_token_with_a_control_character_is_allowed_inside_a_string(llm: Any) -> None:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    controls = _control_tokens(llm)
    assert len(controls) > 100  # "\n", "\n\n", "\t", ".\n", …: the vocabulary is full of them
    stock = _accepted_after(llm, json_schema_to_gbnf(json.dumps(SCHEMA)), OPEN_STRING, controls)
    assert len(stock) > 100, "the stock converter's grammar should admit them (the hole this closes)"
    assert _accepted_after(llm, grammar.gbnf_for(SCHEMA), OPEN_STRING, controls) == []


@pytest.mark.model
def test_a_line_break_the_model_wants_is_escaped_or_avoided_and_the_answer_parses(llm: Any) -> None:
    """A forced case: logits that put a raw line break first at every step inside the string."""
    import numpy as np
    from llama_cpp.llama_grammar import LlamaGrammar

    from summariser.llm.embedded.sampling import GreedyGrammarSampler

    newline = llm.tokenize(b"\n", add_bos=False, special=False)[0]
    sampler = GreedyGrammarSampler(llm, LlamaGrammar.from_string(grammar.gbnf_for(SCHEMA), verbose=False), 1.0, 0)
    text = ""
    try:
        for token in llm.tokenize(OPEN_STRING.encode(), add_bos=False, special=False):
            sampler._api.llama_sampler_accept(sampler._grammar, token)
        text = OPEN_STRING
        logits = np.full(llm.n_vocab(), -10.0, dtype=np.float32)
        logits[newline] = 10.0  # the favourite, every time
        quote = llm.tokenize(b'"}', add_bos=False, special=False)
        logits[quote] = 5.0  # then the end of the string and of the object
        for _ in range(8):
            token = sampler._best_allowed(logits.copy())
            sampler._api.llama_sampler_accept(sampler._grammar, token)
            text += llm.detokenize([token]).decode()
            if text.rstrip().endswith("}"):
                break
    finally:
        sampler.close()
    assert "\n" not in text
    assert json.loads(text)["text"].startswith("Roses are red")
