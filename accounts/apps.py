from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"


class TwoFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: no admin page opens without two-factor sign-in."""

    default = False  # accounts' own config stays AccountsConfig
    default_site = "accounts.admin_site.TwoFactorAdminSite"
