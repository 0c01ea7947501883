"""Name rules for a word on its own: capitals, lower-case words, unknown words, word-names.

They run after the cue rules (``cue_rules.py``); each is ``rule(s, a) -> bool | None``.
"""

from __future__ import annotations

import re

from anonymity.detector.context import AGE_AFTER_RE, AND_RELATIVE_RE, acronym_safe
from anonymity.detector.scanstate import At, Scan
from anonymity.detector.vocabulary import (
    ABSTRACT_NAMES,
    ARTICLES,
    CALENDAR,
    DETERMINERS,
    NOT_AFTER_NAME,
    PERSON_VERBS,
    PLACE_BEFORE,
    PREFIXES,
    PRONOUNS,
    RELATION_CUES,
    REPORTING_VERBS,
    ROLE_WORDS,
    SEASON_BEFORE,
    SEASONS,
    STOP,
    UPPER_WORDS,
)

_YEAR_AFTER_RE = re.compile(r"\s+(?:19|20)?\d\d\b")
_DIGIT_RE = re.compile(r"\d")


def in_capitals(s: Scan, a: At) -> bool | None:
    """Acronyms pass; "KM is in foster care", "KM's brother", "KB (14)" are initials; "JAYDEN" a name.

    Two capitals are initials more often than words ("KM", not "km" the
    distance); three may be a word in capitals ("KEY", "NEW").
    """
    t, prev, nxt, low, cls, text = a.t, a.prev, a.nxt, a.low, s.cls, s.text
    if not t.upper:
        return None
    plain = low in STOP or low in UPPER_WORDS if len(t.core) == 2 else cls.common(low)
    if 2 <= len(t.core) <= 3 and not acronym_safe(low, s.lex) and not plain and not text[t.end : t.end + 1].isdigit():
        owned = prev is not None and (prev.low in DETERMINERS) and a.gap_before == " "
        verb = nxt is not None and nxt.low in REPORTING_VERBS and a.gap_after.strip() == ""
        aged = bool(AGE_AFTER_RE.match(text, t.end))
        return not owned and (verb or t.possessive or aged)
    return len(t.core) >= 4 and cls.first(low) and not cls.common(low) and not cls.safe(low)


def safe_word(s: Scan, a: At) -> bool | None:
    """Sector vocabulary, places, calendar and stop words are never names on their own."""
    if s.cls.safe(a.low) or a.low in STOP:
        return False
    return None


def lower_first_name_with_verb(s: Scan, a: At) -> bool | None:
    """"ivy told her TA", "rose said", "will and his brother": only a person tells, says or has one."""
    t, prev, nxt, low = a.t, a.prev, a.nxt, a.low
    if (
        not t.cap
        and len(low) >= 3
        and low in s.lex.first
        and low not in ROLE_WORDS
        and low not in CALENDAR
        and not (prev is not None and (prev.low in DETERMINERS or prev.low in PRONOUNS))
        and ((nxt is not None and nxt.low in PERSON_VERBS and a.gap_after == " ") or AND_RELATIVE_RE.match(s.text, t.end))
    ):
        return True
    return None


def lower_place(s: Scan, a: At) -> bool | None:
    """"out of area in kent", "a trip to paris", "moved from jordan"."""
    if not a.t.cap and a.low in s.lex.places and a.prev is not None and a.prev.low in PLACE_BEFORE:
        return False
    return None


def _in_a_code(s: Scan, a: At) -> bool:
    """A piece of a code ("ab99kobi") is not a word at all."""
    return _DIGIT_RE.search(s.text, max(0, a.t.start - 1), a.t.end + 1) is not None


def _determined(a: At, words: frozenset[str]) -> bool:
    return a.prev is not None and a.prev.low in words and a.gap_before == " "


def _before_of(a: At) -> bool:
    return a.nxt is not None and a.nxt.low in NOT_AFTER_NAME and a.gap_after == " "


def lower_family_plural(s: Scan, a: At) -> bool | None:
    """"staying with the okafors", "the lewandowskis": a family by its surname in the plural."""
    t, prev, low, lex, cls = a.t, a.prev, a.low, s.lex, s.cls
    stem = low[:-1]
    if (
        not t.cap
        and prev is not None
        and prev.low == "the"
        and a.gap_before == " "
        and low.endswith("s")
        and len(stem) >= 4
        and stem.isalpha()
        and not cls.common(stem)
        and not cls.common(low)
        and not cls.safe(stem)
        and not cls.safe(low)
        and low not in lex.informal
        and stem not in lex.informal
        # plural nouns the word list lacks: "the facilitators", "the sleepovers"
        and not stem.endswith(_NOUN_ENDINGS)
        and not cls.glued(stem)
    ):
        return True
    return None


_NOUN_ENDINGS = ("ator", "tor", "tion", "sion", "ment", "ness", "ing", "ist", "ism", "ery", "ology")


def lower_known_first_name(s: Scan, a: At) -> bool | None:
    """"saw rui", "text from liesel": a lower-case first name that is no English word.

    Not after an article ("the kobi", "a dara": a thing, whatever the name lists say).
    """
    low = a.low
    if (
        not a.t.cap
        and not s.cls.common(low)
        and low in s.lex.first
        and len(low) >= 3
        and "-" not in low
        and not _determined(a, ARTICLES)
        and not _in_a_code(s, a)
    ):
        return True
    return None


