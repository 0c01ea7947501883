"""Find identifying details in free text (case questions, outcomes, notes).

Pure Python on purpose: no Django import, so the detector can be benchmarked,
used from the command line and tested without settings.

Design in one paragraph (the long version is in ``docs/anonymity.md``): fixed
formats (emails, postcodes, NHS numbers...) are regular expressions with
validation; names are found token by token from word lists (first names,
surnames, common English words, sector vocabulary) plus context: cue words
("mum", "called", "Mrs"), capitalisation mid-sentence, and Title Case phrases.
A capitalised word that is not an English word, not sector vocabulary and not a
place is treated as a name; a first name that is also an everyday word
("Grace", "Will") needs context. Overlapping candidates are resolved by kind
priority, and the result is sorted and non-overlapping.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

__all__ = ["KINDS", "Finding", "load", "scan"]

KINDS: tuple[str, ...] = (
    "name",
    "date",
    "address",
    "postcode",
    "nhs_number",
    "ni_number",
    "phone",
    "email",
    "url",
    "social_handle",
    "school",
    "case_reference",
    "vehicle_registration",
)

_ADVICE = {
    "name": "looks like a person's name: use a role such as 'Child A', 'Mother' or 'Social Worker'",
    "date": "looks like a date (for example a date of birth): give an age such as 'aged 9' or a season and year instead",
    "address": "looks like an address: say 'the family home' or describe the area in general terms",
    "postcode": "looks like a postcode: remove it",
    "nhs_number": "looks like an NHS number: remove it",
    "ni_number": "looks like a National Insurance number: remove it",
    "phone": "looks like a phone number: remove it",
    "email": "looks like an email address: remove it",
    "url": "looks like a web address: remove it or describe the site in general terms",
    "social_handle": "looks like a social media username: name the platform only, such as 'a Snapchat account'",
    "school": "looks like the name of a school, nursery, college or club: say 'the school', 'the nursery' or 'the club' instead",
    "case_reference": "looks like a case-system reference or ID number: remove it",
    "vehicle_registration": "looks like a vehicle registration: say 'a car' instead",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def message(self) -> str:
        return f"'{self.text}' {_ADVICE[self.kind]}"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "data"


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


def _read_words(name: str) -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        words.update(w.replace("\u2019", "'") for w in line.lower().split())
    return frozenset(words)


@dataclass(frozen=True)
class _Lexicon:
    common: frozenset[str]
    first: frozenset[str]
    word_names: frozenset[str]
    ssa: frozenset[str]  # first names only the SSA list holds
    surnames: frozenset[str]
    sector: frozenset[str]
    places: frozenset[str]
    small_places: frozenset[str]  # villages and districts (GeoNames), not towns or counties
    informal: frozenset[str]


@cache
def _lexicon() -> _Lexicon:
    word_names = _read_words("word_names.txt")
    sector = _read_words("sector_terms.txt") | _ROLE_WORDS
    small_places = _read_words("gb_places.txt")
    places = _read_words("places.txt") | _read_words("proper_nouns.txt") | small_places
    informal = _read_words("informal_words.txt")
    # The SSA list is broad (every name given 50 times in 77 years of US births)
    # and so holds some slang, places and sector words ("peng", "london",
    # "quran"); the curated lists win over it. Places that are first names
    # ("Chelsea") stay decided by context, as before.
    ssa = {w for w in _read_words("ssa_first_names.txt") if len(w) >= 3} - sector - places - informal - _STOP - _TITLES
    older = _read_words("census_first_names.txt") | _read_words("uk_first_names.txt") | word_names
    first = older | ssa
    return _Lexicon(
        common=_read_words("common_words.txt") | _EXTRA_COMMON,
        first=first,
        word_names=word_names,
        ssa=ssa - older,
        surnames=_read_words("census_surnames.txt"),
        sector=sector,
        places=places,
        small_places=small_places,
        informal=informal,
    )


def load() -> None:
    """Load the word lists now (otherwise done on the first scan)."""
    _lexicon()
    _name_grams()


# --------------------------------------------------------------------------
# Spelling model: does an unknown word look like a first name or a word?
# --------------------------------------------------------------------------

# Words no list knows are the detector's blind spot ("saw kobi today"): the lists
# cannot hold every name, but names share spellings that
# English words do not ("-ei", "ngo-", "-ia"). A naive Bayes model over the
# character 2- to 4-grams of the words (with "^" and "$" marking their ends),
# trained when the lists load on the first names against the English, slang and
# sector words, says which side a word's spelling is closer to. It only ever
# judges words of three to eight letters, so English words over seven letters
# (half the list) are left out of training: that keeps the load under 0.5 s.
_GRAM_SIZES = (2, 3, 4)
_GRAM_MAX_LEN = 8
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
class _NameGrams:
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
def _name_grams() -> _NameGrams:
    lex = _lexicon()
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
    return _NameGrams(
        names=names,
        words=words,
        name_total=math.log(sum(names.values()) + vocab),
        word_total=math.log(sum(words.values()) + vocab),
    )


# Words that must never start or continue a name even though they can be
# capitalised: relationships, roles and job titles used to anonymise.
_ROLE_WORDS = _words(
    """
    mum mummy mam mom mother dad daddy father parent parents carer carers child children sibling
    siblings brother sister baby nan nana nanny gran granny grandma grandmother grandad granddad
    grandpa grandfather grandparent aunt auntie aunty uncle cousin stepfather stepmother stepdad
    stepmum partner boyfriend girlfriend friend teacher headteacher head deputy social worker
    manager chair officer nurse doctor consultant paediatrician police detective constable sergeant
    inspector team lead practitioner coordinator reviewing independent designated safeguarding adult
    adults person young yp boy girl son daughter niece nephew perpetrator victim survivor man woman men women
    lady gentleman lad lass
    professional professionals family families pupil student mentor coach therapist psychologist
    clinician visitor midwife senco dsl iro chair clinic clinics stepbro stepsis bro sis bf gf sib sibs
    """
)
_EXTRA_COMMON = _words(
    """
    ok okay hi thanks etc eg ie vs tbc n/a online wellbeing email emails emailed texted whatsapp'd
    willy winky minnie tuppence foofoo nunny mary-jane
    """
)
_STOP = _words(
    """
    the a an and or but of in on at to for with by from as is was are were be been has had have he
    she they it his her their its this that these those who which what when where why how not no yes
    if so then than there here also both all any each our we you i me my your him them us after
    before about into over under during since until while
    """
)
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_DAY_ABBREVIATIONS = _words("mon tue tues wed thu thur thurs fri sat sun")
_CALENDAR = _MONTHS | _DAYS | _DAY_ABBREVIATIONS | {d + "s" for d in _DAYS}
# Word-names that are also abstract nouns: "Hope is what the family want".
_ABSTRACT_NAMES = _words(
    """
    faith hope grace charity joy patience mercy destiny harmony glory chance liberty trinity honour
    """
)
_HOLIDAYS = _words(
    """
    christmas xmas easter ramadan eid diwali hanukkah chanukah halloween vaisakhi passover lent
    advent navratri holi yom kippur rosh hashanah whitsun
    """
)
# Lower-case words after "mum", "dad", "sister"... that are first names but far
# more often verbs, modals or nouns there ("dad will", "sister rose", "mum may").
_NOT_NAME_AFTER_CUE = _words(
    """will may might can could mark rose drew grant chase sue pat bill hope joy dawn
    page summer winter spring autumn said says is was has had and or but also too"""
)
# A name does not follow these ("the wkend", "my fone", "a convo").
_DETERMINERS = _words("the a an my your his her its our their this that these those some any no every each")
_ARTICLES = _words("the a an some any every each")
# Two-letter words written in capitals that are not initials.
_UPPER_WORDS = _words("ok am pm tv uk eu us id hi ie eg nb ps re vs")
_PRONOUNS = _words("i we you they he she it")
# Nor come straight before these, which follow a noun or adjective instead.
_NOT_AFTER_NAME = _words("of")
_PLACE_BEFORE = _words("in from to near at around of outside into via")
_SEASONS = _words(
    """
    spring summer autumn winter
    """
)
_SEASON_BEFORE = _words(
    """
    in the this last next during over since until by of early late mid each every
    """
)

_RELATION_CUES = _words(
    """
    mum mummy mam mom mother dad daddy father stepdad stepmum stepfather stepmother step-dad
    step-mum brother sister sibling half-brother half-sister stepbrother stepsister nan nana nanny
    gran granny grandma grandmother grandad granddad grandpa grandfather aunt auntie aunty uncle
    cousin partner boyfriend girlfriend friend friends neighbour carer son daughter niece nephew
    baby child boy girl teacher worker officer nurse doctor visitor midwife manager chair dsl iro
    senco lado gp headteacher head mentor coach keyworker therapist practitioner colleague sw tm pc
    dc ds brothers sisters cousins ex ex-partner suspect perpetrator abuser offender lodger babysitter
    childminder tutor driver classmate peer victim complainant defendant lad teen teenager yp tenant
    landlord stepson stepdaughter twin twins fiance fiancee husband wife bro bros sis bf gf fella
    hubby sib sibs stepbro stepsis mate mates pal pals bestie bezzie bff grampy gramps grandpa nanna granda nonna nonno babcia dziadek
    ciocia wujek abuela abuelo bibi nani dadi khala khalu chacha chachi mamu amca teyze
    """
)
_NAMING_CUES = re.compile(
    r"(?:\b(?:called|named|nicknamed|known\s+(?:to\s+(?:\w+\s+){1,3})?as|aka|a\.k\.a\.|name\s+(?:is|was)|name's|"
    r"names\s+(?:are|were)|"
    r"goes\s+by|calls\s+(?:him|her|them)(?:self|selves)?)\s*[:\-]?\s*[\"'\u201c\u2018(]?|"
    # "calls her uncle 'Bash'", "refers to him as 'Tee'": the quote is the cue,
    # since without it the word after "calls her uncle" is rarely a name.
    r"\b(?:calls?|calling|refers?\s+to\s+(?:him|her|them)\s+as)\s+(?:(?:his|her|their|the|him|them)\s+)?"
    r"(?:[a-z\-]{2,20}\s+){0,2}[\"'\u201c\u2018])$",
    re.I,
)
# What groomers and partners call children: a naming cue before these is not a name.
_ENDEARMENTS = _words(
    """
    babe baby babes hun hunny hon honey darling sweetheart sweetie princess gorgeous sexy beautiful
    daddy mummy bae boo love lovely pet angel sugar cutie girlfriend boyfriend wifey hubby
    """
)
_KIN_TITLES = _words(
    """
    auntie aunty aunt uncle nan nanny nana grandpa grandad granddad grandma gran granny cousin
    """
)
_TITLES = _words(
    """
    mr mrs ms miss mx dr prof pc dc ds di dci sgt cllr rev fr
    """
)
_LOWER_TITLES = _words(
    """
    mr mrs ms dr
    """
)
_REPORTING_VERBS = _words(
    """
    said says told tells disclosed discloses reported reports shared shares stated states explained
    explains described describes has had is was lives lived attends attended went goes wants wanted
    asked asks became appeared appears presented presents returned ran refused refuses denied denies
    admitted admits alleged alleges cried didn't doesn't does did can't won't wasn't isn't hasn't
    came comes showed shows spoke sent received stays stayed moved seems seemed feels felt thinks
    thought knows knew gets got made makes wrote writes met texted messaged called rang visited left
    says
    talked talks keeps kept tried tries started starts stopped stops likes liked loves loved hates
    hated misses missed needs needed wishes wished worries worried cries screamed shouted laughed
    smiled slept sleeps plays played spends spent walked walks runs hid hides ate eats drew draws
    wet wets hit hits kicked touched touches stole sat sits stood begged pleaded whispered mentioned
    mentions confided confides joined joins turned turns arrived arrives ended stopped uses used
    reflected reflects discussed discusses brought brings raised raises suggested suggests offered
    offers agreed agrees noted notes wondered wonders
    """
)
# Verbs after a word that only a person does; strong enough to make a first
# name that is also a word ("Ed told", "June disclosed") a name.
_PERSON_VERBS = _words(
    """
    told tells said says disclosed discloses confided confides whispered cried screamed admitted
    admits denied denies alleged alleges refused refuses keeps kept wants wanted asked asks begged
    """
)
# Months that are also first names, and what must follow one to make it a
# person: "April has been missing", "June disclosed".
_MONTH_NAMES = _words("april may june july august")
_RELATION_ALT = "|".join(sorted(_RELATION_CUES | _words("key keyworker worker grandparent"), key=len, reverse=True))
# "May and her twin brother", "Mo and his cousin": a word joined to a
# relative of its own is a person.
_AND_RELATIVE_RE = re.compile(
    rf"\s+(?:and|with)\s+(?:his|her|their)\s+(?:(?:twin|older|younger|little|big|baby|elder|half|step|best|new|"
    rf"maternal|paternal)\s+)?(?:{_RELATION_ALT})\b",
    re.I,
)
# "Frank, the maternal grandfather, has...": an apposition naming the role.
_APPOSITION_RE = re.compile(
    rf"\s*,\s+(?:the|her|his|their|our|a|child\s+a['\u2019]s)\s+(?:[a-z\-]+\s+){{0,2}}(?:{_RELATION_ALT})\b",
    re.I,
)
_PERSON_HAS_RE = re.compile(
    r"\s+(?:has|had)\s+(?:been\s+)?(?:missing|told|said|disclosed|refused|run\s+away|gone\s+missing|"
    r"gone\s+off)\b|\s+(?:went|goes|is|was)\s+missing\b",
    re.I,
)
# What "the father is ..." usually goes on to say when it is not a name.
_DESCRIPTORS = _words(
    """
    christian muslim jewish hindu sikh buddhist catholic protestant white black asian mixed british
    english irish scottish welsh european african caribbean traveller gypsy roma deaf autistic
    """
)
_DESCRIPTOR_BEFORE = _words("is was are were as being a an devout practising practicing strict lapsed")
# "her key worker is Blessing", "mum's new partner is Gaz": a role, a few
# words and "is", then a capitalised word.
_ROLE_IS_RE = re.compile(
    rf"\b(?:{_RELATION_ALT})(?:['\u2019]s)?(?:\s+[a-z\-]+){{0,4}}\s+(?:is|was)\s+$",
    re.I,
)

# "Mason (12)", "Grace, 14,", "Florin (12, Year 7)": a name followed by an age.
_AGE_AFTER_RE = re.compile(
    r"\s*(?:\(\s*(?:aged?\s+)?\d{1,2}\s*(?:yo|y/o|yrs?|years?(?:\s+old)?)?\s*[),;]|"
    r",\s*(?:aged\s+)?\d{1,2}\s*(?:,|yo\b|y/o|yrs?\b|years?\b)|,\s*aged\s+\d{1,2}\b)"
)
_DOB_AFTER_RE = re.compile(r"\s*[(,\-:]?\s*(?:dob|d\.o\.b\.?|date\s+of\s+birth)\b", re.I)
_BRACKETS_AFTER_RE = re.compile(r"\s*\(([^()\n]{2,60})\)")
_ROLE_FIRST_PART_RE = re.compile(rf"\b(?:{_RELATION_ALT}|lead|manager|officer|worker|chair)\s*$", re.I)
_ROLE_AFTER_RE = re.compile(
    r"\s*\(\s*(?:(?:the|her|his|their|our|my|child\s+a['\u2019]s)\s+)?(?:[A-Za-z\-]{2,25}\s+){0,4}?([A-Za-z\-]{2,20})"
    r"\s*(?:,\s*(?:aged\s+)?\d{1,2}\s*)?\)",
    re.I,
)
# "Hope is 4 and...": weaker, so only after a first name or an unknown word,
# and not "the score is 4/10" or "is 3 weeks".
_AGE_IS_RE = re.compile(
    r"\s+(?:is|was|who\s+is|turned|turns)\s+(?:aged\s+|only\s+|just\s+)?\d{1,2}\b"
    r"(?!\s*(?:/|%|\.\d|:|out\b|of\b|am\b|pm\b|hours?\b|minutes?\b|times?\b|weeks?\b|days?\b|months?\b|miles?\b|"
    r"points?\b|sessions?\b|on\b|in\b))"
)
_ROLE_LETTER = re.compile(
    r"(?:child|sibling|young\s+person|yp|parent|adult|person|mother|father|carer|professional|"
    r"worker|boy|girl|family|pupil|student|victim|perpetrator|school|brother|sister|cousin|"
    r"friend|man|woman|male|female|case|practitioner|agency|option|scenario|sib|sibs|bro|sis)\s+$",
    re.I,
)
# Multi-word names of services and tools that contain first names.
_SAFE_PHRASES = re.compile(
    r"\b(?:Lucy\s+Faithfull(?:\s+Foundation)?|Marie\s+Collins(?:\s+Foundation)?|Stop\s+It\s+Now|"
    r"Rape\s+Crisis|The\s+Survivors\s+Trust|Survivors\s+Trust|Barnardo['\u2019]?s|Brook(?:\s+Sexual\s+Behaviours)?"
    r"\s+Traffic\s+Light\s+Tool|Response\s+Pathway|Grace\s+Notes|Signs\s+(?:and|&)\s+Indicators|"
    r"Working\s+Together(?:\s+to\s+Safeguard\s+Children)?|Keeping\s+Children\s+Safe\s+in\s+Education|"
    r"Jay\s+(?:Report|Inquiry)|Achieving\s+Best\s+Evidence|Child\s+[A-Z]\b|Sibling\s+[A-Z]\b|"
    r"Children\s+Act|Victoria\s+Climbi[eé]|Arthur\s+Labinjo-Hughes|Star\s+Hobson|"
    r"[A-Z][a-z]+['\u2019]s\s+Law|McDonald['\u2019]s|King['\u2019]s\s+(?:Lynn|Cross)|Bishop['\u2019]s\s+Stortford|"
    r"Shepherd['\u2019]s\s+Bush|Earl['\u2019]s\s+Court|Queen['\u2019]s\s+Park|Sky\s+(?:TV|Sports|Go|Q|Glass|Kids|engineer|box|remote|account|package|subscription)|Ask\s+Frank|Papyrus|Kooth|Teams|Mind|Fraser\s+(?:guidelines?|competen\w+|ruling)|(?i:fraser)\s+(?:guidelines?|competen\w*|ruling|criteria)|Gillick)\b",
)

_WORD_RE = re.compile(r"[A-Za-zÀ-ɏ](?:[A-Za-zÀ-ɏ]|['\u2019](?=[A-Za-zÀ-ɏ])|-(?=[A-Za-zÀ-ɏ]))*['\u2019]?")
_CONTRACTION_TAILS = _words(
    """
    s t re ve ll d m
    """
)
_DERIVED_SUFFIXES = (
    "isation",
    "isations",
    "ising",
    "ised",
    "ises",
    "ise",
    "ization",
    "ized",
    "ed",
    "ing",
    "ness",
    "ment",
    "ments",
    "ly",
    "ally",
    "ful",
    "er",
    "ers",
    "al",
    "ive",
    "ative",
    "ism",
    "isms",
    "ist",
    "ists",
    "ity",
    "ities",
)
# Word-forming prefixes that sector writing hyphenates or glues on freely
# ("Pre-Response", "Co-work", "Upskilling", "Re-referral").
_PREFIXES = (
    "pre",
    "co",
    "re",
    "non",
    "multi",
    "post",
    "self",
    "anti",
    "inter",
    "intra",
    "extra",
    "sub",
    "semi",
    "over",
    "under",
    "cross",
    "ex",
    "step",
    "half",
    "well",
    "ill",
    "mid",
    "out",
    "up",
    "de",
    "mis",
    "un",
    "trans",
    "cyber",
    "micro",
    "psycho",
    "neuro",
    "socio",
    "hyper",
    "tele",
)


# --------------------------------------------------------------------------
# Fixed-format detectors
# --------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,6}\.[A-Za-z]{2,24}")
_URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']{1,2000}|"
    r"\b(?:[a-z0-9\-]{1,63}\.){1,6}(?:com|co\.uk|org\.uk|org|net|io|me|info|gov\.uk|nhs\.uk|sch\.uk|ac\.uk|"
    r"police\.uk|tv|ly|uk|gg|ee|xyz)\b(?:/[^\s<>\"']{0,2000})?",
    re.I,
)
# Public guidance and support services that notes may signpost to. Only whole
# organisations' sites: social platforms are left out on purpose, since a
# profile link is an identifier.
_SIGNPOSTING_DOMAINS = _words(
    """
    gov.uk nhs.uk police.uk sch.uk ac.uk csacentre.org.uk nspcc.org.uk childline.org.uk
    rapecrisis.org.uk napac.org.uk thesurvivorstrust.org survivorsuk.org brook.org.uk
    stopitnow.org.uk lucyfaithfull.org.uk mariecollinsfoundation.org.uk barnardos.org.uk
    ceop.police.uk thinkuknow.co.uk iwf.org.uk internetmatters.org saferinternet.org.uk
    swgfl.org.uk samaritans.org mind.org.uk youngminds.org.uk papyrus-uk.org kooth.com
    safelives.org.uk womensaid.org.uk refuge.org.uk victimsupport.org.uk legislation.gov.uk
    rcpch.ac.uk nice.org.uk scie.org.uk researchinpractice.org.uk nwgnetwork.org
    """
)
_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,40}[A-Za-z0-9_])?")
_HANDLE_CUE_RE = re.compile(
    r"\b(?:snapchat|snap|instagram|insta|tiktok|tik\s+tok|twitter|facebook|fb|discord|kik|"
    r"telegram|roblox|xbox|psn|gamertag|gamer\s+tag|username|user\s+name|handle|account\s+name|"
    r"profile\s+name|profile|account|acct|whatsapp)"
    r"((?:\s+(?:name|username|user\s+name|handle|account|id|is|was|called|named|profile))*)"
    r"\s*([:\-\u2013]?)\s*([\"'\u2018\u201c]?)([A-Za-z0-9_.]{3,30})([\"'\u2019\u201d]?)",
    re.I,
)
_HANDLE_SHAPE_RE = re.compile(
    r"(?<![\w@./])(?:[A-Za-z][A-Za-z0-9]{0,40}_[A-Za-z0-9_]{0,40}[A-Za-z0-9]|[a-z]{3,40}[A-Za-z]{0,40}\d{2,4})(?![\w@/])"
)
_NOT_HANDLE_STEMS = _words(
    """
    covid year ks mp sars ipv cve ks
    """
)
_DOTTED_INITIALS_RE = re.compile(r"\b[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)*")
_DOTTED_ABBREVIATIONS = _words("uk us pe re gp am pm eg ie dob abe nb ps rc ce va")
_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44[\s\-]?(?:\(0\)[\s\-]?)?|\(?0)(\d(?:[\s\-)]{0,2}\d){8,9})(?![\d])")
_NHS_RE = re.compile(r"(?<![\d\w])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\w])")
_NHS_CUE_RE = re.compile(r"\bnhs\b[^.\n]{0,20}$", re.I)
_NI_RE = re.compile(
    r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
    re.I,
)
_POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.I)
_POSTCODE_PARTIAL_RE = re.compile(r"\bpost\s?code\s*(?:is|of|:)?\s*([A-Z]{1,2}\d[A-Z\d]?)\b", re.I)
_VEHICLE_RE = re.compile(r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}\s?[A-Z])\b")
_VEHICLE_CUE_RE = re.compile(
    r"\b(?:reg|registration|number\s+plate|plate|vrm)\b\.?\s*(?:number|no\.?|is|:)?\s*"
    r"([A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}\s?[A-Z])\b",
    re.I,
)

# Typed without capitals or a space ("ab12cde"): only the current format, and
# only with a real age identifier (02-24 for March, 51-74 for September).
_VEHICLE_COMPACT_RE = re.compile(r"(?<![\w@./])[A-Za-z]{2}(\d{2})(\s?)([A-Za-z]{3})(?![\w@])")

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE_RES = (
    re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/]|\.\d)"),
    re.compile(r"(?<![\d/.\-])(\d{4})-(\d{2})-(\d{2})(?![\d\-])"),
    re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+{_MONTH_RE},?\s+(?:19|20)?\d\d\b(?![:.]\d)", re.I),
    re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE},?\s+(?:19|20)\d\d\b", re.I),
)
_BIRTH_DATE_RE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?|birthday(?:\s+is)?(?:\s+on)?)\s*[:\-]?\s*"
    rf"((?:{_DAY_RE}(?:\s+of)?\s+{_MONTH_RE}(?:,?\s+(?:19|20)\d\d)?)|(?:{_MONTH_RE}\s+{_DAY_RE}(?:,?\s+(?:19|20)\d\d)?)|"
    rf"(?:{_MONTH_RE}\s+(?:19|20)\d\d)|(?:\d{{1,2}}[/.\-]\d{{1,2}}(?:[/.\-]\d{{2,4}})?))",
    re.I,
)

_CASE_CUE = (
    r"(?:mosaic|lcs|liquid\s?logic|eclipse|carefirst|care\s?first|systmone|emis|rio|ehm|frameworki|"
    r"protocol|niche|athena|connect|crn|cad|upn|uln|urn|crime|incident|log|case|referral|prison|"
    r"prisoner|warrant|court|claim|file|record|"
    r"client|person|child|pupil|police|ref|reference|id)"
)
# "call police 999", "NHS 111", "police on 101": numbers everyone shares.
_SERVICE_NUMBERS = frozenset({"999", "111", "101", "112", "105", "119", "116111", "116123", "116000"})
_CASE_CUE_RE = re.compile(
    rf"\b{_CASE_CUE}(?:\s+(?:id|no\.?|number|num|ref\.?|reference|system|record|file))*\s*[:#\-]?\s*"
    r"((?=[A-Z0-9/\-]{0,30}\d{3})[A-Z0-9][A-Z0-9/\-]{0,30}\d[A-Z]{0,3})\b",
    re.I,
)
_LONG_NUMBER_RE = re.compile(
    r"(?<![\w£$€.,/\-])(?=[A-Za-z0-9/\-]{0,30}\d{5})(?:[A-Za-z]{1,5}[\-/]?)?\d[\d/\-]{0,30}\d(?:[\-/][A-Za-z]{1,3})?(?![\w£,])"
)
_ALNUM_REF_RE = re.compile(r"\b[A-Z]{1,3}\d{4,}[A-Z]{0,3}\b")
_CODED_REF_RE = re.compile(r"\b[A-Z]{2,5}[-/](?=[\d\-/]*\d{4})\d{2,6}[-/]\d{2,6}\b")
_YEAR_RANGE_RE = re.compile(r"^(?:19|20)\d\d[/\-](?:\d\d|(?:19|20)\d\d)$")

_STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|"
    r"Gardens|Gdns|Grove|Terrace|Walk|Square|Sq|Park|Hill|Rise|View|Mews|Row|Green|Parade|Vale|"
    r"Mead|Croft|Fields|Estate|Boulevard|Gate|Wharf|Yard|Chase|Heights|Way|Common)"
)
_STREET_RE = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?(?:\s*[-\u2013]\s*\d{{1,4}})?,?\s+(?:[A-Z][A-Za-z'\u2019\-]{1, 40}\s+){{1,3}}{_STREET_TYPES}\b\.?"
)
_STREET_LOWER_RE = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+((?:[a-z][a-z'\u2019\-]+\s+){{1,2}}){_STREET_TYPES.lower()}\b", re.I
)
_STREET_THE_RE = re.compile(
    r"\b(?:at|to|from|address(?:\s+is)?:?)\s+(\d{1,4}[A-Za-z]?\s+the\s+(?:parade|green|avenue|crescent|drive|grove|"
    r"mews|square|walk|close|row|rise|chase|croft|meadows|glade|broadway|precinct|terrace|quadrant|paddocks|"
    r"orchard|spinney|causeway|strand|promenade|boulevard)\b)",
    re.I,
)
_STREET_NONUM_RE = re.compile(
    r"\b((?:[A-Z][a-z'\u2019\-]{1,40}\s+){1,2})(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Grove|"
    r"Terrace|Mews|Rd|Way)\b"
)
_FLAT_RE = re.compile(
    r"\b(?:flat|apartment|apt|unit|room)\s+\d+[A-Za-z]?\b(?:,?\s+(?:[A-Z][A-Za-z'\u2019\-]{1,40}\s+){1,3}"
    r"(?:House|Court|Tower|Towers|Lodge|Heights|Mansions|Point|Buildings|Block|Estate)\b)?",
    re.I,
)
_BUILDING_RE = re.compile(
    r"\b((?:[A-Z][A-Za-z'\u2019\-]{1,40}\s+){1,3})(?:House|Court|Tower|Towers|Lodge|Heights|Mansions|Estate)\b"
)
_BUILDING_GENERIC = _words(
    """
    family crown youth county high magistrates magistrates' supreme children's childrens child town
    civic care foster council open safe mental social custody police coroner's court the a her his
    their our this that local juvenile district appeal appeals criminal
    """
)
_LOWER_STREET_STOP = _words(
    """
    the a an in at on to of for with and or weeks days months years times hours minutes sessions
    week day month year time hour minute session children child people adults other more few
    separate different young old new sessions meetings occasions
    """
)

_SCHOOL_KW_RE = re.compile(
    r"\b(?:Primary(?:\s+School|\s+Academy)?|Secondary(?:\s+School)?|Junior(?:\s+School)?|"
    r"Infants?(?:\s+School)?|Juniors|(?:Day\s+)?Nursery(?:\s+School)?|Pre-?[Ss]chool|Academy|College|"
    r"Pupil\s+Referral\s+Unit|Scout\s+(?:Group|Troop|Hut)|Guide\s+Unit|Explorer\s+Unit|"
    r"Comprehensive|UTC|"
    r"(?:High\s+|Grammar\s+)?School|Sixth\s+Form(?:\s+College)?|Children['\u2019]?s\s+Centre|"
    r"Family\s+Hub|(?:Youth|Boxing|Football|Rugby|Cricket|Swimming|Gymnastics|Dance|Drama|Judo|"
    r"Karate|Athletics|Tennis|Sports?|Social|Golf|Boys['\u2019]?|Girls['\u2019]?|Youth\s+Football|Netball|Hockey|"
    r"Basketball|Badminton|Taekwondo|Kickboxing|Climbing|Cycling|Running|Rowing|Sailing|Chess|Theatre)?\s*Club|"
    r"F\.?C\.?|Scouts|Cubs|Brownies|Guides|Beavers|Rainbows|Cadets|Madrasa|Madrassa|Mosque|"
    r"Gurdwara|Church|Youth\s+Centre|Leisure\s+Centre)(?![\w])"
)
_SCHOOL_LOWER_RE = re.compile(
    r"\b([a-z][a-z'\u2019\-]{1,40})\s+(?:primary(?:\s+school)?|secondary(?:\s+school)?|infants?|nursery|comprehensive|grammar|"
    r"academy|college|high\s+school|school|pre-?school|club|fc)\b",
)
_SAINT_RE = re.compile(
    r"\b(?:St\.?|Saint)\s+([A-Z][a-z]+)(?:['\u2019]s?)?(?:\s+(?:RC|CE|C\s+of\s+E|CofE|VA|VC|Catholic|Church))?\b"
)
_SAINT_TOWNS = _words("helens albans ives andrews austell neots annes davids leonards asaph helier peter port")
_SCHOOL_CUE_RE = re.compile(
    r"\b(?:attends|attended|attending|attend|pupil\s+at|pupils\s+at|student\s+at|students\s+at|"
    r"excluded\s+from|enrolled\s+at|enrolled\s+in|on\s+roll\s+at|in\s+year\s+\d+\s+at|"
    r"(?:dsl|designated\s+safeguarding\s+lead|senco|head\s*teacher|teacher|teaching\s+assistant|head\s+of\s+year|"
    r"school\s+nurse|staff|counsellor|counselor|tutor|form\s+tutor|learning\s+mentor|pastoral\s+(?:lead|manager)|"
    r"deputy\s+head|head\s+of\s+\w+|sendco|teaching\s+assistant|ta)\s+at|"
    r"reception\s+at|transferred\s+to|moved\s+schools?\s+to)\s+(?:the\s+)?$",
    re.I,
)
_SCHOOL_WEAK_CUE_RE = re.compile(
    r"\b(?:goes|go|going|went|started|starts|starting|dropped\s+off|picked\s+up|collected)\s+"
    r"(?:to|at|from)\s+$",
    re.I,
)
# "attends the Community Mental Health Team" is a service, not a school.
_SERVICE_NOUNS = _words(
    """
    team teams service services unit clinic clinics group groups programme program project hub panel
    meeting meetings hospital ward sessions session course courses appointments conference review
    board forum partnership
    """
)
_SCHOOL_GENERIC = _words(
    """
    primary secondary junior infant infants nursery school schools academy college high grammar
    special virtual forest sunday boarding independent mainstream local residential free faith
    church catholic sixth form further education youth after before breakfast holiday football day
    private state new previous current her his their the a an alternative provision community lower
    upper middle senior prep preparatory pupil referral unit children's childrens centre family hub
    leisure club boxing dance drama gymnastics swimming rugby cricket cadets army air sea girls boys
    girls' boys' mixed comprehensive specialist hospital home that this same another other former
    old receiving feeder secure training homework royal national fe sen send ap pru hospital's of
    early help years referral explorer scout guide
    and & in at for with its our your my year whole this attached on site online medical nurse
    nurses fc club's sports sport
    """
)


def _is_signposting_url(url: str) -> bool:
    """Links to national guidance and support services identify nobody."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0].rstrip(".")
    return any(host == d or host.endswith("." + d) for d in _SIGNPOSTING_DOMAINS)


