"""A learned layer after the rules: a CRF token tagger for names (and named places) the rules miss.

The rules find nearly every identifier in the text they were tuned on, but in
hurried lower-case notes a name and an everyday word look alike ("told summer",
"goes by kez", "the okonkwo lot"), and each new set asks for another rule. This
layer is a linear-chain conditional random field (python-crfsuite) trained on
every labelled set in ``tests/anonymity/`` (``anonymity/data/train_learned.py``,
which also gives the leave-one-round-out estimate in ``docs/anonymity.md``).

Its features are cheap and general, never a list of the names it was trained
on: the word's shape and case, prefix and suffix, which lists hold it (English
word, first name, word-name, surname, place, sector term, slang, the detector's
own vocabulary), whether a rule already marked it, the words around it (only
listed words are seen as themselves), an age after it, and whether the text is
typed mostly in lower case. The rule ``learned_names`` adds a finding for each
run of words whose probability of being inside a name (or a named place) is at
least the threshold chosen by cross-validation, where no rule found anything.

The model is read once per process (``load()``); the tagger is per thread,
since a crfsuite tagger holds state between calls. The work is linear in the
text: a fixed number of features per token, and at most ``MAX_TOKENS`` tokens
per text are tagged (a 400-word note is about 500).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycrfsuite

from anonymity.detector import vocabulary as v
from anonymity.detector.findings import Finding
from anonymity.detector.lexicon import lexicon

MODEL = v.DATA_DIR / "names.crfsuite"
MODEL_INFO = v.DATA_DIR / "names.json"
# Raise when the features or the labels change: the model records the version it
# was trained for, and test_learned.py fails until it is rebuilt.
FEATURE_VERSION = 2
# Chosen on the leave-one-round-out folds (docs/anonymity.md, "A learned layer";
# anonymity/data/learned_cv.txt): clean texts flagged rise from 0.7 % (rules alone)
# to 1.7 % at 0.7, 2.3 % at 0.6 for two more identifiers, 2.9 % at 0.5.
THRESHOLD = 0.7
# Below this, a word is not looked at further (and no threshold goes this low).
MIN_PROBABILITY = 0.2
# Tagging is linear, but a field of 10,000 one-letter words need not all be
# tagged: the rules still read all of it.
MAX_TOKENS = 2500
# What each label becomes as a finding.
LABEL_KINDS = {"NAME": "name", "INST": "school"}

TOKEN_RE = re.compile(r"[A-Za-zÀ-ɏ]+(?:['\u2019\-][A-Za-zÀ-ɏ]+)*['\u2019]?|\d+|[^\sA-Za-zÀ-ɏ\d]")
_LETTER_RE = re.compile(r"[A-Za-zÀ-ɏ]")
_SENTENCE_END = frozenset(".!?;:\n•*")

# The detector's own word sets, by the short name a feature carries.
VOCAB: dict[str, frozenset[str]] = {
    "rel": v.RELATION_CUES | v.KIN_TITLES | v.ENDEARMENTS,
    "role": v.ROLE_WORDS,
    "title": v.TITLES | v.LOWER_TITLES,
    "say": v.REPORTING_VERBS | v.PERSON_VERBS,
    "stop": v.STOP | v.PRONOUNS | v.DETERMINERS,
    "cal": v.CALENDAR | v.MONTH_NAMES | v.HOLIDAYS | v.SEASONS,
    "plc": v.PLACE_NOUNS | v.LANDMARK_NOUNS | v.BUILDING_GENERIC | v.LOCATIVE,
    "sch": v.SCHOOL_GENERIC | v.SERVICE_NOUNS,
    "fam": v.FAMILY_WORDS,
    "mod": v.MODALS,
}
# Words the layer never marks whatever their context: function words, months and
# days ("April has been a hard month"; April, May and June as people are left to
# the rules' cues), holidays, titles, and the sector vocabulary (read with it).
NEVER = v.STOP | v.PRONOUNS | v.DETERMINERS | v.CALENDAR | v.HOLIDAYS | v.TITLES | v.LOWER_TITLES
_PLACE_CUES = frozenset({"from", "in", "near"})
# Words whose presence around a token is evidence in itself ("known as", "goes by").
CUE_WORDS = frozenset(
    [
        "called",
        "named",
        "known",
        "as",
        "goes",
        "by",
        "calls",
        "nickname",
        "aka",
        "name",
        "names",
        "friend",
        "friends",
        "bf",
        "gf",
        "boyfriend",
        "girlfriend",
        "with",
        "and",
        "told",
        "said",
        "says",
        "asked",
        "tells",
        "texted",
        "messaged",
        "to",
        "from",
        "at",
    ]
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Words, numbers and single punctuation marks of ``text``, with their offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)][:MAX_TOKENS]


def shape(word: str) -> str:
    """Xxxx, xxxx, XXXX, dd, or the mark itself; long runs shortened."""
    if word.isdigit():
        return "d" if len(word) == 1 else "dd"
    if not _LETTER_RE.match(word):
        return word
    if word.isupper():
        return "X" if len(word) == 1 else "XX"
    if word[0].isupper():
        return "Xx" if word[1:].islower() else "XxX"
    return "x" if word.islower() else "xX"


@lru_cache(maxsize=65536)
def word_classes(low: str) -> tuple[str, ...]:
    """Which lists hold the lower-case word (the same answer for every text, so cached)."""
    lex = lexicon()
    base = low.replace("\u2019", "'")
    if base.endswith("'s"):
        base = base[:-2]
    out = [f"in:{name}" for name, words in VOCAB.items() if base in words]
    for name, words in (
        ("eng", lex.common),
        ("first", lex.first),
        ("wname", lex.word_names),
        ("ssa", lex.ssa),
        ("sur", lex.surnames),
        ("sector", lex.sector),
        ("place", lex.places),
        ("slang", lex.informal),
    ):
        if base in words:
            out.append(f"in:{name}")
    if not out:
        out.append("in:none")
    return tuple(out)


def seen_as(low: str, classes: tuple[str, ...]) -> str:
    """The word itself when it is a listed word or cue, else its classes: names are never memorised."""
    if low in CUE_WORDS or any(c.startswith("in:") and c[3:] in VOCAB for c in classes):
        return low
    if "in:eng" in classes and not ({"in:first", "in:sur", "in:wname"} & set(classes)):
        return low
    return "~"


def never(word: str) -> bool:
    """Is the word one the layer never marks (``NEVER``, or sector vocabulary)?"""
    low = word.lower().replace("\u2019", "'").removesuffix("'s")
    return low in NEVER or low in lexicon().sector


def held_back(toks: list[Token], lows: list[str], i: int) -> bool:
    """Positions where the rules decide on purpose that a word is not a person, kept for the layer too.

    A single letter (initials are the rules' business: "the U.K."); a word after
    an article ("we saw the kobi") unless a family word follows ("the okonkwo
    family"); a hyphenated word of English words ("Drop-In"); a capitalised word
    in no name list after "from", "in" or "near" (a place: "a girl from
    Kezzianne"); a season beside another ("summer n winter clothes").
    """
    low, word = lows[i], toks[i].text
    before = lows[i - 1] if i else ""
    after = lows[i + 1] if i + 1 < len(lows) else ""
    if len(word) == 1 or never(word):
        return True
    if before in v.ARTICLES and after not in v.FAMILY_WORDS:
        return True
    lex = lexicon()
    if "-" in low and all(part in lex.common for part in low.split("-")):
        return True
    if before in _PLACE_CUES and word[0].isupper() and low not in lex.first and low not in lex.surnames:
        return True
    return low in v.SEASONS and any(w in v.SEASONS or w in v.CALENDAR for w in lows[max(0, i - 3) : i + 4] if w != low)


def rule_marks(toks: list[Token], findings: list[Finding]) -> list[str]:
    """For each token, the kind of the rule finding over it, or "" (findings are sorted)."""
    marks = [""] * len(toks)
    j = 0
    for i, t in enumerate(toks):
        while j < len(findings) and findings[j].end <= t.start:
            j += 1
        if j < len(findings) and findings[j].start < t.end:
            marks[i] = findings[j].kind
    return marks


def mostly_lower(toks: list[Token]) -> bool:
    """Is the text typed in lower case (four words in five at least)?"""
    words = [t.text for t in toks if t.text[0].isalpha() and len(t.text) > 1]
    return len(words) >= 4 and sum(w.islower() for w in words) >= 0.8 * len(words)


@lru_cache(maxsize=65536)
def word_features(word: str, mark: str, lower_text: str) -> tuple[tuple[str, ...], ...]:
    """What a token says of itself, and what its neighbours at -2, -1, +1, +2 see of it.

    The same for every occurrence of the word with the same rule mark in the same
    kind of text, so cached (bounded: text is anyone's input).
    """
    low = word.lower()
    s = shape(word)
    classes = word_classes(low) if low[0].isalpha() else ()
    seen = f"w={seen_as(low, classes)}" if classes else f"w={s}"
    r = f"r={mark or '-'}"
    own = ["bias", lower_text, f"s={s}", f"{lower_text}|s={s}", r, *classes]
    if classes:
        own += [seen, f"p2={low[:2]}", f"p3={low[:3]}", f"x2={low[-2:]}", f"x3={low[-3:]}", f"len={min(len(low), 9)}"]
        own += [f"{lower_text}|{c}" for c in classes]
    if low.endswith(("'s", "\u2019s")):
        own.append("poss")
    near = (seen, f"s={s}", r, *classes)
    return (
        tuple(own),
        (f"-2{seen}", f"-2{r}"),
        tuple(f"-1{x}" for x in near),
        tuple(f"1{x}" for x in near),
        (f"2{seen}", f"2{r}"),
        (seen,),
    )


def age_after(lows: list[str], i: int) -> bool:
    """An age after the word: "hunter (15)", "grace, 9", "kez aged 14", "kez 14"."""
    after = lows[i + 1 : i + 3]
    if after and after[0] in ("(", ",", "aged"):
        after = after[1:]
    return bool(after) and after[0].isdigit() and len(after[0]) <= 2


def features(text: str, toks: list[Token], findings: list[Finding], use_rules: bool = True) -> list[list[str]]:
    """The feature strings of every token; ``use_rules=False`` leaves out what the rules found."""
    marks = rule_marks(toks, findings) if use_rules else [""] * len(toks)
    lower_text = "lowtext" if mostly_lower(toks) else "casetext"
    per_word = [word_features(t.text, m, lower_text) for t, m in zip(toks, marks, strict=True)]
    lows = [t.text.lower() for t in toks]
    n = len(toks)
    out: list[list[str]] = []
    for i, t in enumerate(toks):
        f = list(per_word[i][0])
        if i == 0 or toks[i - 1].text in _SENTENCE_END or "\n" in text[toks[i - 1].end : t.start]:
            f += ["start", f"start|{f[2]}"]
        if age_after(lows, i):
            f.append("age_after")
        f += per_word[i - 2][1] if i >= 2 else ("-2edge",)
        f += per_word[i - 1][2] if i >= 1 else ("-1edge",)
        f += per_word[i + 1][3] if i + 1 < n else ("1edge",)
        f += per_word[i + 2][4] if i + 2 < n else ("2edge",)
        if 0 < i < n - 1:
            f.append(f"w-1w+1={per_word[i - 1][5][0]}|{per_word[i + 1][5][0]}")
        out.append(f)
    return out


_local = threading.local()
_state = {"enabled": True}


@cache
def model_info() -> dict[str, object]:
    """What the model was built from (``names.json``, written with it by the training script)."""
    return json.loads(MODEL_INFO.read_text(encoding="utf-8"))


def tagger() -> pycrfsuite.Tagger | None:
    """This thread's tagger, opened on the first call; None when the layer is off."""
    if not _state["enabled"]:
        return None
    tag = getattr(_local, "tagger", None)
    if tag is None:
        tag = pycrfsuite.Tagger()
        tag.open(str(MODEL))
        _local.tagger = tag
    return tag


def use_model(path: Path) -> None:
    """Tag with the model at ``path`` in this thread from now on (the training script's folds)."""
    tag = pycrfsuite.Tagger()
    tag.open(str(path))
    _local.tagger = tag


def load() -> None:
    """Open the model now (otherwise done on the first scan)."""
    tagger()


@contextmanager
def rules_only() -> Iterator[None]:
    """Scan with the rules alone (to train the model and to compare with it)."""
    before = _state["enabled"]
    _state["enabled"] = False
    try:
        yield
    finally:
        _state["enabled"] = before


def probabilities(text: str, toks: list[Token], findings: list[Finding]) -> list[tuple[str, float]]:
    """For each word no rule found, the probability it is inside a name or named place, and which.

    One marginal per word (not-inside), and the label's only where that leaves
    a chance worth a look: most words cost one call.
    """
    tag = tagger()
    if tag is None or not toks:
        return [("", 0.0)] * len(toks)
    tag.set(features(text, toks, findings))
    kinds = [k for k in LABEL_KINDS if f"B-{k}" in tag.labels()]
    marks = rule_marks(toks, findings)
    lows = [t.text.lower() for t in toks]
    out: list[tuple[str, float]] = []
    for i, t in enumerate(toks):
        skip = marks[i] or not t.text[0].isalpha() or held_back(toks, lows, i)
        inside = 0.0 if skip else 1.0 - tag.marginal("O", i)
        if inside < MIN_PROBABILITY:
            out.append(("", inside))
            continue
        best = max((tag.marginal(f"B-{k}", i) + tag.marginal(f"I-{k}", i), k) for k in kinds)
        out.append((best[1], inside))
    return out


def spans(text: str, toks: list[Token], probs: list[tuple[str, float]], threshold: float) -> list[Finding]:
    """Runs of words at or above the threshold, joined over spaces into one finding each."""
    found: list[Finding] = []
    run: list[int] = []

    def close() -> None:
        if run:
            a, b = toks[run[0]], toks[run[-1]]
            kind = LABEL_KINDS[probs[run[0]][0]]
            found.append(Finding(kind, a.start, b.end, text[a.start : b.end]))
            run.clear()

    for i, t in enumerate(toks):
        kind, p = probs[i]
        if p >= threshold and kind:
            glued = run and text[toks[run[-1]].end : t.start].isspace() and probs[run[-1]][0] == kind
            if not glued:
                close()
            run.append(i)
        else:
            close()
    close()
    return found


def learned_names(text: str, findings: list[Finding], threshold: float = THRESHOLD) -> list[Finding]:
    """Names and named places the tagger is sure of (probability >= ``threshold``) that no rule found.

    ``findings`` are the rules' findings, sorted: they are features, and a word
    inside one is left to them.
    """
    if tagger() is None:
        return []
    toks = tokens(text)
    return spans(text, toks, probabilities(text, toks, findings), threshold)
