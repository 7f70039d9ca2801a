"""What a sentence says will follow: the one vocabulary of consequences and forward-looking words.

A briefing's implications must each state a consequence — something that will, may or must
follow, or that something causes (`CONSEQUENCE`): grounding drops an implication without one
(`summariser.brief.grounding.rules`). When none of the sentences the model picked states one,
drafting takes the article's own forward-looking sentences instead (`FORWARD`: what will,
could or may follow, what someone expects, plans, warns of or threatens;
`summariser.brief.draft`). Both are read from one vocabulary: `FORWARD`'s words are all
`CONSEQUENCE`'s, so a sentence drafting takes as an implication is never one grounding drops
for stating no consequence ("Unions threatened a strike.").
"""

from __future__ import annotations

import re

__all__ = ["CONSEQUENCE", "FORWARD"]

#: The words of a forward-looking sentence: what will, could or may follow; what is expected, planned,
#: warned of or threatened.
_FORWARD_WORDS = r"will|would|could|may|might|won't|plans? to|expects?|expected to|warn(?:s|ed)|threaten(?:s|ed)"
#: The other words of a consequence: what must or can follow, what is likely, intended or at risk, what
#: something causes.
_CONSEQUENCE_WORDS = (
    r"must|should|shall|can(?:not)?|expect(?:s|ed)?|likely|unlikely|plans?|planned|set to|aims?|intends?|"
    r"threatens?|risks?|means|meaning|lead(?:s)? to|result(?:s|ed)? in|because|therefore|so that|in order to|"
    r"forc(?:e|es|ed|ing)|allow(?:s|ed)?|cost(?:s)?|delay(?:s|ed)?|boost(?:s|ed)?|cut(?:s)?|rais(?:e|es|ed)|"
    r"reduc(?:e|es|ed)|hurt(?:s)?|warn(?:s|ed)?|next|future|going to|due to|from now|until"
)

#: A sentence that says what will, could or may follow (drafting's stand-in implications).
FORWARD = re.compile(rf"\b(?:{_FORWARD_WORDS})\b", re.IGNORECASE)
#: A sentence that states a consequence: a `FORWARD` word, or what else will, may or must follow, or what
#: something causes.
CONSEQUENCE = re.compile(rf"\b(?:{_FORWARD_WORDS}|{_CONSEQUENCE_WORDS})\b", re.IGNORECASE)
