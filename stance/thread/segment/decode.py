"""Viterbi decoding of line tags under the structure a comment page has.

The model scores four tags per non-blank line: ``A`` (the article part: the story and the
page furniture around it), ``N`` (a line of the comment section that is no one's text:
author/date headers, footers, button labels, counters, chrome), ``S`` (the first line of a
comment's text) and ``C`` (a later line of it). The constraints: the article comes first and
never resumes once the comment section has started, and a continuation never opens a comment
or a page. About half the real excerpts hold only a comment section, some cut in the middle of
a comment, so a page may open with a comment: whether its first lines are a story or readers
talking is the model's call (its `first` features and the lines' voice), not a rule's.
"""

from __future__ import annotations

TAGS = ("A", "N", "S", "C")
STATES = TAGS
#: The tag each state emits (index into TAGS).
EMITS = (0, 1, 2, 3)
_ALLOWED = {
    "A": ("A", "N", "S"),
    "N": ("N", "S", "C"),
    "S": ("S", "C", "N"),
    "C": ("S", "C", "N"),
}
START = tuple(s in ("A", "N", "S") for s in STATES)
ALLOWED = tuple(tuple(b in _ALLOWED[a] for b in STATES) for a in STATES)
NEG = -1e18


def states_for(tags: list[str]) -> list[int]:
    """The state path of a tag sequence."""
    return [STATES.index(tag) for tag in tags]


def tags_for(states: list[int]) -> list[str]:
    return [TAGS[EMITS[s]] for s in states]


def valid(states: list[int]) -> bool:
    if not states:
        return True
    if not START[states[0]]:
        return False
    return all(ALLOWED[a][b] for a, b in zip(states, states[1:], strict=False))


def viterbi(emissions: list[list[float]], transitions: list[list[float]]) -> list[int]:
    """Best allowed state path; `emissions[i][t]` scores tag t at line i, `transitions[a][b]`
    state a followed by state b."""
    n = len(emissions)
    if n == 0:
        return []
    k = len(STATES)
    score = [emissions[0][EMITS[s]] if START[s] else NEG for s in range(k)]
    back: list[list[int]] = []
    # per state: (its emission column, [(predecessor, transition score)] in state order)
    into = [(EMITS[b], [(a, transitions[a][b]) for a in range(k) if ALLOWED[a][b]])
            for b in range(k)]
    for i in range(1, n):
        row = emissions[i]
        new, ptr = [NEG] * k, [0] * k
        for b, (column, sources) in enumerate(into):
            best, arg = NEG, 0
            for a, move in sources:
                if score[a] > NEG:
                    value = score[a] + move
                    if value > best:
                        best, arg = value, a
            new[b] = best + row[column] if best > NEG else NEG
            ptr[b] = arg
        score = new
        back.append(ptr)
    state = max(range(k), key=lambda s: score[s])
    path = [state]
    for ptr in reversed(back):
        state = ptr[state]
        path.append(state)
    path.reverse()
    return path


def open_page(tags: list[str]) -> list[str]:
    """Training tags under the constraints: a page cut in the middle of a comment opens with
    the rest of it, which is read as a comment of its own (as the annotated pages read it)."""
    out = list(tags)
    if out and out[0] == "C":
        out[0] = "S"
    return out
