"""Spelling model: does a word no list knows look more like a first name or an English word?

Words no list knows are the detector's blind spot ("saw kobi today"): the lists
cannot hold every name, but names share spellings that English words do not
("-ei", "ngo-", "-ia"). A naive Bayes model over the character 2- to 4-grams of
the words (with "^" and "$" marking their ends), trained when the lists load on
the first names against the English, slang and sector words, says which side a
word's spelling is closer to. It only ever judges words of three to eight
letters, so English words over seven letters (half the list) are left out of
training: that keeps the load short.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

from anonymity.detector.lexicon import Lexicon, compact_lists, lexicon

_GRAM_SIZES = (2, 3, 4)
GRAM_MAX_LEN = 8
_TRAIN_MAX_LEN = 7
# Log-likelihood ratio (name over word) above which a word counts as a name:
# about 20 times likelier spelt as a name than as a word. Chosen on the corpus
# and the first four authors' held-out sets (the highest-scoring word in their
# clean texts, "uno", scores -0.1; 3 leaves a margin), not on the fifth
# author's; see docs/anonymity.md.
NAME_SPELLING_THRESHOLD = 3.0


def _grams(word: str) -> list[str]:
    marked = f"^{word}$"
    return [marked[i : i + n] for n in _GRAM_SIZES for i in range(len(marked) - n + 1)]


def _gram_counts(words: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for n in _GRAM_SIZES:
        counts.update(m[i : i + n] for m in (f"^{w}$" for w in words) for i in range(len(m) - n + 1))
    return counts


@dataclass(frozen=True)
class NameGrams:
    names: Counter[str]
    words: Counter[str]
    # log of each side's smoothed total: add-one smoothing over the grams seen
    name_total: float
    word_total: float

    def score(self, word: str) -> float:
        """Log-likelihood ratio, name over word: above 0 the spelling is more name-like."""
        grams = _grams(word)
        ratio = sum(math.log(self.names[g] + 1) - math.log(self.words[g] + 1) for g in grams)
        return ratio + len(grams) * (self.word_total - self.name_total)


@cache
def name_grams() -> NameGrams:
    """The spelling model, from the compact lists when they are current, else trained now."""
    compact = compact_lists()
    if compact is not None:
        return compact["name_grams"]  # type: ignore[return-value]
    return train_name_grams(lexicon())


def train_name_grams(lex: Lexicon) -> NameGrams:
    """Count the grams of the first names and of the English, slang and sector words."""
    # Trained on the census and UK lists only: the SSA list triples the names,
    # which doubled the training time (0.3 s) without changing a finding on any
    # labelled set (docs/anonymity.md); the lists themselves know those names.
    names = _gram_counts([w for w in lex.first - lex.ssa if w.isalpha() and w not in lex.common])
    words = _gram_counts(
        [
            w
            for w in (lex.common | lex.informal | lex.sector)
            if w.isalpha() and len(w) <= _TRAIN_MAX_LEN and w not in lex.first
        ]
    )
    vocab = len(names.keys() | words.keys())
    return NameGrams(
        names=names,
        words=words,
        name_total=math.log(sum(names.values()) + vocab),
        word_total=math.log(sum(words.values()) + vocab),
    )


