from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AgencyType, Invitation, RoleChange, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    """Shown, not edited: roles change through accounts.roles (grant_role / remove_role), which
    keep the last coordinator, write the RoleChange record and the history with who did it."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    readonly_fields = ("role", "granted_by", "granted_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyAdmin(admin.ModelAdmin):
    """Invitations send email and role changes are the audit trail: made by the operations only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "organisation", "is_active")
    search_fields = ("email", "full_name", "organisation")
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "agency_type", "organisation", "team", "job_title")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "date_joined", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


admin.site.register(AgencyType)
admin.site.register(Invitation, ViewOnlyAdmin)
admin.site.register(RoleChange, ViewOnlyAdmin)
