"""The database cache's table, so `migrate` alone prepares a deployment.

The shared cache falls back to it while Redis does not answer (config/cache.py): sign-in's
rate limits and TOTP replay protection keep working across web processes. createcachetable
skips tables that already exist, so this is safe to run on any database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_agency_types"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
