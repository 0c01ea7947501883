"""Name rules for lower-case words that are also English words ("summer", "will", "rose"),
judged by the slot a person stands in: a relative before, an age or a person's verb after,
a possessive relative after, a telling verb before; a surname before "family"; nicknames.

Hurried notes drop every capital, so "summer" the season and "summer" the girl differ only
by the words around them. Each rule here is ``rule(s, a) -> bool | None`` (``scanstate.py``)
and runs after the cue rules, before a lower-case word is given up on.
"""

from __future__ import annotations

import re

from anonymity.detector.context import NAMING_CUES, RELATION_ALT, owned_relative
from anonymity.detector.scanstate import At, Scan
from anonymity.detector.tokens import Tok
from anonymity.detector.vocabulary import (
    ABSTRACT_NAMES,
    ARTICLES,
    CALENDAR,
    DESCRIPTORS,
    DETERMINERS,
    ENDEARMENTS,
    ENGLISH_ENDINGS,
    FAMILY_CUE_NOUNS,
    HOLIDAYS,
    KIN_ADJECTIVES,
    MODALS,
    NAMING_CUE_ENDS,
    NICKNAME_MODIFIERS,
    NOT_NAME_AFTER_CUE,
    NOT_NICKNAMES,
    NUMBER_NOUNS,
    OWNERS,
    PERSON_NEGATIONS,
    PLACE_BEFORE,
    PRONOUNS,
    RELATION_CUES,
    REPORTING_VERBS,
    ROLE_WORDS,
    SEASONS,
    SLOT_FOLLOWERS,
    SLOT_VERBS,
    STOP,
    TELLING_VERBS,
    TITLES,
    VERB_PARTICLES,
)

_DIGIT_SOON_RE = re.compile(r"[^\d\n]{0,10}\d")
_BE_HAVE = frozenset({"is", "was", "has", "had"})

# "grace (11)", "summer 14 has", "jade, 9, and", "lily, 6." : a bare age after a word, then
# the end of the phrase (not "page 12 of", "mark 10/10", "will 2 weeks").
LOWER_AGE_RE = re.compile(
    r"\s*\(\s*(?:yr|year|y)\s*\d{1,2}\s*\)|(?:\s*\(\s*(?:aged?\s+)?|,?\s+(?:aged?\s+)?)(\d{1,2})(?:\s*(?:yo|y/o|yrs?|years?(?:\s+old)?))?"
    r"(?=\s*(?:[),;.]|$|\s(?:and|&|who|in|at|yr|year|m|f|male|female|"
    + "|".join(sorted(SLOT_VERBS))
    + r")\b))",
)
_STRONG_KEYS = ("known", "goes", "nicknam", "real", "call")
# "k-jay (real name kwame)", "bill - actually wilhelm": a nickname the writer then explains.
REAL_NAME_AFTER_RE = re.compile(
    r"\s*(?:\(\s*|[-\u2013,]\s*)(?:real\s+name|full\s+name|actual\s+name|actually|aka|a\.k\.a\.?|real\s+name\s+is)\b",
    re.I,
)
# The strongest naming cues, after which even an English word is a nickname:
# "known as spider", "goes by tiny", "everyone calls him big mo".
STRONG_NAMING_RE = re.compile(
    r"\b(?:known(?:\s+\w+){0,3}\s+as|goes\s+by|nicknamed|nickname\s+is|real\s+name(?:\s+is)?|"
    r"calls?\s+(?:him|her|them)(?:self|selves)?|(?:everyone|everybody)\s+calls?|"
    # "an older lad called ace": a person, then "called"
    r"(?:lad|man|boy|girl|woman|guy|bloke|someone|fella|person|kid)\s+called)"
    r"\s*[\"'\u2018\u201c(]?\s*(?:big\s+|little\s+|lil\s+|young\s+)?$",
    re.I,
)


def _person_word(s: Scan, a: At) -> bool:
    """A lower-case first name that is no role, title, calendar word or stop word."""
    low = a.low
    return (
        not a.t.cap
        and len(low) >= 3
        and low in s.lex.first
        # An English word is a person here only when it is a known word-name ("summer",
        # "will"), not any word some name list holds ("see", "first").
        and (low in s.lex.word_names or not s.cls.common(low))
        and low not in STOP
        and low not in ROLE_WORDS
        and low not in TITLES
        and low not in RELATION_CUES
        and low not in CALENDAR
        and low not in HOLIDAYS
        and low not in s.lex.sector
    )


