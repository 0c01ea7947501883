"""The labelled corpus: recall per labelled identifier and false alarms on clean texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymity.detector import KINDS
from anonymity.evaluation import Report, evaluate, load_corpus

CORPUS = Path(__file__).with_name("corpus.jsonl")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def report(records: list[dict]) -> Report:
    return evaluate(records)


def test_corpus_is_big_enough_and_balanced(records: list[dict]) -> None:
    with_ids = [r for r in records if r["identifiers"]]
    clean = [r for r in records if not r["identifiers"]]
    assert len(records) >= 150
    assert abs(len(with_ids) - len(clean)) <= len(records) * 0.1


def test_labels_are_exact_substrings_of_known_kinds(records: list[dict]) -> None:
    for record in records:
        for label in record["identifiers"]:
            assert label["kind"] in KINDS
            assert label["text"] in record["text"]


def test_at_least_95_percent_of_identifiers_are_found(report: Report) -> None:
    assert report.recall >= 0.95, "\n".join([*report.summary_lines(), f"missed: {report.missed}"])


def test_every_kind_is_mostly_found(report: Report) -> None:
    # Small per-kind samples: a floor that catches a broken detector for one kind.
    for kind in report.total:
        assert report.recall_for(kind) >= 0.8, (kind, report.missed)


def test_at_most_10_percent_of_clean_texts_are_flagged(report: Report) -> None:
    assert report.false_alarm_rate <= 0.10, report.false_alarms
