"""Passes over the whole text once each token is judged: grow names into full names,
spread them through lists and later mentions, and join them into findings.

Each pass is ``pass_(s: Scan) -> None`` and changes ``s.is_name``; ``names.py`` runs
them in order, then ``name_findings`` turns runs of name tokens into findings.
"""

from __future__ import annotations

from anonymity.detector.context import acts_like_a_person, dated
from anonymity.detector.findings import Finding
from anonymity.detector.scanstate import Scan
from anonymity.detector.tokens import between
from anonymity.detector.vocabulary import (
    CALENDAR,
    KIN_TITLES,
    MODALS,
    MONTH_NAMES,
    NOT_NAME_AFTER_CUE,
    PRONOUNS,
    RELATION_CUES,
    REPORTING_VERBS,
    ROLE_WORDS,
    STOP,
    SURNAME_PARTICLES,
    TITLES,
)


def following_surnames(s: Scan) -> None:
    """"Grace Carter", "amelia hartley", "Ruud van Dijk": a name takes the surname after it."""
    text, toks, is_name, cls, lex = s.text, s.toks, s.is_name, s.cls, s.lex
    n = len(toks)
    for i in range(n - 1):
        if is_name[i] and not is_name[i + 1]:
            a, b = toks[i], toks[i + 1]
            gap = between(text, a, b)
            if s.blocked(b) or "\n" in gap or gap.strip() not in {"", "."} or a.possessive:
                continue
            if gap.strip() == "." and len(a.core) != 1:
                continue
            if (
                (b.cap and (cls.namey(b) or (b.low in lex.surnames and not cls.safe(b.low))))
                or (
                    not b.cap
                    and not a.cap
                    and not cls.common(b.low)
                    and not cls.safe(b.low)
                    and b.low not in lex.informal
                    and len(b.low) > 2
                )
                or (b.low in SURNAME_PARTICLES and i + 2 < n and toks[i + 2].cap)
                or _titled_first_name_then_word(s, i)
            ):
                is_name[i + 1] = True


def _titled_first_name_then_word(s: Scan, i: int) -> bool:
    """"Mr Adrian Pop": after a title and a first name, a capitalised word is the surname even
    when it is an English word (not a stop word, verb or sector term: "Mr Adrian Will attend")."""
    toks, cls = s.toks, s.cls
    if i < 1 or i + 1 >= len(toks):
        return False
    title, first, b = toks[i - 1], toks[i], toks[i + 1]
    return (
        title.low in TITLES
        and title.cap
        and first.cap
        and cls.first(first.low)
        and b.cap
        and not b.upper
        and not b.initial
        and b.low not in STOP
        and b.low not in MODALS
        and b.low not in REPORTING_VERBS
        and not cls.safe(b.low)
    )


def preceding_first_names(s: Scan) -> None:
    """"Precious and Blessing Mensah", "Will Okafor": a first name straight before a name is part of
    it, even when it is also an everyday word or place."""
    text, toks, is_name, cls, lex = s.text, s.toks, s.is_name, s.cls, s.lex
    for i in range(len(toks) - 2, -1, -1):
        a, b = toks[i], toks[i + 1]
        if (
            is_name[i + 1]
            and not is_name[i]
            and not s.blocked(a)
            and a.cap
            and not a.upper
            and not a.possessive
            and between(text, a, b) == " "
            and (cls.first(a.low) or a.low in MONTH_NAMES)
            and a.low not in ROLE_WORDS
            and a.low not in TITLES
            and a.low not in RELATION_CUES
            and (a.low not in CALENDAR or a.low in MONTH_NAMES)
            # "in May Okafor"? a month after "in" is the month; any other first name
            # after a stop word still is one ("that Lee Chen (19)").
            and not (i and a.low in MONTH_NAMES and dated(toks[i - 1]))
            and a.low not in lex.sector
        ):
            is_name[i] = True


