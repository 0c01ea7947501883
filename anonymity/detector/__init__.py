"""Find identifying details in free text (case questions, outcomes, notes).

Pure Python on purpose: no Django import, so the detector can be benchmarked,
used from the command line and tested without settings.

A list of small named rules over shared tokens (the long version is in
``docs/anonymity.md``): fixed formats (emails, postcodes, NHS numbers...) are
bounded regular expressions with validation (``formats.py``, ``addresses.py``,
``schools.py``); names are found token by token from word lists (``lexicon.py``)
and context (``cue_rules.py``, ``word_rules.py``), then grown and spread over the
text (``spans.py``). Overlapping candidates are resolved by kind priority, and
the result is sorted and non-overlapping. Vocabulary lives in ``anonymity/data/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from anonymity.detector import addresses, formats, schools, venues
from anonymity.detector.findings import KINDS, Finding
from anonymity.detector.formats import Candidate
from anonymity.detector.lexicon import lexicon
from anonymity.detector.names import names
from anonymity.detector.spelling import NAME_SPELLING_THRESHOLD, name_grams
from anonymity.detector.tokens import lower_shouted_lines, shouted_lines
from anonymity.detector.words import derive

__all__ = ["KINDS", "NAME_SPELLING_THRESHOLD", "Finding", "load", "scan"]

FormatRule = Callable[[str], Iterable[Candidate]]

# Read the text as written.
FORMAT_RULES: tuple[FormatRule, ...] = (
    formats.emails,
    formats.urls,
    formats.at_handles,
    formats.platform_handles,
    formats.handle_shapes,
    formats.dotted_initials,
    formats.phones,
    formats.nhs_numbers,
    formats.ni_numbers,
    formats.postcodes,
    formats.outward_postcodes,
    formats.vehicle_registrations,
    formats.dates,
    formats.case_references,
)
# Read the text with its Title Case and ALL CAPS lines in lower case, where the
# capital-letter shapes of street and school names say nothing ("Her Phone At School").
SHAPE_RULES: tuple[FormatRule, ...] = (
    addresses.numbered_streets,
    addresses.lower_case_streets,
    addresses.lower_case_home_streets,
    addresses.numbered_the_streets,
    addresses.streets_without_number,
    addresses.flats,
    addresses.named_buildings,
    venues.named_flats,
    venues.lower_case_estates,
    venues.abbreviated_streets,
    schools.keyword_schools,
    schools.saint_schools,
    schools.lower_case_schools,
    schools.lower_case_saint_schools,
    schools.lower_case_cued_schools,
    schools.cued_schools,
    schools.weakly_cued_schools,
    venues.named_venues,
    venues.cued_trading_names,
    venues.venue_in_brackets,
)

_TRAILING = ".,;:!?)]}'\"\u2019\u201d"
_LEADING = " \t\n([{'\"\u2018\u201c"


def _trimmed(text: str, candidate: Candidate) -> tuple[int, Finding] | None:
    """Trailing and leading punctuation belong to the sentence, not the identifier."""
    prio, kind, start, end = candidate
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        end -= 1
    while start < end and text[start] in _LEADING:
        if text[start] == "(" and ")" in text[start:end]:
            break
        start += 1
    return (prio, Finding(kind, start, end, text[start:end])) if end > start else None


def load() -> None:
    """Load the word lists and the spelling model, and derive what scans need from them, now
    (otherwise done by the first scans that need them)."""
    derive(lexicon())
    name_grams()


def scan(text: str) -> list[Finding]:
    """Return identifying details in ``text``, sorted and non-overlapping."""
    if not text:
        return []
    shouted = shouted_lines(text)
    shaped = lower_shouted_lines(text, shouted)
    candidates = [c for rule in FORMAT_RULES for c in rule(text)]
    candidates += [c for rule in SHAPE_RULES for c in rule(shaped)]
    trimmed = [f for f in (_trimmed(text, c) for c in candidates) if f is not None]
    # Higher-priority (lower number) and then longer candidates win overlaps.
    trimmed.sort(key=lambda pf: (pf[0], -(pf[1].end - pf[1].start), pf[1].start))
    chosen: list[Finding] = []
    # The characters already chosen: a candidate overlapping none of them is taken
    # (a check in the candidate's length, not in the number chosen so far).
    occupied = bytearray(len(text))

    def choose(f: Finding) -> None:
        if occupied.find(1, f.start, f.end) == -1:
            chosen.append(f)
            occupied[f.start : f.end] = b"\x01" * (f.end - f.start)

    for _, f in trimmed:
        choose(f)
    taken = [(f.start, f.end) for f in chosen]
    for f in names(text, taken, shouted):
        choose(f)
    chosen.sort(key=lambda f: (f.start, f.end))
    return chosen
