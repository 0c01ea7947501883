"""Score the detector against a labelled corpus (used by the tests and the benchmark).

Three figures, all whatever kind the findings report (for the writer what
matters is that the detail is flagged):

- **span recall**: a labelled identifier counts as found when findings cover at
  least half of its characters;
- **whole-span recall**: found whole when every letter and digit of it is inside
  a finding: one finding, or contiguous ones ("Kezia" and "Mensah" marked apart
  still mark all of "Kezia Mensah"); "Kezia" alone marks half of it;
- **clean texts flagged**: the share of texts with no identifier that get a finding.

Pure Python, no Django.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from anonymity.detector import Finding, scan


@dataclass
class Report:
    found: Counter[str] = field(default_factory=Counter)
    whole: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    clean_texts: int = 0
    clean_flagged: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    # Found, or missed, but not marked whole: (kind, label).
    partly: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = sum(self.total.values())
        return sum(self.found.values()) / total if total else 1.0

    @property
    def whole_recall(self) -> float:
        total = sum(self.total.values())
        return sum(self.whole.values()) / total if total else 1.0

    def recall_for(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.clean_flagged / self.clean_texts if self.clean_texts else 0.0

    def summary_lines(self) -> list[str]:
        lines = [f"{'kind':<22}{'found':>7}{'total':>7}{'recall':>9}"]
        for kind in sorted(self.total):
            lines.append(f"{kind:<22}{self.found[kind]:>7}{self.total[kind]:>7}{self.recall_for(kind):>9.1%}")
        lines.append(f"{'all':<22}{sum(self.found.values()):>7}{sum(self.total.values()):>7}{self.recall:>9.1%}")
        lines.append(
            f"whole-span recall: {sum(self.whole.values())}/{sum(self.total.values())} = {self.whole_recall:.1%}"
        )
        lines.append(f"clean texts flagged: {self.clean_flagged}/{self.clean_texts} = {self.false_alarm_rate:.1%}")
        return lines


# Held-out sets in tests/anonymity/, each written by someone who had not read the
# detector (docs/anonymity.md has each one's blind figures). The tests and the
# benchmark hold these to the targets...
HELD_OUT_SETS = (
    "holdout.jsonl",
    "holdout_fresh.jsonl",
    "holdout_third.jsonl",
    "holdout_third_fresh.jsonl",
    "holdout_fourth.jsonl",
    "holdout_fourth_fresh.jsonl",
    "holdout_sixth.jsonl",
    "holdout_seventh.jsonl",
    "holdout_eighth.jsonl",
    "holdout_ninth.jsonl",
    "holdout_tenth.jsonl",
    "holdout_twelfth.jsonl",
    "holdout_thirteenth.jsonl",
    "holdout_fourteenth.jsonl",
    "holdout_fifteenth.jsonl",
    "holdout_sixteenth.jsonl",
    "holdout_seventeenth.jsonl",
    "holdout_eighteenth.jsonl",
    "holdout_nineteenth.jsonl",
    "holdout_twentieth.jsonl",
    "holdout_twentyfirst.jsonl",
    "holdout_twentysecond.jsonl",
    "holdout_twentythird.jsonl",
    "holdout_twentyfourth.jsonl",
)
# ...and these, hurried notes whose recall stayed under 95 %, to their recorded
# figures (tests/anonymity/test_holdout.py), clean-text limit included.
UNDER_TARGET_SETS = ("holdout_fifth.jsonl", "holdout_eleventh.jsonl")

# This round's blind sets (written by helpers who never saw the detector; their
# READMEs are beside them), scored once at commit 2bc0e6a on 2026-12-07 19:46 UTC
# before anything was tuned on them, and only then copied here. The first score
# is the reported figure (docs/anonymity.md); the tests hold each set to it:
# (span found, whole-span found, identifiers, clean texts flagged, clean texts).
BLIND_FIRST_SCORES: dict[str, tuple[int, int, int, int, int]] = {
    "blind_w1_hurried.jsonl": (74, 72, 101, 4, 45),
    "blind_w1_pasted.jsonl": (106, 103, 113, 6, 45),
    "blind_w2_mixed.jsonl": (132, 128, 139, 3, 62),
    # Round three: written by two more helpers who never saw the code while the detector was
    # changed, scored once at commit fd9ab38 on 2026-12-07 23:40 UTC (docs/anonymity.md).
    "blind_w3_practice.jsonl": (93, 93, 96, 5, 63),
    "blind_w4_phone.jsonl": (56, 56, 78, 2, 45),
    "blind_w4_records.jsonl": (111, 106, 117, 3, 45),
}


def load_corpus(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _covered(findings: list[Finding], start: int, end: int) -> int:
    return sum(max(0, min(end, f.end) - max(start, f.start)) for f in findings)


def _wholly_covered(findings: list[Finding], text: str, start: int, end: int) -> bool:
    """Is every letter and digit of text[start:end] inside some finding?"""
    return all(
        any(f.start <= i < f.end for f in findings) for i in range(start, end) if text[i].isalnum()
    )


def evaluate(records: Iterable[dict], scanner: Callable[[str], list[Finding]] = scan) -> Report:
    report = Report()
    for rec in records:
        text = rec["text"]
        findings = scanner(text)
        labels = rec.get("identifiers", [])
        if not labels:
            report.clean_texts += 1
            if findings:
                report.clean_flagged += 1
                for f in findings:
                    report.false_alarms.append((f.kind, f.text, text))
            continue
        for label in labels:
            kind, needle = label["kind"], label["text"]
            report.total[kind] += 1
            starts = [i for i in range(len(text)) if text.startswith(needle, i)]
            if not starts:
                raise ValueError(f"label {needle!r} is not in the text {text!r}")
            if any(_covered(findings, s, s + len(needle)) * 2 >= len(needle) for s in starts):
                report.found[kind] += 1
            else:
                report.missed.append((kind, needle))
            if any(_wholly_covered(findings, text, s, s + len(needle)) for s in starts):
                report.whole[kind] += 1
            else:
                report.partly.append((kind, needle))
    return report
