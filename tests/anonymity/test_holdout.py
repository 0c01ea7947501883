"""Held-out sets: texts written by someone who had not read the detector or the corpus.

``holdout.jsonl`` (160 texts) was written blind and scored before any tuning
(the "unseen" figures in docs/anonymity.md); the detector was then generalised
with rules, not with its phrases. ``holdout_fresh.jsonl`` (40 texts) was written
after that tuning, to check the rules carry over to text they were not tuned on.
``holdout_third.jsonl`` (120 texts) was written blind by a third author, heavy
on names without cues; its first-pass score is in docs/anonymity.md.
``holdout_third_fresh.jsonl`` (40 texts) was written by the same author after
tuning on it, and scored before the next change.
``holdout_fourth.jsonl`` (60 texts) was written blind by a fourth author in a
hurried style (lower-case, unusual names, text-speak, slang, typos);
``holdout_fourth_fresh.jsonl`` (30 texts) by the same author after the change
it led to, scored before the next one.
``holdout_fifth.jsonl`` (40 texts) was written blind by a fifth author, heavy on
short lower-case names of many origins with little context.
``holdout_sixth.jsonl`` (100 texts, every kind, realistic mix) and
``holdout_seventh.jsonl`` (80 texts, 82 % names of many origins) were written
blind by two more authors and scored on the detector as it was before the SSA
list and the rules of ``test_name_lists.py`` (98.3 % and 96.0 %).
``holdout_eighth.jsonl`` (100 texts, realistic, every kind) and
``holdout_ninth.jsonl`` (80 texts, hurried lower case) were written blind by two
more authors after those changes and scored before the next ones (95.3 % and
87.1 %; docs/anonymity.md).
``holdout_tenth.jsonl`` (100 texts, realistic) and ``holdout_eleventh.jsonl``
(80 texts, hurried) were written blind after the eighth and ninth sets' rules
and scored before the next ones (96.7 % and 90.5 %).
``holdout_twelfth.jsonl`` (100 texts, long realistic case questions) and
``holdout_thirteenth.jsonl`` (80 texts, hurried, Title Case and capitals) were
written blind after those rules and scored before the next ones (98.8 % with
12 % of clean texts flagged, and 93.1 % with 10 %).
``holdout_fourteenth.jsonl`` (100 texts, realistic), ``holdout_fifteenth.jsonl``
(80 texts, hurried) and ``holdout_sixteenth.jsonl`` (120 texts, written to the
issue's list item by item) were the last round, written blind after those rules
and scored before the next ones (96.6 %, 92.2 % and 96.5 %).
``holdout_seventeenth.jsonl`` (100 texts, a borough's month of requests) and
``holdout_eighteenth.jsonl`` (100 texts, an independent tester's check of the
issue's list) were the final check, scored before any change (98.3 % and 95.4 %).
``holdout_nineteenth.jsonl`` (100 texts, a northern city's month of notes, with
its districts and landmarks) and ``holdout_twentieth.jsonl`` (80 hurried London
notes) were written last and scored before any change (95.7 % with 26 % of
clean texts flagged, and 98.4 % with 12.5 %).
``holdout_twentyfirst.jsonl`` (100 texts, Birmingham, districts named) and
``holdout_twentysecond.jsonl`` (100 texts, a shire county) checked the
local-place rules, scored before any change (99.2 % with 16 % flagged, and
97.2 % with 8 %).
``holdout_twentythird.jsonl`` (100 texts, Hull) and ``holdout_twentyfourth.jsonl``
(100 texts, an independent tester of the issue's list) were the session's last
blind check, scored before any change (97.9 % and 100 %, 6 % flagged each).
All must meet the issue's targets, like the main corpus, except the recall of
``holdout_fifth.jsonl`` and ``holdout_eleventh.jsonl`` (see the tests at the end).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymity.detector import KINDS
from anonymity.evaluation import BLIND_FIRST_SCORES, HELD_OUT_SETS, UNDER_TARGET_SETS, evaluate, load_corpus

HERE = Path(__file__).parent
SETS = list(HELD_OUT_SETS)
ALL_SETS = [*SETS, *UNDER_TARGET_SETS]


@pytest.mark.parametrize("name", ALL_SETS)
def test_held_out_set_is_balanced_with_exact_labels(name: str) -> None:
    records = load_corpus(HERE / name)
    clean = [r for r in records if not r["identifiers"]]
    assert len(clean) * 2 == len(records)
    for record in records:
        for label in record["identifiers"]:
            assert label["kind"] in KINDS
            assert label["text"] in record["text"]


def test_blind_set_has_160_texts() -> None:
    assert len(load_corpus(HERE / "holdout.jsonl")) == 160


def test_third_blind_set_has_120_texts_weighted_to_names() -> None:
    records = load_corpus(HERE / "holdout_third.jsonl")
    labels = [label["kind"] for r in records for label in r["identifiers"]]
    assert len(records) == 120
    assert labels.count("name") / len(labels) >= 0.6


@pytest.mark.parametrize("name", SETS)
def test_at_least_95_percent_of_held_out_identifiers_are_found(name: str) -> None:
    report = evaluate(load_corpus(HERE / name))
    assert report.recall >= 0.95, "\n".join([*report.summary_lines(), f"missed: {report.missed}"])


@pytest.mark.parametrize("name", ALL_SETS)
def test_at_most_10_percent_of_held_out_clean_texts_are_flagged(name: str) -> None:
    report = evaluate(load_corpus(HERE / name))
    assert report.false_alarm_rate <= 0.10, report.false_alarms


def test_fourth_blind_set_has_60_texts_weighted_to_names() -> None:
    records = load_corpus(HERE / "holdout_fourth.jsonl")
    labels = [label["kind"] for r in records for label in r["identifiers"]]
    assert len(records) == 60
    assert labels.count("name") / len(labels) >= 0.7


def test_fourth_post_tuning_check_now_finds_liesel() -> None:
    # Scored 14 / 15 (93.3 %) when written: "liesel" is one edit from "diesel",
    # so the typo rule let it pass. The SSA first-name list knows it, so the set
    # now meets the target like the others.
    report = evaluate(load_corpus(HERE / "holdout_fourth_fresh.jsonl"))
    assert report.recall >= 0.95, report.missed


def test_fifth_blind_set_has_40_texts_weighted_to_names() -> None:
    records = load_corpus(HERE / "holdout_fifth.jsonl")
    labels = [label["kind"] for r in records for label in r["identifiers"]]
    assert len(records) == 40
    assert labels.count("name") / len(labels) >= 0.8


def test_fifth_blind_set_keeps_its_recorded_recall() -> None:
    # Scored 20 / 26 (76.9 %) untouched, 22 / 26 (84.6 %) with the spelling
    # model and 24 / 26 (92.3 %) with the SSA list ("rui", "juno" found), under
    # the 95 % target: "wren" (an English word with no cue) and "14/03" (a
    # date without a year or birth cue) are missed. Recorded, not tuned away;
    # this guards against the figure falling.
    report = evaluate(load_corpus(HERE / "holdout_fifth.jsonl"))
    assert report.recall >= 25 / 26, report.missed


def test_eleventh_blind_set_keeps_its_recorded_recall() -> None:
    # Hurried lower-case notes: 86 / 95 (90.5 %) blind, 88 / 95 (92.6 %) after the
    # rules it led to, under the 95 % target. Still missed: lower-case names that
    # are English words with no cue ("summer", "reign", "ruby-rose"), two-letter
    # names ("jj") and lower-case school names of English words ("castle view
    # high", "little acorns day nursery"). Recorded, not tuned away.
    report = evaluate(load_corpus(HERE / "holdout_eleventh.jsonl"))
    assert report.recall >= 88 / 95, report.missed


# This session's blind sets: (texts, every kind of identifier present?), as written.
SIZES = {
    "holdout_sixth.jsonl": (100, True),
    "holdout_seventh.jsonl": (80, False),
    "holdout_eighth.jsonl": (100, True),
    "holdout_ninth.jsonl": (80, False),
    "holdout_tenth.jsonl": (100, True),
    "holdout_eleventh.jsonl": (80, False),
    "holdout_twelfth.jsonl": (100, True),
    "holdout_thirteenth.jsonl": (80, False),
    "holdout_fourteenth.jsonl": (100, False),
    "holdout_fifteenth.jsonl": (80, False),
    "holdout_sixteenth.jsonl": (120, True),
    "holdout_seventeenth.jsonl": (100, True),
    "holdout_eighteenth.jsonl": (100, True),
    "holdout_nineteenth.jsonl": (100, False),
    "holdout_twentieth.jsonl": (80, False),
    "holdout_twentyfirst.jsonl": (100, False),
    "holdout_twentysecond.jsonl": (100, False),
    "holdout_twentythird.jsonl": (100, False),
    "holdout_twentyfourth.jsonl": (100, False),
}


@pytest.mark.parametrize("name", sorted(SIZES))
def test_blind_sets_of_this_session_are_as_written(name: str) -> None:
    texts, every_kind = SIZES[name]
    records = load_corpus(HERE / name)
    assert len(records) == texts
    if every_kind:
        assert {label["kind"] for r in records for label in r["identifiers"]} == set(KINDS)
    assert name in SETS or name in UNDER_TARGET_SETS


@pytest.mark.parametrize("name", sorted(BLIND_FIRST_SCORES))
def test_this_rounds_blind_sets_keep_at_least_their_first_score(name: str) -> None:
    # Scored once, blind, before any change (docs/anonymity.md, "Second generation");
    # under the targets on two sets, so held to what they scored, not to the targets.
    span, whole, total, flagged, clean = BLIND_FIRST_SCORES[name]
    report = evaluate(load_corpus(HERE / name))
    assert sum(report.total.values()) == total
    assert report.clean_texts == clean
    assert sum(report.found.values()) >= span, report.missed
    assert sum(report.whole.values()) >= whole, report.partly
    assert report.clean_flagged <= flagged, report.false_alarms