def lower_first_names_before_surnames(s: Scan) -> None:
    """"mums ex mark kowalski", "bill carter turned up": a lower-case first name straight before a
    lower-case surname already found is part of the name, even when it is an everyday word."""
    text, toks, is_name, lex = s.text, s.toks, s.is_name, s.lex
    for i in range(len(toks) - 2, -1, -1):
        a, b = toks[i], toks[i + 1]
        if (
            is_name[i + 1]
            and not is_name[i]
            and not a.cap
            and not b.cap
            and not a.possessive
            and not s.blocked(a)
            and between(text, a, b) == " "
            and a.low in lex.first
            and (a.low in lex.word_names or not s.cls.common(a.low))
            and len(a.low) >= 3
            and not s.cls.common(b.low)
            # "asked me to chase haroon", "we mark amir": a verb before its object
            and not (i and (toks[i - 1].low == "to" or toks[i - 1].low in MODALS or toks[i - 1].low in PRONOUNS))
            and a.low not in MODALS
            and a.low not in STOP
            and a.low not in ROLE_WORDS
            and a.low not in RELATION_CUES
            and a.low not in CALENDAR
            and a.low not in lex.sector
        ):
            is_name[i] = True


def kin_titles(s: Scan) -> None:
    """"Auntie Shaz", "Uncle Ray": a capitalised kinship word used as a title is part of the name."""
    text, toks, is_name = s.text, s.toks, s.is_name
    for i in range(1, len(toks)):
        a = toks[i - 1]
        kin = a.cap and a.low in KIN_TITLES and not a.possessive
        if kin and is_name[i] and not is_name[i - 1] and between(text, a, toks[i]) == " ":
            is_name[i - 1] = True


