"""Each rule of the detector with a sentence it catches and a near miss it leaves alone.

One row per rule, named as in ``anonymity/detector/``: ``(flagged sentence, what is flagged,
near-miss sentence, what must not be flagged there)``. For a rule that clears words
(``safe_word``, ``form_label``, ``descriptor``...) the near miss is the cleared sentence.
A new rule in ``FORMAT_RULES``, ``SHAPE_RULES``, ``TOKEN_RULES`` or ``PASSES`` without a
row here fails ``test_every_rule_has_a_row``.
"""

from __future__ import annotations

import pytest

from anonymity.detector import FORMAT_RULES, SHAPE_RULES, scan
from anonymity.detector.names import PASSES, TOKEN_RULES

RULES: dict[str, tuple[str, str, str, str]] = {
    "lower_family_plural": (
        "staying with the okafors again",
        "okafors",
        "heard from the facilitators again",
        "facilitators",
    ),
    "emails": (
        "Email kezia.m@example.com today.",
        "kezia.m@example.com",
        "Email the DSL today.",
        "DSL",
    ),
    "urls": (
        "Her page is www.kezia-m.co.uk now.",
        "www.kezia-m.co.uk",
        "See www.nspcc.org.uk for advice.",
        "www.nspcc.org.uk",
    ),
    "at_handles": ("She follows @kayla_x online.", "@kayla_x", "We met @ the office.", "@"),
    "platform_handles": ("her snap is kayla.x", "kayla.x", "her snap is private", "private"),
    "handle_shapes": (
        "messages from coach_danny88 again",
        "coach_danny88",
        "messages from the coach again",
        "coach",
    ),
    "dotted_initials": ("The father, J.S., attended.", "J.S", "The U.K. guidance applies.", "U.K"),
    "phones": ("Call mum on 07700 900123.", "07700 900123", "Call Rape Crisis on 0808 802 9999.", "0808 802 9999"),
    "nhs_numbers": (
        "NHS number 943 476 5919 on file.",
        "NHS number 943 476 5919",
        "Total 123 456 7890 paid.",
        "123 456 7890",
    ),
    "ni_numbers": ("NI number QQ 12 34 56 C held.", "QQ 12 34 56 C", "The NI team will call.", "NI"),
    "postcodes": ("They live at E6 2AB now.", "E6 2AB", "She is in year 3 3rd set.", "3 3rd"),
    "outward_postcodes": ("family live in E6 now", "E6", "the child is in Y6 now", "Y6"),
    "vehicle_registrations": ("He drives AB12 CDE daily.", "AB12 CDE", "He drives a red car daily.", "red car"),
    "dates": ("Born on 14/03/2015 in Leeds.", "14/03/2015", "Seen 3 times in 2015.", "2015"),
    "case_references": (
        "Mosaic ID 1234567 was closed.",
        "Mosaic ID 1234567",
        "Call 999 in an emergency.",
        "999",
    ),
    "numbered_streets": (
        "They live at 14 Acacia Avenue now.",
        "14 Acacia Avenue",
        "They live on an Avenue now.",
        "Avenue",
    ),
    "lower_case_streets": (
        "moved to 22 station rd last week",
        "22 station rd",
        "for 3 weeks road safety",
        "3 weeks road",
    ),
    "lower_case_home_streets": (
        "lives on acacia avenue with nan",
        "acacia avenue",
        "lives on the main road with nan",
        "main road",
    ),
    "numbered_the_streets": (
        "They moved to 4 the Parade.",
        "4 the Parade",
        "They walked to the Parade.",
        "the Parade",
    ),
    "streets_without_number": (
        "She lives on Pennine Way now.",
        "Pennine Way",
        "She walked near Soho Road.",
        "Soho Road",
    ),
    "flats": ("She moved to flat 3b yesterday.", "flat 3b", "She moved to a flat yesterday.", "flat"),
    "named_buildings": (
        "They live in Kingsley Court now.",
        "Kingsley Court",
        "The hearing is at Family Court.",
        "Family Court",
    ),
    "keyword_schools": (
        "He attends Riverside Primary School.",
        "Riverside Primary School",
        "He attends a special school.",
        "special school",
    ),
    "saint_schools": (
        "She goes to St Joseph's RC daily.",
        "St Joseph's RC",
        "She lives in St Albans now.",
        "St Albans",
    ),
    "lower_case_schools": (
        "she goes to oakwood primary",
        "oakwood primary",
        "she goes to a kent school",
        "kent school",
    ),
    "lower_case_saint_schools": ("goes to st joseph's now", "st joseph's", "moved to st albans now", "st albans"),
    "lower_case_cued_schools": ("attends oakwood most days", "oakwood", "attends regularly most days", "regularly"),
    "cued_schools": ("He is a pupil at Kingsmead.", "Kingsmead", "He is a pupil at Leeds.", "Leeds"),
    "weakly_cued_schools": (
        "She goes to Little Acorns every day.",
        "Little Acorns",
        "She went to Accident and Emergency.",
        "Accident and Emergency",
    ),
    "titled": ("We met Mrs Patel today.", "Mrs Patel", "We met Mr A today.", "Mr A"),
    "initials": ("J Smith called the office.", "J Smith", "Child A called the office.", "A"),
    "form_label": ("Kezia: I want to go home.", "Kezia", "Keyworker: to be allocated.", "Keyworker"),
    "naming_cue": ("He calls himself Smudge online.", "Smudge", "He calls himself lonely online.", "lonely"),
    "owned_relative_named": ("Her brother Will is 15.", "Will", "Her brother will be 15.", "will"),
    "relative_named": ("mum (sharon) rang", "sharon", "mum (tired) rang", "tired"),
    "descriptor": ("The father, Kristian, attended.", "Kristian", "The father is Christian.", "Christian"),
    "person_context": ("May and her brother came in.", "May", "In May the brother came in.", "May"),
    "month_with_age": ("April (15) is pregnant.", "April", "April 15 is the date.", "April"),
    "with_age": ("Florin (12) was seen.", "Florin", "Actions (3): none.", "Actions"),
    "with_date_of_birth": ("mo dob 2.9.09 seen today", "mo", "form dob to be checked", "form"),
    "with_job_in_brackets": (
        "Ruby (Practice Lead, Early Help) attended.",
        "Ruby",
        "Update (Practice Lead, Early Help) attached.",
        "Update",
    ),
    "with_role_in_brackets": (
        "Dawn (mum) and Gavin (stepdad) came.",
        "Dawn",
        "Update (ask the social worker) attached.",
        "Update",
    ),
    "in_capitals": ("KM is in foster care.", "KM", "The CAMHS team is in touch.", "CAMHS"),
    "safe_word": ("Tiegan went to the clinic.", "Tiegan", "CAMHS went to the clinic.", "CAMHS"),
    "lower_first_name_with_verb": ("rose said she was scared", "rose", "the rose said nothing", "rose"),
    "lower_place": ("moved from kezia last year", "kezia", "moved from jordan last year", "jordan"),
    "lower_known_first_name": ("we saw liesel today", "liesel", "we saw the kobi today", "kobi"),
    "lower_between_verbs": ("nan says kezzia has been upset", "kezzia", "nan says school has been upset", "school"),
    "lower_stray_word": ("we saw kezzianne today", "kezzianne", "we saw the wkend today", "wkend"),
    "lower_name_spelling": ("saw kobi today", "kobi", "saw thru today", "thru"),
    "lower_hyphenated_names": ("lily-mae was upset", "lily-mae", "drop-in was upset", "drop-in"),
    "lower_possessive_without_apostrophe": ("jaydens mum rang", "jaydens", "a jaydens mum rang", "jaydens"),
    "lower_case_otherwise": ("we saw Kezzianne today", "Kezzianne", "we saw kettles today", "kettles"),
    "hyphenated_first_names": ("Lily-Rose came in.", "Lily-Rose", "Drop-In came in.", "Drop-In"),
    "place_after_preposition": ("We told Chelsea about it.", "Chelsea", "She lives in Chelsea now.", "Chelsea"),
    "unknown_capitalised": ("We told Oluwaseun about it.", "Oluwaseun", "We told Camhs about it.", "Camhs"),
    "capitalised_word_name": ("We told Grace about it.", "Grace", "We used the Grace Notes tool.", "Grace"),
    "following_surnames": ("Grace Carter was seen.", "Grace Carter", "Grace Notes was used.", "Grace Notes"),
    "preceding_first_names": (
        "The referral says Will Okafor collects them.",
        "Will Okafor",
        "The referral will collect them.",
        "will",
    ),
    "kin_titles": ("Auntie Shaz came round.", "Auntie Shaz", "Auntie came round.", "Auntie"),
    "lists_of_people": ("zain, aleena and musa were there", "musa", "zain, the school and mum were there", "school"),
    "later_mentions": (
        "Mum (Callum's carer) said callums room is cold.",
        "callums",
        "The callum room is cold.",
        "callum",
    ),
    "pasted_surname_first": (
        "Referral re SMITH, Kezia today.",
        "SMITH, Kezia",
        "Referral re CAMHS, Kezia today.",
        "CAMHS, Kezia",
    ),
    "couples": ("Mr and Mrs Patel attended.", "Mr and Mrs Patel", "Mr and Mrs A attended.", "Mr and Mrs A"),
    "surname_initials": ("Kacper W was seen.", "Kacper W", "Kacper I think was seen.", "Kacper I"),
    "place_tokens": ("A text from Kezzianne came.", "Kezzianne", "A girl from Kezzianne came.", "Kezzianne"),
    # Round 3: lower-case word-names in a person's slot, nicknames, family surnames, venues.
    "after_saint": ("Mary's mum rang.", "Mary's", "St Mary's church hall is booked.", "Mary's"),
    "nickname_explained": (
        "this is re k-jay (real name kwame), yr 9",
        "k-jay",
        "hangs round with the older males (real name unknown)",
        "males",
    ),
    "common_word_nickname": (
        "yp known as spider round the park",
        "spider",
        "known to police as violent and controlling",
        "violent",
    ),
    "surname_before_family": (
        "visited the okonkwo family today",
        "okonkwo",
        "visited the foster family today",
        "foster",
    ),
    "word_name_after_relative": (
        "her mate summer about the pics",
        "summer",
        "her sister rose to the challenge",
        "rose",
    ),
    "lower_first_name_with_age": (
        "summer 14 has been going missing",
        "summer",
        "summer 2 is when transition happens",
        "summer",
    ),
    "first_name_before_own_relative": (
        "disclosed that rose her step mum films her",
        "rose",
        "went to see her brothers at contact",
        "see",
    ),
    "first_name_before_who": (
        "present: sc, mum and dawn who is mums friend",
        "dawn",
        "raids at dawn who knows when",
        "dawn",
    ),
    "first_name_before_negation": (
        "poppy doesnt want to go to contact",
        "poppy",
        "the poppy doesnt grow here",
        "poppy",
    ),
    "told_first_name": (
        "disclosed to summer in form time",
        "summer",
        "she talked in summer about it",
        "summer",
    ),
    "first_name_with_relative_after": (
        "will's mum rang the school",
        "will's",
        "mum's will is contested",
        "will",
    ),
    "short_name_after_relative": (
        "the coach gav gave her lifts",
        "gav",
        "her bro tbh is fine",
        "tbh",
    ),
    "modifier_before_nickname": (
        "mum calls him big dee, hes 22",
        "big dee",
        "a big dee on the wall",
        "big dee",
    ),
    "lower_first_names_before_surnames": (
        "mums ex mark kowalski turned up",
        "mark kowalski",
        "asked me to chase haroon re the chronology",
        "chase haroon",
    ),
    "named_flats": ("family in flat 6 the sidings now", "flat 6 the sidings", "family in flat 6 now", "flat 6 now"),
    "lower_case_estates": (
        "lives on the beechwood estate w nan",
        "beechwood estate",
        "lives on the council estate w nan",
        "council estate",
    ),
    "abbreviated_streets": (
        "staying at a hostel on queens rd",
        "queens rd",
        "stuck on the ring rd for an hour",
        "ring rd",
    ),
    "cued_trading_names": (
        "intelligence about the flat above Kebab King",
        "Kebab King",
        "Dad works at Burger King on Saturdays",
        "Burger King",
    ),
    "venue_in_brackets": (
        "looked after girl at meadowbank (childrens home)",
        "meadowbank",
        "placed at a local (childrens home)",
        "local",
    ),
    "named_venues": (
        "disclosed at little acorns nursery",
        "little acorns nursery",
        "placed in a leeds childrens home",
        "leeds childrens home",
    ),
}


