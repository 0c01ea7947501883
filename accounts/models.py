"""People, their profile and their roles.

Everyone is a practitioner; practice lead, coordinator and manager are granted on top by a
coordinator (a RoleGrant row each, so one person may hold several and every grant says who
made it and when). Privileged roles must use two-factor sign-in (accounts/access.py).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from config.history import RoleAtTheTime, TrackedHistory


class Role(models.TextChoices):
    PRACTICE_LEAD = "practice_lead", "Practice lead"
    COORDINATOR = "coordinator", "Coordinator"
    MANAGER = "manager", "Manager"


PRIVILEGED_ROLES = frozenset(Role.values)


class AgencyType(models.Model):
    """Editable list (children's social care, education, health, ...). The slug is the stable
    key, so relabelling keeps history meaningful."""

    slug = models.SlugField(unique=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("position", "label")

    def __str__(self) -> str:
        return self.label


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("name", max_length=150, blank=True)
    agency_type = models.ForeignKey(AgencyType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_practice_lead(self) -> bool:
        return self.has_role(Role.PRACTICE_LEAD)

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR)

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER)

    @property
    def is_privileged(self) -> bool:
        """Must sign in with an authenticator app (accounts/access.py ``needs_totp_setup``):
        a privileged role, or the Django admin (staff and superusers), which can see and
        change everything."""
        return bool(self.roles & PRIVILEGED_ROLES) or self.is_staff or self.is_superuser

    @property
    def has_totp(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()

    @property
    def profile_complete(self) -> bool:
        return bool(self.full_name and self.agency_type_id and self.organisation)

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles)]


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    history = TrackedHistory(bases=[RoleAtTheTime])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class RoleChange(models.Model):
    """Audit trail: grants and removals, kept after the grant row itself is deleted."""

    class Action(models.TextChoices):
        GRANTED = "granted", "Granted"
        REMOVED = "removed", "Removed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes")
    role = models.CharField(max_length=32, choices=Role.choices)
    action = models.CharField(max_length=16, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-changed_at",)

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.action} for {self.user}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """A coordinator's invitation: lets someone outside the allowed email domains sign up, and
    grants the listed roles when they do."""

    email = models.EmailField()
    roles = models.JSONField(default=list, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Minted when the invite form is rendered: the same form sent twice makes one invitation.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.email

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now


class Submission(models.Model):
    """A creating form, sent: the key minted when the form was shown and what sending it made,
    so the same form sent twice (a double click, a resend after a timeout) makes one thing
    (``accounts.submissions.once``)."""

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True)

    def __str__(self) -> str:
        return str(self.key)

    def made(self) -> models.Model | None:
        if self.content_type is None or self.object_id is None:
            return None
        return self.content_type.model_class()._default_manager.filter(pk=self.object_id).first()
