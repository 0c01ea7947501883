"""Words of a text with what the rules ask of them: core, lower case, capitals, position.

Also the lines typed In Title Case or IN CAPITALS ("shouted"), where capital
letters say nothing about names: their tokens are judged as if in lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD_RE = re.compile(r"[A-Za-zÀ-ɏ](?:[A-Za-zÀ-ɏ]|['\u2019](?=[A-Za-zÀ-ɏ])|-(?=[A-Za-zÀ-ɏ]))*['\u2019]?")


def core(word: str) -> str:
    """Word without a possessive or trailing apostrophe: "Amelia's" -> "Amelia"."""
    w = word.replace("\u2019", "'")
    if w.endswith("'s") or w.endswith("'S"):
        return w[:-2]
    return w.rstrip("'")


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int
    core: str
    low: str
    cap: bool
    upper: bool
    initial: bool  # first word of a sentence, line or list item
    possessive: bool
    # On a line Typed Like This or IN CAPITALS, where capitals say nothing
    # about names: such tokens are judged as if typed in lower case.
    shouted: bool = False


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\n•*]|\n\s*[\-\u2013]|\d[.)])[\s\"'\u201c\u2018(\[\-\u2013]*$")


_PLURAL_ACRONYM_RE = re.compile(r"[A-Z]{2,}s")
_ACRONYM_VERB_RE = re.compile(r"[A-Z]{2,}['\u2019](?:d|ed)")
_APOSTROPHE_RE = re.compile(r"['\u2019]")


def tokenize(text: str, shouted: Shouted) -> list[Tok]:
    toks = []
    first_char = len(text) - len(text.lstrip())
    for m in WORD_RE.finditer(text):
        w = m.group(0)
        word_core = core(w)
        if not word_core:
            continue
        if _PLURAL_ACRONYM_RE.fullmatch(word_core):
            word_core = word_core[:-1]  # "DSLs", "LSCBs": plural acronyms
        elif _ACRONYM_VERB_RE.fullmatch(word_core):
            word_core = _APOSTROPHE_RE.split(word_core)[0]  # "NFA'd": an acronym used as a verb
        before = text[max(0, m.start() - 6) : m.start()]
        initial = m.start() <= first_char or bool(_SENTENCE_START_RE.search(before))
        toks.append(
            Tok(
                text=w,
                start=m.start(),
                end=m.start() + len(word_core),
                core=word_core,
                low=word_core.lower(),
                cap=word_core[0].isupper(),
                upper=len(word_core) > 1 and word_core.isupper(),
                initial=initial,
                possessive=w.replace("\u2019", "'").lower().endswith("'s"),
            )
        )
    return _unshout(toks, shouted)


# A line of at least this many words where nearly every word is capitalised
# (or in capitals) is a heading or dictated text: "Sw Wants Help With A Frank
# Conversation With Mum", "REFLECTIVE SESSION THEMES: SIBLING SSA". There the
# capital-letter rules would flag every word no list knows.
_SHOUT_MIN_WORDS = 6
_SHOUT_SHARE = 0.85


# (start, end, in capitals rather than Title Case) of each such line.
Shouted = list[tuple[int, int, bool]]


def shouted_lines(text: str) -> Shouted:
    """The lines of ``text`` typed In Title Case or IN CAPITALS, worked out once per scan."""
    out: Shouted = []
    start = 0
    for line in text.split("\n"):
        words = [w for w in map(core, WORD_RE.findall(line)) if len(w) >= 2 and w.isalpha()]
        title = sum(w[0].isupper() and not w.isupper() for w in words)
        caps = sum(w.isupper() for w in words)
        if len(words) >= _SHOUT_MIN_WORDS and max(title, caps) >= _SHOUT_SHARE * len(words):
            out.append((start, start + len(line), caps > title))
        start += len(line) + 1
    return out


def lower_shouted_lines(text: str, shouted: Shouted) -> str:
    """The text with its Title Case and ALL CAPS lines in lower case (same length)."""
    pieces, done = [], 0
    for start, end, _ in shouted:
        pieces += [text[done:start], text[start:end].lower()]
        done = end
    return "".join([*pieces, text[done:]])


def _unshout(toks: list[Tok], shouted: Shouted) -> list[Tok]:
    """Tokens on shouted lines, judged as if typed in lower case (acronyms kept on Title Case lines)."""
    if not shouted:
        return toks
    out: list[Tok] = []
    lines = iter(shouted)
    line = next(lines, None)
    for t in toks:  # tokens and lines are both in text order
        while line is not None and t.start >= line[1]:
            line = next(lines, None)
        on_line = line is not None and line[0] <= t.start < line[1]
        if on_line and (line[2] or not t.upper):
            t.cap, t.upper, t.shouted = False, False, True  # a fresh token, changed in place
        out.append(t)
    return out



def between(text: str, a: Tok, b: Tok) -> str:
    """The characters between two tokens (spaces, punctuation)."""
    return text[a.end : b.start]

