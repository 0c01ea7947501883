"""The context around a word that makes it a person: naming cues, relatives, ages, roles, verbs.

Each pattern or predicate here is one cue a writer uses in place of a title;
the name rules (``names.py``) decide with them.
"""

from __future__ import annotations

import re

from anonymity.detector.lexicon import Lexicon
from anonymity.detector.tokens import Tok, between
from anonymity.detector.vocabulary import (
    CALENDAR,
    DESCRIPTORS,
    HOLIDAYS,
    KIN_ADJECTIVES,
    MODALS,
    MONTH_NAMES,
    OWNERS,
    PERSON_NEXT,
    PERSON_VERBS,
    RELATION_ALT,
    RELATION_CUES,
    ROLE_WORDS,
    SEASON_BEFORE,
    SEASONS,
    STOP,
    WORD_BEFORE,
)
from anonymity.detector.words import Classes

NAMING_CUES = re.compile(
    r"(?:\b(?:called|named|nicknamed|known\s+(?:to\s+(?:\w+\s+){1,3})?as|aka|a\.k\.a\.|name\s+(?:is|was)|name's|"
    r"names\s+(?:are|were)|"
    r"goes\s+by|calls\s+(?:him|her|them)(?:self|selves)?)\s*[:\-]?\s*[\"'\u201c\u2018(]?|"
    # "calls her uncle 'Bash'", "refers to him as 'Tee'": the quote is the cue,
    # since without it the word after "calls her uncle" is rarely a name.
    r"\b(?:calls?|calling|refers?\s+to\s+(?:him|her|them)\s+as)\s+(?:(?:his|her|their|the|him|them)\s+)?"
    r"(?:[a-z\-]{2,20}\s+){0,2}[\"'\u201c\u2018])$",
    re.I,
)
# "May and her twin brother", "Mo and his cousin": a word joined to a
# relative of its own is a person.
AND_RELATIVE_RE = re.compile(
    rf"\s+(?:and|with)\s+(?:his|her|their)\s+(?:(?:twin|older|younger|little|big|baby|elder|half|step|best|new|"
    rf"maternal|paternal)\s+)?(?:{RELATION_ALT})\b",
    re.I,
)
# "Frank, the maternal grandfather, has...": an apposition naming the role.
APPOSITION_RE = re.compile(
    rf"\s*,\s+(?:the|her|his|their|our|a|child\s+a['\u2019]s)\s+(?:[a-z\-]+\s+){{0,2}}(?:{RELATION_ALT})\b",
    re.I,
)
PERSON_HAS_RE = re.compile(
    r"\s+(?:has|had)\s+(?:been\s+)?(?:missing|told|said|disclosed|refused|run\s+away|gone\s+missing|"
    r"gone\s+off)\b|\s+(?:went|goes|is|was)\s+missing\b",
    re.I,
)

# "her key worker is Blessing", "mum's new partner is Gaz": a role, a few
# words and "is", then a capitalised word.
ROLE_IS_RE = re.compile(
    rf"\b(?:{RELATION_ALT})(?:['\u2019]s)?(?:\s+[a-z\-]+){{0,4}}\s+(?:is|was)\s+$",
    re.I,
)

