"""Bulk check of text for identifying details, e.g. notes before an import.

    python manage.py scan_identifiers notes.txt other.txt
    python manage.py scan_identifiers --jsonl < export.jsonl > findings.jsonl

Exit status: 1 when anything was found, 0 when nothing was, 2 on bad input.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from typing import IO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anonymity.detector import Finding, scan


class Command(BaseCommand):
    help = "Find identifying details (names, dates of birth, addresses...) in text files or stdin."
    # A text tool that touches no database, URL or template: the system checks
    # would only make it slower to start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="files to scan (stdin when none)")
        parser.add_argument(
            "--jsonl",
            action="store_true",
            help='each input line is a JSON object with a "text" key; '
            'each output line is {"findings": [...]} in the same order',
        )

    def handle(self, *args: object, **options: object) -> None:
        files: list[str] = options["files"]  # type: ignore[assignment]
        jsonl = bool(options["jsonl"])
        found = 0
        for name, stream in self._inputs(files):
            found += self._scan_jsonl(name, stream) if jsonl else self._scan_text(name, stream)
        if found:
            # BaseCommand turns a CommandError into "CommandError: ..." on stderr;
            # exit quietly with 1 instead, as grep does.
            sys.stdout.flush()
            raise SystemExit(1)

    def _inputs(self, files: list[str]) -> Iterator[tuple[str, IO[str]]]:
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
                raise CommandError(f"cannot read {path}: {_reason(exc)}", returncode=2) from exc
            yield path, io.StringIO(_decode(path, raw))

    def _scan_text(self, name: str, stream: IO[str]) -> int:
        text = stream.read()
        findings = scan(text)
        for f in findings:
            line = text.count("\n", 0, f.start) + 1
            column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
            self.stdout.write(f"{name}:{line}:{column}: {f.kind}: {f.message}")
        return len(findings)

    def _scan_jsonl(self, name: str, stream: IO[str]) -> int:
        # Parse everything first: with bad input nothing is printed, so a
        # caller never gets a partial, misaligned result set.
        texts: list[str] = []
        for lineno, line in enumerate(stream, start=1):
            if not line.strip():
                raise CommandError(f"{name}:{lineno}: empty line, expected a JSON object", returncode=2)
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{name}:{lineno}: invalid JSON: {exc.msg}", returncode=2) from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise CommandError(f'{name}:{lineno}: expected an object with a "text" string', returncode=2)
            texts.append(obj["text"])
        total = 0
        for text in texts:
            findings: list[Finding] = scan(text)
            total += len(findings)
            self.stdout.write(json.dumps({"findings": [f.as_dict() for f in findings]}))
        return total


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"cannot read {name}: not UTF-8 text ({exc.reason} at byte {exc.start})", returncode=2
        ) from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)
