"""Word classes over the lexicon: is a word common English, safe (never a name), a first name,
a typo or slang rather than a name, spelt like a name, able to continue a name?
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from anonymity.detector.lexicon import Lexicon, compact_word_ends
from anonymity.detector.spelling import GRAM_MAX_LEN, NAME_SPELLING_THRESHOLD, name_grams
from anonymity.detector.tokens import Tok
from anonymity.detector.vocabulary import (
    CALENDAR,
    CONTRACTING,
    CONTRACTION_TAILS,
    DERIVED_SUFFIXES,
    ENGLISH_ENDINGS,
    HOLIDAYS,
    PREFIXES,
    STOP,
    TITLES,
)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def word_ends(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The first four and the last four letters of every listed word of four letters or more."""
    prebuilt = compact_word_ends(words)
    if prebuilt is not None:
        return prebuilt
    long = [w for w in words if len(w) >= 4]
    return frozenset(w[:4] for w in long), frozenset(w[-4:] for w in long)


def one_edit_from(word: str, words: frozenset[str]) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns
    ``word`` into a member of ``words``.

    An edit at place k leaves the first four letters as they are when k >= 4, and
    the last four when k is at least four from the end; the result must start and
    end like some listed word, so places where that is impossible are skipped.
    For a word of five letters or more that no listed word starts or ends like,
    that is nearly all of them: the check costs a few look-ups, not 50 per letter.
    """
    n = len(word)
    if n >= 5:
        starts, ends = word_ends(words)
        start_ok, end_ok = word[:4] in starts, word[-4:] in ends
    else:
        start_ok = end_ok = True
    for k in range(n + 1):
        a, b = word[:k], word[k:]
        # May an edit at k (touching letters k and k + 1 at most) give a listed word?
        possible = (start_ok or k < 4) and (end_ok or k + 2 > n - 4)
        if not possible:
            continue
        if b and a + b[1:] in words:
            return True
        if len(b) > 1 and a + b[1] + b[0] + b[2:] in words:
            return True
        for c in _LETTERS:
            if a + c + b in words or (b and c != b[0] and a + c + b[1:] in words):
                return True
    return False


# No name and no English word is longer: a longer "word" is a pasted link, a
# keyboard run or an attack, and judging it would cost time in its length.
MAX_WORD_LEN = 40
# No first name or surname in the lists is longer than 15 letters: a word in no list
# that is longer than this is not taken for a name on its spelling alone.
MAX_NAME_LEN = 20
_VOWEL_RE = re.compile(r"[aeiouy]")


@cache
def _apostrophe_words(lex: Lexicon) -> frozenset[str]:
    """Listed words with an apostrophe inside ("whatsapp'd"), as typed without it."""
    return frozenset(
        w.replace("'", "")
        for w in lex.common | STOP
        if w.count("'") == 1 and 2 <= w.index("'") <= len(w) - 2
    )


def derive(lex: Lexicon) -> None:
    """Work out now what scans derive from the lists (the common words' ends, the words with an
    apostrophe), so that no scan pays for it: ``detector.load()`` calls this at start-up."""
    word_ends(lex.common)
    _apostrophe_words(lex)


@dataclass
class Classes:
    """The word classes for one scan; answers are cached for the scan, and every word over
    ``MAX_WORD_LEN`` is in no class, so the work per word is bounded."""

    lex: Lexicon
    # Letters of the words the class tests judged (past the length guards): the
    # linear-time tests read it.
    examined: int = 0
    _common: dict[str, bool] = field(default_factory=dict)
    _safe: dict[str, bool] = field(default_factory=dict)

    def common(self, low: str) -> bool:
        """An English word, a stop word, or made from one (a contraction, plural, prefix or suffix)."""
        known = self._common.get(low)
        if known is None:
            known = self._common[low] = len(low) <= MAX_WORD_LEN and self._common_word(low)
        return known

    def _common_word(self, low: str) -> bool:
        self.examined += len(low)
        lex = self.lex
        if low in lex.common or low in STOP:
            return True
        if "'" in low:
            head, _, tail = low.partition("'")
            return tail in CONTRACTION_TAILS and (head in lex.common or head in STOP or head.endswith("n"))
        if "-" in low:
            return all(self.common(p) or p in lex.sector or p in PREFIXES for p in low.split("-") if p)
        # Contractions typed without the apostrophe: "hasnt", "theyre", "shouldve".
        if low.endswith("nt") and low[:-2] in lex.common and len(low) >= 5:
            return True
        if any(low.endswith(tail) and low[: -len(tail)] in CONTRACTING for tail in ("re", "ve", "ll", "d")):
            return True
        if low.endswith("s") and len(low) > 4:
            # Plurals the word list lacks ("Behaviours"), but not surnames made
            # from first names ("Rogers", "Stevens").
            stem = low[:-1]
            if (stem in lex.common or stem in lex.sector) and stem not in lex.first and stem not in lex.surnames:
                return True
        if low in lex.first:
            return False  # "Declan" is not "de" + "clan", nor "Marlon" "marl" + "on"
        for pre in PREFIXES:
            if low.startswith(pre) and len(low) - len(pre) >= 4 and self.common(low[len(pre) :]):
                return True
        for suf in DERIVED_SUFFIXES:
            if low.endswith(suf) and len(low) - len(suf) >= 4:
                stem = low[: -len(suf)]
                if stem in lex.common or stem + "e" in lex.common or stem + "ise" in lex.common:
                    return True
        return False

    def safe(self, low: str) -> bool:
        """Never a name on its own: sector vocabulary, roles, places, calendar."""
        known = self._safe.get(low)
        if known is None:
            known = self._safe[low] = len(low) <= MAX_WORD_LEN and self._safe_word(low)
        return known

    def _safe_word(self, low: str) -> bool:
        self.examined += len(low)
        lex = self.lex
        if low in lex.sector or low in CALENDAR or low in HOLIDAYS:
            return True
        if low in lex.places:
            # "Chelsea", "Devon", "Florence": places that are also first names
            # are decided by context, like "Grace" and "Will".
            return low not in lex.first
        if "-" in low:
            parts = [p for p in low.split("-") if p]
            return all(p in lex.sector or p in lex.places or p in CALENDAR or p in lex.common for p in parts) and any(
                p in lex.sector or p in lex.places for p in parts
            )
        return False

    def stray_word(self, low: str) -> bool:
        """A lower-case word in no list that is more likely a name than a slip of the keys.

        Hurried notes are full of words no dictionary holds, and most are not
        names: text-speak ("tbh", "ppl"), slang ("bruv", "innit"), typos
        ("recieved", "sayin"), glued compounds ("bedwetting", "skatepark") and
        missing apostrophes ("doesnt"). What is left once those are ruled out is
        mostly people ("we saw kezia today"). A typo is taken to be one edit
        (a letter added, dropped, changed or two swapped) from an English word:
        most slips are one edit, while names of five or more letters rarely sit
        one edit from a word; shorter names often do ("musa"/"muse"), so three-
        and four-letter words are left to the word lists and the context rules.
        """
        if len(low) > MAX_NAME_LEN:
            return False
        self.examined += len(low)
        lex = self.lex
        if len(low) < 5 or not low.isalpha() or not _VOWEL_RE.search(low):
            return False  # "tbh", "ngl": no vowel, an abbreviation
        if low in lex.informal:
            return False
        if self.common(low) or self.safe(low) or low in lex.first or low.endswith(ENGLISH_ENDINGS):
            return False
        if self.glued(low):
            return False  # "bedwetting", "skatepark", "childminder"
        if self.apostrophe_left_out(low):
            return False  # "hasnt", "theyre": an apostrophe left out
        return not one_edit_from(low, lex.common)

    def apostrophe_left_out(self, low: str) -> bool:
        """"hasnt", "theyre", "whatsappd": a contraction typed without its apostrophe.

        Only the contraction tails ("s", "t", "re", ...) can follow an apostrophe,
        so only those places are tried, not every place in the word.
        """
        for tail in CONTRACTION_TAILS:
            k = len(low) - len(tail)
            if k >= 2 and low.endswith(tail) and self.common(f"{low[:k]}'{tail}"):
                return True
        return low in _apostrophe_words(self.lex)

    def glued(self, low: str) -> bool:
        """Two English words of three letters or more typed as one ("netball").

        Six-letter words are left out, since short names split that way too
        ("tam|sin", "mar|lon").
        """
        if len(low) > MAX_WORD_LEN:
            return False
        self.examined += len(low)
        lex = self.lex
        for cut in range(3, len(low) - 2 if len(low) >= 7 else 0):
            head, tail = low[:cut], low[cut:]
            if (head in lex.common or head in lex.sector) and (tail in lex.common or self.common(tail)):
                return True
        return False

    def name_spelling(self, low: str) -> bool:
        """A short lower-case word no English list knows, spelt like a first name.

        The word lists leave these to context ("saw kobi today", "nia and
        her bro"): three- and four-letter words and words one edit from an
        English word are as often slips and text-speak as names, and short
        first names ("ola", "kai") were only trusted from four letters. The
        spelling model flags the ones that read like names ("kobi", "nia",
        "femi") and passes the ones that read like English ("thru", "goin",
        "fone", "conf").
        """
        if len(low) > MAX_WORD_LEN:
            return False
        self.examined += len(low)
        lex = self.lex
        if not 3 <= len(low) <= GRAM_MAX_LEN or not low.isalpha() or not _VOWEL_RE.search(low):
            return False
        if low in lex.informal or low in STOP or low in TITLES or low in lex.word_names:
            return False
        if self.common(low) or self.safe(low) or low in self.lex.places or low.endswith(ENGLISH_ENDINGS):
            return False
        if self.glued(low):
            return False  # "netball", "bedroom"-like compounds the word list lacks
        return name_grams().score(low) > NAME_SPELLING_THRESHOLD

    def first(self, low: str) -> bool:
        """A first name in the lists, or a hyphenated one ("lily-mae", "callum-james")."""
        if len(low) > MAX_WORD_LEN:
            return False
        self.examined += len(low)
        if low in self.lex.first:
            return True
        if "-" not in low:
            return False
        # "lily-mae", "ruby-rose", "callum-james"; not "drop-in" or "step-dad",
        # where a piece happens to be a name somewhere ("In").
        parts = [p for p in low.split("-") if p]
        if all(p in self.lex.first for p in parts):
            return not any(p in STOP for p in parts)
        return any(p in self.lex.first for p in parts) and not all(self.common(p) for p in parts)

    def namey(self, tok: Tok) -> bool:
        """Capitalised and could continue a name (surname position)."""
        if len(tok.low) > MAX_WORD_LEN:
            return False
        if not tok.cap or tok.upper or tok.low in STOP:
            return False
        if self.safe(tok.low):
            # Places are surnames too ("Amelia Hayes", "Tom Burton", "Connor Beighton").
            return tok.low in self.lex.places and (tok.low in self.lex.surnames or tok.low in self.lex.small_places)

        return not self.common(tok.low) or tok.low in self.lex.surnames or self.first(tok.low)
