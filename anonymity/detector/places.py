"""Capitalised words that the words around them make places, not people.

Notes say where things happen, and a borough's districts, estates and parks
are in no list: "placed in Beighton", "Endcliffe Park", "the Gascoigne estate".
"""

from __future__ import annotations

import re

from anonymity.detector.tokens import Tok, between
from anonymity.detector.vocabulary import (
    FAMILY_WORDS,
    FROM_PLACE_NOUNS,
    LANDMARK_NOUNS,
    LOCATIVE,
    PLACE_NOUNS,
    STOP,
    TITLES,
)
from anonymity.detector.words import Classes

# The start of a note that is only the writer's role and patch: "Police Sergeant, ",
# "DSL, primary, ", "Health visitor, ", "PPU ", "youth worker, ".
SIGNATURE_RE = re.compile(
    r"^(?:(?:[A-Za-z]+\s+){0,2}(?:(?:worker|visitor|officer|sergeant|constable|dsl|senco|nurse|gp|manager|lead|"
    r"practitioner|sw|teacher|head|chair|iro|hv|midwife|paediatrician|consultant|detective|"
    r"school|primary|secondary|academy|college|team)\s*[,:\-\u2013]\s+|"
    r"(?:ppu|police|cid|mash|yot|camhs)\s+)){1,3}$",
    re.I,
)

# What may follow the patch in a signature: up to two more capitalised words, then the end.
_SIGNATURE_END_RE = re.compile(r"(?:\s+[A-Z][\w'\-]*){0,2}\s*(?:[.,:;\n]|$)")


