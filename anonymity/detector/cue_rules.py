"""Name rules driven by a cue: a title, an initial, a naming phrase, a relative, an age, a role.

Each is ``rule(s, a) -> bool | None`` (``scanstate.py``); ``names.py`` runs them in order.
"""

from __future__ import annotations

import re

from anonymity.detector.context import (
    AGE_AFTER_RE,
    AGE_IS_RE,
    BRACKETS_AFTER_RE,
    DOB_AFTER_RE,
    NAMING_CUES,
    ROLE_AFTER_RE,
    ROLE_FIRST_PART_RE,
    acronym_safe,
    age_after_capitalised,
    dated,
    number_follows,
    owned_relative,
    person_in_context,
)
from anonymity.detector.formats import DOTTED_INITIALS_RE
from anonymity.detector.scanstate import At, Scan
from anonymity.detector.vocabulary import (
    CALENDAR,
    DESCRIPTOR_BEFORE,
    DESCRIPTORS,
    DOTTED_ABBREVIATIONS,
    ENDEARMENTS,
    HOLIDAYS,
    KIN_ADJECTIVES,
    LOWER_TITLES,
    MONTH_NAMES,
    MONTHS,
    NOT_NAME_AFTER_CUE,
    RELATION_CUES,
    ROLE_WORDS,
    STOP,
    TITLES,
)

_NAMING_KEYS = ("call", "name", "known", "aka", "a.k.a", "goe", "refer")


def titled(s: Scan, a: At) -> bool | None:
    """"Mrs Patel", "mr smith", "Dr. Okafor", "PC Jones", "Mr J Smith"; not a bare letter ("Mr A")."""
    t, prev, nxt, gap_before = a.t, a.prev, a.nxt, a.gap_before
    if not (prev is not None and prev.low in TITLES and (prev.cap or prev.shouted or prev.low in LOWER_TITLES)):
        return None
    if (
        not s.blocked(prev)
        and gap_before.strip() in {"", "."}
        and "\n" not in gap_before
        and a.low not in STOP
        and (t.cap or t.shouted or (prev.low in LOWER_TITLES and "." not in gap_before))
        # A bare letter after a title ("Mr A", "Ms X") is the anonymising
        # convention of case reviews; "Mr J Smith" is still a name.
        and not (len(t.core) == 1 and not (nxt and a.tight_next and s.cls.namey(nxt)))
    ):
        s.is_name[a.i - 1] = True
        return True
    return None


def initials(s: Scan, a: At) -> bool | None:
    """Single letters: "J Smith", "J.S.", "J (age 14)", "mum's partner (G)"; never "Child A", "I", "U.K."."""
    t, prev, nxt, text = a.t, a.prev, a.nxt, s.text
    if len(t.core) != 1:
        return None
    if t.cap and prev is not None and prev.low in RELATION_CUES and a.gap_before.strip() == "(" and text[t.end : t.end + 1] == ")":
        return True
    dotted_run = DOTTED_INITIALS_RE.match(text, t.start)
    if dotted_run and re.sub(r"[.\s]", "", dotted_run.group(0)).lower() in DOTTED_ABBREVIATIONS:
        return False
    if t.cap and not s.role_letter(a.i) and t.core not in {"A", "I"} and AGE_AFTER_RE.match(text, t.end):
        return True
    if t.cap and not s.role_letter(a.i) and t.core not in {"A", "I"}:
        dotted = text[t.end : t.end + 1] == "."
        if nxt and a.tight_next and (s.cls.namey(nxt) or (dotted and len(nxt.core) == 1 and nxt.cap)):
            return True
    return False


_LABEL_LINE_RE = re.compile(r"(?:^|\n)[ \t]*(?:[A-Za-z/&'\u2019\-]+[ \t]+){0,3}$")


def form_label(s: Scan, a: At) -> bool | None:
    """"Keyworker: Bob", "Allocated Worker: TBC": the label of a field pasted from a record is not
    a name (a first name before a colon still is: "Kezia: I want to go home")."""
    t = a.t
    if (
        a.gap_after.startswith(":")
        and not s.cls.first(a.low)
        and _LABEL_LINE_RE.search(s.text, max(0, t.start - 60), t.start)
    ):
        return False
    return None


def naming_cue(s: Scan, a: At) -> bool | None:
    """"known as Tee", "goes by 'Smokey'", "mum's name is grace": the writer says it is a name."""
    t, low, lex, cls = a.t, a.low, s.lex, s.cls
    before = s.text[max(0, t.start - 30) : t.start]
    # Every naming cue holds one of these; most words have none before them, and
    # looking for them is far cheaper than the full pattern.
    lowered = before.lower()
    if not any(key in lowered for key in _NAMING_KEYS) or not NAMING_CUES.search(before):
        return None
    if (
        low not in STOP
        # After "known as" even a place-like word is a name ("goes by 'Smokey'").
        and not (low in lex.sector or low in HOLIDAYS or low in ENDEARMENTS)
        and not (low in lex.informal and not t.cap)
        and not (low in CALENDAR and (low not in MONTHS or number_follows(s.text, t)))
        and not (t.cap and t.upper and low in lex.sector)
        and (not cls.common(low) or cls.first(low) or t.cap)
    ):
        return True
    return None


def _after_relative(a: At) -> bool:
    return a.prev is not None and a.prev.low in RELATION_CUES and "\n" not in a.gap_before