def _mod11_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _fixed_format(text: str, shouted: _Shouted) -> list[tuple[int, Finding]]:
    """Candidates from regular expressions, each with a priority (lower wins)."""
    out: list[tuple[int, Finding]] = []

    def add(prio: int, kind: str, start: int, end: int) -> None:
        # Trailing punctuation belongs to the sentence, not the identifier.
        while end > start and text[end - 1] in ".,;:!?)]}'\"\u2019\u201d":
            if text[end - 1] == ")" and "(" in text[start:end]:
                break
            end -= 1
        while start < end and text[start] in " \t\n([{'\"\u2018\u201c":
            if text[start] == "(" and ")" in text[start:end]:
                break
            start += 1
        if end > start:
            out.append((prio, Finding(kind, start, end, text[start:end])))

    for m in _EMAIL_RE.finditer(text):
        add(0, "email", m.start(), m.end())
    for m in _URL_RE.finditer(text):
        if _is_signposting_url(m.group(0)):
            continue
        add(1, "url", m.start(), m.end())
    for m in _HANDLE_RE.finditer(text):
        add(6, "social_handle", m.start(), m.end())
    lex = _lexicon()
    for m in _HANDLE_CUE_RE.finditer(text):
        fillers, colon, quote, handle = m.group(1), m.group(2), m.group(3), m.group(4)
        explicit = bool(colon or quote) or bool(re.search(r"name|handle|called|named|id|is|was", fillers or "", re.I))
        # A handle-looking token (digits, dots, underscores) after a platform is
        # enough; a plain word needs an explicit "username:" or quotes.
        looks_like_handle = bool(re.search(r"[\d_.]", handle.strip("."))) and not handle.replace(".", "").isdigit()
        plain_word = handle.lower() in lex.common or handle.lower() in _STOP
        if looks_like_handle or (explicit and not plain_word):
            add(6, "social_handle", m.start(4), m.end(4))
    for m in _HANDLE_SHAPE_RE.finditer(text):
        # Underscores and letters-then-digits ("coach_danny88", "kayla07") do
        # not occur in prose; they are usernames.
        word = re.match(r"[A-Za-z]+", m.group(0))
        if "_" in m.group(0) or (
            word and word.group(0).lower() not in lex.common and word.group(0).lower() not in _NOT_HANDLE_STEMS
        ):
            add(7, "social_handle", m.start(), m.end())
    for m in _DOTTED_INITIALS_RE.finditer(text):
        if re.sub(r"[.\s]", "", m.group(0)).lower() not in _DOTTED_ABBREVIATIONS:
            add(7, "name", m.start(), m.end())
    for m in _PHONE_RE.finditer(text):
        nsn = re.sub(r"\D", "", m.group(1))
        # 080x/084x/087x/09x are freephone and service numbers (helplines such
        # as Rape Crisis 0808 802 9999), which signposting text must be free to
        # quote; personal and professional lines are 01, 02, 03 and 07.
        if nsn[0] in "1237":
            add(2, "phone", m.start(), m.end())
    for m in _NHS_RE.finditer(text):
        digits = "".join(m.groups())
        cue = _NHS_CUE_RE.search(text, max(0, m.start() - 25), m.start())
        # NHS numbers never start with 0, but Scottish CHI numbers (which
        # start with the date of birth) do; "NHS no 083 ..." is still one.
        if digits[0] == "0" and not cue:
            continue
        if _mod11_ok(digits) or cue:
            add(2, "nhs_number", cue.start() if cue and cue.end() == m.start() else m.start(), m.end())
    for m in _NI_RE.finditer(text):
        add(2, "ni_number", m.start(), m.end())
    for m in _POSTCODE_RE.finditer(text):
        token = m.group(0)
        inward = m.group(2).lower()
        if not token.isupper() and inward[1:] == {"1": "st", "2": "nd", "3": "rd"}.get(inward[0], "th"):
            continue  # "year 3 3rd", "on the 2nd": an ordinal, not an inward code
        if not re.search(r"[A-Za-z]", m.group(1)[:1]):
            continue
        add(3, "postcode", m.start(), m.end())
    for m in _POSTCODE_PARTIAL_RE.finditer(text):
        add(3, "postcode", m.start(1), m.end(1))
    for m in _VEHICLE_RE.finditer(text):
        add(3, "vehicle_registration", m.start(), m.end())
    lex = _lexicon()
    for m in _VEHICLE_COMPACT_RE.finditer(text):
        age = int(m.group(1))
        # With a space ("yp68 fzr") the last three letters must not be a word,
        # or "ks34 and" would be a registration.
        spaced_word = m.group(2) and (m.group(3).lower() in lex.common or m.group(3).lower() in _STOP)
        if (2 <= age <= 24 or 51 <= age <= 74) and not spaced_word:
            add(3, "vehicle_registration", m.start(), m.end())
    for m in _VEHICLE_CUE_RE.finditer(text):
        add(3, "vehicle_registration", m.start(1), m.end(1))
    for rx in _DATE_RES[:2]:
        for m in rx.finditer(text):
            a, b, c = (int(g) for g in m.groups())
            day, month = (c, b) if a > 31 else (a, b)
            if 1 <= day <= 31 and 1 <= month <= 12:
                add(3, "date", m.start(), m.end())
    for rx in _DATE_RES[2:]:
        for m in rx.finditer(text):
            add(3, "date", m.start(), m.end())
    for m in _BIRTH_DATE_RE.finditer(text):
        add(3, "date", m.start(1), m.end(1))
    for m in _CASE_CUE_RE.finditer(text):
        value = m.group(1)
        if _YEAR_RANGE_RE.match(value) or re.fullmatch(r"(?:19|20)\d\d", value) or value in _SERVICE_NUMBERS:
            continue
        add(4, "case_reference", m.start(), m.end())
    for m in _ALNUM_REF_RE.finditer(text):
        add(5, "case_reference", m.start(), m.end())
    for m in _CODED_REF_RE.finditer(text):
        add(5, "case_reference", m.start(), m.end())
    for m in _LONG_NUMBER_RE.finditer(text):
        value = m.group(0)
        if _YEAR_RANGE_RE.match(value):
            continue
        add(5, "case_reference", m.start(), m.end())
    # On lines Typed Like This or IN CAPITALS the capital-letter shapes of
    # street and school names say nothing ("Her Phone At School"): those lines
    # are read in lower case, where only the lower-case shapes apply.
    shaped = _lower_shouted_lines(text, shouted)
    _addresses(shaped, add)
    _schools(shaped, add)
    return out