def lists_of_people(s: Scan) -> None:
    """"zain, aleena and musa": one name in a list makes the other single words names too when
    they are no English word either, so "Sam, the school and mum" stays as it is."""
    text, toks, is_name, cls, lex = s.text, s.toks, s.is_name, s.cls, s.lex
    n = len(toks)
    pairs = []
    for a in range(n - 1):
        if between(text, toks[a], toks[a + 1]).strip() in {",", "&", "+", "/"}:
            pairs.append((a, a + 1))
        elif (
            a + 2 < n
            and toks[a + 1].low in {"and", "or", "&", "n", "+"}
            and between(text, toks[a], toks[a + 1]).strip() in {"", ","}
            and between(text, toks[a + 1], toks[a + 2]).strip() == ""
        ):
            pairs.append((a, a + 2))
    # A name spreads along the list to every word that may take it: a walk over the
    # pairs from the names, each word visited once (the result of repeating the
    # spread until nothing changes, in time linear in the list).
    neighbours: dict[int, list[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)

    def may_take_name(dst: int) -> bool:
        s.evaluations += 1
        d = toks[dst]
        return (
            not is_name[dst]
            and not s.blocked(d)
            and dst not in s.places
            and len(d.core) >= 3
            and not d.upper
            and d.low not in STOP
            and d.low not in lex.informal  # "the pics and summer": slang is no one's name
            and (
                not cls.common(d.low)
                or (d.cap and (d.low in lex.word_names or cls.first(d.low)) and d.low not in MODALS)
                or (d.low in lex.word_names and d.low not in NOT_NAME_AFTER_CUE)
            )
            and not cls.safe(d.low)
            and (d.low not in lex.places or (d.cap and cls.first(d.low)))
        )

    todo = [i for i in neighbours if is_name[i]]
    while todo:
        src = todo.pop()
        for dst in neighbours[src]:
            if may_take_name(dst):
                is_name[dst] = True
                todo.append(dst)


def later_mentions(s: Scan) -> None:
    """Once a word is a name in this text it is a name wherever it appears: writers give the cue
    once ("(Callum)") and then drop it, the capital or the apostrophe ("mum is callums main carer")."""
    text, toks, is_name, cls = s.text, s.toks, s.is_name, s.cls
    known = {
        t.low
        for i, t in enumerate(toks)
        if is_name[i]
        and len(t.core) >= 3
        and not t.upper
        and t.low not in TITLES
        and t.low not in KIN_TITLES
        and t.low not in RELATION_CUES
    }
    if not known:
        return
    for i, t in enumerate(toks):
        if is_name[i] or s.blocked(t) or t.low in STOP:
            continue
        if cls.safe(t.low) and not (t.low in MONTH_NAMES and t.cap and not (i and dated(toks[i - 1]))):
            continue
        base = t.low if t.low in known else t.low[:-1] if t.low.endswith("s") and t.low[:-1] in known else None
        if base is None:
            continue
        everyday = cls.common(base)
        if (t.cap and not (everyday and t.initial)) or (not t.cap and not everyday):
            is_name[i] = True
        elif not t.cap and base == t.low and acts_like_a_person(text, toks, i):
            # "Summer told me... summer now not attending": an everyday word already a
            # person in this text, doing what people do, and not where the word would
            # stand ("the summer", "in summer").
            is_name[i] = True


def pasted_surname_first(s: Scan) -> None:
    """"SMITH, Kezia", "OKAFOR, Daniel": a name pasted from a case system, surname first in
    capitals; marked as one span with the first name after it."""
    text, toks, is_name, cls = s.text, s.toks, s.is_name, s.cls
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if (
            is_name[i + 1]
            and a.upper
            and len(a.core) >= 2
            and between(text, a, b) == ", "
            and b.cap
            and not b.upper
            and not s.blocked(a)
            and (a.low in s.lex.surnames or not cls.common(a.low))
            and not cls.safe(a.low)
            and a.low not in STOP
        ):
            is_name[i] = True
            s.joins.add(i)


def couples(s: Scan) -> None:
    """"Mr and Mrs Patel": two titles joined by "and" before one surname are one span."""
    text, toks, is_name = s.text, s.toks, s.is_name
    for i in range(len(toks) - 3):
        a, conj, b, name = toks[i], toks[i + 1], toks[i + 2], toks[i + 3]
        if (
            is_name[i + 3]
            and is_name[i + 2]
            and a.low in TITLES
            and b.low in TITLES
            and conj.low in {"and", "&"}
            and a.cap
            and not name.upper
            and between(text, a, conj) == " "
            and between(text, conj, b) == " "
        ):
            is_name[i] = is_name[i + 1] = True
            s.joins.add(i)
            s.joins.add(i + 1)


def surname_initials(s: Scan) -> None:
    """"Kacper W", "Shwan A.": a first name and the initial of the surname are one span."""
    text, toks, is_name = s.text, s.toks, s.is_name
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if (
            is_name[i]
            and not is_name[i + 1]
            and a.cap
            and not a.possessive
            and len(b.core) == 1
            and b.cap
            and between(text, a, b) == " "
            and b.core != "I"
            and (b.core != "A" or text[b.end : b.end + 1] == ".")
            and not text[b.end : b.end + 1].isalnum()
            and not s.blocked(b)
        ):
            is_name[i + 1] = True


def name_findings(s: Scan) -> list[Finding]:
    """Runs of name tokens joined into one finding each: "Mr J Smith", "Dr. Adeyemi"; not across
    a line, a comma or a possessive, nor a full stop after a word ("jayden. May and her brother")."""
    text, toks, is_name = s.text, s.toks, s.is_name
    n = len(toks)
    findings: list[Finding] = []
    i = 0
    while i < n:
        if not is_name[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and is_name[j + 1]:
            if j in s.joins:
                j += 1
                continue
            gap = between(text, toks[j], toks[j + 1])
            if gap.strip() not in {"", "."} or "\n" in gap or toks[j].possessive:
                break
            if gap.strip() == "." and len(toks[j].core) != 1 and toks[j].low not in TITLES:
                break
            j += 1
        last = toks[j]
        # "Jack's": the possessive is marked with the name it belongs to.
        end = last.start + len(last.text) if last.possessive else last.end
        findings.append(Finding("name", toks[i].start, end, text[toks[i].start : end]))
        i = j + 1
    return findings