def _clause_goes_on(s: Scan, a: At) -> bool:
    """After the word: the end, punctuation, or a word that starts or carries on a clause."""
    if a.nxt is None:
        return True
    if a.gap_after.strip() and a.gap_after.strip()[0] in ",.;:)!?-\u2013":
        return True
    return a.gap_after == " " and a.nxt.low in SLOT_FOLLOWERS


def _person_verb_next(a: At) -> bool:
    return a.nxt is not None and a.gap_after == " " and a.nxt.low in SLOT_VERBS


def _after_determiner(a: At) -> bool:
    """"the hope", "her will", "at dawn", "in summer": where the word stands, not a person."""
    return (
        a.prev is not None
        and a.gap_before == " "
        and (a.prev.low in DETERMINERS or a.prev.low in PRONOUNS or a.prev.low in PLACE_BEFORE or a.prev.low in {"on", "by"})
    )


def after_saint(s: Scan, a: At) -> bool | None:
    """"St Mary's church hall", "st john's": a saint's name is a church or school's, not a person's
    (the school rules decide whether the whole is identifying)."""
    prev = a.prev
    if prev is not None and prev.low in {"st", "saint"} and a.gap_before in {" ", ". "}:
        return False
    return None


def word_name_after_relative(s: Scan, a: At) -> bool | None:
    """"her mate summer about the pics", "bro bill - actually...", "friend will (yr 11)": a first
    name that is also a word, straight after a relative, where the clause goes on as for a person.

    A modal needs a person's verb or an age after it ("dad will attend" stays clean);
    other words also pass before a clause word or punctuation ("sister rose up" stays clean).
    """
    t, prev = a.t, a.prev
    if prev is None or prev.low not in RELATION_CUES or a.gap_before != " " or not _person_word(s, a):
        return None
    if prev.low in ROLE_WORDS and prev.low not in RELATION_CUES:
        return None
    if prev.possessive:
        return None  # "mum's hope", "dad's will": the relative's thing, not a person
    aged = bool(LOWER_AGE_RE.match(s.text, t.end))
    verb = _person_verb_next(a) and not (a.low in ABSTRACT_NAMES and a.nxt is not None and a.nxt.low in _BE_HAVE)
    strong = aged or verb or t.possessive or bool(REAL_NAME_AFTER_RE.match(s.text, t.end))
    if a.low in MODALS:
        return True if strong else None
    if a.low in NOT_NAME_AFTER_CUE:
        # "sister rose to the challenge", "dad drew on it": a verb, unless the clause goes on otherwise.
        goes_on = _clause_goes_on(s, a) and not (a.nxt is not None and a.nxt.low in PLACE_BEFORE | VERB_PARTICLES | {"and", "on", "for", "with"})
        return True if strong or goes_on else None
    if strong or _clause_goes_on(s, a):
        return True
    # "her mate summer's": owned relatives are strong enough with any word after but a verb's object.
    if owned_relative(s.toks, a.i - 1) and a.nxt is not None and a.nxt.low not in DETERMINERS and a.nxt.low not in VERB_PARTICLES:
        return True
    return None


# "rose her step mum films her": a first name, then whose relative the person is.
OWN_RELATIVE_AFTER_RE = re.compile(
    rf"\s+(?:her|his|their|my)\s+(?:(?:step|older|younger|little|big|half|twin|best|new)\s*-?\s*)?(?:{RELATION_ALT})\b"
)


def first_name_before_own_relative(s: Scan, a: At) -> bool | None:
    """"that rose her step mum films her", "dawn his nan": a lower-case first name in apposition
    to a relative."""
    if a.nxt is None or a.nxt.low not in OWNERS:
        return None
    owned = a.prev is not None and (a.prev.low in ARTICLES or a.prev.low in OWNERS)
    if _person_word(s, a) and a.low not in MODALS and not owned and OWN_RELATIVE_AFTER_RE.match(s.text, a.t.end):
        return True
    return None


def first_name_before_who(s: Scan, a: At) -> bool | None:
    """"and dawn who is mums best friend", "told grace who then told": "who" follows a person;
    not a modal ("will who"), nor after an article ("the hope who")."""
    if (
        a.nxt is not None
        and a.nxt.low in {"who", "whose"}
        and _person_word(s, a)
        and a.low not in MODALS
        and not _after_determiner(a)
        and a.gap_after.strip() in {"", ","}
    ):
        return True
    return None


