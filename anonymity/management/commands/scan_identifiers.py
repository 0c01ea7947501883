"""Bulk check of text for identifying details, e.g. notes before an import.

    python manage.py scan_identifiers notes.txt other.txt
    python manage.py scan_identifiers --jsonl < export.jsonl > findings.jsonl

Exit status: 1 when anything was found, 0 when nothing was, 2 on bad input.
The work is in ``anonymity/management/scan_cli.py``, which ``manage.py`` runs without Django
when it can (plain files and ``--jsonl``); this command is the same through Django.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anonymity.management.scan_cli import BAD_INPUT, FOUND, BadInput, scan_inputs


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
        try:
            found = scan_inputs(files, bool(options["jsonl"]), self.stdout.write)
        except BadInput as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        if found:
            # BaseCommand turns a CommandError into "CommandError: ..." on stderr;
            # exit quietly with 1 instead, as grep does.
            sys.stdout.flush()
            raise SystemExit(FOUND)