def _addresses(text: str, add) -> None:
    for m in _STREET_RE.finditer(text):
        add(4, "address", m.start(), m.end())
    for m in _STREET_LOWER_RE.finditer(text):
        words = m.group(1).split()
        if not any(w.lower() in _LOWER_STREET_STOP for w in words):
            add(4, "address", m.start(), m.end())
    for m in _STREET_THE_RE.finditer(text):
        add(4, "address", m.start(1), m.end(1))
    for m in _STREET_NONUM_RE.finditer(text):
        if re.search(r"\b(?:the|near|off|along|past|by|towards|via)\s+$", text[max(0, m.start() - 8) : m.start()], re.I):
            continue  # "the Peace Gardens", "near Soho Road": a landmark or a direction, not where someone lives
        words = [w.lower() for w in m.group(1).split()]
        if words == ["high"] or words[0] in _BUILDING_GENERIC or words[0] in _CALENDAR:
            continue
        add(4, "address", m.start(), m.end())
    for m in _FLAT_RE.finditer(text):
        add(4, "address", m.start(), m.end())
    for m in _BUILDING_RE.finditer(text):
        words = [w.lower() for w in m.group(1).split()]
        while words and words[0] in _STOP:
            words.pop(0)
        if not words or words[0] in _BUILDING_GENERIC or all(w in _BUILDING_GENERIC for w in words):
            continue
        start = m.start() + m.group(0).lower().find(words[0])
        add(4, "address", start, m.end())