def first_name_before_negation(s: Scan, a: At) -> bool | None:
    """"poppy doesnt want to go", "summer won't say": a lower-case first name with a person's
    negated verb after it."""
    if (
        a.nxt is not None
        and a.gap_after == " "
        and a.nxt.low.replace("'", "").replace("\u2019", "") in PERSON_NEGATIONS
        and _person_word(s, a)
        and a.low not in MODALS
        and not _after_determiner(a)
    ):
        return True
    return None


def short_name_after_relative(s: Scan, a: At) -> bool | None:
    """"the coach gav gave her lifts", "uncle baz is 40": a short word in no list after a relative,
    doing what a person does (not slang or text-speak: "mum tbh", "bro innit")."""
    t, prev, low, cls = a.t, a.prev, a.low, s.cls
    if (
        not t.cap
        and prev is not None
        and prev.low in RELATION_CUES
        and a.gap_before == " "
        and 3 <= len(low) <= 8
        and low.replace("-", "").isalpha()
        and any(v in low for v in "aeiouy")
        # "jay-d": a hyphenated nickname is common only when every piece is a word
        and not (cls.common(low) if "-" not in low else all(len(p) >= 2 and cls.common(p) for p in low.split("-")))
        and not cls.safe(low)
        and low not in s.lex.informal
        and low not in STOP
        and (_person_verb_next(a) or LOWER_AGE_RE.match(s.text, t.end) or REAL_NAME_AFTER_RE.match(s.text, t.end))
    ):
        return True
    return None


def lower_first_name_with_age(s: Scan, a: At) -> bool | None:
    """"summer 14 has been missing", "kids (marcus 10, jade 7)", "lily, 6.": a bare age after a
    lower-case first name (not "page 12", a month, or a modal)."""
    t = a.t
    if (
        _DIGIT_SOON_RE.match(s.text, t.end)
        and _person_word(s, a)
        and a.low not in MODALS
        and a.low not in NUMBER_NOUNS
        and not _after_determiner(a)
        and (age := LOWER_AGE_RE.match(s.text, t.end))
        # "summer 2", "autumn 1": school half-terms, not ages
        and not (a.low in SEASONS and age.group(1) is not None and int(age.group(1)) < 3)
    ):
        return True
    return None


def told_first_name(s: Scan, a: At) -> bool | None:
    """"disclosed to summer in form time", "told will that", "confided in rose about it": a
    lower-case first name after a telling verb, where a clause goes on."""
    toks, i = s.toks, a.i
    if i < 1 or not (toks[i - 1].low in TELLING_VERBS or toks[i - 1].low in {"to", "with", "w", "in"}):
        return None
    if not _person_word(s, a):
        return None
    j = i - 1
    if j >= 1 and (
        toks[j].low in {"to", "with", "w"} or (toks[j].low == "in" and toks[j - 1].low.startswith("confid"))
    ):
        j -= 1  # "disclosed to summer", "spoke w crystal", "confided in rose"; not "talked in summer"
    if toks[j].low in {"said", "saying"} and j == i - 1:
        return None  # "said grace at dinner", "said sorry": what was said; "said to rose" is whom
    if toks[j].low not in TELLING_VERBS or any(s.text[toks[k].end : toks[k + 1].start] != " " for k in range(j, i)):
        return None
    if a.low in SEASONS and a.nxt is not None and a.gap_after == " " and a.nxt.low not in SLOT_FOLLOWERS:
        return None
    if a.low in ABSTRACT_NAMES and a.nxt is not None and a.nxt.low in _BE_HAVE:
        return None  # "told hope is all she has"
    if _clause_goes_on(s, a) or _person_verb_next(a):
        return True
    return None


def first_name_with_relative_after(s: Scan, a: At) -> bool | None:
    """"will's mum rang", "summers dad has a conviction", "holly's mum": a lower-case first name
    owning a relative (with or without the apostrophe)."""
    t, nxt, lex = a.t, a.nxt, s.lex
    # The gap after the whole token, its "'s" included.
    gap = s.text[t.start + len(t.text) : nxt.start] if nxt is not None else ""
    if t.cap or nxt is None or gap != " " or nxt.low not in RELATION_CUES or _after_determiner(a):
        return None
    if t.possessive:
        stem = a.low
    elif a.low.endswith("s") and not a.low.endswith("ss"):
        stem = a.low[:-1]
    else:
        return None
    if (
        len(stem) >= 3
        and stem in lex.first
        and stem not in ROLE_WORDS
        and stem not in RELATION_CUES
        and stem not in STOP
        and stem not in CALENDAR
        and stem not in lex.sector
        and not (not t.possessive and s.cls.common(a.low) and stem not in lex.word_names)
    ):
        return True
    return None


