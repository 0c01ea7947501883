#!/usr/bin/env python
from __future__ import annotations

import os
import sys
from importlib import import_module

# Commands that use no app, model, template or database run without django.setup(), which
# imports every model, admin and app config of the project (most of a second): a text tool
# should start at once. Django's own options (--settings, --help, --traceback...) work as usual.
STANDALONE_COMMANDS = {"scan_identifiers": "anonymity.management.commands.scan_identifiers"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    standalone = STANDALONE_COMMANDS.get(sys.argv[1]) if len(sys.argv) > 1 else None
    if standalone and "DJANGO_AUTO_COMPLETE" not in os.environ:
        import_module(standalone).Command().run_from_argv(sys.argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
