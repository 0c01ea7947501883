"""The learned layer (anonymity/detector/learned.py): a CRF tagger after the rules.

The sentences here are new (in no labelled set), written for these tests: word-names
and nicknames typed in lower case where the text treats them as people, and clean
lines full of the same words used as words.
"""

from __future__ import annotations

import pytest

from anonymity.data.train_learned import labelled_sets, sets_digest
from anonymity.detector import learned, scan


def learned_only(text: str) -> list[str]:
    """What the layer adds to the rules' findings on ``text``."""
    with learned.rules_only():
        rules = scan(text)
    return [f.text for f in learned.learned_names(text, rules)]


def rules_only(text: str) -> list[str]:
    with learned.rules_only():
        return [f.text for f in scan(text)]


def flagged(text: str) -> list[str]:
    return [f.text for f in scan(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("sw rang, grace has not been in school since monday and mum wont say why", "grace"),
        ("worried about destiny, she is 14 and goes missing most weekends", "destiny"),
        ("sc (8) told her teacher that uncle gav makes her keep secrets", "gav"),
    ],
)
def test_finds_a_lower_case_word_name_the_rules_miss(text: str, name: str) -> None:
    assert name not in " ".join(rules_only(text))
    assert name in learned_only(text)


def test_adds_findings_only_where_no_rule_found_anything() -> None:
    text = "mum (sharon) said grace and hunter were at the park with jayden"
    with learned.rules_only():
        rules = scan(text)
    added = learned.learned_names(text, rules)
    for f in added:
        assert all(f.end <= r.start or f.start >= r.end for r in rules)


@pytest.mark.parametrize(
    "text",
    [
        "she will tell the school nurse tomorrow if it happens again",
        "the summer holidays were hard and mum is running out of patience",
        "by the time the hunter report came back the strategy meeting had been and gone",
        "sc says she has no one to talk to at home and rose early to avoid him",
        "CP plan reviewed, child A attending, no new concerns raised by school",
        "can we talk thru the brook traffic light tool and sarahs law with the dsl",
    ],
)
def test_leaves_clean_lines_with_the_same_words_alone(text: str) -> None:
    assert flagged(text) == []


def test_a_run_of_words_is_one_finding() -> None:
    probs = [("NAME", 0.9), ("NAME", 0.9), ("", 0.0), ("NAME", 0.9)]
    text = "big dee , kez"
    toks = learned.tokens(text)
    found = learned.spans(text, toks, probs, 0.5)
    assert [(f.kind, f.text) for f in found] == [("name", "big dee"), ("name", "kez")]


def test_the_scan_includes_the_layer() -> None:
    assert "destiny" in flagged("worried about destiny, she is 14 and goes missing most weekends")


def test_the_model_is_current_with_its_features_and_training_sets() -> None:
    # Rebuild with: python anonymity/data/train_learned.py
    info = learned.model_info()
    assert info["feature_version"] == learned.FEATURE_VERSION
    assert info["trained_on"] == [p.name for p in labelled_sets()]
    assert info["sets_digest"] == sets_digest(labelled_sets())
    assert info["threshold"] == learned.THRESHOLD


def test_tagging_is_bounded_per_text() -> None:
    text = "kez " * (learned.MAX_TOKENS * 2)
    assert len(learned.tokens(text)) == learned.MAX_TOKENS


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("we saw the kobi today", "kobi"),
        ("summer n winter clothes both needed", "summer"),
        ("a girl from Kezzianne came", "Kezzianne"),
        ("Drop-In came in.", "Drop-In"),
        ("seen in the U.K. last year", "K"),
    ],
)
def test_holds_back_where_the_rules_decide_a_word_is_not_a_person(text: str, word: str) -> None:
    toks = learned.tokens(text)
    lows = [t.text.lower() for t in toks]
    assert any(t.text == word and learned.held_back(toks, lows, i) for i, t in enumerate(toks))