def test_every_rule_has_a_row() -> None:
    declared = {rule.__name__ for rule in (*FORMAT_RULES, *SHAPE_RULES, *TOKEN_RULES, *PASSES)}
    assert declared - set(RULES) == set()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_catches_its_example(rule: str) -> None:
    sentence, flagged, _, _ = RULES[rule]
    assert flagged in [f.text for f in scan(sentence)]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_leaves_its_near_miss(rule: str) -> None:
    _, _, sentence, not_flagged = RULES[rule]
    assert not_flagged in sentence
    assert not_flagged not in [f.text for f in scan(sentence)]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("shes 15, lives in hu3", "hu3"),  # an outward code in lower case where someone lives
        ("FAMILY RESIDE AT 88 PARK VIEW ROAD, B10.", "B10"),  # closing an address
        ("Family reside in the M8 area.", "M8"),
    ],
)
def test_outward_postcodes_where_a_home_is(sentence: str, flagged: str) -> None:
    assert flagged in [f.text for f in scan(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "looked at sarahs law w mum, and clares law too",  # laws typed without the apostrophe
        "lucy faithfull foundation did work w dad",
        "marie collins foundation recommended",
        "gillick/fraser relevant? confused",
        "Assessment informed by the Hackett Continuum.",
        "Finkelhor's four preconditions model explained.",
        "Interpreter required (Sorani Kurdish).",
        "Gurdwara and temple community leaders were invited.",
        "Health Visitor and School Nurse contributed.",
        "an AI-generated image was shared",
        "mums new fella will be moving in",
    ],
)
def test_laws_tools_languages_and_roles_are_not_flagged(sentence: str) -> None:
    assert scan(sentence) == []
