"""The detector finds exactly what the snapshot recorded, on every labelled set.

The snapshot is rewritten only on purpose (``python anonymity/data/snapshot_findings.py``),
so a refactor that changes a single finding fails here first.
"""

from __future__ import annotations

import json

import pytest

from anonymity.data.snapshot_findings import SNAPSHOT, current_findings

EXPECTED = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
FOUND = current_findings()


def test_snapshot_covers_every_labelled_set() -> None:
    assert sorted(FOUND) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_match_the_snapshot(name: str) -> None:
    found = FOUND.get(name, [])
    differing = [
        (line, expected, actual)
        for line, (expected, actual) in enumerate(zip(EXPECTED[name], found, strict=False))
        if expected != actual
    ]
    assert len(found) == len(EXPECTED[name])
    assert differing == []