# "Mason (12)", "Grace, 14,", "Florin (12, Year 7)": a name followed by an age.
AGE_AFTER_RE = re.compile(
    r"\s*(?:\(\s*(?:aged?\s+)?\d{1,2}\s*(?:yo|y/o|yrs?|years?(?:\s+old)?)?\s*[),;]|"
    r",\s*(?:aged\s+)?\d{1,2}\s*(?:,|yo\b|y/o|yrs?\b|years?\b)|,\s*aged\s+\d{1,2}\b)"
)
DOB_AFTER_RE = re.compile(r"\s*[(,\-:]?\s*(?:dob|d\.o\.b\.?|date\s+of\s+birth)\b", re.I)
BRACKETS_AFTER_RE = re.compile(r"\s*\(([^()\n]{2,60})\)")
ROLE_FIRST_PART_RE = re.compile(rf"\b(?:{RELATION_ALT}|lead|manager|officer|worker|chair)\s*$", re.I)
ROLE_AFTER_RE = re.compile(
    r"\s*\(\s*(?:(?:the|her|his|their|our|my|child\s+a['\u2019]s)\s+)?(?:[A-Za-z\-]{2,25}\s+){0,4}?([A-Za-z\-]{2,20})"
    r"\s*(?:,\s*(?:aged\s+)?\d{1,2}\s*)?\)",
    re.I,
)
# "Hope is 4 and...": weaker, so only after a first name or an unknown word,
# and not "the score is 4/10" or "is 3 weeks".
AGE_IS_RE = re.compile(
    r"\s+(?:is|was|who\s+is|turned|turns)\s+(?:aged\s+|only\s+|just\s+)?\d{1,2}\b"
    r"(?!\s*(?:/|%|\.\d|:|out\b|of\b|am\b|pm\b|hours?\b|minutes?\b|times?\b|weeks?\b|days?\b|months?\b|miles?\b|"
    r"points?\b|sessions?\b|on\b|in\b))"
)
ROLE_LETTER = re.compile(
    r"(?:child|sibling|young\s+person|yp|parent|adult|person|mother|father|carer|professional|"
    r"worker|boy|girl|family|pupil|student|victim|perpetrator|school|brother|sister|cousin|"
    r"friend|man|woman|male|female|case|practitioner|agency|option|scenario|sib|sibs|bro|sis)\s+$",
    re.I,
)
# Multi-word names of services and tools that contain first names.
SAFE_PHRASES = re.compile(
    r"\b(?:Lucy\s+Faithfull(?:\s+Foundation)?|Marie\s+Collins(?:\s+Foundation)?|Stop\s+It\s+Now|"
    r"Rape\s+Crisis|The\s+Survivors\s+Trust|Survivors\s+Trust|Barnardo['\u2019]?s|Brook(?:\s+Sexual\s+Behaviours)?"
    r"\s+Traffic\s+Light\s+Tool|Response\s+Pathway|Grace\s+Notes|Signs\s+(?:and|&)\s+Indicators|"
    r"Working\s+Together(?:\s+to\s+Safeguard\s+Children)?|Keeping\s+Children\s+Safe\s+in\s+Education|"
    r"Jay\s+(?:Report|Inquiry)|Achieving\s+Best\s+Evidence|Child\s+[A-Z]\b|Sibling\s+[A-Z]\b|"
    r"Children\s+Act|Victoria\s+Climbi[eé]|Arthur\s+Labinjo-Hughes|Star\s+Hobson|"
    r"[A-Z][a-z]+['\u2019]s\s+Law|McDonald['\u2019]s|King['\u2019]s\s+(?:Lynn|Cross)|Bishop['\u2019]s\s+Stortford|"
    r"Shepherd['\u2019]s\s+Bush|Earl['\u2019]s\s+Court|Queen['\u2019]s\s+Park|Sky\s+(?:TV|Sports|Go|Q|Glass|Kids|engineer|box|remote|account|package|subscription)|Ask\s+Frank|\b[A-Z][a-z]{1,30}(?:['\u2019]s)?\s+(?:four\s+)?(?i:model|continuum|framework|toolkit|triangle|scale|questionnaire|checklist|preconditions|theory)|(?i:\b[a-z]{1,30}['\u2019]?s\s+law|lucy\s+faithfull|marie\s+collins|stop\s+it\s+now|gillick\s*(?:/|and|&|or)\s*fraser|fraser\s*(?:/|and|&|or)\s*gillick)|Papyrus|Kooth|Teams|Mind|Fraser\s+(?:guidelines?|competen\w+|ruling)|(?i:fraser)\s+(?:guidelines?|competen\w*|ruling|criteria)|Gillick)\b",
)

def age_after_capitalised(text: str, t: Tok, cls: Classes) -> bool:
    m = AGE_AFTER_RE.match(text, t.end)
    if not m:
        return False
    if not cls.common(t.low) or cls.first(t.low):
        return True
    # An everyday word with a number is usually a heading or a count
    # ("Actions (3):", "Concerns (2)"); only a singular word used as a
    # name passes ("Florin (12), Ionela (9)").
    plural = t.low.endswith("s") and not t.low.endswith(("ss", "us", "is"))
    return not plural and not text[m.end() : m.end() + 2].lstrip().startswith(":")