_TOKEN_BEFORE_RE = re.compile(
    r"(?:(?:St\.?|[A-Z][\w'\u2019\-&]*|\d+(?:st|nd|rd|th)|of|and|the|&|C\s+of\s+E|CE|RC)\s+)+$"
)


def _schools(text: str, add) -> None:
    lex = _lexicon()
    for m in _SCHOOL_KW_RE.finditer(text):
        head = _TOKEN_BEFORE_RE.search(text, max(0, m.start() - 80), m.start())
        if not head:
            continue
        words = head.group(0).split()
        # Leading connectors ("the", "of") are not part of the name.
        while words and words[0].lower() in {"of", "and", "the", "&"}:
            words.pop(0)
        if not words:
            continue
        meaningful = [
            w
            for w in words
            if _core(w).lower() not in _SCHOOL_GENERIC
            and _core(w).lower() not in lex.sector
            and _core(w).lower() not in _CALENDAR
            and not re.fullmatch(r"[A-Z]{2,5}", w)
            # "an after-school club": every piece generic
            and not all(p in _SCHOOL_GENERIC or p in _STOP for p in _core(w).lower().split("-"))
        ]
        if not meaningful:
            continue
        start = head.start() + head.group(0).find(words[0])
        add(4, "school", start, m.end())
    for m in _SAINT_RE.finditer(text):
        if m.group(1).lower() not in _SAINT_TOWNS:
            # "St Joseph's RC", "St Mary's": schools, churches and hospitals.
            add(5, "school", m.start(), m.end())
    cls = _Classes(lex)
    for m in _SCHOOL_LOWER_RE.finditer(text):
        word = m.group(1).lower()
        # _Classes.common also knows hyphenated words: "an after-school club".
        # Small places name schools ("oakwood primary"); towns and counties
        # are generic there ("a kent school", "leeds college").
        major_place = word in lex.places and word not in lex.small_places
        if cls.common(word) or word in _SCHOOL_GENERIC or word in lex.sector or major_place:
            continue
        add(4, "school", m.start(), m.end())
    for m in re.finditer(r"(?:[A-Z][\w'\u2019\-]*|St\.?)(?:\s+(?:[A-Z][\w'\u2019\-]*|of|and|&))*", text):
        cue = _SCHOOL_CUE_RE.search(text, max(0, m.start() - 40), m.start())
        if not cue:
            continue
        words = [_core(w).lower() for w in m.group(0).split()]
        if all(
            w in _SCHOOL_GENERIC
            or w in lex.sector
            or w in _ROLE_WORDS
            or (w in lex.places and not (w in lex.small_places and len(words) > 1))
            or w in _STOP
            or w in _CALENDAR
            for w in words
        ):
            continue  # "DSL at Leeds" is a town; "head of yr at Brookfield High" a school
        if re.fullmatch(r"[A-Z]{2,6}", m.group(0)) or words[-1] in _SERVICE_NOUNS:
            continue
        add(4, "school", m.start(), m.end())
    for m in re.finditer(r"[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-z'\u2019\-]+){1,3}", text):
        # "goes to Little Acorns": nurseries and clubs are often named with
        # plain words and no keyword. The cue alone is weak ("went to Accident
        # and Emergency"), so the phrase must be two or more capitalised words
        # that are none of places, services, sector terms or calendar.
        if not _SCHOOL_WEAK_CUE_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        words = [_core(w).lower() for w in m.group(0).split()]
        if any(
            w in lex.places
            or w in lex.sector
            or w in _ROLE_WORDS
            or w in _CALENDAR
            or w in _HOLIDAYS
            or w in _SERVICE_NOUNS
            or w in _SCHOOL_GENERIC
            or w in _STOP
            for w in words
        ):
            continue
        add(5, "school", m.start(), m.end())


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