def place_tokens(text: str, toks: list[Tok], cls: Classes) -> set[int]:
    """Capitalised words that the words around them make places, not people.

    Notes say where things happen, and a borough's districts, estates and
    parks are in no list: "placed in Beighton", "seen around Lowedges",
    "Endcliffe Park", "the Gascoigne estate", "in Darnall and Tinsley". A word
    the census or UK name lists know stays a person ("in Chloe's room" is a
    possessive anyway); the broad SSA list does not outweigh the position.
    """
    lex = cls.lex
    out: set[int] = set()

    def candidate(t: Tok) -> bool:
        known = cls.first(t.low) and t.low not in lex.ssa  # "Kasey-Leigh" too
        return (
            t.cap and not t.upper and not t.possessive and not known and t.low not in STOP and t.low not in TITLES
        )

    # Does the capitalised run from toks[i] end in a possessive ("in Kezia Smith's room")?
    # Worked out once, right to left, so a long run costs its length, not its square.
    owned = [False] * (len(toks) + 1)
    for j in range(len(toks) - 1, -1, -1):
        t = toks[j]
        joined = j + 1 < len(toks) and between(text, t, toks[j + 1]) == " "
        owned[j] = t.cap and (t.possessive or (joined and owned[j + 1]))

    def owned_run(i: int) -> bool:
        return owned[i]

    def locality(i: int) -> bool:
        t = toks[i]
        known_place = t.cap and t.low in lex.places and not cls.common(t.low) and not cls.first(t.low)
        return known_place or i in out

    for i, t in enumerate(toks):
        # "at the Marina", "the Grove": a word-name after "the" is the thing
        if (
            t.cap
            and i
            and toks[i - 1].low == "the"
            and t.low in lex.word_names
            and between(text, toks[i - 1], t) == " "
            and not (i + 1 < len(toks) and toks[i + 1].low in FAMILY_WORDS)
        ):
            out.add(i)
        if not candidate(t):
            continue
        prev = toks[i - 1] if i else None
        prev2 = toks[i - 2] if i >= 2 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev is not None and prev.low in TITLES:
            continue  # "DSL, Mrs Pryce": a title makes a person, wherever it stands
        after_locative = (
            prev is not None and prev.low in LOCATIVE and between(text, prev, t) == " " and not owned_run(i)
        )
        # "a girl from Winson Green", "lads from Ladywood" (but "a text from Kezia")
        after_from = (
            prev is not None
            and prev.low == "from"
            and between(text, prev, t) == " "
            and prev2 is not None
            and prev2.low in FROM_PLACE_NOUNS
        )
        # "Police Sergeant, Handsworth.", "DSL, primary, Ladywood.", "PPU Erdington.": a
        # writer's role and patch at the start of a note
        signature = (
            i <= 6
            and not cls.first(t.low)
            and SIGNATURE_RE.match(text[toks[0].start : t.start]) is not None
            and _SIGNATURE_END_RE.match(text, t.end) is not None
        )
        # "the Pennine Way", "the Meadowhall interchange": people are not "the X",
        # but families are ("the Okafor family"), so surnames and family words stay.
        # "the Long Mynd": one capitalised word may come between
        the_before = prev is not None and (
            prev.low == "the"
            or (prev.cap and cls.common(prev.low) and prev2 is not None and prev2.low == "the")
        )
        # "with the Okafors": a family by its surname in the plural, not a place
        family_plural = (
            t.low.endswith("s")
            and t.low not in lex.places
            and t.low[:-1] not in lex.places
            and not cls.common(t.low[:-1])
            and not cls.common(t.low)
        )
        after_the = (
            the_before
            and between(text, prev, t) == " "
            and t.low not in lex.surnames
            and not family_plural
            and not (nxt is not None and nxt.low in FAMILY_WORDS)
        )
        before_noun = nxt is not None and nxt.low in PLACE_NOUNS and between(text, t, nxt) == " " and not nxt.possessive
        if after_locative or before_noun or after_the or after_from or signature:
            out.add(i)
    # Landmarks named after people ("Victoria Pier", "King George Dock", "Albert
    # Dock"): a first name before a place noun that is no surname is a place too.
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            t.cap
            and not t.upper
            and not t.possessive
            and nxt is not None
            and nxt.cap
            and nxt.low in LANDMARK_NOUNS
            and between(text, t, nxt) == " "
            and not (i and toks[i - 1].low in TITLES)
        ):
            out.add(i)
    # After "in", "near", "around"...: the whole Title Case run is the place, even
    # words that are names or English elsewhere ("in Perry Barr", "in Druids Heath").
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        if (
            prev is not None
            and prev.low in LOCATIVE
            and between(text, prev, t) == " "
            and t.cap
            and not t.upper
            and not t.possessive
            and t.low not in TITLES
            and t.low not in STOP
            and i + 1 < len(toks)
            and toks[i + 1].cap
            and between(text, t, toks[i + 1]) == " "
            and not owned_run(i)
        ):
            out.update((i, i + 1))
    # Each run is walked once: a walk from inside a run already walked ends where that one did.
    stop = 0
    for i in sorted(out):
        if i < stop:
            continue
        j = i + 1
        while j < len(toks) and candidate(toks[j]) and between(text, toks[j - 1], toks[j]) == " ":
            out.add(j)
            j += 1
        stop = j
    # "in Darnall and Tinsley", "around Lowedges, Batemoor or Jordanthorpe", "Telford & Wrekin"
    walked: set[int] = set()
    for i in [k for k in range(len(toks)) if locality(k)]:
        if i in walked:
            continue  # a walk from here would repeat the one that passed through it
        j = i
        while j + 1 < len(toks):
            k = j + 1
            gap = between(text, toks[j], toks[k]).strip()
            if toks[k].low in {"and", "or"} and gap in {"", ","} and k + 1 < len(toks):
                k += 1
                if between(text, toks[k - 1], toks[k]).strip():
                    break
            elif gap not in {",", "&", "/"}:
                break
            if not candidate(toks[k]):
                break
            out.add(k)
            walked.add(k)
            j = k
    # "Bethel Pentecostal Church", "the Jamia Mosque": a place of worship names a
    # community, unless a first name stands right before the noun ("Kezia Church").
    starts = {t.start: i for i, t in enumerate(toks)}
    for m in _WORSHIP_RE.finditer(text):
        run = [starts[p.start() + m.start(1)] for p in re.finditer(r"\S+", m.group(1)) if p.start() + m.start(1) in starts]
        if run and not (cls.first(toks[run[-1]].low) and not cls.common(toks[run[-1]].low)):
            out.update(run)
    return out


_WORSHIP_RE = re.compile(
    r"\b((?:[A-Z][\w'\u2019\-]{0,40}\s+){1,3})(?:Church|Chapel|Mosque|Masjid|Gurdwara|Temple|Mandir|Synagogue|Cathedral)\b"
)


# Place nouns that are not also common surnames (unlike Park, Hill, Wood, Green).
