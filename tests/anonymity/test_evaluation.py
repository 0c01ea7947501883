"""The evaluation's three figures: span recall, whole-span recall, clean texts flagged."""

from __future__ import annotations

from anonymity.detector import Finding
from anonymity.evaluation import evaluate

TEXT = "Kezia Mensah moved to 14 Acacia Avenue."
LABELS = [{"kind": "name", "text": "Kezia Mensah"}, {"kind": "address", "text": "14 Acacia Avenue"}]


def _scanner(*spans: tuple[int, int]):
    def scan(text: str) -> list[Finding]:
        return [Finding("name", s, e, text[s:e]) for s, e in spans]

    return scan


def test_half_covered_is_found_but_not_whole() -> None:
    report = evaluate([{"text": TEXT, "identifiers": LABELS[:1]}], _scanner((0, 7)))  # "Kezia M"
    assert (report.recall, report.whole_recall) == (1.0, 0.0)
    assert report.partly == [("name", "Kezia Mensah")]


def test_contiguous_findings_cover_a_label_whole() -> None:
    report = evaluate([{"text": TEXT, "identifiers": LABELS[:1]}], _scanner((0, 5), (6, 12)))
    assert (report.recall, report.whole_recall) == (1.0, 1.0)


def test_one_part_of_three_is_neither_found_nor_whole() -> None:
    report = evaluate([{"text": TEXT, "identifiers": LABELS[1:]}], _scanner((22, 24)))  # "14"
    assert (report.recall, report.whole_recall) == (0.0, 0.0)


def test_clean_texts_flagged_are_counted_once_each() -> None:
    records = [{"text": "The mother told the DSL.", "identifiers": []}, {"text": "Child A is 9.", "identifiers": []}]
    report = evaluate(records, _scanner((4, 10), (15, 18)))
    assert (report.clean_flagged, report.clean_texts, report.false_alarm_rate) == (2, 2, 1.0)