def _core(word: str) -> str:
    """Word without a possessive or trailing apostrophe: "Amelia's" -> "Amelia"."""
    w = word.replace("\u2019", "'")
    if w.endswith("'s") or w.endswith("'S"):
        return w[:-2]
    return w.rstrip("'")


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    core: str
    low: str
    cap: bool
    upper: bool
    initial: bool  # first word of a sentence, line or list item
    possessive: bool
    # On a line Typed Like This or IN CAPITALS, where capitals say nothing
    # about names: such tokens are judged as if typed in lower case.
    shouted: bool = False


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\n•*]|\n\s*[\-\u2013]|\d[.)])[\s\"'\u201c\u2018(\[\-\u2013]*$")


def _tokens(text: str, shouted: _Shouted) -> list[_Tok]:
    toks = []
    first_char = len(text) - len(text.lstrip())
    for m in _WORD_RE.finditer(text):
        w = m.group(0)
        core = _core(w)
        if not core:
            continue
        if re.fullmatch(r"[A-Z]{2,}s", core):
            core = core[:-1]  # "DSLs", "LSCBs": plural acronyms
        elif re.fullmatch(r"[A-Z]{2,}['\u2019](?:d|ed)", core):
            core = re.split(r"['\u2019]", core)[0]  # "NFA'd": an acronym used as a verb
        before = text[max(0, m.start() - 6) : m.start()]
        initial = m.start() <= first_char or bool(_SENTENCE_START_RE.search(before))
        toks.append(
            _Tok(
                text=w,
                start=m.start(),
                end=m.start() + len(core),
                core=core,
                low=core.lower(),
                cap=core[0].isupper(),
                upper=len(core) > 1 and core.isupper(),
                initial=initial,
                possessive=w.replace("\u2019", "'").lower().endswith("'s"),
            )
        )
    return _unshout(toks, shouted)


# A line of at least this many words where nearly every word is capitalised
# (or in capitals) is a heading or dictated text: "Sw Wants Help With A Frank
# Conversation With Mum", "REFLECTIVE SESSION THEMES: SIBLING SSA". There the
# capital-letter rules would flag every word no list knows.
_SHOUT_MIN_WORDS = 6
_SHOUT_SHARE = 0.85


# (start, end, in capitals rather than Title Case) of each such line.
_Shouted = list[tuple[int, int, bool]]


def _shouted_lines(text: str) -> _Shouted:
    """The lines of ``text`` typed In Title Case or IN CAPITALS, worked out once per scan."""
    out: _Shouted = []
    start = 0
    for line in text.split("\n"):
        words = [w for w in map(_core, _WORD_RE.findall(line)) if len(w) >= 2 and w.isalpha()]
        title = sum(w[0].isupper() and not w.isupper() for w in words)
        caps = sum(w.isupper() for w in words)
        if len(words) >= _SHOUT_MIN_WORDS and max(title, caps) >= _SHOUT_SHARE * len(words):
            out.append((start, start + len(line), caps > title))
        start += len(line) + 1
    return out


def _lower_shouted_lines(text: str, shouted: _Shouted) -> str:
    """The text with its Title Case and ALL CAPS lines in lower case (same length)."""
    for start, end, _ in shouted:
        text = text[:start] + text[start:end].lower() + text[end:]
    return text


def _unshout(toks: list[_Tok], shouted: _Shouted) -> list[_Tok]:
    """Tokens on shouted lines, judged as if typed in lower case (acronyms kept on Title Case lines)."""
    if not shouted:
        return toks
    out: list[_Tok] = []
    lines = iter(shouted)
    line = next(lines, None)
    for t in toks:  # tokens and lines are both in text order
        while line is not None and t.start >= line[1]:
            line = next(lines, None)
        on_line = line is not None and line[0] <= t.start < line[1]
        if on_line and (line[2] or not t.upper):
            t = replace(t, cap=False, upper=False, shouted=True)
        out.append(t)
    return out


