"""Stop words: the words left out wherever two texts are compared word by word, all in one place.

Three comparisons leave words out, each with its own list, named here:

* `CONTENT_STOP_WORDS` — grounding (`summariser.text.normalise.stems`): whether a source
  sentence supports a claim, or two bullets state one fact, is judged on what they state, so
  the words of reporting ("said", "told", "according to") are left out with the function words.
  The same words are never a name or a role on their own (`summariser.text.phrases`,
  `summariser.text.titles`): "Said" opening a sentence names no one. Event grouping compares
  articles on the same content words (`summariser.events.features`);
* `FACT_STOP_WORDS` — the evaluator's gold-fact coverage (`summariser.evaluation.scoring.textscore`):
  the function words only, so a fact's "said" is one of the words a summary must carry;
* `LABEL_STOP_WORDS` — the evaluator's labels and attributes
  (`summariser.evaluation.scoring.similarity`): the few articles and prepositions that differ between
  two ways of writing one role or name ("Minister of Finance", "Finance Minister"), and the
  "s" a possessive leaves.

The first two share `FUNCTION_WORDS` and differ by four words besides the words of reporting
(`CONTENT_STOP_WORDS` adds "because" and "much", `FACT_STOP_WORDS` adds "me" and "my"). They
are kept apart, and named, because one list for both would change which claims grounding
keeps or which gold facts count as covered — the briefings and the scores measured so far.
"""

from __future__ import annotations

__all__ = ["CONTENT_STOP_WORDS", "FACT_STOP_WORDS", "FUNCTION_WORDS", "LABEL_STOP_WORDS", "REPORTING_WORDS"]

#: English function words: pronouns, articles, auxiliaries, prepositions, conjunctions, adverbs of degree.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just more most no nor not now of off on once only or
    other our out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with
    would you your""".split()
)
#: The words that say who reported something, not what happened ("said", "according to", "amid").
REPORTING_WORDS = frozenset("said says say told according amid".split())
#: Left out of the stems grounding compares (`summariser.text.normalise.stems`).
CONTENT_STOP_WORDS = FUNCTION_WORDS | REPORTING_WORDS | {"because", "much"}
#: Left out of the content words of a gold fact and a predicted bullet (`summariser.evaluation.scoring.textscore`).
FACT_STOP_WORDS = FUNCTION_WORDS | {"me", "my"}
#: Left out when labels and attributes are compared word by word (`summariser.evaluation.scoring.similarity`).
LABEL_STOP_WORDS = frozenset("a an and at by for from in into of on or over the to with s".split())