def lower_between_verbs(s: Scan, a: At) -> bool | None:
    """"nan says kezia has been...": a word in no list between a speaker's verb and a verb of its own."""
    prev, nxt, low = a.prev, a.nxt, a.low
    if (
        not a.t.cap
        and not s.cls.common(low)
        and len(low) >= 4
        and low.isalpha()
        and low not in s.lex.surnames
        and nxt is not None
        and nxt.low in REPORTING_VERBS
        and a.gap_after == " "
        and prev is not None
        and (prev.low in REPORTING_VERBS or prev.low in RELATION_CUES or prev.low in {"and", "but"})
    ):
        return True
    return None


def lower_stray_word(s: Scan, a: At) -> bool | None:
    """"we saw kezia today": a word in no list that is no typo, slang or compound, where a person can stand."""
    if not a.t.cap and s.cls.stray_word(a.low) and not _determined(a, DETERMINERS) and not _before_of(a):
        return True
    return None


def lower_name_spelling(s: Scan, a: At) -> bool | None:
    """"saw kobi today": a short word in no English list, spelt like a name (``spelling.py``)."""
    if (
        not a.t.cap
        and s.cls.name_spelling(a.low)
        and not _in_a_code(s, a)
        and not _determined(a, DETERMINERS)
        and not _before_of(a)
    ):
        return True
    return None


def lower_hyphenated_names(s: Scan, a: At) -> bool | None:
    """"lily-mae", "jo-ann": every part a first name, one at least no English word."""
    low, lex = a.low, s.lex
    parts = low.split("-")
    if not a.t.cap and "-" in low and all(p in lex.first for p in parts) and any(not s.cls.common(p) for p in parts):
        return True
    return None


def lower_possessive_without_apostrophe(s: Scan, a: At) -> bool | None:
    """"jaydens mum": a possessive typed without its apostrophe."""
    low, lex, cls = a.low, s.lex, s.cls
    if (
        not a.t.cap
        and not cls.common(low)
        and low.endswith("s")
        and len(low) >= 5
        and low not in PREFIXES
        and low not in lex.informal
        and low[:-1] in lex.first
        and not cls.common(low[:-1])
        and low[:-1] not in lex.places
        and not (a.prev is not None and a.prev.low in ARTICLES)
    ):
        return True
    return None


def lower_case_otherwise(s: Scan, a: At) -> bool | None:
    """A lower-case word no rule above made a name is not one."""
    return False if not a.t.cap else None


def hyphenated_first_names(s: Scan, a: At) -> bool | None:
    """"Lily-Rose", "Tyler-Jay": every piece a first name."""
    low = a.low
    if "-" in low and s.cls.first(low) and all(p in s.lex.first for p in low.split("-") if p):
        return True
    return None


def place_after_preposition(s: Scan, a: At) -> bool | None:
    """"lives in Chelsea", "moved to Devon", "a Roma family"."""
    prev = a.prev
    if a.low in s.lex.places and prev is not None and (prev.low in PLACE_BEFORE or prev.low in {"a", "an", "the"}):
        return False
    return None


def unknown_capitalised(s: Scan, a: At) -> bool | None:
    """Capitalised, not an English word, sector term, place or slang: a name, unless it starts a
    sentence with nothing name-like after it ("Hiya, ...")."""
    t, nxt, low, lex, cls = a.t, a.nxt, a.low, s.lex, s.cls
    if cls.common(low) or low in lex.places or low in lex.informal:
        return None
    if (
        not t.initial
        or cls.first(low)
        or low in lex.surnames
        or (nxt and (nxt.low in REPORTING_VERBS or t.possessive or cls.namey(nxt)))
    ):
        return True
    if not nxt or (not re.search(r"\w", a.gap_after) and a.gap_after.strip() in {"", ",", ".", "'s"}):
        return not re.fullmatch(r"[A-Z][a-z]{0,2}", t.core)
    return False


def capitalised_word_name(s: Scan, a: At) -> bool | None:
    """"Grace", "Will", "Chelsea": a first name that is also a word or place, judged by position.

    A name before a surname, with a possessive or an age; at a sentence start only with a
    person's verb; mid-sentence unless inside a Title Case phrase ("Hope Street Project").
    """
    t, prev, nxt, low, lex, cls, text = a.t, a.prev, a.nxt, a.low, s.lex, s.cls, s.text
    if not (low in lex.word_names or low in lex.places) or low in CALENDAR:
        return None
    next_namey = (
        nxt is not None
        and a.tight_next
        and a.gap_after.strip() == ""
        and cls.namey(nxt)
        and (not cls.common(nxt.low) or nxt.low in lex.surnames)
    )
    if low in SEASONS and (
        (prev is not None and prev.low in SEASON_BEFORE) or _YEAR_AFTER_RE.match(text, t.end)
    ):
        return False  # "in Summer 2023", "over the Spring"
    if next_namey or (t.possessive and not t.initial) or AGE_AFTER_RE.match(text, t.end):
        return True
    if t.initial:
        weak = low in ABSTRACT_NAMES and nxt is not None and nxt.low in {"is", "was", "has", "had"}
        return bool(
            (nxt and nxt.low in REPORTING_VERBS and a.gap_after.strip() == "" and not weak)
            or (t.possessive and nxt and not nxt.cap)
            or (nxt and nxt.low == "from" and a.gap_after == " ")  # "Tony from the YOT"
        )
    prev_title = (
        prev is not None
        and prev.cap
        and (not prev.initial or (cls.common(prev.low) and not cls.first(prev.low)))
        and a.gap_before.strip() in {"", "&"}
        and (cls.common(prev.low) or cls.safe(prev.low))
        and prev.low not in RELATION_CUES
    )
    next_title = (
        nxt is not None
        and nxt.cap
        and a.gap_after.strip() in {"", "&"}
        and (cls.common(nxt.low) or cls.safe(nxt.low))
        and not nxt.upper
    )
    return not (prev_title or next_title)
