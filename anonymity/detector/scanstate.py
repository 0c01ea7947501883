"""What the name rules share for one text: its tokens, word classes, what is already taken,
and, for the token being judged, its neighbours and the gaps between them.

A token rule is ``rule(s: Scan, a: At) -> bool | None``: True makes the token a
name, False settles that it is not, None leaves it to the next rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from anonymity.detector.context import ROLE_LETTER
from anonymity.detector.lexicon import Lexicon
from anonymity.detector.tokens import Tok, between
from anonymity.detector.words import Classes


@dataclass
class Scan:
    text: str
    toks: list[Tok]
    cls: Classes
    lex: Lexicon
    # One flag per token; rules and passes set it.
    is_name: list[bool]
    # Characters already claimed by a fixed-format finding or a safe phrase.
    covered: bytearray
    # Tokens that the words around them make places (``places.py``).
    places: set[int] = field(default_factory=set)
    # Token j joins token j + 1 in one finding across what would end it (", ", " and "):
    # "SMITH, Kezia", "Mr and Mrs Patel".
    joins: set[int] = field(default_factory=set)
    # How many rule evaluations and list-spreading checks this scan made (the
    # linear-time tests read it).
    evaluations: int = 0

    def blocked(self, t: Tok) -> bool:
        """Is ``t`` inside a fixed-format finding or a safe phrase ("Lucy Faithfull Foundation")?"""
        return bool(self.covered[t.start])

    def role_letter(self, i: int) -> bool:
        """Is ``toks[i]`` the letter of a role ("Child A", "Sibling B")?"""
        start = self.toks[i].start
        return bool(ROLE_LETTER.search(self.text[max(0, start - 25) : start]))

    def at(self, i: int) -> At:
        toks, text = self.toks, self.text
        t = toks[i]
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        gap_after = between(text, t, nxt) if nxt else ""
        return At(
            i=i,
            t=t,
            low=t.low,
            prev=prev,
            nxt=nxt,
            gap_before=between(text, prev, t) if prev else "",
            gap_after=gap_after,
            tight_next=nxt is not None and gap_after.strip() in {"", "."} and "\n" not in gap_after,
        )


@dataclass(slots=True)
class At:
    """One token being judged, with its neighbours."""

    i: int
    t: Tok
    low: str
    prev: Tok | None
    nxt: Tok | None
    gap_before: str
    gap_after: str
    # The next token follows with only a space or a dot between, on the same line.
    tight_next: bool


TokenRule = Callable[[Scan, At], "bool | None"]
