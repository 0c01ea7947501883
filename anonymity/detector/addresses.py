"""Addresses: house number and street, lower-case streets, "the Parade", flats and named buildings.

Rules yield candidates ``(priority, kind, start, end)`` like ``formats.py``; they
read the text with its shouted lines in lower case (see ``tokens.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from anonymity.detector.formats import Candidate
from anonymity.detector.lexicon import lexicon
from anonymity.detector.vocabulary import BUILDING_GENERIC, CALENDAR, LOWER_STREET_STOP, REPORTING_VERBS, STOP

STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|"
    r"Gardens|Gdns|Grove|Terrace|Walk|Square|Sq|Park|Hill|Rise|View|Mews|Row|Green|Parade|Vale|"
    r"Mead|Croft|Fields|Estate|Boulevard|Gate|Wharf|Yard|Chase|Heights|Way|Common)"
)
_STREET_RE = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?(?:\s*[-\u2013]\s*\d{{1,4}})?,?\s+(?:[A-Z][A-Za-z'\u2019\-]{1, 40}\s+){{1,3}}{STREET_TYPES}\b\.?"
)
_STREET_LOWER_RE = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+((?:[a-z][a-z'\u2019\-]+\s+){{1,2}}){STREET_TYPES.lower()}\b", re.I
)
_STREET_THE_RE = re.compile(
    r"\b(?:at|to|from|address(?:\s+is)?:?)\s+(\d{1,4}[A-Za-z]?\s+the\s+(?:parade|green|avenue|crescent|drive|grove|"
    r"mews|square|walk|close|row|rise|chase|croft|meadows|glade|broadway|precinct|terrace|quadrant|paddocks|"
    r"orchard|spinney|causeway|strand|promenade|boulevard)\b)",
    re.I,
)
_STREET_NONUM_RE = re.compile(
    r"\b((?:[A-Z][a-z'\u2019\-]{1,40}\s+){1,2})(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Grove|"
    r"Terrace|Mews|Rd|Way)\b"
)
_FLAT_RE = re.compile(
    r"\b(?:flat|apartment|apt|unit|room)\s+\d+[A-Za-z]?\b(?:,?\s+(?:[A-Z][A-Za-z'\u2019\-]{1,40}\s+){1,3}"
    r"(?:House|Court|Tower|Towers|Lodge|Heights|Mansions|Point|Buildings|Block|Estate)\b)?",
    re.I,
)
_BUILDING_RE = re.compile(
    r"\b((?:[A-Z][A-Za-z'\u2019\-]{1,40}\s+){1,3})(?:House|Court|Tower|Towers|Lodge|Heights|Mansions|Estate)\b"
)


def numbered_streets(text: str) -> Iterator[Candidate]:
    """"14 Acacia Avenue", "3-5 Mill Lane", "211 Whalebone Lane South, Shrewsbury": a house number,
    capitalised words, a street type, and the direction and town that may follow."""
    places = lexicon().places
    for m in _STREET_RE.finditer(text):
        end = m.end()
        direction = _DIRECTION_RE.match(text, end)
        if direction:
            end = direction.end()
        town = _TOWN_AFTER_RE.match(text, end)
        if town and town.group(1).lower() in places:
            end = town.end()
        yield 4, "address", m.start(), end


_DIRECTION_RE = re.compile(r"\s+(?:North|South|East|West)\b")
_TOWN_AFTER_RE = re.compile(r",\s*([A-Z][a-z]+)\b")


def lower_case_streets(text: str) -> Iterator[Candidate]:
    """"14 acacia avenue", not "3 weeks in school lane"-like counts."""
    for m in _STREET_LOWER_RE.finditer(text):
        words = m.group(1).split()
        # "is 11, attends st bernadettes": a verb is no street's name
        if not any(w.lower() in LOWER_STREET_STOP or w.lower() in REPORTING_VERBS for w in words):
            yield 4, "address", m.start(), m.end()


_LOWER_HOME_STREET_RE = re.compile(
    r"\b(?:lives?|living|lived|moved|staying|stays|house|home|flat)\s+(?:on|in|at|to)\s+"
    r"((?:[a-z][a-z'\u2019\-]+\s+){1,2}(?:road|street|avenue|lane|close|drive|crescent|gardens|grove|terrace|way|rd|st))\b"
)


def lower_case_home_streets(text: str) -> Iterator[Candidate]:
    """"lives on acacia avenue", "moved to oak street": a street in lower case where someone lives."""
    for m in _LOWER_HOME_STREET_RE.finditer(text):
        words = m.group(1).split()[:-1]
        if not any(w in LOWER_STREET_STOP or w in STOP for w in words):
            yield 4, "address", m.start(1), m.end(1)


def numbered_the_streets(text: str) -> Iterator[Candidate]:
    """"lives at 4 the Parade"."""
    for m in _STREET_THE_RE.finditer(text):
        yield 4, "address", m.start(1), m.end(1)


def streets_without_number(text: str) -> Iterator[Candidate]:
    """"lives on Pennine Way", not a landmark or a direction ("the Peace Gardens", "near Soho Road")."""
    for m in _STREET_NONUM_RE.finditer(text):
        if re.search(r"\b(?:the|near|off|along|past|by|towards|via)\s+$", text[max(0, m.start() - 8) : m.start()], re.I):
            continue
        words = [w.lower() for w in m.group(1).split()]
        if words == ["high"] or words[0] in BUILDING_GENERIC or words[0] in CALENDAR:
            continue
        yield 4, "address", m.start(), m.end()


def flats(text: str) -> Iterator[Candidate]:
    """"flat 3", "Flat 12, Jubilee Court"."""
    for m in _FLAT_RE.finditer(text):
        yield 4, "address", m.start(), m.end()


def named_buildings(text: str) -> Iterator[Candidate]:
    """"Jubilee Court", "Howden House", not public buildings ("Family Court", "Youth House")."""
    for m in _BUILDING_RE.finditer(text):
        words = [w.lower() for w in m.group(1).split()]
        while words and words[0] in STOP:
            words.pop(0)
        if not words or words[0] in BUILDING_GENERIC or all(w in BUILDING_GENERIC for w in words):
            continue
        start = m.start() + m.group(0).lower().find(words[0])
        yield 4, "address", start, m.end()
