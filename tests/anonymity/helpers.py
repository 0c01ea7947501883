"""What the detector finds in a text, in the shapes the anonymity tests compare."""

from __future__ import annotations

from anonymity.detector import scan


def names_in(text: str) -> list[str]:
    """The text of every name finding, in order."""
    return [f.text for f in scan(text) if f.kind == "name"]


def findings_in(text: str) -> list[tuple[str, str]]:
    """(kind, text) of every finding, in order."""
    return [(f.kind, f.text) for f in scan(text)]
