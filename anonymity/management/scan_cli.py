"""What ``manage.py scan_identifiers`` does, without Django: read texts, scan them, print findings.

The Django command (``commands/scan_identifiers.py``) is a thin wrapper over ``scan_inputs``.
``manage.py`` calls ``run_standalone`` first, which does the same without importing Django at
all when the arguments are only files and ``--jsonl``: Django's own start-up (its management
package alone, before any app) costs more than the detector's, and this is a text tool that
touches no setting, model or database. Anything else (``--help``, ``--settings``,
``--traceback``...) goes through Django as usual, with the same results.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import IO

from anonymity.detector import Finding, scan

# Exit statuses, as grep's: 1 when anything was found, 2 on bad input.
FOUND = 1
BAD_INPUT = 2


class BadInput(Exception):
    """An unreadable, undecodable or malformed input: nothing more is scanned, the exit status is 2."""


def scan_inputs(files: list[str], jsonl: bool, write: Callable[[str], object]) -> int:
    """Scan ``files`` (stdin when none), ``write`` one line per finding (or per JSON line), and
    return how many findings there were."""
    found = 0
    for name, stream in _inputs(files):
        found += _scan_jsonl(name, stream, write) if jsonl else _scan_text(name, stream, write)
    return found


def run_standalone(args: list[str]) -> int | None:
    """The command's exit status for ``args`` (what follows ``scan_identifiers``), run without
    Django; None, having done nothing, when ``args`` hold anything but files and ``--jsonl``."""
    if any(arg.startswith("-") and arg != "--jsonl" for arg in args):
        return None
    files = [arg for arg in args if arg != "--jsonl"]
    try:
        found = scan_inputs(files, "--jsonl" in args, lambda line: sys.stdout.write(line + "\n"))
    except BadInput as exc:
        _report(exc)
        return BAD_INPUT
    return FOUND if found else 0


def _report(exc: BadInput) -> None:
    # Word for word (and colour) what Django prints for the command's CommandError. Only on
    # this path, so Django's import costs nothing when the input is good.
    from django.core.management.base import CommandError, OutputWrapper
    from django.core.management.color import color_style

    stderr = OutputWrapper(sys.stderr)
    stderr.style_func = color_style().ERROR
    stderr.write(f"{CommandError.__name__}: {exc}")


def _inputs(files: list[str]) -> Iterator[tuple[str, IO[str]]]:
    if not files:
        # Decode stdin ourselves: under a C locale Python would smuggle bad
        # bytes through as surrogates instead of reporting bad input.
        data = getattr(sys.stdin, "buffer", None)
        raw = data.read() if data is not None else sys.stdin.read().encode()
        yield "<stdin>", io.StringIO(_decode("<stdin>", raw))
        return
    for path in files:
        try:
            # Read the whole file before yielding so that an unreadable or
            # undecodable file fails as bad input, not half-way through.
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            raise BadInput(f"cannot read {path}: {_reason(exc)}") from exc
        yield path, io.StringIO(_decode(path, raw))


def _scan_text(name: str, stream: IO[str], write: Callable[[str], object]) -> int:
    text = stream.read()
    findings = scan(text)
    for f in findings:
        line = text.count("\n", 0, f.start) + 1
        column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
        write(f"{name}:{line}:{column}: {f.kind}: {f.message}")
    return len(findings)


def _scan_jsonl(name: str, stream: IO[str], write: Callable[[str], object]) -> int:
    # Parse everything first: with bad input nothing is printed, so a
    # caller never gets a partial, misaligned result set.
    texts: list[str] = []
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            raise BadInput(f"{name}:{lineno}: empty line, expected a JSON object")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{name}:{lineno}: invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise BadInput(f'{name}:{lineno}: expected an object with a "text" string')
        texts.append(obj["text"])
    total = 0
    for text in texts:
        findings: list[Finding] = scan(text)
        total += len(findings)
        write(json.dumps({"findings": [f.as_dict() for f in findings]}))
    return total


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"cannot read {name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)
