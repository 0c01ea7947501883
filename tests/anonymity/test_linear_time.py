"""The detector's work grows in proportion to the text, whatever the text is.

A 20,000-character word once took about 10 s (one-edit and split checks in the
square of the word's length); a list of names spread one step per pass over it.
These tests count the work (rule evaluations and letters judged by the word
classes) on adversarial inputs of the allowed size, at a quarter and at the
full size: linear work grows four times, quadratic sixteen. One test also
compares CPU time, with a bound generous enough for a loaded machine; the
wall-clock figures are in ``bench/bench_anonymity.py``.
"""

from __future__ import annotations

import random
import time

import pytest

from anonymity.detector import scan
from anonymity.detector.names import TOKEN_RULES, name_scan
from anonymity.detector.tokens import shouted_lines
from anonymity.detector.words import MAX_WORD_LEN

# The longest free-text field a form accepts (reflective notes, clinics/forms_lead.py).
ALLOWED = 10_000


def _letters(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# Each shape, built at any size: the inputs the issue names and the ones that
# once cost the square of their length.
SHAPES = {
    "one huge word": lambda n: _fill("kezia", n),
    "one huge capitalised word": lambda n: "K" + _fill("ezia", n - 1),
    "many long words": lambda n: " ".join(_letters(40, seed=i) for i in range(n // 41)),
    "many twenty-letter words": lambda n: " ".join(_letters(20, seed=i) for i in range(n // 21)),
    "no spaces": lambda n: _letters(n),
    "letters and digits": lambda n: _fill("Ab1", n),
    "run of capitals": lambda n: _fill("A", n),
    "capitals with spaces": lambda n: _fill("KM ", n),
    "run of digits": lambda n: _fill("1", n),
    "run of punctuation": lambda n: _fill(".,;!?", n),
    "hyphens": lambda n: _fill("ab-", n),
    "apostrophes": lambda n: _fill("a'", n),
    "underscores": lambda n: _fill("a_", n),
    "title case words": lambda n: _fill("Kezia ", n),
    "list of names": lambda n: _fill("Kezia, ", n),
    "list spreading backwards": lambda n: _fill("xqzvw, ", n - 20) + " and Kezia (12)",
    "locatives": lambda n: _fill("In ", n),
    "school keywords": lambda n: _fill("CE St School ", n),
}


def _work(text: str) -> int:
    s = name_scan(text, [], shouted_lines(text))
    return s.evaluations + s.cls.examined


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_work_grows_linearly_with_the_text(shape: str) -> None:
    make = SHAPES[shape]
    small, large = _work(make(ALLOWED // 4)), _work(make(ALLOWED))
    # Linear: four times the text, about four times the work (quadratic would be 16).
    assert large <= 5 * max(small, 1)
    # And a bounded amount per character: at most every rule on every token plus
    # every letter judged a few dozen times.
    assert large <= 60 * ALLOWED


def test_a_word_longer_than_any_name_is_never_judged() -> None:
    text = _fill("kezia", 20_000)
    s = name_scan(text, [], shouted_lines(text))
    assert s.evaluations == 0
    assert s.cls.examined == 0
    assert scan(text) == []


def test_each_token_meets_each_rule_at_most_once() -> None:
    text = " ".join(["Kezia"] * 1000)
    s = name_scan(text, [], shouted_lines(text))
    assert 0 < s.evaluations <= len(TOKEN_RULES) * len(s.toks)


def test_long_words_are_judged_up_to_the_length_limit_only() -> None:
    text = " ".join(_letters(60, seed=i) for i in range(50))
    assert MAX_WORD_LEN < 60
    s = name_scan(text, [], shouted_lines(text))
    assert s.evaluations == 0


def test_names_are_still_found_next_to_a_huge_word() -> None:
    text = "Kezia Mensah pasted " + _fill("x", 5000) + " into the chat"
    assert [(f.kind, f.text) for f in scan(text)] == [("name", "Kezia Mensah")]


def _cpu_ms(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        scan(text)
        best = min(best, time.process_time() - started)
    return best * 1000


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_scan_time_grows_linearly_with_the_text(shape: str) -> None:
    make = SHAPES[shape]
    scan(make(100))  # word lists loaded before timing
    small, large = _cpu_ms(make(ALLOWED // 4)), _cpu_ms(make(ALLOWED))
    # Linear is 4, quadratic 16: 10 leaves room for a loaded machine's noise.
    assert large <= 10 * max(small, 1.0)
