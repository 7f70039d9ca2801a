"""The llama.cpp grammar for a JSON Schema: llama-cpp-python's converter, with JSON's own string rule.

llama-cpp-python 0.3.x converts a schema to GBNF with a string character rule of
``[^"\\]`` — any character but a quote or a backslash, so a raw newline, tab or NUL inside
a string is "allowed". JSON forbids them (RFC 8259 §7: U+0000–U+001F must be escaped), so an
answer the grammar accepted could still be invalid JSON: seen on articles whose image
captions run into the text, three identical failures in a row at temperature 0 ("Invalid
JSON: control character (\\u0000-\\u001F) found while parsing a string"). llama.cpp's own
C++ converter has the right rule; `grammar_for` puts that rule in place of the Python one,
so such an answer cannot be generated at all.
"""

from __future__ import annotations

import functools
import json
from typing import Any

__all__ = ["JSON_CHAR", "gbnf_for", "grammar_for"]

#: A character inside a JSON string: anything but ``"``, ``\`` and the control characters
#: U+0000–U+001F and U+007F, or an escape (as llama.cpp's ``json-schema-to-grammar.cpp``).
JSON_CHAR = r'[^"\\\x7F\x00-\x1F] | [\\] (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])'
_LOOSE_CHAR = r'[^"\\] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])'


@functools.lru_cache(maxsize=64)
def _gbnf(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    rules = json_schema_to_gbnf(schema_json).splitlines()
    out = [f"char ::= {JSON_CHAR}" if line == f"char ::= {_LOOSE_CHAR}" else line for line in rules]
    if any(line.startswith("char ::=") and line != f"char ::= {JSON_CHAR}" for line in out):
        # a new llama-cpp-python wrote another rule: fail loudly rather than decode with it unchecked
        raise RuntimeError(
            "llama-cpp-python's grammar converter changed its string rule; update llm/embedded/grammar.py"
        )
    return "\n".join(out)


def gbnf_for(schema: dict[str, Any]) -> str:
    """The GBNF grammar text for ``schema`` (a JSON Schema without ``$ref``), with `JSON_CHAR` strings."""
    return _gbnf(json.dumps(schema))  # property order kept: the model answers the fields in schema order


def grammar_for(schema: dict[str, Any]) -> Any:
    """A ``llama_cpp.LlamaGrammar`` for ``schema`` whose strings hold no raw control character."""
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_string(gbnf_for(schema), verbose=False)
