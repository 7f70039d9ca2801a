"""Which of many word sequences occur in a long run of words, in one pass (Aho–Corasick over words).

The evaluator checks that every person and organisation a prediction names occurs in the
source text. Searching the text once per name costs names × text, which a briefing with a
hundred thousand names and a megabyte of sources turns into minutes; the automaton reads
the names once and the text once: O(words of the names + words of the text).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

__all__ = ["occurring"]


def occurring(phrases: Sequence[Sequence[str]], words: Iterable[str]) -> list[bool]:
    """For each phrase (a sequence of words), whether it occurs as consecutive items of ``words``.

    An empty phrase occurs in anything.
    """
    goto: list[dict[str, int]] = [{}]  # node 0 is the root; a node is a prefix of some phrase
    ends: list[list[int]] = [[]]  # the phrases that end at each node
    for index, phrase in enumerate(phrases):
        node = 0
        for word in phrase:
            child = goto[node].get(word)
            if child is None:
                child = len(goto)
                goto.append({})
                ends.append([])
                goto[node][word] = child
            node = child
        ends[node].append(index)
    fail = [0] * len(goto)  # the longest proper suffix of a node's prefix that is a node too
    order: list[int] = []  # the nodes, shallowest first
    queue = deque(goto[0].values())
    while queue:
        node = queue.popleft()
        order.append(node)
        for word, child in goto[node].items():
            back = fail[node]
            while back and word not in goto[back]:
                back = fail[back]
            fail[child] = goto[back].get(word, 0)
            queue.append(child)
    seen = [False] * len(goto)
    seen[0] = True
    node = 0
    for word in words:
        while node and word not in goto[node]:
            node = fail[node]
        node = goto[node].get(word, 0)
        seen[node] = True
    for node in reversed(order):  # a prefix seen means every suffix of it was seen too
        if seen[node]:
            seen[fail[node]] = True
    found = [False] * len(phrases)
    for node, indices in enumerate(ends):
        if seen[node]:
            for index in indices:
                found[index] = True
    return found
