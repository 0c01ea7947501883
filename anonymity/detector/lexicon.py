"""The big word lists (English words, first names, surnames, places, slang, sector terms).

Their sources and licences are in ``anonymity/data/README.md``. Reading and
building them from the text files takes most of a second, so
``anonymity/data/build_lists.py --compact`` also writes them, with the trained
spelling model and the common words' ends (``words.word_ends``), to
``anonymity/data/lists.pickle``, which loads in a few tens of milliseconds (the
frozensets are pickled as such: building them from sorted lists or joined strings
at load was slower, since the pickle shares each string between the lists). The
pickle records its format and a digest of the text files it was built from: when
a text file has changed since, it is ignored and the text files are read (a test
fails until it is rebuilt). It is our own file, shipped with the code,
so unpickling it trusts nothing the code does not already trust.
"""

from __future__ import annotations

import hashlib
import pickle
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


# Every file the lists and the spelling model are built from.
SOURCES = (
    "common_words.txt",
    "census_first_names.txt",
    "census_surnames.txt",
    "ssa_first_names.txt",
    "uk_first_names.txt",
    "word_names.txt",
    "sector_terms.txt",
    "informal_words.txt",
    "places.txt",
    "proper_nouns.txt",
    "gb_places.txt",
    "vocabulary.txt",
)
COMPACT = DATA_DIR / "lists.pickle"
# What the compact form holds; a file of another format is ignored like a stale one.
# 2: the common words' first and last four letters ("common_ends", see words.word_ends).
COMPACT_FORMAT = 2


def sources_digest() -> str:
    """SHA-256 of the source files, in order: what a compact form must have been built from."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (DATA_DIR / name).read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def compact_lists() -> dict[str, object] | None:
    """The prebuilt lists and spelling model, or None when missing or built from other sources."""
    try:
        data = pickle.loads(COMPACT.read_bytes())  # noqa: S301 - our own file, shipped with the code
    except (FileNotFoundError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if data.get("format") != COMPACT_FORMAT or data.get("digest") != sources_digest():
        return None
    return data


def compact_word_ends(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]] | None:
    """The first and last four letters of the common words, prebuilt with the compact lists,
    when ``words`` are those lists' common words (computing them costs tens of milliseconds
    more at start-up than loading them)."""
    compact = compact_lists()
    if compact is None or words is not compact["lexicon"].common:  # type: ignore[attr-defined]
        return None
    return compact["common_ends"]  # type: ignore[return-value]


@cache
def lexicon() -> Lexicon:
    """The word lists, from the compact form when it is current; kept for the life of the process."""
    compact = compact_lists()
    if compact is not None:
        return compact["lexicon"]  # type: ignore[return-value]
    return lexicon_from_text()


def lexicon_from_text() -> Lexicon:
    """The word lists built from the text files (the slow way, and how the compact form is made)."""
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
