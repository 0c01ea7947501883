"""Named venues and homes typed without the capitals or keywords the school and address
rules know: "little acorns nursery", "grange park hotel", "top cutz barbers", "Patel's
Newsagents", "the beechwood estate", "queens rd", "flat 6 the sidings".

Rules yield candidates ``(priority, kind, start, end)`` like ``formats.py`` and read the
text with its shouted lines in lower case. A venue is named when at least one word
before its keyword says *which* one rather than what kind (``venue_generic`` in
``data/vocabulary.txt``): "a local hotel" and "the kebab takeaway" pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from anonymity.detector.formats import Candidate
from anonymity.detector.lexicon import lexicon
from anonymity.detector.tokens import core
from anonymity.detector.vocabulary import (
    BUILDING_GENERIC,
    CALENDAR,
    INDEFINITES,
    LANDMARK_NOUNS,
    LOWER_STREET_STOP,
    PLACE_NOUNS,
    REPORTING_VERBS,
    ROLE_WORDS,
    SCHOOL_GENERIC,
    SERVICE_NOUNS,
    STOP,
    STREET_ABBREVIATIONS,
    STREET_GENERIC,
    VENUE_BRANDS,
    VENUE_GENERIC,
    VENUE_KEYWORDS,
)
from anonymity.detector.words import Classes

_KEYWORD_ALT = "|".join(
    sorted((re.escape(k).replace(r"\ ", r"\s+") for k in VENUE_KEYWORDS), key=len, reverse=True)
)
# A venue keyword (any case); the words before it are read from a short window, so the
# cost per keyword is bounded and the regex never tries every word of the text as a start.
_VENUE_KW_RE = re.compile(rf"\b(?:{_KEYWORD_ALT})(?:\.|(?![\w'\u2019]))", re.I)
_NAME_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]{0,30}\.?")
_WINDOW = 100


def _words_before(text: str, end: int) -> list[tuple[int, str]]:
    """The (start, word) of up to three words straight before ``end``, with only spaces between."""
    window_start = max(0, end - _WINDOW)
    found = list(_NAME_WORD_RE.finditer(text, window_start, end))
    words: list[tuple[int, str]] = []
    stop = end
    for m in reversed(found):
        if len(words) == 3 or not text[m.end() : stop].isspace() or "\n" in text[m.end() : stop]:
            break
        words.append((m.start(), m.group(0)))
        stop = m.start()
    return words[::-1]


# "the beechwood estate", "on the ashfield estate": an estate by its own name.
_ESTATE_RE = re.compile(r"\b(?:the\s+)([a-z][a-z'\u2019\-]{2,30})\s+estate\b")
# "queens rd", "station rd", "kings ave": a street with a type only a street takes.
_ABBREVIATED_STREET_RE = re.compile(
    rf"\b((?:[a-z][a-z'\u2019\-]{{1,30}}\s+){{1,2}})(?:{'|'.join(sorted(STREET_ABBREVIATIONS))})\b\.?",
)
# "flat 6 the sidings", "flat 4 mill ct", "flat 12, the maltings": a flat in a named block.
_FLAT_NAMED_RE = re.compile(
    r"\b(?:flat|apartment|apt)\s+\d{1,4}[a-z]?,?\s+(?:the\s+[a-z][a-z'\u2019\-]{2,30}|"
    r"(?:[a-z][a-z'\u2019\-]{1,30}\s+){1,2}(?:ct|court|house|hse|towers?|lodge|heights|point|mansions|block))\b",
    re.I,
)


def _specific(word: str, cls: Classes) -> bool:
    """Does this word before a keyword say which venue ("acorns", "Patel's"), not what kind?"""
    lex = cls.lex
    low = core(word.rstrip(".")).lower()
    if not low or low in VENUE_GENERIC or low in STOP or low in ROLE_WORDS or low in CALENDAR:
        return False
    # A town names a venue too ("the riverside childrens home"); "a leeds hotel" is left
    # out by its indefinite article, in named_venues.
    return low not in lex.sector


def is_brand(name: str) -> bool:
    """"Burger King", "Premier Inn": a chain of several words names no one place ("Riverside
    Premier Inn", a branch, does)."""
    return " ".join(core(w.rstrip(".")).lower() for w in name.split()) in VENUE_BRANDS


# "works at Kebab King", "hangs round Golden Chick": two or three capitalised words after a
# cue that places someone at a venue, where no keyword says what the venue is.
_VENUE_CUE_RE = re.compile(
    r"\b(?:works?\s+at|working\s+at|worked\s+at|hangs?\s+(?:a)?round|hanging\s+(?:a)?round|found\s+at|"
    r"seen\s+at|seen\s+outside|outside|above|behind|upstairs\s+at|flat\s+above)\s+(?:the\s+)?"
    r"([A-Z][a-z'\u2019]+(?:\s+[A-Z][a-z'\u2019]+){1,2})\b(?!\s+[A-Z])"
)


def cued_trading_names(text: str) -> Iterator[Candidate]:
    """"the flat above Kebab King", "works at Golden Chick": capitalised words after a cue that
    places someone at a venue; not a place, a landmark, a service or a chain ("outside
    Leeds Station", "works at Burger King", "at Crown Court")."""
    lex = lexicon()
    cls = Classes(lex)
    for m in _VENUE_CUE_RE.finditer(text):
        words = [core(w).lower() for w in m.group(1).split()]
        if is_brand(m.group(1)) or any(
            w in STOP
            or w in lex.sector
            or w in ROLE_WORDS
            or w in CALENDAR
            or w in PLACE_NOUNS
            or w in LANDMARK_NOUNS
            or (w in lex.places and w not in lex.small_places)
            or w in SERVICE_NOUNS
            or w in REPORTING_VERBS
            # "Crown Court", "Royal Mail", "Family Hub": public bodies, not a venue of one child's
            or w in BUILDING_GENERIC
            or w in SCHOOL_GENERIC
            for w in words
        ):
            continue
        if not any(_specific(w, cls) for w in words) or all(cls.first(w) or w in lex.surnames for w in words):
            continue  # "works at Tesco", or a person: "seen outside Kezia Smith"
        yield 5, "school", m.start(1), m.end(1)


def _not_in_a_name(word: str) -> bool:
    """A word that ends a sentence, or is a stop word, role, verb or place word, is no part of a venue's name.

    A dot may close a short capitalised abbreviation ("Bramley Pk Acad.", "Comm. Coll.").
    """
    if word.endswith(".") and not (word[0].isupper() and len(word) <= 6):
        return True
    low = core(word.rstrip(".")).lower()
    return low in STOP or low in ROLE_WORDS or low in REPORTING_VERBS


def named_venues(text: str) -> Iterator[Candidate]:
    """"little acorns nursery", "Chicken Palace takeaway", "Patel's Newsagents", "top cutz
    barbers": the words straight before a venue keyword, one of which says which venue it is
    (not "a leeds hotel": an indefinite article says the venue is not named)."""
    cls = Classes(lexicon())
    for m in _VENUE_KW_RE.finditer(text):
        spans = _words_before(text, m.start())
        # The name is the words nearest the keyword, back to the first that cannot be in one.
        k = len(spans)
        while k and not _not_in_a_name(spans[k - 1][1]):
            k -= 1
        words = spans[k:]
        # Lower-case words that say what kind at the front are not part of the name
        # ("the local Grange hotel"); a capitalised one is ("Chicken Palace").
        while words and core(words[0][1]).lower() in VENUE_GENERIC and not words[0][1][0].isupper():
            words.pop(0)
        if not words or not any(_specific(w, cls) for _, w in words) or is_brand(" ".join(w for _, w in words)):
            continue
        start = words[0][0]
        before = text[max(0, start - 12) : start].lower().split()
        if before and before[-1] in INDEFINITES:
            continue
        yield 5, "school", include_the(text, start), m.end()


def include_the(text: str, start: int) -> int:
    """"at The Lakeside Hotel": a capitalised "The" mid-sentence is part of the venue's name."""
    if text[max(0, start - 4) : start] == "The " and not sentence_start(text, start - 4):
        return start - 4
    return start


def sentence_start(text: str, pos: int) -> bool:
    """Does a sentence, line or item start at ``pos``?"""
    before = text[:pos].rstrip(" \t\"'\u2018\u201c")
    return not before or before[-1] in ".!?:;\n\u2022*-\u2013("


# "looked after girl at meadowbank (childrens home)": the kind of venue in brackets after its name.
_VENUE_IN_BRACKETS_RE = re.compile(
    rf"\b([A-Za-z][A-Za-z'\u2019\-]{{2,30}})\s*\(\s*(?:a\s+|the\s+)?(?:{_KEYWORD_ALT})\s*\)", re.I
)


def venue_in_brackets(text: str) -> Iterator[Candidate]:
    """"at meadowbank (childrens home)", "Sunnyside (nursery)": a name with its kind in brackets."""
    cls = Classes(lexicon())
    for m in _VENUE_IN_BRACKETS_RE.finditer(text):
        if _specific(m.group(1), cls) and not _not_in_a_name(m.group(1)):
            yield 5, "school", m.start(1), m.end(1)


def lower_case_estates(text: str) -> Iterator[Candidate]:
    """"lives on the beechwood estate": an estate by a name no English list knows (not "the
    council estate", "the same estate", nor a town: "the leeds estate")."""
    lex = lexicon()
    cls = Classes(lex)
    for m in _ESTATE_RE.finditer(text):
        word = m.group(1)
        if cls.common(word) or word in VENUE_GENERIC or word in lex.sector or word in STOP:
            continue
        if word in lex.places and word not in lex.small_places:
            continue
        yield 4, "address", m.start(1), m.end()


def abbreviated_streets(text: str) -> Iterator[Candidate]:
    """"a hostel on queens rd", "lives on kings ave": a street typed with a short street type
    (not "the ring rd", "main rd")."""
    for m in _ABBREVIATED_STREET_RE.finditer(text):
        words = m.group(1).split()
        while words and (words[0] in STOP or words[0] in LOWER_STREET_STOP):
            words.pop(0)
        if not words or any(w in STREET_GENERIC or w in STOP for w in words):
            continue
        start = m.start(1) + m.group(1).find(words[0])
        yield 4, "address", start, m.end()


def named_flats(text: str) -> Iterator[Candidate]:
    """"flat 6 the sidings", "flat 3 tower ct": a flat number and the block's name."""
    for m in _FLAT_NAMED_RE.finditer(text):
        yield 4, "address", m.start(), m.end()
