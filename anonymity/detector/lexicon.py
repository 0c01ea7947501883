"""The big word lists (English words, first names, surnames, places, slang, sector terms).

Read from ``anonymity/data/*.txt`` once per process (``lexicon()`` is cached); their
sources and licences are in ``anonymity/data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from anonymity.detector.vocabulary import DATA_DIR, EXTRA_COMMON, ROLE_WORDS, STOP, TITLES


def read_words(name: str) -> frozenset[str]:
    """The lower-case words of one list file (comments skipped, curly apostrophes straightened)."""
    words: set[str] = set()
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words.update(w.replace("\u2019", "'") for w in line.lower().split())
    return frozenset(words)


@dataclass(frozen=True)
class Lexicon:
    common: frozenset[str]
    first: frozenset[str]
    word_names: frozenset[str]
    ssa: frozenset[str]  # first names only the SSA list holds
    surnames: frozenset[str]
    sector: frozenset[str]
    places: frozenset[str]
    small_places: frozenset[str]  # villages and districts (GeoNames), not towns or counties
    informal: frozenset[str]


@cache
def lexicon() -> Lexicon:
    """The word lists, read on first use and kept for the life of the process."""
    word_names = read_words("word_names.txt")
    sector = read_words("sector_terms.txt") | ROLE_WORDS
    small_places = read_words("gb_places.txt")
    places = read_words("places.txt") | read_words("proper_nouns.txt") | small_places
    informal = read_words("informal_words.txt")
    # The SSA list is broad (every name given 50 times in 77 years of US births)
    # and so holds some slang, places and sector words ("peng", "london",
    # "quran"); the curated lists win over it. Places that are first names
    # ("Chelsea") stay decided by context, as before.
    ssa = {w for w in read_words("ssa_first_names.txt") if len(w) >= 3} - sector - places - informal - STOP - TITLES
    older = read_words("census_first_names.txt") | read_words("uk_first_names.txt") | word_names
    first = older | ssa
    return Lexicon(
        common=read_words("common_words.txt") | EXTRA_COMMON,
        first=first,
        word_names=word_names,
        ssa=frozenset(ssa - older),
        surnames=read_words("census_surnames.txt"),
        sector=sector,
        places=places,
        small_places=small_places,
        informal=informal,
    )