def owned_relative_named(s: Scan, a: At) -> bool | None:
    """"her brother Will", "mum's partner Florin", "older cousin Jun": a relative who belongs to
    someone, then a capitalised word, is that relative's name even when the word is English or a month."""
    t, prev, nxt, low, lex, cls = a.t, a.prev, a.nxt, a.low, s.lex, s.cls
    if (
        _after_relative(a)
        and a.gap_before == " "
        and t.cap
        and not t.upper
        and len(t.core) >= 2
        and owned_relative(s.toks, a.i - 1)
        # "new Sibling Sexual Abuse guide": a Title Case phrase, not a relative's name
        and (not prev.cap or prev.initial)
        and not (nxt is not None and nxt.cap and a.gap_after == " " and cls.common(nxt.low) and not cls.first(nxt.low))
        and low not in STOP
        and low not in TITLES
        and low not in ROLE_WORDS
        and low not in DESCRIPTORS
        and low not in lex.sector
        and low not in HOLIDAYS
        and (low not in CALENDAR or low in MONTHS)
        and not (low in lex.places and low not in lex.first)
    ):
        return True
    return None


def relative_named(s: Scan, a: At) -> bool | None:
    """"dad (Gavin)", "partner (JS)", "father MK", "mum grace": a word right after a relative."""
    t, low, lex, cls, text = a.t, a.low, s.lex, s.cls, s.text
    paren = a.gap_before.strip() in {"(", "- (", ",", "-", ":", "\u2013"} or a.gap_before.strip() == ""
    if not (
        _after_relative(a)
        and paren
        and (
            not cls.safe(low)
            or (t.upper and len(t.core) <= 3 and not acronym_safe(low, lex))
            or (t.cap and low in MONTH_NAMES and not number_follows(text, t))
        )
        and low not in STOP
        and low not in TITLES
        and not (low in lex.informal and not t.cap)
    ):
        return None
    in_paren = a.gap_before.strip().startswith("(")
    if t.upper and 2 <= len(t.core) <= 3 and not text[t.end : t.end + 1].isdigit():
        return True
    if t.cap and (cls.first(low) or not cls.common(low)):
        return True
    if (
        not t.cap
        and (in_paren or not cls.common(low) or (cls.first(low) and low not in NOT_NAME_AFTER_CUE))
        and (cls.first(low) or (not cls.common(low) and len(low) >= 4))
    ):
        return True
    return None


def descriptor(s: Scan, a: At) -> bool | None:
    """"the father is Christian": a faith or heritage, not a first name."""
    if a.low in DESCRIPTORS and a.prev is not None and a.prev.low in DESCRIPTOR_BEFORE:
        return False
    return None


def person_context(s: Scan, a: At) -> bool | None:
    """A capitalised word the words around it make a person ("May and her brother", "Ed told")."""
    t = a.t
    if (
        t.cap
        and not t.upper
        and len(t.core) >= 2
        and a.low not in STOP
        and a.low not in TITLES
        and person_in_context(s.text, t, a.i, s.toks, s.cls)
    ):
        return True
    return None


def month_with_age(s: Scan, a: At) -> bool | None:
    """"April (15) is pregnant": a month-name with an age, not after "in" or a number."""
    t = a.t
    if t.cap and a.low in MONTH_NAMES and AGE_AFTER_RE.match(s.text, t.end) and not dated(a.prev):
        return True
    return None


def with_age(s: Scan, a: At) -> bool | None:
    """An age straight after a word makes it a person: "Florin (12)", "ruby, 3,", "Hope is 4"."""
    t, low, cls, text = a.t, a.low, s.cls, s.text
    if (
        len(t.core) >= 3
        and not t.upper
        and not cls.safe(low)
        and low not in STOP
        and low not in TITLES
        and (
            (t.cap and age_after_capitalised(text, t, cls))
            or (
                (cls.first(low) or (t.cap and not cls.common(low)))
                and (AGE_AFTER_RE.match(text, t.end) or AGE_IS_RE.match(text, t.end))
            )
        )
        and not s.role_letter(a.i)
    ):
        return True
    return None


def with_date_of_birth(s: Scan, a: At) -> bool | None:
    """"mo dob 2.9.09", "Kacper (DOB 3/4/12)": whose birth date it is."""
    t, low, cls = a.t, a.low, s.cls
    if (
        DOB_AFTER_RE.match(s.text, t.end)
        and len(t.core) >= 2
        and not t.upper
        and not t.possessive
        and (cls.first(low) or not cls.common(low))
        and not cls.safe(low)
        and low not in STOP
        and low not in TITLES
        and low not in KIN_ADJECTIVES
        and not s.role_letter(a.i)
    ):
        return True
    return None


def with_job_in_brackets(s: Scan, a: At) -> bool | None:
    """"Ruby (Practice Lead, Early Help)": a job, then where."""
    t, low, cls = a.t, a.low, s.cls
    in_brackets = BRACKETS_AFTER_RE.match(s.text, t.end)
    if (
        in_brackets
        and t.cap
        and not t.upper
        and len(t.core) >= 3
        and (cls.first(low) or not cls.common(low))
        and not cls.safe(low)
        and low not in STOP
        and low not in TITLES
        and ROLE_FIRST_PART_RE.search(in_brackets.group(1).split(",")[0])
    ):
        return True
    return None


def with_role_in_brackets(s: Scan, a: At) -> bool | None:
    """"Dawn (mum) and Gavin (stepdad)": the writer says who the person is."""
    t, low, cls = a.t, a.low, s.cls
    role_after = ROLE_AFTER_RE.match(s.text, t.end)
    if (
        role_after
        and role_after.group(1).lower() in RELATION_CUES
        and not role_after.group(1).isupper()
        and len(t.core) >= 3
        and not cls.safe(low)
        and low not in STOP
        and low not in TITLES
        and (t.cap or cls.first(low))
        # A longer description ("Elira (our family support worker)") is
        # also how headings read ("Update (ask the social worker)"), so
        # there the word must be a first name or in no English list.
        and (role_after.group(0).strip("( )").count(" ") == 0 or cls.first(low) or not cls.common(low))
    ):
        return True
    return None
