"""Fixed-format identifiers: emails, web addresses, handles, phone, NHS and NI numbers,
postcodes, vehicle registrations, dates and case references.

Each rule is a generator of candidates ``(priority, kind, start, end)``; a lower
priority wins an overlap (``scan`` resolves them). Every pattern is bounded
(``{0,40}``, not ``*``) so the work per character stays constant on any input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from anonymity.detector.lexicon import lexicon
from anonymity.detector.vocabulary import (
    DOTTED_ABBREVIATIONS,
    NOT_HANDLE_STEMS,
    SERVICE_NUMBERS,
    SIGNPOSTING_DOMAINS,
    STOP,
)

Candidate = tuple[int, str, int, int]

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

_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,40}[A-Za-z0-9_])?")
_HANDLE_CUE_RE = re.compile(
    r"\b(?:snapchat|snap|instagram|insta|tiktok|tik\s+tok|twitter|facebook|fb|discord|kik|"
    r"telegram|roblox|xbox|psn|gamertag|gamer\s+tag|username|user\s+name|handle|account\s+name|"
    r"profile\s+name|profile|account|acct|whatsapp)"
    r"((?:\s+(?:name|username|user\s+name|handle|account|id|is|was|called|named|profile|as))*)"
    r"\s*([:\-\u2013]?)\s*([\"'\u2018\u201c]?)([A-Za-z0-9_.]{3,30})([\"'\u2019\u201d]?)",
    re.I,
)
_HANDLE_SHAPE_RE = re.compile(
    r"(?<![\w@./])(?:[A-Za-z][A-Za-z0-9]{0,40}_[A-Za-z0-9_]{0,40}[A-Za-z0-9]|[a-z]{3,40}[A-Za-z]{0,40}\d{2,4})(?![\w@/])"
)

DOTTED_INITIALS_RE = re.compile(r"\b[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)*")

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

MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE_RES = (
    re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/]|\.\d)"),
    re.compile(r"(?<![\d/.\-])(\d{4})-(\d{2})-(\d{2})(?![\d\-])"),
    re.compile(rf"\b{DAY_RE}(?:\s+of)?\s+{MONTH_RE},?\s+(?:19|20)?\d\d\b(?![:.]\d)", re.I),
    re.compile(rf"\b{MONTH_RE}\s+{DAY_RE},?\s+(?:19|20)\d\d\b", re.I),
)
_BIRTH_DATE_RE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?|birthday(?:\s+is)?(?:\s+on)?)\s*[:\-]?\s*"
    rf"((?:{DAY_RE}(?:\s+of)?\s+{MONTH_RE}(?:,?\s+(?:19|20)\d\d)?)|(?:{MONTH_RE}\s+{DAY_RE}(?:,?\s+(?:19|20)\d\d)?)|"
    rf"(?:{MONTH_RE}\s+(?:19|20)\d\d)|(?:\d{{1,2}}[/.\-]\d{{1,2}}(?:[/.\-]\d{{2,4}})?))",
    re.I,
)

_CASE_CUE = (
    r"(?:mosaic|lcs|liquid\s?logic|eclipse|carefirst|care\s?first|systmone|emis|rio|ehm|frameworki|"
    r"protocol|niche|athena|connect|crn|cad|upn|uln|urn|crime|incident|log|case|referral|prison|"
    r"prisoner|warrant|court|claim|file|record|"
    r"client|person|child|pupil|police|ref|reference|id)"
)
# "call police 999", "NHS 111", "police on 101": numbers everyone shares.

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

def _is_signposting_url(url: str) -> bool:
    """Links to national guidance and support services identify nobody."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0].rstrip(".")
    return any(host == d or host.endswith("." + d) for d in SIGNPOSTING_DOMAINS)


def _mod11_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])




def emails(text: str) -> Iterator[Candidate]:
    """"name@example.com"."""
    for m in _EMAIL_RE.finditer(text):
        yield 0, "email", m.start(), m.end()


def urls(text: str) -> Iterator[Candidate]:
    """Web addresses, except national guidance and support services ("nspcc.org.uk")."""
    for m in _URL_RE.finditer(text):
        if not _is_signposting_url(m.group(0)):
            yield 1, "url", m.start(), m.end()


def at_handles(text: str) -> Iterator[Candidate]:
    """"@kayla_x": an at sign and a username."""
    for m in _HANDLE_RE.finditer(text):
        yield 6, "social_handle", m.start(), m.end()


