"""Message.message_id: one Message-ID per outbox row, made when the row is written.

Added nullable, filled in for the rows already there (each its own id), then made required
and unique: a default on AddField would give every existing row the same value.
"""

from django.db import migrations, models

import notifications.models


def backfill(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    for pk in Message.objects.filter(message_id__isnull=True).values_list("pk", flat=True).iterator():
        Message.objects.filter(pk=pk).update(message_id=notifications.models.new_message_id())


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="message_id",
            field=models.CharField(editable=False, max_length=250, null=True, verbose_name="Message-ID"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="message",
            name="message_id",
            field=models.CharField(
                default=notifications.models.new_message_id, editable=False, max_length=250, unique=True,
                verbose_name="Message-ID",
            ),
        ),
    ]
