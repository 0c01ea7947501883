"""Coordinators manage people from the service: invite, grant and remove roles, and see who
still lacks two-factor sign-in."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Role, RoleChange, RoleGrant
from tests.factories import make_user


def test_a_coordinator_can_grant_a_role_and_the_change_is_recorded(client, coordinator, practitioner):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:person_grant_role", args=[practitioner.pk]), {"role": Role.MANAGER})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:person", args=[practitioner.pk])
    grant = RoleGrant.objects.get(user=practitioner, role=Role.MANAGER)
    assert grant.granted_by == coordinator
    change = RoleChange.objects.get(user=practitioner)
    assert (change.role, change.action, change.changed_by) == (Role.MANAGER, RoleChange.Action.GRANTED, coordinator)
    page = client.get(response["Location"])
    assert b"is now a manager" in page.content
    assert b"Granted: manager" in page.content


def test_a_coordinator_can_remove_a_role_and_the_change_is_recorded(client, coordinator, lead):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:person_remove_role", args=[lead.pk, Role.PRACTICE_LEAD]))
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=lead).exists()
    change = RoleChange.objects.get(user=lead)
    assert (change.role, change.action, change.changed_by) == (Role.PRACTICE_LEAD, RoleChange.Action.REMOVED, coordinator)
    page = client.get(response["Location"])
    assert b"is no longer a practice lead" in page.content


def test_the_last_coordinator_cannot_be_removed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:person_remove_role", args=[coordinator.pk, Role.COORDINATOR]), follow=True)
    assert RoleGrant.objects.filter(user=coordinator, role=Role.COORDINATOR).exists()
    assert not RoleChange.objects.filter(action=RoleChange.Action.REMOVED).exists()
    assert b"You cannot remove the last coordinator" in response.content


def test_a_coordinator_can_be_removed_when_another_remains(client, coordinator):
    second = make_user("coordinator2@council.gov.uk", "Coordinator 2", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    client.post(reverse("accounts:person_remove_role", args=[second.pk, Role.COORDINATOR]))
    assert not RoleGrant.objects.filter(user=second).exists()


def test_granting_a_role_someone_already_has_is_a_form_error_and_changes_nothing(client, coordinator, lead):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:person_grant_role", args=[lead.pk]), {"role": Role.PRACTICE_LEAD})
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"is already a practice lead" in response.content
    assert RoleGrant.objects.filter(user=lead).count() == 1
    assert not RoleChange.objects.exists()


def test_granting_an_unknown_role_is_refused(client, coordinator, practitioner):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:person_grant_role", args=[practitioner.pk]), {"role": "superuser"})
    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=practitioner).exists()
    response = client.post(reverse("accounts:person_remove_role", args=[practitioner.pk, "superuser"]))
    assert response.status_code == 400


def test_only_coordinators_change_roles(client, lead, practitioner):
    client.force_login(lead)
    response = client.post(reverse("accounts:person_grant_role", args=[practitioner.pk]), {"role": Role.COORDINATOR})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=practitioner).exists()


def test_people_page_filters_people_without_two_factor_sign_in(client, coordinator, practitioner, lead):
    lead_without = make_user("lead-no-totp@council.gov.uk", "Lead 3", roles=[Role.PRACTICE_LEAD], totp=False)
    manager_without = make_user("manager-no-totp@council.gov.uk", "Manager 3", roles=[Role.MANAGER], totp=False)
    client.force_login(coordinator)

    everyone = client.get(reverse("accounts:people"))
    assert {p.pk for p in everyone.context["people"]} >= {coordinator.pk, practitioner.pk, lead.pk, lead_without.pk}

    response = client.get(reverse("accounts:people"), {"show": "no-2fa"})
    assert response.status_code == 200
    assert {p.pk for p in response.context["people"]} == {lead_without.pk, manager_without.pk}
    page = response.content.decode()
    assert "Lead 3" in page and "Manager 3" in page
    assert "Practitioner 1" not in page and "Lead 1" not in page

    with_role = client.get(reverse("accounts:people"), {"show": "privileged"})
    assert practitioner.pk not in {p.pk for p in with_role.context["people"]}


def test_person_page_shows_profile_roles_and_history(client, coordinator, lead):
    client.force_login(coordinator)
    response = client.get(reverse("accounts:person", args=[lead.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lead 1" in page and "Practice lead" in page
    assert reverse("accounts:person_remove_role", args=[lead.pk, Role.PRACTICE_LEAD]) in page
    assert client.get(reverse("accounts:person", args=[999_999])).status_code == 404


def test_a_coordinator_can_invite_someone_outside_the_allowed_domains(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invite"), {"email": "Partner@Charity.org.uk", "roles": [Role.PRACTICE_LEAD]}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "partner@charity.org.uk"
    assert invitation.roles == [Role.PRACTICE_LEAD]
    assert invitation.invited_by == coordinator
    people = client.get(reverse("accounts:people")).content.decode()
    assert "partner@charity.org.uk" in people


def test_an_invitation_needs_a_valid_email(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:invite"), {"email": "not an email"})
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert b"Enter an email address in the correct format" in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []
