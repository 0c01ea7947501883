"""Rules added with the SSA first-name list and after the sixth and seventh blind sets.

Each rule is shown with the near miss it must leave alone, so it cannot drift
into flagging ordinary prose (docs/anonymity.md, "Sixth and seventh authors").
"""

from __future__ import annotations

import pytest

from anonymity.detector import scan
from anonymity.detector.lexicon import lexicon
from tests.anonymity.helpers import findings_in, names_in


def test_ssa_list_is_loaded_but_curated_lists_win_over_it() -> None:
    lex = lexicon()
    # First names of many origins that no earlier list held.
    for name in ("rui", "liesel", "kezia", "tamsin", "yusra", "dariusz"):
        assert name in lex.first, name
    # The SSA list also holds slang, places and sector words: those stay out.
    for word in ("peng", "london", "quran", "telly"):
        assert word not in lex.first or word in lex.places, word
    assert "london" not in lex.first


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("parveen's bro picks up rui from school now", "rui"),
        ("got a text from liesel saying the bf is back", "liesel"),
        ("met tia at the drop-in, she was upset", "tia"),
    ],
)
def test_lower_case_first_names_from_the_lists_are_names(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "we saw the kobi today",  # after an article: a thing
        "the ref was ab99kobi",  # a piece of a code
        "trip to paris with school next month",  # a place after "to"
        "lil bro is staying at nans, hiya to the team",  # slang the SSA list also holds
        "Paris trip w school next month, worried as the 14yo has gone missing before.",
    ],
)
def test_first_names_in_these_positions_are_not_names(text: str) -> None:
    assert names_in(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Andreea disclosed that their mum's partner Florin comes into the bathroom.", "Florin"),
        ("Li Wei's older cousin Jun is to have no unsupervised contact.", "Jun"),
        ("Her brother Will is 15 and collects her.", "Will"),
        ("his mum Hope has asked for the meeting to be moved", "Hope"),
    ],
)
def test_a_capitalised_word_after_an_owned_relative_is_a_name(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her brother In the past has been cautioned.",  # a stop word
        "Her sister Christmas plans fell through.",  # a holiday
        "Their mum Monday to Friday works nights.",  # a day
        "Her social worker MASH referral went in on Friday.",  # sector vocabulary
        "her brother's school has been told",
    ],
)
def test_an_owned_relative_does_not_make_these_names(text: str) -> None:
    assert names_in(text) == []


def test_a_lower_case_word_name_with_a_verb_only_people_do_is_a_name() -> None:
    assert names_in("ivy told her TA that leon's dad showed her videos") == ["ivy", "leon's"]
    assert names_in("rose said she did not want to go home") == ["rose"]
    # the same word after an article or a pronoun is a thing or a verb
    assert names_in("the rose said nothing to anyone") == []
    assert names_in("we hope told is the wrong word here") == []


def test_a_first_name_before_a_name_is_part_of_it() -> None:
    assert "Blessing Mensah" in names_in("Precious and Blessing Mensah (twins, 8) live with dad.")
    assert "Will Okafor" in names_in("The referral says Will Okafor collects them.")
    # a role word before a name is not part of it
    assert "Mensah" in names_in("Social Worker Mensah will attend.")
    assert "Worker Mensah" not in " ".join(names_in("Social Worker Mensah will attend."))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Worried abt Bliss (10) - keeps drawing sexualised pictures.", "Bliss"),
        ("Elira (our Albanian-speaking family support worker) came too.", "Elira"),
        ("We met Mindaugas today with the interpreter.", "Mindaugas"),
    ],
)
def test_fixes_from_the_seventh_set(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Concerns (3): missing episodes, new phone, older friends.",  # a plural heading and a count
        "Update (ask the social worker) before the next clinic.",  # a heading, not a person
        "Mind and Kooth both offer online support.",  # the charity's name still passes
    ],
)
def test_near_misses_of_the_seventh_set_fixes_stay_clean(text: str) -> None:
    assert names_in(text) == []


def test_an_account_handle_after_acct_is_a_handle() -> None:
    found = findings_in("also has a 2nd acct dev.x.official on insta")
    assert ("social_handle", "dev.x.official") in found


# Rules added after the ninth (hurried, lower-case) blind set.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("stepdad (gaz) refused to leave the room during visit", "gaz"),  # short, in brackets
        ("mum says new bf is called dec n he dont live there", "dec"),  # a month's short form after "called"
        ("ciara says her bro paddy was in the room", "paddy"),  # "bro" and an Irish nickname
        ("grandad ion says the boys all sleep in one room", "ion"),  # a Romanian name that is a word
        ("mo dob 2.9.09 said his cousin showed him vids", "mo"),  # whose date of birth it is
        ("eilidh and wren share a room with the uncle", "wren"),  # a word-name in a list with a name
        ("olu, dami n tobi all said the same thing", "tobi"),  # "n" for "and"
    ],
)
def test_hurried_names_with_their_cues(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "sibling b 15 denies everything, mum believes him, dad dont engage",  # no apostrophe
        "dad peng on weed most visits, kids hungry",  # slang after a relative
        "yp moved to a placement out of area in kent, new sw allocated next wk",  # a place
        "online grooming via roblox then moved to discord, police cyber team involved",
        "yr 8 girl missing from care since sat, found sunday am, rhi done",  # return home interview
        "youngest d.o.b is on the referral",  # a kin adjective before a birth cue
        "mum (tbc) and dad (n/a) at the meeting",  # placeholders in brackets
        "summer n winter clothes both needed, sw to sort",  # seasons in a list
        "called dec 5 to confirm the ICPC",  # a month and a day after "called"
    ],
)
def test_hurried_clean_notes_stay_clean(text: str) -> None:
    assert names_in(text) == []


# Rules added after the eighth (realistic, every kind) blind set.


def test_two_capitals_with_a_possessive_or_a_verb_are_initials() -> None:
    text = "We returned to KM's case. KM is in foster care and KM's brother is at home."
    assert names_in(text) == ["KM's", "KM", "KM's"]
    # an acronym after "our", "the" is a thing: "Our EAP is free", "the CSP's guidance"
    assert names_in("Our EAP is free and the CSP's guidance is clear.") == []


def test_names_joined_by_an_ampersand_are_a_list() -> None:
    assert names_in("notes from tues: chloe & precious led.") == ["chloe", "precious"]


def test_a_lower_case_registration_with_a_space_is_found() -> None:
    found = findings_in("in his car (blue corsa yp68 fzr) again")
    assert ("vehicle_registration", "yp68 fzr") in found
    # a school year and a word are not a registration
    assert [f.kind for f in scan("pupils in ks34 and ks45 groups")] == []


def test_emergency_numbers_are_not_references() -> None:
    assert scan("Requester advised to call MASH now / police 999, or NHS 111.") == []


# Rules and data added after the tenth (realistic) and eleventh (hurried) blind sets.


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("tash (dsl) asked me to bring this one", "tash"),  # a British short form
        ("child says 'grampy frank hurt my bum'", "frank"),  # a family word for grandad
        ("Mum (Ionela Popescu) and Dad (Florin) separated in the summer.", "Florin"),
        ("her foster carer, June Hartley, says June is worried about it", "June Hartley"),
    ],
)
def test_names_from_the_tenth_and_eleventh_sets(text: str, name: str) -> None:
    assert name in names_in(text)


def test_a_month_person_is_that_person_again_but_the_month_is_not() -> None:
    text = "Her carer, June Hartley, says June is worried. The review is in June."
    assert names_in(text) == ["June Hartley", "June"]


@pytest.mark.parametrize(
    "text",
    [
        "sib sa - older sib (14) n younger (7), parents split on what to do",  # two letters
        "12yo boy, online offending by dad (ioc), dad bailed to another address",  # shorthand in brackets
        "yp 16 in supported accom, staff think adults coming in",
        "teacher noticed yp using words like 'bussy' and 'gyatt' at break",  # youth slang
        "The young person calls the adult 'Babe' in messages.",  # an endearment, not a name
        "book a slot at the practitioner drop-in on Thursday",  # a hyphenated word, not a name
        "a 10-year-old boy touched two younger children at an after-school club",
    ],
)
def test_near_misses_from_the_tenth_and_eleventh_sets_stay_clean(text: str) -> None:
    assert scan(text) == []


# Rules and data added after the twelfth (long, realistic) and thirteenth (hurried and
# Title Case or capitals) blind sets.


def test_a_line_typed_in_title_case_or_capitals_is_judged_like_lower_case() -> None:
    title = "Child Said The Man From The Gym Gave Him Robux On Roblox And Asked For Pics, Child Is 9"
    assert scan(title) == []
    assert scan("Sw Wants Help With A Frank Conversation With Mum About Why The Older Brother Cant Stay") == []
    assert scan("REFLECTIVE SESSION THEMES: SIBLING SSA, ONLINE OFFENDING, PARENT DISBELIEF, STAFF WELLBEING.") == []
    # names are still found there, as in lower-case text
    assert "Oksana" in names_in("Child Said Oksana Showed Him The Pictures On Her Phone At School")
    assert names_in("VISIT NOTES: MRS OKAFOR SAYS THE BOYS ARE SLEEPING BETTER NOW") == ["MRS OKAFOR"]
    # an ordinary sentence with a few capitals is not such a line
    assert names_in("We met Oksana at school today with the DSL.") == ["Oksana"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("precious and blessing (twins, 8) both drew the same picture", "blessing"),
        ("will and his brother hunter both placed w foster carers", "will"),
        ("one was Lily-Rose Carter, 13, who is open to CSC", "Lily-Rose Carter"),
    ],
)
def test_names_from_the_twelfth_and_thirteenth_sets(text: str, name: str) -> None:
    assert name in names_in(text)


def test_a_house_number_on_the_parade_is_an_address() -> None:
    found = findings_in("adebayo said the man lives at 41b the parade above the vape shop")
    assert ("address", "41b the parade") in found
    assert scan("the parade was cancelled at 3, the green was flooded") == []


@pytest.mark.parametrize(
    "text",
    [
        "May bulletin: new Sibling Sexual Abuse guide now on the hub.",  # a Title Case phrase
        "CPS have advised NFA on evidential grounds.",  # an English derivation
        "Practitioners from Great Yarmouth and King's Lynn welcome.",  # a town
        "SW to complete genogram, DSL to share chronology.",
        "The 17 year old met the adult at Victoria Coach Station after chatting on Yubo.",
        "The Sky TV account was used to buy adult content.",
        "Rose-tinted glasses are no help here.",  # a hyphenated word, not a name
    ],
)
def test_near_misses_from_the_twelfth_and_thirteenth_sets_stay_clean(text: str) -> None:
    assert names_in(text) == []


# Rules and data added after the last round (fourteenth to sixteenth blind sets).


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("April (15) is pregnant and says the father is a boy from college.", "April"),
        ("Grace has told her foster carer, June, that her uncle used to film her.", "June"),
        ("refl notes - Aoife and Declan both said supervision not happening", "Declan"),  # not "de" + "clan"
        ("kacper (15) and his mate dom been going to the garages", "dom"),
        ("Ionut and Florin (cousins, roma family) both referred", "Florin"),
        ("the driver told the girls his name was Ash.", "Ash"),
        ("one of the coaches, known to the girls as DW, sends her messages", "DW"),
        ("Ruby (Practice Lead, Early Help) brought a case about a 16-year-old.", "Ruby"),
    ],
)
def test_names_from_the_last_round(text: str, name: str) -> None:
    assert name in names_in(text)


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("Lexi's dad Rob turned up at Hillside Juniors drunk", "Hillside Juniors"),
        ("The allegation is against a leader at 3rd Chadwell Heath Scout Group.", "3rd Chadwell Heath Scout Group"),
        ("Tyler attends Kingsmead Pupil Referral Unit three days a week.", "Kingsmead Pupil Referral Unit"),
    ],
)
def test_schools_from_the_last_round(text: str, school: str) -> None:
    assert ("school", school) in findings_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Police NFA'd. Do we go back to the LADO?",  # an acronym used as a verb
        "Dad is a Sky engineer, works away a lot.",
        "young carer for mum who has MS. non recent abuse disclosed by mum too",  # a full stop, not a title
        "The MASH decided the threshold was not met and the case went to Early Help.",
        "shes 16, gillick ok? cant remember which",
        "In April (2 sessions) and May (3 sessions) the group met online.",  # months with counts
        "Update (Team Lead, MASH) is due on Friday.",  # a heading, not a person
    ],
)
def test_near_misses_of_the_last_round_stay_clean(text: str) -> None:
    assert scan(text) == []


# Fixes after the final check (seventeenth and eighteenth blind sets).


def test_fixes_after_the_final_check() -> None:
    found = findings_in
    assert ("postcode", "bl3 4rd") in found("Family live at 112 Stanley Road, bl3 4rd.")  # not "3rd"
    assert found("seen on the 3rd floor, then the 2nd") == []
    assert ("name", "LB") in found("LB (aged 16) has been going missing overnight.")
    assert ("name", "J") in found("J (age 14) has a much older 'friend' on Snapchat.")
    assert ("case_reference", "CP-23-0456") in found("Checked the system: CP-23-0456.")
    assert ("case_reference", "EH/2291/24") in found("the older sibling under EH/2291/24.")
    assert found("COVID-19 rules, KS2/3 and Y10/11 groups, 2023/24") == []
    assert ("school", "Riverside Netball Club") in found("her coach at Riverside Netball Club said")
    assert ("name", "jaydens") in found("jaydens mum says he wont go in")
    # plurals of words are not possessives of names ("bodie", "carrie", "tran" are names somewhere)
    assert found("curiosity about bodies; she carries stuff for him; yp is trans") == []
    assert found("A young man (17) with a learning disability is being targeted online.") == []


def test_an_everyday_word_that_is_a_person_here_is_that_person_again_in_lower_case() -> None:
    text = "Summer told me the older boy said he'd post the pics, summer now not attending school"
    assert names_in(text) == ["Summer", "summer"]
    assert "bran" in names_in("Brandon aka 'Bran' seen w older males. mum thinks bran is dealing")
    # the word where the word would stand, or a modal, stays a word
    assert names_in("Summer told me about it. In summer now the group meets outside.") == ["Summer"]
    assert names_in("Will (14) has HSB concerns; mum will now attend the meeting") == ["Will"]


def test_small_uk_places_are_places_but_still_name_their_schools() -> None:
    lex = lexicon()
    assert "longsight" in lex.small_places and "longsight" not in lex.first
    assert scan("links to older males around the shopping centre in Longsight") == []
    assert scan("Girl, 13, seen around Chapeltown and Toxteth late at night") == []
    found = findings_in("concern raised by the head of yr at Brookfield High")
    assert ("school", "Brookfield High") in found
    # the list never holds a first name or a surname, so people are still found
    assert not (lex.small_places & lex.first) and not (lex.small_places & lex.surnames)


# Rules after the last two blind sets (nineteenth: a city's districts and landmarks;
# twentieth: hurried London notes).


@pytest.mark.parametrize(
    "text",
    [
        "placed in a residential home in Beighton, found twice around Lowedges",  # after "in", "around"
        "the training offer in Darnall and Tinsley is making a difference",  # a list of places
        "Take a walk round Endcliffe Park at lunch; it helps.",  # before a place noun
        "youth worker, Gleadless Valley. lads at the ponds on friday nights",
        "since the move to the Gascoigne estate mum reports Child A is wetting",
        "She goes into town to the Peace Gardens with older men.",  # a landmark, not a street
        "the 15yo is on TikTok and Insta live every night",  # slang with a capital
        "king of the block he calls himself lol, the 18yo at the youth club",
        "stepbro 16 and stepsis 11, blended family since Sept",
        "core group can't agree if its sibling SA or normal sexual exploration",
        "Youth Justice worker. Boy aged 16, on a referral order.",
        "15yo asked for contraception. fraser competent but worried re cse.",
    ],
)
def test_places_and_shorthand_from_the_last_two_sets_stay_clean(text: str) -> None:
    assert names_in(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the risk from mum's ex-partner (MB) is still live. MB is out on licence", "MB"),  # not Manitoba
        ("Joy and Precious (twins, 7) both said it at school", "Joy"),
        ("Connor Beighton, 15, was seen with the group", "Connor Beighton"),  # a place as a surname
        ("we met Oluwaseun and Kezia in Darnall", "Oluwaseun"),  # people before the place
        ("she was in Kezia's room when it happened", "Kezia's"),  # a possessive after "in"
    ],
)
def test_people_near_places_are_still_found(text: str, name: str) -> None:
    assert name in names_in(text)


def test_a_named_street_without_a_number_is_an_address_but_the_landmark_is_not() -> None:
    assert ("address", "Pennine Way") in findings_in("lives with foster carers in Pennine Way")
    assert scan("walked the Pennine Way with the youth group") == []
    assert ("address", "88 Gleadless Common") in findings_in("living at 88 Gleadless Common")


# Rules after the twenty-first (Birmingham) and twenty-second (Shropshire) blind sets.


@pytest.mark.parametrize(
    "text",
    [
        "DSL, primary, Ladywood. yr 3 boy said 'big boys at the park showed me videos'.",  # role and patch
        "Police Sergeant, Handsworth. A group of boys have been sharing a video of a girl from Winson Green.",
        "Health visitor, Bordesley Green. Mum disclosed historic abuse.",
        "PPU Erdington. 15yo boy disclosed abuse by his football coach.",
        "Early Help worker from Telford & Wrekin. Family are Roma.",  # a list with a known place
        "a caravan near Church Stretton, up on the Long Mynd. No police involvement.",
        "DSL at a secondary in Perry Barr. A Year 9 girl shared a screenshot.",  # a run after "in"
        "I'm a youth worker at a faith-based project near Soho Road.",  # a direction, not an address
        "sib B (10) touched sib A (6) at bedtime",  # a role letter
    ],
)
def test_local_places_of_the_last_sets_stay_clean(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DSL, Mrs Pryce, called about the referral", "Mrs Pryce"),  # a title wins over the signature
        ("Social worker, Kezia, asked for a consultation", "Kezia"),  # a first name is the writer's name
        ("she stayed in Kezia Smith's room that night", "Kezia Smith's"),  # a possessive run is a person
        ("Social Worker Mensah will attend.", "Mensah"),  # no comma: a role and a surname
        ("a text from Oluwaseun last night", "Oluwaseun"),  # "from" a person
    ],
)
def test_people_next_to_place_positions_are_still_found(text: str, name: str) -> None:
    assert name in names_in(text)


# Fixes after the twenty-third (Hull) and twenty-fourth (independent tester) blind sets.


@pytest.mark.parametrize(
    "text",
    [
        "Next clinic: Tuesday 9 December, 10:00-12:30, online via Teams.",  # a time, not a year
        "DSL question: a Year 6 girl (KS2) has written 'I want to die' in her book.",  # a key stage
        "Mum is a devout Christian and her faith matters to her.",
        "the overnight ferry from King George Dock to Rotterdam",  # a landmark named after a king
        "Child A (12) was found at the Marina with two older males.",
        "join us afterwards for a walk along Victoria Pier",
    ],
)
def test_clean_texts_of_the_last_check_stay_clean(text: str) -> None:
    assert scan(text) == []


def test_people_of_the_last_check_are_found() -> None:
    assert names_in("Sian and Mo reflected on secondary trauma.") == ["Sian", "Mo"]
    assert names_in("Reflective session notes: GD brought a case about sibling abuse.") == ["GD"]
    assert ("date", "9 December 10") in findings_in("born 9 December 10")
    assert names_in("the Grace family moved in March") == ["Grace"]
    assert names_in("Amelia Park said she would come") == ["Amelia Park"]  # Park is a surname too
