"""Write (or check) the detector's findings on every labelled set, to prove a refactor changes none.

Run from the repository root::

    python anonymity/data/snapshot_findings.py          # rewrite the snapshot
    python anonymity/data/snapshot_findings.py --check  # exit 1 when any finding differs

The snapshot (``tests/anonymity/snapshots/findings.json``) maps each labelled file in
``tests/anonymity/*.jsonl`` to one line per text: its findings as ``[start, end, kind]``.
``tests/anonymity/test_snapshot.py`` compares the detector against it, so a change in
behaviour is always deliberate: regenerate the snapshot and say so in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "anonymity"
SNAPSHOT = LABELLED / "snapshots" / "findings.json"


def current_findings() -> dict[str, list[list[list[object]]]]:
    """Every finding of the detector on every labelled text, by file, in text order."""
    from anonymity.detector import scan

    out: dict[str, list[list[list[object]]]] = {}
    for path in sorted(LABELLED.glob("*.jsonl")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                rows.append([[f.start, f.end, f.kind] for f in scan(text)])
        out[path.name] = rows
    return out


def write(findings: dict[str, list[list[list[object]]]]) -> None:
    # One line per file keeps the diff of a deliberate change readable.
    lines = [f"  {json.dumps(name)}: {json.dumps(rows)}" for name, rows in findings.items()]
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    findings = current_findings()
    if "--check" in argv:
        expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        return 0 if expected == findings else 1
    write(findings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