def surname_before_family(s: Scan, a: At) -> bool | None:
    """"the okonkwo family", "visited the kaur household", "the chen children": a surname
    naming a family; not an English word ("the foster family", "the whole family")."""
    t, prev, nxt, low, cls = a.t, a.prev, a.nxt, a.low, s.cls
    if (
        prev is not None
        and prev.low == "the"
        and a.gap_before == " "
        and nxt is not None
        and a.gap_after == " "
        and nxt.low in FAMILY_CUE_NOUNS
        and len(low) >= 3
        and not t.upper
        and low.replace("-", "").isalpha()
        and not cls.common(low)
        and not cls.safe(low)
        and low not in s.lex.informal
        and low not in DESCRIPTORS
        and low not in STOP
    ):
        return True
    return None


def nickname_explained(s: Scan, a: At) -> bool | None:
    """"k-jay (real name kwame)", "bill - actually wilhelm": the writer explains the nickname."""
    t, prev = a.t, a.prev
    if (
        a.gap_after.strip()[:1] in {"(", "-", "\u2013", ","}
        and len(t.core) >= 2
        and not t.upper
        and REAL_NAME_AFTER_RE.match(s.text, t.end)
        and a.low not in STOP
        and a.low not in ROLE_WORDS
        and not s.cls.safe(a.low)
        # "by the older males (real name...)", "on road, real name...": not where a name stands
        and not (prev is not None and (prev.low in DETERMINERS or prev.low in PLACE_BEFORE or prev.low in {"on", "by"} or prev.low in KIN_ADJECTIVES))
        and not (s.cls.common(a.low) and a.low.endswith("s"))
    ):
        return True
    return None


def common_word_nickname(s: Scan, a: At) -> bool | None:
    """"known as spider round the park", "goes by tiny", "calls him big mo": after the strongest
    naming cues even an English word is a nickname (not an endearment, sector word or "-ing" word)."""
    t, low = a.t, a.low
    if a.prev is None or t.upper or len(low) < 2:
        return None
    if a.prev.low not in NAMING_CUE_ENDS and not a.gap_before.strip():
        return None  # every strong cue ends with one of these words, or a quote or bracket
    before = s.text[max(0, t.start - 40) : t.start]
    # Every strong cue holds one of these; looking for them is far cheaper than the pattern.
    lowered = before.lower()
    if not any(key in lowered for key in _STRONG_KEYS) or not STRONG_NAMING_RE.search(before):
        return None
    if (
        low in STOP
        or low in NOT_NICKNAMES
        or low in ENDEARMENTS
        or low in s.lex.informal
        or low in s.lex.sector
        or low in DETERMINERS
        or low in ROLE_WORDS
        or low in CALENDAR
        or low.endswith(ENGLISH_ENDINGS)
    ):
        return None
    cue = STRONG_NAMING_RE.search(before)
    if cue and re.search(r"\bknown\s+to\b", cue.group(0), re.I) and s.cls.common(low):
        return None  # "known to police as violent": how services know them, not a nickname
    if _clause_goes_on(s, a) or _person_verb_next(a) or (a.nxt is not None and a.nxt.low in REPORTING_VERBS):
        return True
    return None


def modifier_before_nickname(s: Scan) -> None:
    """"calls him big dee", "known as lil t": the modifier is part of the nickname."""
    toks, is_name = s.toks, s.is_name
    for i in range(1, len(toks)):
        m = toks[i - 1]
        if (
            is_name[i]
            and not is_name[i - 1]
            and m.low in NICKNAME_MODIFIERS
            and s.text[m.end : toks[i].start] == " "
            and _naming_cue_before(s, m)
        ):
            is_name[i - 1] = True


def _naming_cue_before(s: Scan, t: Tok) -> bool:
    before = s.text[max(0, t.start - 40) : t.start]
    return bool(NAMING_CUES.search(before) or STRONG_NAMING_RE.search(before))
