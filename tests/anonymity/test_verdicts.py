"""A journey scans its text once: clean verdicts are remembered by digest, findings never are."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from anonymity import detector, verdicts

CLEAN = "Child A told the class teacher that an older cousin touched her. How do we talk with Child A?"
NAMED = "Jessica Thompson told the class teacher that an older cousin touched her."


@pytest.fixture
def scans(monkeypatch):
    cache.clear()
    seen: list[str] = []
    real = detector.scan

    def counting(text: str):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(detector, "scan", counting)
    yield seen
    cache.clear()


def test_a_clean_text_is_scanned_once_however_often_it_is_checked(scans):
    assert verdicts.scan_remembered(CLEAN) == []
    assert verdicts.scan_remembered(CLEAN) == []
    assert verdicts.scan_remembered(CLEAN + " ") == []
    assert scans == [CLEAN, CLEAN + " "]


def test_a_text_with_findings_is_scanned_every_time_and_nothing_of_it_is_stored(scans):
    first = verdicts.scan_remembered(NAMED)
    second = verdicts.scan_remembered(NAMED)
    assert first and first == second
    assert scans == [NAMED, NAMED]
    assert cache.get(verdicts.verdict_key(NAMED)) is None


def test_the_cache_key_holds_no_text():
    key = verdicts.verdict_key(CLEAN)
    assert "Child" not in key and len(key) < 100
