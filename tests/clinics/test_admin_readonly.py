"""The Django admin cannot bypass the operations: what must notify people or respect capacity is
view-only there (or not registered at all), even for a superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Invitation, RoleChange, RoleGrant, User
from clinics.models import (
    Clinic,
    ClinicSeries,
    ConsultationRequest,
    ReflectiveAttendance,
    ReflectiveSeries,
    ReflectiveSession,
    Slot,
    WaitlistOffer,
)
from notifications.models import Message
from tests.factories import make_user

pytestmark = pytest.mark.django_db

VIEW_ONLY = [Clinic, ClinicSeries, ReflectiveSeries, ReflectiveSession, WaitlistOffer, Invitation, RoleChange]
NOT_REGISTERED = [ConsultationRequest, ReflectiveAttendance, Slot, RoleGrant, Message]


@pytest.fixture
def superuser():
    user = make_user("admin@council.gov.uk", "Admin 1", roles=["coordinator"], totp=True)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("model", VIEW_ONLY, ids=lambda m: m.__name__)
def test_a_superuser_can_look_but_not_add_change_or_delete(model, superuser):
    request = RequestFactory().get("/django-admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.get_actions(request)  # not even the bulk "delete selected"


@pytest.mark.parametrize("model", NOT_REGISTERED, ids=lambda m: m.__name__)
def test_requests_places_slots_grants_and_outbox_rows_are_not_in_the_admin_on_their_own(model):
    assert model not in admin.site._registry


def test_inlines_on_clinics_and_people_are_view_only(superuser):
    request = RequestFactory().get("/django-admin/")
    request.user = superuser
    for parent in (Clinic, User):
        for inline in admin.site._registry[parent].get_inline_instances(request):
            assert not inline.has_add_permission(request, None), inline
            assert not inline.has_change_permission(request), inline
            assert not inline.has_delete_permission(request), inline


def test_posting_a_clinic_change_in_the_admin_changes_nothing(client, superuser, clinic):
    client.force_login(superuser)
    before = (clinic.status, clinic.capacity, clinic.starts_at)
    response = client.post(
        reverse("admin:clinics_clinic_change", args=[clinic.pk]),
        {"status": "cancelled", "capacity": "12", "title": clinic.title},
    )
    assert response.status_code in (302, 403)
    clinic.refresh_from_db()
    assert (clinic.status, clinic.capacity, clinic.starts_at) == before
    assert clinic.history.count() == 1  # only its creation
