"""Migration 0002_stable_message_id gives every outbox row already written its own Message-ID."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0002_stable_message_id")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_distinct_message_ids():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Message = old_apps.get_model("notifications", "Message")
    for n in range(3):
        Message.objects.create(kind="booking_confirmed", to_email=f"p{n}@council.gov.uk", subject="s", body_text="b")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    ids = list(new_apps.get_model("notifications", "Message").objects.values_list("message_id", flat=True))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema for the next tests
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(i.startswith("<") and i.endswith(">") for i in ids)
