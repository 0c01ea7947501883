"""Schools, nurseries, colleges, clubs and faith settings named in the text.

Rules yield candidates ``(priority, kind, start, end)`` like ``formats.py``; they
read the text with its shouted lines in lower case (see ``tokens.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from anonymity.detector.formats import Candidate
from anonymity.detector.lexicon import lexicon
from anonymity.detector.tokens import core
from anonymity.detector.venues import include_the, is_brand
from anonymity.detector.vocabulary import (
    CALENDAR,
    HOLIDAYS,
    ROLE_WORDS,
    SAINT_TOWNS,
    SCHOOL_GENERIC,
    SERVICE_NOUNS,
    STOP,
)
from anonymity.detector.words import Classes

_SCHOOL_KW_RE = re.compile(
    r"\b(?:Primary(?:\s+School|\s+Academy)?|Secondary(?:\s+School)?|Junior(?:\s+School)?|"
    r"Infants?(?:\s+School)?|Juniors|(?:Day\s+)?Nursery(?:\s+School)?|Pre-?[Ss]chool|Academy|College|"
    r"Pupil\s+Referral\s+Unit|Scout\s+(?:Group|Troop|Hut)|Guide\s+Unit|Explorer\s+Unit|"
    r"Comprehensive|UTC|"
    r"(?:High\s+|Grammar\s+)?School|Sixth\s+Form(?:\s+College)?|Children['\u2019]?s\s+Centre|"
    r"Family\s+Hub|(?:Youth|Boxing|Football|Rugby|Cricket|Swimming|Gymnastics|Dance|Drama|Judo|"
    r"Karate|Athletics|Tennis|Sports?|Social|Golf|Boys['\u2019]?|Girls['\u2019]?|Youth\s+Football|Netball|Hockey|"
    r"Basketball|Badminton|Taekwondo|Kickboxing|Climbing|Cycling|Running|Rowing|Sailing|Chess|Theatre)?\s*Club|"
    # Places of worship are left out: "St Mary's Church", "the Jamia Mosque" name a
    # community, not where one child is (a madrasa or Sunday school is a school).
    r"F\.?C\.?|Scouts|Cubs|Brownies|Guides|Beavers|Rainbows|Cadets|Madrasa|Madrassa|"
    r"Youth\s+Centre|Leisure\s+Centre|"
    # Named places a child is registered at, placed in or found at: GP surgeries,
    # children's homes, youth projects, hotels and takeaways.
    r"Surgery|Medical\s+(?:Centre|Practice)|Health\s+Centre|Children['\u2019]?s\s+Home|Care\s+Home|"
    r"Youth\s+Project|Project|Hotel|Inn|Takeaway|Kebabs?|Chicken|Pizza|Fish\s+Bar|Chippy|"
    # shops and cafés by their trading names: "Sunshine Nails", "Mario's Pizzeria"
    r"Nails|Pizzeria|Barbers|Barber['\u2019]s|Salon|Caf[eé]|Diner|Grill|Restaurant|Lounge|Car\s+Wash|Newsagents?)(?![\w])"
)

_SCHOOL_LOWER_RE = re.compile(
    r"\b([a-z][a-z'\u2019\-]{1,40})\s+(?:primary(?:\s+school)?|secondary(?:\s+school)?|infants?|nursery|comprehensive|grammar|"
    r"academy|college|high\s+school|school|pre-?school|club|fc|surgery|children['\u2019]?s\s+home|youth\s+project)\b",
)
_SAINT_RE = re.compile(
    r"\b(?:St\.?|Saint)\s+([A-Z][a-z]+)(?:['\u2019]s?)?(?:\s+(?:RC|CE|C\s+of\s+E|CofE|VA|VC|Catholic|Church))?"
    # "St Brendan's RC High": the kind of school after the faith is part of the name.
    r"(?:\s+(?:High|Primary|Junior|Juniors|Infants?|Academy|College|School|Secondary))?\b"
)

_SCHOOL_CUE_RE = re.compile(
    r"\b(?:attends|attended|attending|attend|pupil\s+at|pupils\s+at|student\s+at|students\s+at|"
    r"excluded\s+from|enrolled\s+at|enrolled\s+in|on\s+roll\s+at|in\s+year\s+\d+\s+at|"
    r"(?:dsl|designated\s+safeguarding\s+lead|senco|head\s*teacher|teacher|teaching\s+assistant|head\s+of\s+year|"
    r"school\s+nurse|staff|counsellor|counselor|tutor|form\s+tutor|learning\s+mentor|pastoral\s+(?:lead|manager)|"
    r"deputy\s+head|head\s+of\s+\w+|sendco|teaching\s+assistant|ta)\s+at|"
    r"reception\s+at|transferred\s+to|moved\s+schools?\s+to)\s+(?:the\s+)?$",
    re.I,
)
_SCHOOL_WEAK_CUE_RE = re.compile(
    r"\b(?:goes|go|going|went|started|starts|starting|dropped\s+off|picked\s+up|collected)\s+"
    r"(?:to|at|from)\s+$",
    re.I,
)

_TOKEN_BEFORE_RE = re.compile(
    # One way only to read each word ("St" and "CE" are capitalised words already),
    # so a failed search cannot backtrack through every split of the 80 characters.
    r"(?:(?:St\.|[A-Z][\w'\u2019\-&]*|\d+(?:st|nd|rd|th)|of|and|the|&)\s+)+$"
)



_ROLE_AFTER_KEYWORD_RE = re.compile(r"\s+(?:Nurse|Nurses|Counsellor|Counselor|Staff|Governor|Governors|DSL)\b", re.I)


def keyword_schools(text: str) -> Iterator[Candidate]:
    """"Oakwood Primary School", "Riverside Netball Club": capitalised words before a school, club or faith keyword."""
    lex = lexicon()
    for m in _SCHOOL_KW_RE.finditer(text):
        if _ROLE_AFTER_KEYWORD_RE.match(text, m.end()):
            continue  # "Health Visitor and School Nurse": a job, not a school
        head = _TOKEN_BEFORE_RE.search(text, max(0, m.start() - 80), m.start())
        if not head:
            continue
        words = head.group(0).split()
        # Leading connectors ("the", "of") are not part of the name.
        while words and words[0].lower() in {"of", "and", "the", "&"}:
            words.pop(0)
        if not words:
            continue
        meaningful = [
            w
            for w in words
            if core(w).lower() not in SCHOOL_GENERIC
            and core(w).lower() not in lex.sector
            and core(w).lower() not in CALENDAR
            and not re.fullmatch(r"[A-Z]{2,5}", w)
            # "an after-school club": every piece generic
            and not all(p in SCHOOL_GENERIC or p in STOP for p in core(w).lower().split("-"))
        ]
        if not meaningful or is_brand(" ".join(words) + " " + m.group(0)):
            continue  # "Premier Inn", "Pizza Express": a chain names no one place
        start = head.start() + head.group(0).find(words[0])
        yield 4, "school", include_the(text, start), m.end()


_WORSHIP_AFTER_RE = re.compile(r"\s*(?:Church|Cathedral|Chapel)\b", re.I)


def saint_schools(text: str) -> Iterator[Candidate]:
    """"St Joseph's RC", "St Mary's": schools and hospitals; not towns ("St Albans") nor a
    church named as such ("St Mary's Church", a place of worship, not where a child is)."""
    for m in _SAINT_RE.finditer(text):
        worship = m.group(0).endswith("Church") or _WORSHIP_AFTER_RE.match(text, m.end())
        if m.group(1).lower() in SAINT_TOWNS or worship:
            continue
        yield 5, "school", m.start(), m.end()


_SAINT_BEFORE_RE = re.compile(r"\b(?:st\.?|saint)\s+$", re.I)


def lower_case_schools(text: str) -> Iterator[Candidate]:
    """"oakwood primary", "riverside fc": a word no list knows before a school keyword; towns and counties are generic."""
    lex = lexicon()
    cls = Classes(lex)
    for m in _SCHOOL_LOWER_RE.finditer(text):
        word = m.group(1).lower()
        # Classes.common also knows hyphenated words: "an after-school club".
        # Small places name schools ("oakwood primary"); towns and counties
        # are generic there ("a kent school", "leeds college").
        major_place = word in lex.places and word not in lex.small_places
        if cls.common(word) or word in SCHOOL_GENERIC or word in lex.sector or major_place:
            continue
        saint = _SAINT_BEFORE_RE.search(text, max(0, m.start() - 7), m.start())
        yield 4, "school", saint.start() if saint else m.start(), m.end()


# "goes to st joseph's", "st marys": a saint's name in lower case, possessive, is a school or church.
_LOWER_SAINT_RE = re.compile(
    r"\b(?:st\.?|saint)\s+([a-z]{3,20})(?:['\u2019]s|s)\b"
    # "st marys c of e primary": the faith and kind of school typed after it
    r"(?:\s+(?:rc|ce|c\s+of\s+e|cofe|catholic))?(?:\s+(?:high|primary|juniors?|infants?|academy|college|school))?\b"
)
# "attends oakwood", "excluded from hillcrest": a lower-case word after a strong school cue.
_LOWER_CUED_RE = re.compile(
    r"\b(?:attends|attended|attending|pupil\s+at|student\s+at|excluded\s+from|enrolled\s+at|on\s+roll\s+at)\s+"
    r"(?:the\s+)?([a-z][a-z'\u2019\-]{2,30})\b"
)


def lower_case_saint_schools(text: str) -> Iterator[Candidate]:
    """"goes to st joseph's", "st marys": a saint's name typed in lower case, not a town ("st albans")."""
    for m in _LOWER_SAINT_RE.finditer(text):
        if m.group(1) not in SAINT_TOWNS and m.group(1) + "s" not in SAINT_TOWNS:
            yield 5, "school", m.start(), m.end()