def platform_handles(text: str) -> Iterator[Candidate]:
    """A username after a platform ("snapchat: kayla.x", "insta 'jj_22'", "tiktok username is Zed")."""
    lex = lexicon()
    for m in _HANDLE_CUE_RE.finditer(text):
        fillers, colon, quote, handle = m.group(1), m.group(2), m.group(3), m.group(4)
        explicit = bool(colon or quote) or bool(re.search(r"name|handle|called|named|id|is|was", fillers or "", re.I))
        # A handle-looking token (digits, dots, underscores) after a platform is
        # enough; a plain word needs an explicit "username:" or quotes.
        looks_like_handle = bool(re.search(r"[\d_.]", handle.strip("."))) and not handle.replace(".", "").isdigit()
        plain_word = handle.lower() in lex.common or handle.lower() in STOP
        if looks_like_handle or (explicit and not plain_word):
            yield 6, "social_handle", m.start(4), m.end(4)


def handle_shapes(text: str) -> Iterator[Candidate]:
    """Underscores and letters-then-digits ("coach_danny88", "kayla07") do not occur in prose."""
    lex = lexicon()
    for m in _HANDLE_SHAPE_RE.finditer(text):
        word = re.match(r"[A-Za-z]+", m.group(0))
        if "_" in m.group(0) or (
            word and word.group(0).lower() not in lex.common and word.group(0).lower() not in NOT_HANDLE_STEMS
        ):
            yield 7, "social_handle", m.start(), m.end()


def dotted_initials(text: str) -> Iterator[Candidate]:
    """"J.S.", "K. M.": initials with dots, not abbreviations ("U.K.", "G.P.")."""
    for m in DOTTED_INITIALS_RE.finditer(text):
        if re.sub(r"[.\s]", "", m.group(0)).lower() not in DOTTED_ABBREVIATIONS:
            yield 7, "name", m.start(), m.end()


def phones(text: str) -> Iterator[Candidate]:
    """UK personal and professional lines (01, 02, 03, 07), not helplines (0800, 0808, 09...)."""
    for m in _PHONE_RE.finditer(text):
        nsn = re.sub(r"\D", "", m.group(1))
        # 080x/084x/087x/09x are freephone and service numbers (helplines such
        # as Rape Crisis 0808 802 9999), which signposting text must be free to quote.
        if nsn[0] in "1237":
            yield 2, "phone", m.start(), m.end()


def nhs_numbers(text: str) -> Iterator[Candidate]:
    """Ten digits passing the NHS modulus-11 check, or any ten digits after "NHS"."""
    for m in _NHS_RE.finditer(text):
        digits = "".join(m.groups())
        cue = _NHS_CUE_RE.search(text, max(0, m.start() - 25), m.start())
        # NHS numbers never start with 0, but Scottish CHI numbers (which
        # start with the date of birth) do; "NHS no 083 ..." is still one.
        if digits[0] == "0" and not cue:
            continue
        if _mod11_ok(digits) or cue:
            yield 2, "nhs_number", cue.start() if cue and cue.end() == m.start() else m.start(), m.end()


def ni_numbers(text: str) -> Iterator[Candidate]:
    """National Insurance numbers: "QQ 12 34 56 C"."""
    for m in _NI_RE.finditer(text):
        yield 2, "ni_number", m.start(), m.end()


def postcodes(text: str) -> Iterator[Candidate]:
    """Full postcodes ("E6 2AB"), not ordinals ("year 3 3rd"); an outward code after "postcode"."""
    for m in _POSTCODE_RE.finditer(text):
        token = m.group(0)
        inward = m.group(2).lower()
        if not token.isupper() and inward[1:] == {"1": "st", "2": "nd", "3": "rd"}.get(inward[0], "th"):
            continue  # "year 3 3rd", "on the 2nd": an ordinal, not an inward code
        if not re.search(r"[A-Za-z]", m.group(1)[:1]):
            continue
        yield 3, "postcode", m.start(), m.end()
    for m in _POSTCODE_PARTIAL_RE.finditer(text):
        yield 3, "postcode", m.start(1), m.end(1)


