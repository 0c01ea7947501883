"""The wellbeing check-in after a reflective session: readable by its author alone.

Every other person (other leads, coordinators, managers, practitioners, a superuser in the
Django admin) gets nothing: not on its page, not on any other page of the service.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinics.models import ReflectiveSession, WellbeingCheckIn
from clinics.retention import apply_retention
from clinics.wellbeing import my_check_in, write_check_in
from tests.clinics.test_permission_matrix import ACTORS, MATRIX, Scenario
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SECRET = "I felt drained afterwards and cried in the car park"


@pytest.fixture
def scenario(practitioner, other_practitioner, lead, other_lead, coordinator, manager):
    return Scenario({"practitioner": practitioner, "other_practitioner": other_practitioner, "lead": lead,
                     "other_lead": other_lead, "coordinator": coordinator, "manager": manager})


def started(session: ReflectiveSession):
    return time_machine.travel(session.starts_at + timedelta(hours=3), tick=False)


@pytest.fixture
def written(scenario, lead):
    session = ReflectiveSession.objects.get(pk=scenario.session)
    with started(session):
        write_check_in(session, by=lead, text=SECRET)
    return session


def test_the_author_writes_and_reads_their_check_in(client, scenario, lead):
    session = ReflectiveSession.objects.get(pk=scenario.session)
    url = reverse("clinics:reflective_wellbeing", args=[session.pk])
    with started(session):
        client.force_login(lead)  # signed in at the travelled time, so the sign-in is fresh
        response = client.post(url, {"text": SECRET})
        assert response.status_code == 302
        assert SECRET in client.get(url).content.decode()
    assert my_check_in(lead, session).text == SECRET


def test_nobody_else_can_read_it_on_any_page(client, scenario, written, lead):
    seen = []
    for name, (kwargs_spec, _expected) in MATRIX.items():
        url = reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()})
        for actor in ACTORS[1:]:
            if actor == "lead" and name == "clinics:reflective_wellbeing":
                continue
            with started(written):
                client.force_login(scenario.people[actor])
                response = client.get(url)
            assert response.status_code != 302 or "/accounts/login/" not in response["Location"], (actor, name)
            if "drained" in response.content.decode():
                seen.append((actor, name))
    assert not seen
    assert my_check_in(scenario.people["other_lead"], written) is None


def test_another_lead_gets_an_empty_page_and_a_coordinator_or_manager_is_refused(client, scenario, written):
    url = reverse("clinics:reflective_wellbeing", args=[written.pk])
    with started(written):
        client.force_login(scenario.people["other_lead"])
        page = client.get(url)
    assert page.status_code == 200 and "drained" not in page.content.decode()
    for actor in ("coordinator", "manager", "practitioner"):
        client.force_login(scenario.people[actor])
        assert client.get(url).status_code == 403


def test_a_superuser_sees_nothing_of_it_in_the_django_admin(client, written):
    admin_user = make_user("admin@council.gov.uk", "Admin 1", totp=True)  # the admin needs two-factor sign-in
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "ellbeing" not in index.content.decode()
    assert client.get("/django-admin/clinics/wellbeingcheckin/").status_code == 404
    for url in (
        reverse("admin:clinics_reflectivesession_changelist"),
        reverse("admin:clinics_reflectivesession_change", args=[written.pk]),
        reverse("admin:clinics_reflectiveattendance_changelist") if _registered("reflectiveattendance") else None,
    ):
        if url:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "drained" not in response.content.decode()


def _registered(model_name: str) -> bool:
    from django.contrib import admin

    return any(m._meta.model_name == model_name for m in admin.site._registry)


def test_identifying_details_are_refused_before_saving(client, scenario, lead):
    session = ReflectiveSession.objects.get(pk=scenario.session)
    with started(session):
        client.force_login(lead)
        response = client.post(reverse("clinics:reflective_wellbeing", args=[session.pk]),
                               {"text": "Worried about Jayden Smith, 14 Elm Road, LS6 2QT"})
    assert response.status_code == 400
    assert not WellbeingCheckIn.objects.exists()


def test_retention_erases_the_check_in_with_the_session_notes(scenario, written, lead):
    result = apply_retention(now=written.ends_at + timedelta(days=800))
    assert result.wellbeing == 1
    entry = WellbeingCheckIn.objects.get()
    assert entry.text == "" and entry.text_erased_at is not None
    assert apply_retention(now=timezone.now() + timedelta(days=800)).wellbeing == 0