def person_in_context(text: str, t: Tok, i: int, toks: list[Tok], cls: Classes) -> bool:
    """A capitalised word that the words around it make a person.

    These cues are what writers use in place of a title: a relative of the
    person's own ("May and her brother"), an apposition ("Frank, the
    grandfather"), a verb only people do ("Ed told"), a role before it ("her
    brother Kingston", "her key worker is Blessing"). Each needs the word to
    be a first name or unknown, so "However, the mother" stays clean.
    """
    low = t.low
    lex = cls.lex
    month = low in MONTH_NAMES
    first = cls.first(low)
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    person_verb = nxt is not None and nxt.low in PERSON_VERBS and between(text, t, nxt).strip() == ""
    if first and person_verb and low not in ROLE_WORDS and not month:
        return True  # "Ed told": a short first name that is also sector shorthand
    if low in lex.sector or low in HOLIDAYS or (low in CALENDAR and not month):
        return False
    unknown = not cls.common(low) and low not in lex.places
    if month:
        # Months are names only with a person's verb or relative, and never
        # after "in", "on", "by", "since"...
        if dated(prev):
            return False
        return bool(AND_RELATIVE_RE.match(text, t.end) or PERSON_HAS_RE.match(text, t.end) or person_verb)
    if AND_RELATIVE_RE.match(text, t.end) and (first or unknown or (t.initial and len(t.core) <= 3)):
        return True
    if (first or unknown) and APPOSITION_RE.match(text, t.end):
        return True
    if t.initial or not (first or unknown or low in lex.places):
        return False
    next_title = nxt is not None and nxt.cap and between(text, t, nxt).strip() == ""
    if next_title or number_follows(text, t):
        return False
    # "her brother Kingston": a place-like word straight after a relative
    # that belongs to someone.
    if (
        prev is not None
        and prev.low in RELATION_CUES
        and between(text, prev, t) == " "
        and i >= 2
        and (toks[i - 2].low in {"her", "his", "their", "my", "our", "your"} or toks[i - 2].possessive)
    ):
        return True
    return (
        (first or unknown) and low not in DESCRIPTORS and _role_is_before(text, t.start)
    )


_IS_OR_WAS_RE = re.compile(r"(?:is|was)\s+$", re.I)


def _role_is_before(text: str, start: int) -> bool:
    """Does "her key worker is " (a role, a few words and "is") end right before ``start``?"""
    window = text[max(0, start - 80) : start]
    # The role pattern tries every place in the window; "is" or "was" must end it,
    # and checking that first spares the search almost every time.
    if not _IS_OR_WAS_RE.search(window, max(0, len(window.rstrip()) - 3)):
        return False
    return bool(ROLE_IS_RE.search(text, max(0, start - 80), start))



def acronym_safe(low: str, lex: Lexicon) -> bool:
    """Two or three capitals that are never initials: sector acronyms and calendar words.

    Places are left out on purpose: SCOWL's proper nouns hold state and
    province codes ("MB", "NH"), which are far more often someone's initials here.
    """
    return low in lex.sector or low in CALENDAR


def owned_relative(toks: list[Tok], j: int) -> bool:
    """Is toks[j] a relative or role that belongs to someone ("her brother", "mum's partner", "older cousin")?"""
    if j < 1 or toks[j].low not in RELATION_CUES:
        return False
    before = toks[j - 1]
    if before.low in OWNERS or before.possessive or before.low in KIN_ADJECTIVES:
        return True
    return j >= 2 and before.low in KIN_ADJECTIVES and (toks[j - 2].low in OWNERS or toks[j - 2].possessive)


# What follows a person and seldom the everyday word: "summer now not attending",
# "bran is dealing", "will 'doesnt understand'".



def acts_like_a_person(text: str, toks: list[Tok], i: int) -> bool:
    t = toks[i]
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.low in MODALS or t.low in CALENDAR or (t.low in SEASONS and prev is not None and prev.low in SEASON_BEFORE):
        return False  # "will attend", "may be", "in summer"
    if prev is not None and prev.low in WORD_BEFORE and between(text, prev, t) == " ":
        return False
    gap = between(text, t, nxt) if nxt is not None else ""
    return nxt is not None and gap == " " and nxt.low in PERSON_NEXT


def dated(prev: Tok | None) -> bool:
    """Is a month after ``prev`` the month, not a person ("in June", "since May", "3 April")?"""
    return prev is not None and (prev.low in STOP or prev.low in SEASON_BEFORE or prev.low.isdigit())


def number_follows(text: str, t: Tok) -> bool:
    """Does a number come straight after ``t`` ("called Dec 5", "June 2024")?"""
    return re.match(r"\s*\d", text[t.end : t.end + 3]) is not None