def lower_case_cued_schools(text: str) -> Iterator[Candidate]:
    """"attends oakwood", "excluded from hillcrest": a word no English list, service or town list
    knows, straight after a strong school cue."""
    lex = lexicon()
    cls = Classes(lex)
    for m in _LOWER_CUED_RE.finditer(text):
        word = m.group(1).lower()
        major_place = word in lex.places and word not in lex.small_places
        if cls.common(word) or word in lex.sector or word in CALENDAR or word in HOLIDAYS or major_place:
            continue
        if word in SCHOOL_GENERIC or word in STOP:
            continue
        if word in lex.first and word not in lex.small_places:
            continue  # "attended kezia's review": a person, left to the name rules
        yield 5, "school", m.start(1), m.end(1)


def cued_schools(text: str) -> Iterator[Candidate]:
    """"attends Brookfield", "DSL at Highfields": a capitalised name after a school cue, not a town or a service."""
    lex = lexicon()
    for m in re.finditer(r"(?:[A-Z][\w'\u2019\-]*|St\.?)(?:\s+(?:[A-Z][\w'\u2019\-]*|of|and|&))*", text):
        cue = _SCHOOL_CUE_RE.search(text, max(0, m.start() - 40), m.start())
        if not cue:
            continue
        words = [core(w).lower() for w in m.group(0).split()]
        if all(
            w in SCHOOL_GENERIC
            or w in lex.sector
            or w in ROLE_WORDS
            or (w in lex.places and not (w in lex.small_places and len(words) > 1))
            or w in STOP
            or w in CALENDAR
            for w in words
        ):
            continue  # "DSL at Leeds" is a town; "head of yr at Brookfield High" a school
        if re.fullmatch(r"[A-Z]{2,6}", m.group(0)) or words[-1] in SERVICE_NOUNS:
            continue
        yield 4, "school", m.start(), m.end()


def weakly_cued_schools(text: str) -> Iterator[Candidate]:
    """"goes to Little Acorns": two or more plain capitalised words after "goes to", none a place, service or sector term."""
    lex = lexicon()
    for m in re.finditer(r"[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-z'\u2019\-]+){1,3}", text):
        # "goes to Little Acorns": nurseries and clubs are often named with
        # plain words and no keyword. The cue alone is weak ("went to Accident
        # and Emergency"), so the phrase must be two or more capitalised words
        # that are none of places, services, sector terms or calendar.
        if not _SCHOOL_WEAK_CUE_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        words = [core(w).lower() for w in m.group(0).split()]
        if any(
            w in lex.places
            or w in lex.sector
            or w in ROLE_WORDS
            or w in CALENDAR
            or w in HOLIDAYS
            or w in SERVICE_NOUNS
            or w in SCHOOL_GENERIC
            or w in STOP
            for w in words
        ):
            continue
        yield 5, "school", m.start(), m.end()

