"""The spelling model: short lower-case words no English list knows, judged by how they are spelt."""

from __future__ import annotations

import pytest

from anonymity.detector import NAME_SPELLING_THRESHOLD
from anonymity.detector.spelling import name_grams
from tests.anonymity.helpers import names_in


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("we saw kobi today, school are worried", "kobi"),  # in no list at all
        ("nia came in upset again", "nia"),  # a three-letter first name
        ("femi wont open the door", "femi"),
        ("saw kai and ola at the contact centre", "kai"),
        ("saw kai and ola at the contact centre", "ola"),
    ],
)
def test_short_lower_case_word_spelt_like_a_name_is_flagged(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "was goin to call but ran out of time",
        "we walked thru it with mum",
        "got a new fone off her bf",
        "back from the conf, loads to share",
        "uno, the card game, was her reward",
    ],
)
def test_text_speak_spelt_like_english_is_not_flagged(text: str) -> None:
    assert names_in(text) == []


def test_a_name_like_word_after_a_determiner_is_not_flagged() -> None:
    # "the kobi" is a thing, not a person; the position rule of the stray-word check applies.
    assert names_in("we saw kobi today") == ["kobi"]
    assert names_in("we saw the kobi today") == []


def test_a_piece_of_a_code_is_not_a_name() -> None:
    assert names_in("the ref was ab99kobi") == []


def test_model_scores_names_above_the_threshold_and_english_below() -> None:
    model = name_grams()
    assert model.score("kobi") > NAME_SPELLING_THRESHOLD
    assert model.score("thru") < NAME_SPELLING_THRESHOLD
    # The model is a ratio: a clear English spelling is well below zero.
    assert model.score("hotspot") < 0 < model.score("kobi")