# Endings of English derivations the word list lacks ("anonymised", "attendees",
# "perinatal"); first names seldom end so, and those that do are in the lists.
_ENGLISH_ENDINGS = (
    "ential",
    "ial",
    "ise",
    "ised",
    "ises",
    "ising",
    "isation",
    "ize",
    "ized",
    "izes",
    "izing",
    "ization",
    "ment",
    "ments",
    "ness",
    "ees",
    "ing",
    "ings",
    "ed",
    "ly",
    "ity",
    "ities",
    "ous",
    "ful",
    "less",
    "able",
    "ible",
    "ative",
    "atal",
    "ism",
    "ists",
    "ology",
    "ship",
    "wise",
    # medicines ("sertraline", "risperidone", "diazepam", "omeprazole")
    "aline",
    "etine",
    "amine",
    "idone",
    "azepam",
    "azole",
    "cillin",
    "mycin",
    "olol",
    "pril",
    "sartan",
    "statin",
    "phenidate",
    "triptyline",
    "afil",
    "oxone",
)
# Words that a contraction without its apostrophe starts with ("theyre", "wouldve").
_CONTRACTING = _words("they you we i he she it who there that what should would could might must")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit_from(word: str, words: frozenset[str]) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns
    ``word`` into a member of ``words``."""
    splits = [(word[:k], word[k:]) for k in range(len(word) + 1)]
    for a, b in splits:
        if b and a + b[1:] in words:
            return True
        if len(b) > 1 and a + b[1] + b[0] + b[2:] in words:
            return True
        for c in _LETTERS:
            if a + c + b in words or (b and c != b[0] and a + c + b[1:] in words):
                return True
    return False


@dataclass
class _Classes:
    lex: _Lexicon

    def common(self, low: str) -> bool:
        lex = self.lex
        if low in lex.common or low in _STOP:
            return True
        if "'" in low:
            head, _, tail = low.partition("'")
            return tail in _CONTRACTION_TAILS and (head in lex.common or head in _STOP or head.endswith("n"))
        if "-" in low:
            return all(self.common(p) or p in lex.sector or p in _PREFIXES for p in low.split("-") if p)
        # Contractions typed without the apostrophe: "hasnt", "theyre", "shouldve".
        if low.endswith("nt") and low[:-2] in lex.common and len(low) >= 5:
            return True
        if any(low.endswith(tail) and low[: -len(tail)] in _CONTRACTING for tail in ("re", "ve", "ll", "d")):
            return True
        if low.endswith("s") and len(low) > 4:
            # Plurals the word list lacks ("Behaviours"), but not surnames made
            # from first names ("Rogers", "Stevens").
            stem = low[:-1]
            if (stem in lex.common or stem in lex.sector) and stem not in lex.first and stem not in lex.surnames:
                return True
        if low in lex.first:
            return False  # "Declan" is not "de" + "clan", nor "Marlon" "marl" + "on"
        for pre in _PREFIXES:
            if low.startswith(pre) and len(low) - len(pre) >= 4 and self.common(low[len(pre) :]):
                return True
        for suf in _DERIVED_SUFFIXES:
            if low.endswith(suf) and len(low) - len(suf) >= 4:
                stem = low[: -len(suf)]
                if stem in lex.common or stem + "e" in lex.common or stem + "ise" in lex.common:
                    return True
        return False

    def safe(self, low: str) -> bool:
        """Never a name on its own: sector vocabulary, roles, places, calendar."""
        lex = self.lex
        if low in lex.sector or low in _CALENDAR or low in _HOLIDAYS:
            return True
        if low in lex.places:
            # "Chelsea", "Devon", "Florence": places that are also first names
            # are decided by context, like "Grace" and "Will".
            return low not in lex.first
        if "-" in low:
            parts = [p for p in low.split("-") if p]
            return all(p in lex.sector or p in lex.places or p in _CALENDAR or p in lex.common for p in parts) and any(
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
        lex = self.lex
        if len(low) < 5 or not low.isalpha() or not re.search(r"[aeiouy]", low):
            return False  # "tbh", "ngl": no vowel, an abbreviation
        if low in lex.informal:
            return False
        if self.common(low) or self.safe(low) or low in lex.first or low.endswith(_ENGLISH_ENDINGS):
            return False
        if self.glued(low):
            return False  # "bedwetting", "skatepark", "childminder"
        if any(self.common(f"{low[:k]}'{low[k:]}") for k in range(2, len(low))):
            return False  # "hasnt", "theyre": an apostrophe left out
        return not _one_edit_from(low, lex.common)

    def glued(self, low: str) -> bool:
        """Two English words of three letters or more typed as one ("netball").

        Six-letter words are left out, since short names split that way too
        ("tam|sin", "mar|lon").
        """
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
        lex = self.lex
        if not 3 <= len(low) <= _GRAM_MAX_LEN or not low.isalpha() or not re.search(r"[aeiouy]", low):
            return False
        if low in lex.informal or low in _STOP or low in _TITLES or low in lex.word_names:
            return False
        if self.common(low) or self.safe(low) or low in self.lex.places or low.endswith(_ENGLISH_ENDINGS):
            return False
        if self.glued(low):
            return False  # "netball", "bedroom"-like compounds the word list lacks
        return _name_grams().score(low) > NAME_SPELLING_THRESHOLD

    def first(self, low: str) -> bool:
        if low in self.lex.first:
            return True
        if "-" not in low:
            return False
        # "lily-mae", "ruby-rose", "callum-james"; not "drop-in" or "step-dad",
        # where a piece happens to be a name somewhere ("In").
        parts = [p for p in low.split("-") if p]
        if all(p in self.lex.first for p in parts):
            return not any(p in _STOP for p in parts)
        return any(p in self.lex.first for p in parts) and not all(self.common(p) for p in parts)

    def namey(self, tok: _Tok) -> bool:
        """Capitalised and could continue a name (surname position)."""
        if not tok.cap or tok.upper or tok.low in _STOP:
            return False
        if self.safe(tok.low):
            # Places are surnames too ("Amelia Hayes", "Tom Burton", "Connor Beighton").
            return tok.low in self.lex.places and (tok.low in self.lex.surnames or tok.low in self.lex.small_places)

        return not self.common(tok.low) or tok.low in self.lex.surnames or self.first(tok.low)


def _age_after_capitalised(text: str, t: _Tok, cls: _Classes) -> bool:
    m = _AGE_AFTER_RE.match(text, t.end)
    if not m:
        return False
    if not cls.common(t.low) or cls.first(t.low):
        return True
    # An everyday word with a number is usually a heading or a count
    # ("Actions (3):", "Concerns (2)"); only a singular word used as a
    # name passes ("Florin (12), Ionela (9)").
    plural = t.low.endswith("s") and not t.low.endswith(("ss", "us", "is"))
    return not plural and not text[m.end() : m.end() + 2].lstrip().startswith(":")


def _person_in_context(text: str, t: _Tok, i: int, toks: list[_Tok], cls: _Classes) -> bool:
    """A capitalised word that the words around it make a person.

    These cues are what writers use in place of a title: a relative of the
    person's own ("May and her brother"), an apposition ("Frank, the
    grandfather"), a verb only people do ("Ed told"), a role before it ("her
    brother Kingston", "her key worker is Blessing"). Each needs the word to
    be a first name or unknown, so "However, the mother" stays clean.
    """
    low = t.low
    lex = cls.lex
    month = low in _MONTH_NAMES
    first = cls.first(low)
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    person_verb = nxt is not None and nxt.low in _PERSON_VERBS and _gap(text, t, nxt).strip() == ""
    if first and person_verb and low not in _ROLE_WORDS and not month:
        return True  # "Ed told": a short first name that is also sector shorthand
    if low in lex.sector or low in _HOLIDAYS or (low in _CALENDAR and not month):
        return False
    unknown = not cls.common(low) and low not in lex.places
    if month:
        # Months are names only with a person's verb or relative, and never
        # after "in", "on", "by", "since"...
        if _dated(prev):
            return False
        return bool(_AND_RELATIVE_RE.match(text, t.end) or _PERSON_HAS_RE.match(text, t.end) or person_verb)
    if _AND_RELATIVE_RE.match(text, t.end) and (first or unknown or (t.initial and len(t.core) <= 3)):
        return True
    if (first or unknown) and _APPOSITION_RE.match(text, t.end):
        return True
    if t.initial or not (first or unknown or low in lex.places):
        return False
    next_title = nxt is not None and nxt.cap and _gap(text, t, nxt).strip() == ""
    if next_title or _number_follows(text, t):
        return False
    # "her brother Kingston": a place-like word straight after a relative
    # that belongs to someone.
    if (
        prev is not None
        and prev.low in _RELATION_CUES
        and _gap(text, prev, t) == " "
        and i >= 2
        and (toks[i - 2].low in {"her", "his", "their", "my", "our", "your"} or toks[i - 2].possessive)
    ):
        return True
    return (
        (first or unknown) and low not in _DESCRIPTORS and bool(_ROLE_IS_RE.search(text, max(0, t.start - 80), t.start))
    )


_OWNERS = _words("her his their my our your")
_KIN_ADJECTIVES = _words(
    "older younger little big elder twin half step baby best new maternal paternal eldest youngest oldest"
)


# Before a capitalised word that no name list knows, these make it a place:
# notes say where things happen ("seen around Lowedges", "placed in Beighton").
_LOCATIVE = _words("in near around outside across towards via inside through past")
# After such a word, these make it a place or landmark, not a person.
_PLACE_NOUNS = _words(
    """
    park parks valley gardens garden common fields wood woods hill hills quays quay estate estates pier dock
    docks harbour marina beach promenade wharf basin precinct arcade terminal
    centre interchange station bridge moor heath vale square market retail shopping leisure library
    area areas ward district locality village town city side end top bottom rec recreation playing
    """
)


def _local_places(text: str, toks: list[_Tok], cls: _Classes) -> set[int]:
    """Capitalised words that the words around them make places, not people.

    Notes say where things happen, and a borough's districts, estates and
    parks are in no list: "placed in Beighton", "seen around Lowedges",
    "Endcliffe Park", "the Gascoigne estate", "in Darnall and Tinsley". A word
    the census or UK name lists know stays a person ("in Chloe's room" is a
    possessive anyway); the broad SSA list does not outweigh the position.
    """
    lex = cls.lex
    out: set[int] = set()

    def candidate(t: _Tok) -> bool:
        known = cls.first(t.low) and t.low not in lex.ssa  # "Kasey-Leigh" too
        return (
            t.cap and not t.upper and not t.possessive and not known and t.low not in _STOP and t.low not in _TITLES
        )

    def owned_run(i: int) -> bool:
        """Does the capitalised run from toks[i] end in a possessive ("in Kezia Smith's room")?"""
        j = i
        while j < len(toks) and toks[j].cap:
            if toks[j].possessive:
                return True
            if j + 1 < len(toks) and _gap(text, toks[j], toks[j + 1]) != " ":
                break
            j += 1
        return False

    def locality(i: int) -> bool:
        t = toks[i]
        known_place = t.cap and t.low in lex.places and not cls.common(t.low) and not cls.first(t.low)
        return known_place or i in out

    for i, t in enumerate(toks):
        # "at the Marina", "the Grove": a word-name after "the" is the thing
        if (
            t.cap
            and i
            and toks[i - 1].low == "the"
            and t.low in lex.word_names
            and _gap(text, toks[i - 1], t) == " "
            and not (i + 1 < len(toks) and toks[i + 1].low in _FAMILY_WORDS)
        ):
            out.add(i)
        if not candidate(t):
            continue
        prev = toks[i - 1] if i else None
        prev2 = toks[i - 2] if i >= 2 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev is not None and prev.low in _TITLES:
            continue  # "DSL, Mrs Pryce": a title makes a person, wherever it stands
        after_locative = (
            prev is not None and prev.low in _LOCATIVE and _gap(text, prev, t) == " " and not owned_run(i)
        )
        # "a girl from Winson Green", "lads from Ladywood" (but "a text from Kezia")
        after_from = (
            prev is not None
            and prev.low == "from"
            and _gap(text, prev, t) == " "
            and prev2 is not None
            and prev2.low in _FROM_PLACE_NOUNS
        )
        # "Police Sergeant, Handsworth.", "DSL, primary, Ladywood.", "PPU Erdington.": a
        # writer's role and patch at the start of a note
        signature = (
            i <= 6
            and not cls.first(t.low)
            and _SIGNATURE_RE.match(text[toks[0].start : t.start]) is not None
            and re.match(r"(?:\s+[A-Z][\w'\-]*){0,2}\s*(?:[.,:;\n]|$)", text[t.end :]) is not None
        )
        # "the Pennine Way", "the Meadowhall interchange": people are not "the X",
        # but families are ("the Okafor family"), so surnames and family words stay.
        # "the Long Mynd": one capitalised word may come between
        the_before = prev is not None and (
            prev.low == "the"
            or (prev.cap and cls.common(prev.low) and prev2 is not None and prev2.low == "the")
        )
        after_the = (
            the_before
            and _gap(text, prev, t) == " "
            and t.low not in lex.surnames
            and not (nxt is not None and nxt.low in _FAMILY_WORDS)
        )
        before_noun = nxt is not None and nxt.low in _PLACE_NOUNS and _gap(text, t, nxt) == " " and not nxt.possessive
        if after_locative or before_noun or after_the or after_from or signature:
            out.add(i)
    # Landmarks named after people ("Victoria Pier", "King George Dock", "Albert
    # Dock"): a first name before a place noun that is no surname is a place too.
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            t.cap
            and not t.upper
            and not t.possessive
            and nxt is not None
            and nxt.cap
            and nxt.low in _LANDMARK_NOUNS
            and _gap(text, t, nxt) == " "
            and not (i and toks[i - 1].low in _TITLES)
        ):
            out.add(i)
    # After "in", "near", "around"...: the whole Title Case run is the place, even
    # words that are names or English elsewhere ("in Perry Barr", "in Druids Heath").
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        if (
            prev is not None
            and prev.low in _LOCATIVE
            and _gap(text, prev, t) == " "
            and t.cap
            and not t.upper
            and not t.possessive
            and t.low not in _TITLES
            and t.low not in _STOP
            and i + 1 < len(toks)
            and toks[i + 1].cap
            and _gap(text, t, toks[i + 1]) == " "
            and not owned_run(i)
        ):
            out.update((i, i + 1))
    for i in sorted(out):
        j = i + 1
        while j < len(toks) and candidate(toks[j]) and _gap(text, toks[j - 1], toks[j]) == " ":
            out.add(j)
            j += 1
    # "in Darnall and Tinsley", "around Lowedges, Batemoor or Jordanthorpe", "Telford & Wrekin"
    for i in [k for k in range(len(toks)) if locality(k)]:
        j = i
        while j + 1 < len(toks):
            k = j + 1
            gap = _gap(text, toks[j], toks[k]).strip()
            if toks[k].low in {"and", "or"} and gap in {"", ","} and k + 1 < len(toks):
                k += 1
                if _gap(text, toks[k - 1], toks[k]).strip():
                    break
            elif gap not in {",", "&", "/"}:
                break
            if not candidate(toks[k]):
                break
            out.add(k)
            j = k
    return out


# Place nouns that are not also common surnames (unlike Park, Hill, Wood, Green).
_LANDMARK_NOUNS = _words(
    """
    pier dock docks quay quays harbour marina beach promenade interchange station estate valley gardens
    centre square library hospital infirmary terminal wharf basin precinct arcade
    """
)
_FROM_PLACE_NOUNS = _words(
    """
    girl girls boy boys lad lads family families kids children people men women group gang someone
    man woman youth teenagers young school secondary primary estate area they them who
    """
)
# The start of a note that is only the writer's role and patch: "Police Sergeant, ",
# "DSL, primary, ", "Health visitor, ", "PPU ", "youth worker, ".
_SIGNATURE_RE = re.compile(
    r"^(?:(?:[A-Za-z]+\s+){0,2}(?:(?:worker|visitor|officer|sergeant|constable|dsl|senco|nurse|gp|manager|lead|"
    r"practitioner|sw|teacher|head|chair|iro|hv|midwife|paediatrician|consultant|detective|"
    r"school|primary|secondary|academy|college|team)\s*[,:\-\u2013]\s+|"
    r"(?:ppu|police|cid|mash|yot|camhs)\s+)){1,3}$",
    re.I,
)
_FAMILY_WORDS = _words("family families household household's boys girls children kids twins sisters brothers siblings")


def _acronym_safe(low: str, lex: _Lexicon) -> bool:
    """Two or three capitals that are never initials: sector acronyms and calendar words.

    Places are left out on purpose: SCOWL's proper nouns hold state and
    province codes ("MB", "NH"), which are far more often someone's initials here.
    """
    return low in lex.sector or low in _CALENDAR


def _owned_relative(toks: list[_Tok], j: int) -> bool:
    """Is toks[j] a relative or role that belongs to someone ("her brother", "mum's partner", "older cousin")?"""
    if j < 1 or toks[j].low not in _RELATION_CUES:
        return False
    before = toks[j - 1]
    if before.low in _OWNERS or before.possessive or before.low in _KIN_ADJECTIVES:
        return True
    return j >= 2 and before.low in _KIN_ADJECTIVES and (toks[j - 2].low in _OWNERS or toks[j - 2].possessive)


# What follows a person and seldom the everyday word: "summer now not attending",
# "bran is dealing", "will 'doesnt understand'".
_MODALS = _words("will may might can could shall should must")
_PERSON_NEXT = _REPORTING_VERBS | _words("now still also never always just really doesnt didnt wont cant isnt wasnt")
_WORD_BEFORE = _DETERMINERS | _PRONOUNS | _PLACE_BEFORE | _words("for with over during since until by this next last every")


def _acts_like_a_person(text: str, toks: list[_Tok], i: int) -> bool:
    t = toks[i]
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.low in _MODALS or t.low in _CALENDAR or (t.low in _SEASONS and prev is not None and prev.low in _SEASON_BEFORE):
        return False  # "will attend", "may be", "in summer"
    if prev is not None and prev.low in _WORD_BEFORE and _gap(text, prev, t) == " ":
        return False
    gap = _gap(text, t, nxt) if nxt is not None else ""
    return nxt is not None and gap == " " and nxt.low in _PERSON_NEXT


def _dated(prev: _Tok | None) -> bool:
    """Is a month after ``prev`` the month, not a person ("in June", "since May", "3 April")?"""
    return prev is not None and (prev.low in _STOP or prev.low in _SEASON_BEFORE or prev.low.isdigit())


def _number_follows(text: str, t: _Tok) -> bool:
    """Does a number come straight after ``t`` ("called Dec 5", "June 2024")?"""
    return re.match(r"\s*\d", text[t.end : t.end + 3]) is not None


def _gap(text: str, a: _Tok, b: _Tok) -> str:
    return text[a.end : b.start]


def _names(text: str, taken: list[tuple[int, int]], shouted: _Shouted) -> list[Finding]:
    lex = _lexicon()
    cls = _Classes(lex)
    toks = _tokens(text, shouted)
    n = len(toks)
    is_name = [False] * n

    safe_spans = [(m.start(), m.end()) for m in _SAFE_PHRASES.finditer(text)]

    covered = bytearray(len(text) + 1)
    for s, e in [*taken, *safe_spans]:
        covered[s:e] = b"\x01" * (e - s)

    def blocked(t: _Tok) -> bool:
        return bool(covered[t.start])

    def role_letter(i: int) -> bool:
        return bool(_ROLE_LETTER.search(text[max(0, toks[i].start - 25) : toks[i].start]))

    local_places = _local_places(text, toks, cls)
    for i, t in enumerate(toks):
        if blocked(t) or i in local_places:
            continue  # "a residential home in Beighton", "Endcliffe Park", "the Gascoigne estate"
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < n else None
        gap_before = _gap(text, prev, t) if prev else ""
        gap_after = _gap(text, t, nxt) if nxt else ""
        tight_next = nxt is not None and gap_after.strip() in {"", "."} and "\n" not in gap_after
        low = t.low

        # Titles: "Mrs Patel", "mr smith", "Dr. Okafor", "PC Jones", "Mr T".
        titled = prev is not None and prev.low in _TITLES and (prev.cap or prev.shouted or prev.low in _LOWER_TITLES)
        if (
            titled
            and not blocked(prev)
            and gap_before.strip() in {"", "."}
            and "\n" not in gap_before
            and low not in _STOP
            and (t.cap or t.shouted or (prev.low in _LOWER_TITLES and "." not in gap_before))
            and not (len(t.core) == 1 and not (nxt and tight_next and cls.namey(nxt)))
        ):
            # A bare letter after a title ("Mr A", "Ms X") is the anonymising
            # convention of case reviews; "Mr J Smith" is still a name.
            is_name[i - 1] = True
            is_name[i] = True
            continue

        # Single letters: initials ("J Smith", "J.S."), never role letters ("Child A").
        if len(t.core) == 1:
            if (
                t.cap
                and prev is not None
                and prev.low in _RELATION_CUES
                and gap_before.strip() == "("
                and text[t.end : t.end + 1] == ")"
            ):
                is_name[i] = True  # "mum's partner (G)"
                continue
            dotted_run = _DOTTED_INITIALS_RE.match(text, t.start)
            if dotted_run and re.sub(r"[.\s]", "", dotted_run.group(0)).lower() in _DOTTED_ABBREVIATIONS:
                continue  # "U.K.", "G.P."
            if t.cap and not role_letter(i) and t.core not in {"A", "I"} and _AGE_AFTER_RE.match(text, t.end):
                is_name[i] = True  # "J (age 14)": an initial with an age
                continue
            if t.cap and not role_letter(i) and t.core not in {"A", "I"}:
                dotted = text[t.end : t.end + 1] == "."
                if nxt and tight_next and (cls.namey(nxt) or (dotted and len(nxt.core) == 1 and nxt.cap)):
                    is_name[i] = True
            continue

        # Explicit naming: "known as Tee", "mum's name is grace".
        naming = _NAMING_CUES.search(text[max(0, t.start - 30) : t.start])
        cue_prev = prev is not None and prev.low in _RELATION_CUES and "\n" not in gap_before
        paren = gap_before.strip() in {"(", "- (", ",", "-", ":", "\u2013"} or gap_before.strip() == ""
        if (
            naming
            and low not in _STOP
            # After "known as" even a place-like word is a name ("goes by 'Smokey'").
            and not (low in lex.sector or low in _HOLIDAYS or low in _ENDEARMENTS)
            and not (low in lex.informal and not t.cap)
            and not (low in _CALENDAR and (low not in _MONTHS or _number_follows(text, t)))
            and not (t.cap and t.upper and low in lex.sector)
            and (not cls.common(low) or cls.first(low) or t.cap)
        ):
            is_name[i] = True
            continue
        if (
            cue_prev
            and gap_before == " "
            and t.cap
            and not t.upper
            and len(t.core) >= 2
            and _owned_relative(toks, i - 1)
            # "new Sibling Sexual Abuse guide": a Title Case phrase, not a relative's name
            and (not prev.cap or prev.initial)
            and not (nxt is not None and nxt.cap and gap_after == " " and cls.common(nxt.low) and not cls.first(nxt.low))
            and low not in _STOP
            and low not in _TITLES
            and low not in _ROLE_WORDS
            and low not in _DESCRIPTORS
            and low not in lex.sector
            and low not in _HOLIDAYS
            and (low not in _CALENDAR or low in _MONTHS)
            and not (low in lex.places and low not in lex.first)
        ):
            # "her brother Will", "mum's partner Florin", "older cousin Jun":
            # a relative who belongs to someone, then a capitalised word, is
            # that relative's name even when the word is also English or a month.
            is_name[i] = True
            continue
        if (
            cue_prev
            and paren
            and (
                not cls.safe(low)
                or (t.upper and len(t.core) <= 3 and not _acronym_safe(low, lex))
                or (t.cap and low in _MONTH_NAMES and not _number_follows(text, t))
            )
            and low not in _STOP
            and low not in _TITLES
            and not (low in lex.informal and not t.cap)
        ):
            in_paren = gap_before.strip().startswith("(")
            if t.upper and 2 <= len(t.core) <= 3 and not text[t.end : t.end + 1].isdigit():
                is_name[i] = True  # "partner (JS)", "father MK"
                continue
            if t.cap and (cls.first(low) or not cls.common(low)):
                is_name[i] = True
                continue
            if (
                not t.cap
                and (in_paren or not cls.common(low) or (cls.first(low) and low not in _NOT_NAME_AFTER_CUE))
                and (cls.first(low) or (not cls.common(low) and len(low) >= 4))
            ):
                is_name[i] = True
                continue

        if low in _DESCRIPTORS and prev is not None and prev.low in _DESCRIPTOR_BEFORE:
            continue  # "the father is Christian": a faith or heritage, not a first name
        if (
            t.cap
            and not t.upper
            and len(t.core) >= 2
            and low not in _STOP
            and low not in _TITLES
            and _person_in_context(text, t, i, toks, cls)
        ):
            is_name[i] = True
            continue

        if (
            t.cap
            and low in _MONTH_NAMES
            and _AGE_AFTER_RE.match(text, t.end)
            and not _dated(prev)
        ):
            is_name[i] = True  # "April (15) is pregnant"
            continue
        if (
            len(t.core) >= 3
            and not t.upper
            and not cls.safe(low)
            and low not in _STOP
            and low not in _TITLES
            and not role_letter(i)
            and (
                (t.cap and _age_after_capitalised(text, t, cls))
                or (
                    (cls.first(low) or (t.cap and not cls.common(low)))
                    and (_AGE_AFTER_RE.match(text, t.end) or _AGE_IS_RE.match(text, t.end))
                )
            )
        ):
            # An age straight after a word makes it a person, whatever the
            # word is: "Florin (12)", "ruby, 3,", "Hope is 4".
            is_name[i] = True
            continue
        if (
            _DOB_AFTER_RE.match(text, t.end)
            and len(t.core) >= 2
            and not t.upper
            and not t.possessive
            and (cls.first(low) or not cls.common(low))
            and not cls.safe(low)
            and low not in _STOP
            and low not in _TITLES
            and low not in _KIN_ADJECTIVES
            and not role_letter(i)
        ):
            is_name[i] = True  # "mo dob 2.9.09", "Kacper (DOB 3/4/12)": whose birth date it is
            continue
        role_after = _ROLE_AFTER_RE.match(text, t.end)
        in_brackets = _BRACKETS_AFTER_RE.match(text, t.end)
        if (
            in_brackets
            and t.cap
            and not t.upper
            and len(t.core) >= 3
            and (cls.first(low) or not cls.common(low))
            and not cls.safe(low)
            and low not in _STOP
            and low not in _TITLES
            and _ROLE_FIRST_PART_RE.search(in_brackets.group(1).split(",")[0])
        ):
            is_name[i] = True  # "Ruby (Practice Lead, Early Help)": a job, then where
            continue
        if (
            role_after
            and role_after.group(1).lower() in _RELATION_CUES
            and not role_after.group(1).isupper()
            and len(t.core) >= 3
            and not cls.safe(low)
            and low not in _STOP
            and low not in _TITLES
            and (t.cap or cls.first(low))
            # A longer description ("Elira (our family support worker)") is
            # also how headings read ("Update (ask the social worker)"), so
            # there the word must be a first name or in no English list.
            and (role_after.group(0).strip("( )").count(" ") == 0 or cls.first(low) or not cls.common(low))
        ):
            # "Dawn (mum) and Gavin (stepdad)": the writer says who the person is.
            is_name[i] = True
            continue

        if t.upper:
            # Acronyms pass; initials need a cue (handled above) or a verb after.
            # Two capitals are initials more often than words ("KM", not "km"
            # the distance); three may be a word in capitals ("KEY", "NEW").
            plain = low in _STOP or low in _UPPER_WORDS if len(t.core) == 2 else cls.common(low)
            if 2 <= len(t.core) <= 3 and not _acronym_safe(low, lex) and not plain and not text[t.end : t.end + 1].isdigit():
                owned = prev is not None and (prev.low in _DETERMINERS) and gap_before == " "
                verb = nxt is not None and nxt.low in _REPORTING_VERBS and gap_after.strip() == ""
                aged = bool(_AGE_AFTER_RE.match(text, t.end))
                if not owned and (verb or t.possessive or aged):
                    is_name[i] = True  # "KM is in foster care", "KM's younger brother", "KB (14)"
            elif len(t.core) >= 4 and cls.first(low) and not cls.common(low) and not cls.safe(low):
                is_name[i] = True
            continue

        if cls.safe(low) or low in _STOP:
            continue
        common = cls.common(low)
        if (
            not t.cap
            and len(low) >= 3
            and low in lex.first
            and low not in _ROLE_WORDS
            and low not in _CALENDAR
            and not (prev is not None and (prev.low in _DETERMINERS or prev.low in _PRONOUNS))
            and (
                (nxt is not None and nxt.low in _PERSON_VERBS and gap_after == " ")
                or _AND_RELATIVE_RE.match(text, t.end)
            )
        ):
            # "ivy told her TA", "rose said": only a person tells or says;
            # "will and his brother": only a person has one.
            is_name[i] = True
            continue
        if not t.cap and low in lex.places and prev is not None and prev.low in _PLACE_BEFORE:
            continue  # "out of area in kent", "a trip to paris", "moved from jordan"
        if not t.cap:
            # Lower-case names without a cue: only unmistakable first names.
            if (
                not common
                and low in lex.first
                and len(low) >= 3
                and "-" not in low
                # "the kobi", "a dara": a thing, whatever the name lists say
                # (not "that": "told DSL that siobhan's fella...")
                and not (prev is not None and prev.low in _ARTICLES and gap_before == " ")
                # a piece of a code ("ab99kobi") is not a word at all
                and not re.search(r"\d", text[max(0, t.start - 1) : t.end + 1])
            ):
                is_name[i] = True
            elif (
                not common
                and len(low) >= 4
                and low.isalpha()
                and low not in lex.surnames
                and nxt is not None
                and nxt.low in _REPORTING_VERBS
                and gap_after == " "
                and prev is not None
                and (prev.low in _REPORTING_VERBS or prev.low in _RELATION_CUES or prev.low in {"and", "but"})
            ):
                # "nan says kezia has been...": a word in no list, between a
                # speaker's verb and a verb of its own, is a person the lists lack.
                is_name[i] = True
            elif (
                cls.stray_word(low)
                and not (prev is not None and prev.low in _DETERMINERS and gap_before == " ")
                and not (nxt is not None and nxt.low in _NOT_AFTER_NAME and gap_after == " ")
            ):
                # "we saw kezia today": a word in no list that is no typo, slang
                # or compound either, where a person can stand (not "the wkend").
                is_name[i] = True
            elif (
                cls.name_spelling(low)
                # A piece of a code ("ab99cde") is not a word at all.
                and not re.search(r"\d", text[max(0, t.start - 1) : t.end + 1])
                and not (prev is not None and prev.low in _DETERMINERS and gap_before == " ")
                and not (nxt is not None and nxt.low in _NOT_AFTER_NAME and gap_after == " ")
            ):
                # "saw kobi today": a short word in no English list, spelt like a name.
                is_name[i] = True
            elif (
                "-" in low
                and all(p in lex.first for p in low.split("-"))
                and any(not cls.common(p) for p in low.split("-"))
            ):
                is_name[i] = True  # "lily-mae", "jo-ann": every part a first name
            elif (
                not common
                and low.endswith("s")
                and len(low) >= 5
                and low not in _PREFIXES
                and low not in lex.informal
                and low[:-1] in lex.first
                and not cls.common(low[:-1])
                and low[:-1] not in lex.places
                and not (prev is not None and prev.low in _ARTICLES)
            ):
                is_name[i] = True  # "jaydens mum": a possessive typed without its apostrophe
            continue

        if "-" in low and cls.first(low) and all(p in lex.first for p in low.split("-") if p):
            is_name[i] = True  # "Lily-Rose", "Tyler-Jay": every piece a first name
            continue
        place_name = low in lex.places
        if place_name and prev is not None and (prev.low in _PLACE_BEFORE or prev.low in {"a", "an", "the"}):
            continue  # "lives in Chelsea", "moved to Devon", "a Roma family"
        if not common and not place_name and low not in lex.informal:
            # Capitalised, not an English word, not sector vocabulary or a place.
            if (
                not t.initial
                or cls.first(low)
                or low in lex.surnames
                or (nxt and (nxt.low in _REPORTING_VERBS or t.possessive or cls.namey(nxt)))
            ):
                is_name[i] = True
            elif not nxt or (not re.search(r"\w", gap_after) and gap_after.strip() in {"", ",", ".", "'s"}):
                is_name[i] = not re.fullmatch(r"[A-Z][a-z]{0,2}", t.core)
            continue

        if low in lex.word_names or place_name:
            next_namey = (
                nxt is not None
                and tight_next
                and gap_after.strip() == ""
                and cls.namey(nxt)
                and (not cls.common(nxt.low) or nxt.low in lex.surnames)
            )
            if low in _CALENDAR:
                continue
            if low in _SEASONS and (
                (prev is not None and prev.low in _SEASON_BEFORE) or re.match(r"\s+(?:19|20)?\d\d\b", text[t.end :])
            ):
                continue  # "in Summer 2023", "over the Spring"
            if next_namey or (t.possessive and not t.initial) or _AGE_AFTER_RE.match(text, t.end):
                is_name[i] = True
                continue
            if t.initial:
                weak = low in _ABSTRACT_NAMES and nxt is not None and nxt.low in {"is", "was", "has", "had"}
                if (
                    (nxt and nxt.low in _REPORTING_VERBS and gap_after.strip() == "" and not weak)
                    or (t.possessive and nxt and not nxt.cap)
                    or (nxt and nxt.low == "from" and gap_after == " ")  # "Tony from the YOT"
                ):
                    is_name[i] = True
                continue
            # Mid-sentence: a name unless it sits in a Title Case phrase
            # ("Brook Traffic Light Tool", "Hope Street Project").
            prev_title = (
                prev is not None
                and prev.cap
                and (not prev.initial or (cls.common(prev.low) and not cls.first(prev.low)))
                and gap_before.strip() in {"", "&"}
                and (cls.common(prev.low) or cls.safe(prev.low))
                and prev.low not in _RELATION_CUES
            )
            next_title = (
                nxt is not None
                and nxt.cap
                and gap_after.strip() in {"", "&"}
                and (cls.common(nxt.low) or cls.safe(nxt.low))
                and not nxt.upper
            )
            if not (prev_title or next_title):
                is_name[i] = True

    # Extend names over following surnames ("Grace Carter", "amelia hartley")
    # and hyphen/particle pieces; join adjacent name tokens into one finding.
    for i in range(n - 1):
        if is_name[i] and not is_name[i + 1]:
            a, b = toks[i], toks[i + 1]
            gap = _gap(text, a, b)
            if blocked(b) or "\n" in gap or gap.strip() not in {"", "."} or a.possessive:
                continue
            if gap.strip() == "." and len(a.core) != 1:
                continue
            if (
                (b.cap and (cls.namey(b) or (b.low in lex.surnames and not cls.safe(b.low))))
                or (
                    not b.cap
                    and not a.cap
                    and not cls.common(b.low)
                    and not cls.safe(b.low)
                    and b.low not in lex.informal
                    and len(b.low) > 2
                )
                or (b.low in {"van", "de", "da", "von", "al", "el", "bin", "ben"} and i + 2 < n and toks[i + 2].cap)
            ):
                is_name[i + 1] = True

    # A first name straight before a name is part of it, even when it is also
    # an everyday word or place ("Precious and Blessing Mensah", "Will Okafor").
    for i in range(n - 2, -1, -1):
        a, b = toks[i], toks[i + 1]
        if (
            is_name[i + 1]
            and not is_name[i]
            and not blocked(a)
            and a.cap
            and not a.upper
            and not a.possessive
            and _gap(text, a, b) == " "
            and (cls.first(a.low) or a.low in _MONTH_NAMES)
            and a.low not in _ROLE_WORDS
            and a.low not in _TITLES
            and a.low not in _RELATION_CUES
            and (a.low not in _CALENDAR or a.low in _MONTH_NAMES)
            and not (i and _dated(toks[i - 1]))
            and a.low not in lex.sector
        ):
            is_name[i] = True

    # "Auntie Shaz", "Uncle Ray": a capitalised kinship word used as a title
    # is part of how the person is named.
    for i in range(1, n):
        a = toks[i - 1]
        kin = a.cap and a.low in _KIN_TITLES and not a.possessive
        if kin and is_name[i] and not is_name[i - 1] and _gap(text, a, toks[i]) == " ":
            is_name[i - 1] = True

    # Lists of people: "zain, aleena and musa". One name in the list makes the
    # other single words names too when they are no English word either, so
    # "Sam, the school and mum" stays as it is.
    pairs = []
    for a in range(n - 1):
        if _gap(text, toks[a], toks[a + 1]).strip() in {",", "&", "+", "/"}:
            pairs.append((a, a + 1))
        elif (
            a + 2 < n
            and toks[a + 1].low in {"and", "or", "&", "n", "+"}
            and _gap(text, toks[a], toks[a + 1]).strip() in {"", ","}
            and _gap(text, toks[a + 1], toks[a + 2]).strip() == ""
        ):
            pairs.append((a, a + 2))
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            for src, dst in ((a, b), (b, a)):
                d = toks[dst]
                if (
                    is_name[src]
                    and not is_name[dst]
                    and not blocked(d)
                    and dst not in local_places
                    and len(d.core) >= 3
                    and not d.upper
                    and d.low not in _STOP
                    and (
                        not cls.common(d.low)
                        or (d.cap and (d.low in lex.word_names or cls.first(d.low)) and d.low not in _MODALS)
                        or (d.low in lex.word_names and d.low not in _NOT_NAME_AFTER_CUE)
                    )
                    and not cls.safe(d.low)
                    and (d.low not in lex.places or (d.cap and cls.first(d.low)))
                ):
                    is_name[dst] = changed = True

    # Once a word is a name in this text it is a name wherever it appears:
    # writers give the cue once ("(Callum)") and then drop it, the capital or
    # the apostrophe ("mum is callums main carer").
    known = {
        toks[i].low
        for i in range(n)
        if is_name[i]
        and len(toks[i].core) >= 3
        and not toks[i].upper
        and toks[i].low not in _TITLES
        and toks[i].low not in _KIN_TITLES
        and toks[i].low not in _RELATION_CUES
    }
    for i, t in enumerate(toks):
        if not known or is_name[i] or blocked(t) or t.low in _STOP:
            continue
        if cls.safe(t.low) and not (
            t.low in _MONTH_NAMES
            and t.cap
            and not (i and _dated(toks[i - 1]))
        ):
            continue
        base = t.low if t.low in known else t.low[:-1] if t.low.endswith("s") and t.low[:-1] in known else None
        if base is None:
            continue
        everyday = cls.common(base)
        if (t.cap and not (everyday and t.initial)) or (not t.cap and not everyday):
            is_name[i] = True
        elif not t.cap and base == t.low and _acts_like_a_person(text, toks, i):
            # "Summer told me... summer now not attending", "aka 'Bran'... bran is
            # dealing": an everyday word already a person in this text, doing what
            # people do, and not where the word would stand ("the summer", "in summer").
            is_name[i] = True

    findings: list[Finding] = []
    i = 0
    while i < n:
        if not is_name[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and is_name[j + 1]:
            gap = _gap(text, toks[j], toks[j + 1])
            if gap.strip() not in {"", "."} or "\n" in gap or toks[j].possessive:
                break
            if gap.strip() == "." and len(toks[j].core) != 1 and toks[j].low not in _TITLES:
                break  # "jayden. May and her brother": two people; "J. Smith", "Dr. Adeyemi" are one
            j += 1
        findings.append(Finding("name", toks[i].start, toks[j].end, text[toks[i].start : toks[j].end]))
        i = j + 1
    return findings


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def scan(text: str) -> list[Finding]:
    """Return identifying details in ``text``, sorted and non-overlapping."""
    if not text:
        return []
    shouted = _shouted_lines(text)
    candidates = _fixed_format(text, shouted)
    # Higher-priority (lower number) and then longer candidates win overlaps.
    candidates.sort(key=lambda pf: (pf[0], -(pf[1].end - pf[1].start), pf[1].start))
    chosen: list[Finding] = []
    for _, f in candidates:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    taken = [(f.start, f.end) for f in chosen]
    for f in _names(text, taken, shouted):
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    chosen.sort(key=lambda f: (f.start, f.end))
    return chosen
