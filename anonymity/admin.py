from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from anonymity.models import FalseAlarm


@admin.register(FalseAlarm)
class FalseAlarmAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "flagged_text", "context_label", "user")
    list_filter = ("kind",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "user", "kind", "flagged_text", "field_name", "context_label")

    # An audit record: written by the forms, read here, never edited by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FalseAlarm | None = None) -> bool:
        return False
