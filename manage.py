#!/usr/bin/env python
from __future__ import annotations

import os
import sys
from importlib import import_module

# Commands that use no app, setting, model or database, run without Django: django.setup()
# imports every model, admin and app config of the project (most of a second) and Django's
# management package alone a tenth of one, and a text tool should start at once. Each module's
# run_standalone(args) returns the exit status, or None for arguments it leaves to Django
# (--help, --settings, --traceback...), which then runs the command as usual.
STANDALONE_COMMANDS = {"scan_identifiers": "anonymity.management.scan_cli"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    standalone = STANDALONE_COMMANDS.get(sys.argv[1]) if len(sys.argv) > 1 else None
    if standalone and "DJANGO_AUTO_COMPLETE" not in os.environ:
        status = import_module(standalone).run_standalone(sys.argv[2:])
        if status is not None:
            sys.exit(status)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
