"""Remembering that a text was scanned clean, so one journey does not scan it three times.

A case question is scanned when the form is sent, again on the check-answers page and again on
"Confirm and book" (the same text each time). Only *clean* verdicts are remembered, in the
shared cache (Redis in production), under a SHA-256 digest of the detector's own source and
the text: no text and no finding is stored, a text with findings is always scanned afresh (its
writer is about to change it), and a new detector version starts with an empty memory.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.core.cache import cache as shared_cache

from anonymity import detector
from anonymity.detector import Finding

REMEMBER_SECONDS = 3600  # longer than a journey, short enough not to outlive a detector fix


@cache
def _detector_version() -> str:
    return hashlib.sha256(Path(detector.__file__).read_bytes()).hexdigest()[:16]


def verdict_key(text: str) -> str:
    digest = hashlib.sha256(f"{_detector_version()}\n{text}".encode()).hexdigest()
    return f"anonymity:clean:{digest}"


def scan_remembered(text: str) -> list[Finding]:
    """``detector.scan(text)``, skipped when the same text was found clean within the hour."""
    key = verdict_key(text)
    if shared_cache.get(key):
        return []
    findings = detector.scan(text)
    if not findings:
        shared_cache.set(key, 1, REMEMBER_SECONDS)
    return findings
