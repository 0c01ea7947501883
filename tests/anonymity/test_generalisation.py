"""The rules added after the blind held-out test, each on sentences of its own."""

from __future__ import annotations

import pytest

from anonymity.detector import scan


def flagged(text: str) -> list[str]:
    return [f.text for f in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An age right after a word makes it a person, even an everyday word.
        ("kids: Florin (12), Ionela (9) and the baby.", "Florin"),
        ("the little one is ruby, 3, and mum has a new partner", "ruby"),
        ("Hope is 4 and goes to nursery three days a week.", "Hope"),
        ("Both boys, Tariq (15, Year 10) and his cousin, were seen.", "Tariq"),
        # A relationship in brackets after a word says who the person is.
        ("Dawn (mum) and the stepdad both deny it.", "Dawn"),
        ("we spoke to carol (nan) on the phone", "carol"),
        # A sentence-initial everyday name followed by a verb a person does.
        ("Grace keeps saying she has a secret boyfriend.", "Grace"),
        ("Faith talked to her teacher after lunch.", "Faith"),
        # Welsh, Irish and Eastern European names the first lists lacked.
        ("Notes: Gareth explained the plan to the family.", "Gareth"),
        ("Notes: Oksana explained the plan to the family.", "Oksana"),
        # Explicit naming wins over a place-like word.
        ("He goes by 'Smokey' on the estate.", "Smokey"),
    ],
)
def test_names_found_by_the_generalised_rules(text: str, expected: str) -> None:
    assert expected in flagged(text)


def test_a_name_once_cued_is_found_again_without_cue_capital_or_apostrophe() -> None:
    text = "one of our yr10s (Callum) says his uncle hurts him. mum is callums main carer."
    assert flagged(text).count("Callum") + flagged(text).count("callums") == 2


def test_everyday_words_are_not_propagated_from_a_name() -> None:
    # "Will" is a name here, the modal at the start of a sentence is not.
    assert flagged("Dad Will denies this. Will update after the ICPC.") == ["Will"]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("nhs no 083 016 6130, seen in ED.", "nhs_number", "083 016 6130"),
        ("lifts home in his car (silver Corsa, ab12cde)", "vehicle_registration", "ab12cde"),
        ("the server is discord.gg/nightowlz and he invites girls", "url", "discord.gg/nightowlz"),
    ],
)
def test_fixed_formats_found_by_the_generalised_rules(text: str, kind: str, expected: str) -> None:
    assert any(f.kind == kind and expected in f.text for f in scan(text))


@pytest.mark.parametrize(
    "text",
    [
        "Agreed Actions (3): DSL to log, SW to visit, police to consider ABE.",
        "Concerns (2) were raised at the ICPC about Mum's partner.",
        "The Brook tool score is 4 out of 5 and the risk is 3 weeks old.",
        "Safety plan for Year 4 (aged 8-9) agreed with Mum and Dad.",
        "The Designated Safeguarding Lead (DSL) and the Team Manager (TM) agreed.",
        "We talked about Signs of Safety (three houses) and the Graded Care Profile.",
        "Year 9 pupils were offered a session with the school nurse in May.",
        "Not all texts like yr12 and ks3 are registrations; neither is ab99cde.",
    ],
)
def test_sector_sentences_with_numbers_and_brackets_stay_clean(text: str) -> None:
    assert scan(text) == []
