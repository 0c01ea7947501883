"""Names: every token judged by an ordered list of rules, then passes over the whole text.

The first rule with an opinion decides a token (True: a name, False: not one);
a token no rule decides is not a name. The order matters: cues first (a title,
a naming phrase, a relative, an age), then the word on its own.
"""

from __future__ import annotations

from anonymity.detector import cue_rules, slot_rules, spans, word_rules
from anonymity.detector.context import SAFE_PHRASES
from anonymity.detector.findings import Finding
from anonymity.detector.lexicon import lexicon
from anonymity.detector.places import place_tokens
from anonymity.detector.scanstate import Scan, TokenRule
from anonymity.detector.tokens import Shouted, tokenize
from anonymity.detector.words import MAX_WORD_LEN, Classes

TOKEN_RULES: tuple[TokenRule, ...] = (
    cue_rules.titled,
    slot_rules.after_saint,
    cue_rules.initials,
    cue_rules.form_label,
    cue_rules.naming_cue,
    cue_rules.owned_relative_named,
    cue_rules.relative_named,
    cue_rules.descriptor,
    cue_rules.person_context,
    cue_rules.month_with_age,
    cue_rules.with_age,
    cue_rules.with_date_of_birth,
    cue_rules.with_job_in_brackets,
    cue_rules.with_role_in_brackets,
    word_rules.in_capitals,
    word_rules.safe_word,
    # Stop words, sector terms and acronyms are settled above, so these run on fewer tokens.
    slot_rules.nickname_explained,
    slot_rules.common_word_nickname,
    slot_rules.surname_before_family,
    slot_rules.word_name_after_relative,
    slot_rules.lower_first_name_with_age,
    slot_rules.first_name_before_own_relative,
    slot_rules.first_name_before_who,
    slot_rules.first_name_before_negation,
    slot_rules.told_first_name,
    slot_rules.first_name_with_relative_after,
    word_rules.lower_first_name_with_verb,
    word_rules.lower_place,
    word_rules.lower_family_plural,
    word_rules.lower_known_first_name,
    word_rules.lower_between_verbs,
    word_rules.lower_stray_word,
    word_rules.lower_name_spelling,
    word_rules.lower_hyphenated_names,
    word_rules.lower_possessive_without_apostrophe,
    slot_rules.short_name_after_relative,
    word_rules.lower_case_otherwise,
    word_rules.hyphenated_first_names,
    word_rules.place_after_preposition,
    word_rules.unknown_capitalised,
    word_rules.capitalised_word_name,
)

PASSES = (
    spans.following_surnames,
    spans.preceding_first_names,
    spans.kin_titles,
    slot_rules.modifier_before_nickname,
    spans.lists_of_people,
    spans.later_mentions,
    spans.lower_first_names_before_surnames,
    spans.pasted_surname_first,
    spans.couples,
    spans.surname_initials,
)


def judge(s: Scan) -> None:
    """Run the token rules over every token not already taken or a place."""
    for i, t in enumerate(s.toks):
        if s.blocked(t) or i in s.places:
            continue  # "a residential home in Beighton", "Endcliffe Park", "the Gascoigne estate"
        a = s.at(i)
        for rule in TOKEN_RULES:
            s.evaluations += 1
            verdict = rule(s, a)
            if verdict is not None:
                s.is_name[i] = verdict
                break


def name_scan(text: str, taken: list[tuple[int, int]], shouted: Shouted) -> Scan:
    """The scan state of ``text`` with every token judged and every pass run."""
    lex = lexicon()
    cls = Classes(lex)
    toks = tokenize(text, shouted)
    covered = bytearray(len(text) + 1)
    for start, end in [*taken, *((m.start(), m.end()) for m in SAFE_PHRASES.finditer(text))]:
        covered[start:end] = b"\x01" * (end - start)
    for t in toks:
        if len(t.core) > MAX_WORD_LEN:
            covered[t.start] = 1  # longer than any name: never judged (and never costs its length)
    s = Scan(text=text, toks=toks, cls=cls, lex=lex, is_name=[False] * len(toks), covered=covered)
    s.places = place_tokens(text, toks, cls)
    judge(s)
    for pass_ in PASSES:
        pass_(s)
    return s


def names(text: str, taken: list[tuple[int, int]], shouted: Shouted) -> list[Finding]:
    """Name findings in ``text`` outside the spans already ``taken``."""
    return spans.name_findings(name_scan(text, taken, shouted))
