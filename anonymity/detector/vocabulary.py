"""The detector's own vocabulary: every word set the rules name, read once from ``data/vocabulary.txt``.

The sets are curated for this project (roles, relatives, cue words, place nouns...);
the big upstream lists (English words, first names, places) are in ``lexicon.py``.
Reading this file takes about a millisecond, so it happens at import.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def read_sections(path: Path) -> dict[str, tuple[str, ...]]:
    """``[name]`` sections of whitespace-separated words; ``#`` starts a comment line."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1], [])
        elif current is not None:
            current.extend(stripped.split())
    return {name: tuple(words) for name, words in sections.items()}


_SECTIONS = read_sections(DATA_DIR / "vocabulary.txt")


def words(section: str) -> frozenset[str]:
    """One word set of ``vocabulary.txt``; a missing section is an error at import, not a silent empty set."""
    return frozenset(_SECTIONS[section])


ROLE_WORDS = words("role_words")
EXTRA_COMMON = words("extra_common")
STOP = words("stop")
MONTHS = words("months")
DAYS = words("days")
DAY_ABBREVIATIONS = words("day_abbreviations")
ABSTRACT_NAMES = words("abstract_names")
HOLIDAYS = words("holidays")
NOT_NAME_AFTER_CUE = words("not_name_after_cue")
DETERMINERS = words("determiners")
ARTICLES = words("articles")
UPPER_WORDS = words("upper_words")
PRONOUNS = words("pronouns")
NOT_AFTER_NAME = words("not_after_name")
PLACE_BEFORE = words("place_before")
SEASONS = words("seasons")
SEASON_BEFORE = words("season_before")
RELATION_CUES = words("relation_cues")
ENDEARMENTS = words("endearments")
KIN_TITLES = words("kin_titles")
TITLES = words("titles")
LOWER_TITLES = words("lower_titles")
REPORTING_VERBS = words("reporting_verbs")
PERSON_VERBS = words("person_verbs")
MONTH_NAMES = words("month_names")
DESCRIPTORS = words("descriptors")
DESCRIPTOR_BEFORE = words("descriptor_before")
CONTRACTION_TAILS = words("contraction_tails")
DERIVED_SUFFIXES = _SECTIONS["derived_suffixes"]
PREFIXES = _SECTIONS["prefixes"]
SIGNPOSTING_DOMAINS = words("signposting_domains")
NOT_HANDLE_STEMS = words("not_handle_stems")
DOTTED_ABBREVIATIONS = words("dotted_abbreviations")
BUILDING_GENERIC = words("building_generic")
LOWER_STREET_STOP = words("lower_street_stop")
SAINT_TOWNS = words("saint_towns")
SERVICE_NOUNS = words("service_nouns")
SCHOOL_GENERIC = words("school_generic")
ENGLISH_ENDINGS = _SECTIONS["english_endings"]
CONTRACTING = words("contracting")
OWNERS = words("owners")
KIN_ADJECTIVES = words("kin_adjectives")
LOCATIVE = words("locative")
PLACE_NOUNS = words("place_nouns")
LANDMARK_NOUNS = words("landmark_nouns")
FROM_PLACE_NOUNS = words("from_place_nouns")
FAMILY_WORDS = words("family_words")
MODALS = words("modals")
SERVICE_NUMBERS = words("service_numbers")
SURNAME_PARTICLES = words("surname_particles")

CALENDAR = MONTHS | DAYS | DAY_ABBREVIATIONS | {d + "s" for d in DAYS}
PERSON_NEXT = REPORTING_VERBS | words("person_next_extra")
WORD_BEFORE = DETERMINERS | PRONOUNS | PLACE_BEFORE | words("word_before_extra")
# Alternation of every relative and role, longest first, for the context patterns.
RELATION_ALT = "|".join(sorted(RELATION_CUES | words("relation_extra"), key=len, reverse=True))
SLOT_FOLLOWERS = words("slot_followers")
SLOT_VERBS = words("slot_verbs")
TELLING_VERBS = words("telling_verbs")
NICKNAME_MODIFIERS = words("nickname_modifiers")
FAMILY_CUE_NOUNS = words("family_cue_nouns")
NUMBER_NOUNS = words("number_nouns")
VENUE_KEYWORDS = frozenset(w.replace("_", " ") for w in words("venue_keywords"))
VENUE_GENERIC = words("venue_generic")
STREET_ABBREVIATIONS = words("street_abbreviations")
STREET_GENERIC = words("street_generic")
PERSON_NEGATIONS = words("person_negations")
NOT_NICKNAMES = words("not_nicknames")
NAMING_CUE_ENDS = words("naming_cue_ends")
VERB_PARTICLES = words("verb_particles")
INDEFINITES = words("indefinites")
VENUE_BRANDS = frozenset(w.replace("_", " ") for w in words("venue_brands"))
