"""Benchmark of the anonymity detector: load time, scan time per 400-word text, corpus accuracy.

Run from the repository root:  .venv/bin/python bench/bench_anonymity.py
Exits 1 when the median or p95 scan time of a 400-word text is 50 ms or more, when
recall on the labelled corpus is under 95 %, or when over 10 % of clean texts are flagged.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from anonymity import detector  # noqa: E402 - after the path set-up above
from anonymity.evaluation import HELD_OUT_SETS, evaluate, load_corpus  # noqa: E402

CORPUS = ROOT / "tests" / "anonymity" / "corpus.jsonl"
# Written by someone who had not read the detector: scored separately, since
# they say how the detector does on text it was not built from.
HELD_OUT = tuple(ROOT / "tests" / "anonymity" / name for name in HELD_OUT_SETS)
WORDS_PER_TEXT = 400
TARGET_MS = 50.0
REPEATS = 5
TARGET_RECALL = 0.95
TARGET_FALSE_ALARMS = 0.10


def texts_of_400_words(records: list[dict]) -> list[str]:
    """Realistic 400-word texts: consecutive corpus texts joined, so they hold a mix of
    clean sector prose and identifiers, as a long case question would."""
    words = [w for rec in records for w in rec["text"].split()]
    out = []
    for start in range(0, len(words) - WORDS_PER_TEXT, WORDS_PER_TEXT // 4):
        out.append(" ".join(words[start : start + WORDS_PER_TEXT]))
    return out


def main() -> int:
    started = time.perf_counter()
    detector.load()
    detector.scan("Warm-up: Child A told the DSL.")
    load_ms = (time.perf_counter() - started) * 1000

    records = load_corpus(CORPUS)
    held_out = {path.name: load_corpus(path) for path in HELD_OUT if path.exists()}
    texts = texts_of_400_words(records + [r for recs in held_out.values() for r in recs])
    # Best of REPEATS per text: the figure is the detector's cost, not the
    # noise of other processes sharing a 2-core machine.
    timings = []
    for text in texts:
        best = float("inf")
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            detector.scan(text)
            best = min(best, time.perf_counter() - t0)
        timings.append(best * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]

    report = evaluate(records)
    print(f"load time (word lists, regexes, spelling model): {load_ms:.0f} ms (target < 500 ms)")
    print(
        f"scan time per {WORDS_PER_TEXT}-word text ({len(timings)} texts, best of {REPEATS} runs each): "
        f"median {median:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    print(f"corpus: {len(records)} texts, {sum(report.total.values())} labelled identifiers")
    for line in report.summary_lines():
        print(line)
    for kind, text in report.missed:
        print(f"missed {kind}: {text!r}")
    for kind, text, _ in report.false_alarms:
        print(f"false alarm {kind}: {text!r}")

    failures = []
    if median >= TARGET_MS or p95 >= TARGET_MS:
        failures.append("scan time")
    if report.recall < TARGET_RECALL:
        failures.append("recall")
    if report.false_alarm_rate > TARGET_FALSE_ALARMS:
        failures.append("false alarms")
    for name, held in held_out.items():
        held_report = evaluate(held)
        print(f"held-out {name}: {len(held)} texts")
        for line in held_report.summary_lines():
            print("  " + line)
        for kind, text in held_report.missed:
            print(f"  missed {kind}: {text!r}")
        for kind, text, _ in held_report.false_alarms:
            print(f"  false alarm {kind}: {text!r}")
        if held_report.recall < TARGET_RECALL:
            failures.append(f"recall on {name}")
        if held_report.false_alarm_rate > TARGET_FALSE_ALARMS:
            failures.append(f"false alarms on {name}")
    if failures:
        print("MISSED TARGETS: " + ", ".join(failures))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
