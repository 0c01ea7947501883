"""Django admin for superusers: set-up data only.

Case questions, outcomes and feedback are deliberately not registered: reading them here
would bypass the access log (clinics.access.log_case_access), and the service's own screens
cover everything a coordinator needs. The access log is read-only for the same reason.

Clinics, series, slots, reflective series and sessions, and waitlist offers are read-only here
too: changing them must go through the operations (clinics.scheduling, clinics.booking,
clinics.reflective), which lock in the one order, respect capacity, tell the people booked and
record who did it. An admin edit would do none of that (tests/clinics/test_admin_readonly.py).
"""

from __future__ import annotations

from django.contrib import admin

from clinics.models import (
    AccessLog,
    AgeBand,
    Clinic,
    ClinicSeries,
    CoAttendeeRole,
    ContextFactor,
    FormOfAbuse,
    Gender,
    PathwayStage,
    PlanStatus,
    RedirectRoute,
    ReflectiveSeries,
    ReflectiveSession,
    Resource,
    ResourceKind,
    Slot,
    SupportNeed,
    WaitlistOffer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: changes go through the operations, which notify, respect capacity and record who."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermAdmin(admin.ModelAdmin):
    list_display = ("label", "slug", "position", "active")
    list_editable = ("position", "active")
    list_filter = ("active",)
    search_fields = ("label", "slug")

    def get_readonly_fields(self, request, obj=None):
        # The slug is what history points at: set once, never changed.
        return ("slug",) if obj else ()


for term_model in (FormOfAbuse, PathwayStage, AgeBand, Gender, PlanStatus, ContextFactor, SupportNeed, CoAttendeeRole,
                   RedirectRoute, ResourceKind):
    admin.site.register(term_model, TermAdmin)


@admin.register(ClinicSeries)
class ClinicSeriesAdmin(ReadOnlyAdmin):
    list_display = ("title", "rrule", "starts_on", "ends_on", "start_time", "mode", "active")
    list_filter = ("active", "mode", "multi_agency")
    filter_horizontal = ("facilitators", "agency_types")


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Clinic)
class ClinicAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_at", "status", "capacity", "series")
    list_filter = ("status", "series")
    date_hierarchy = "starts_at"
    filter_horizontal = ("facilitators",)
    inlines = [SlotInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "active")
    list_filter = ("active", "kind")
    search_fields = ("title", "publisher")
    filter_horizontal = ("forms", "stages")


@admin.register(ReflectiveSeries)
class ReflectiveSeriesAdmin(ReadOnlyAdmin):
    list_display = ("title", "rrule", "starts_on", "start_time", "capacity", "active")


@admin.register(ReflectiveSession)
class ReflectiveSessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_at", "status", "capacity")
    list_filter = ("status", "series")
    exclude = ("notes",)  # anonymised notes are still case material: not shown here


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "request", "action")
    list_filter = ("action",)
    date_hierarchy = "at"


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(ReadOnlyAdmin):
    list_display = ("offered_at", "request", "slot", "position_when_offered", "expires_at", "outcome")
    list_filter = ("outcome",)