# "lives in E6", "home is in M14 now", "moved to a flat in LS9": an outward code that
# places a home. Not "Year 6", "KS2" or "P7" (school years and stages).
_OUTWARD_HOME_RE = re.compile(
    r"\b(?:live|lives|living|lived|home|house|flat|moved|moving|address|reside|resides|residing|placed|staying|stays)\b"
    r"[^.\n]{0,25}?\b(?:in|at|to)\s+(?:the\s+)?(?!(?:KS|Y|P)\d\b)([A-Z]{1,2}\d[A-Z\d]?)\b(?!\s*\d[A-Z]{2})",
    re.I,
)
# "88 Park View Road, B10.", "Meadowbank Estate, NE4": an outward code closing an address.
_OUTWARD_AFTER_ADDRESS_RE = re.compile(
    r"\b(?i:road|rd|street|avenue|lane|close|drive|house|court|estate|way|crescent|gardens|grove|terrace)\b"
    r"[^.\n]{0,40}?,\s*([A-Z]{1,2}\d[A-Z\d]?)\b(?!\s*\d[A-Z]{2})"
)


def outward_postcodes(text: str) -> Iterator[Candidate]:
    """"lives in E6", "lives w aunt in s4", "88 Park View Road, B10": the first half of a postcode, where a home is."""
    for rx in (_OUTWARD_HOME_RE, _OUTWARD_AFTER_ADDRESS_RE):
        for m in rx.finditer(text):
            code = m.group(1)
            # "in y6", "at ks2": school years and stages, in any case
            if not re.fullmatch(r"(?:ks|y|p)\d", code, re.I) and re.match(r"[A-Za-z]", code):
                yield 3, "postcode", m.start(1), m.end(1)


def vehicle_registrations(text: str) -> Iterator[Candidate]:
    """Number plates in capitals, typed compact in lower case with a real age identifier, or after "reg"."""
    for m in _VEHICLE_RE.finditer(text):
        yield 3, "vehicle_registration", m.start(), m.end()
    lex = lexicon()
    for m in _VEHICLE_COMPACT_RE.finditer(text):
        age = int(m.group(1))
        # With a space ("yp68 fzr") the last three letters must not be a word,
        # or "ks34 and" would be a registration.
        spaced_word = m.group(2) and (m.group(3).lower() in lex.common or m.group(3).lower() in STOP)
        if (2 <= age <= 24 or 51 <= age <= 74) and not spaced_word:
            yield 3, "vehicle_registration", m.start(), m.end()
    for m in _VEHICLE_CUE_RE.finditer(text):
        yield 3, "vehicle_registration", m.start(1), m.end(1)


_WEEKDAY_BEFORE_RE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+$", re.I)


def dates(text: str) -> Iterator[Candidate]:
    """Full dates ("03/04/2012", "3rd May 2012"), and any date after a birth cue ("dob 3 May")."""
    for rx in _DATE_RES[:2]:
        for m in rx.finditer(text):
            a, b, c = (int(g) for g in m.groups())
            day, month = (c, b) if a > 31 else (a, b)
            if 1 <= day <= 31 and 1 <= month <= 12:
                yield 3, "date", m.start(), m.end()
    for rx in _DATE_RES[2:]:
        for m in rx.finditer(text):
            # "Friday 8th March 2024": the weekday is part of the date
            weekday = _WEEKDAY_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
            yield 3, "date", weekday.start() if weekday else m.start(), m.end()
    for m in _BIRTH_DATE_RE.finditer(text):
        yield 3, "date", m.start(1), m.end(1)


def case_references(text: str) -> Iterator[Candidate]:
    """Case-system IDs after a cue ("Mosaic 123456"), coded references ("CP-23-0456"), long numbers."""
    for m in _CASE_CUE_RE.finditer(text):
        value = m.group(1)
        if _YEAR_RANGE_RE.match(value) or re.fullmatch(r"(?:19|20)\d\d", value) or value in SERVICE_NUMBERS:
            continue
        yield 4, "case_reference", m.start(), m.end()
    for m in _ALNUM_REF_RE.finditer(text):
        yield 5, "case_reference", m.start(), m.end()
    for m in _CODED_REF_RE.finditer(text):
        yield 5, "case_reference", m.start(), m.end()
    for m in _LONG_NUMBER_RE.finditer(text):
        if not _YEAR_RANGE_RE.match(m.group(0)) and m.group(0) not in SERVICE_NUMBERS:
            yield 5, "case_reference", m.start(), m.end()
