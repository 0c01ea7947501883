"""Coordinator: the resource hub and the editable lists behind the request form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinics.models import ContextFactor, FormOfAbuse, Resource, ResourceKind
from tests.factories import book

pytestmark = pytest.mark.django_db


def test_add_edit_retire_and_restore_a_resource(client, coordinator):
    client.force_login(coordinator)
    tool = ResourceKind.objects.get(slug="tool")
    online = FormOfAbuse.objects.get(slug="online")
    data = {"title": "Online safety planning tool", "url": "https://example.org/tool", "kind": tool.pk,
            "publisher": "Northshire Partnership", "description": "", "forms": [online.pk]}
    assert client.post(reverse("clinics:resource_add"), data).status_code == 302
    resource = Resource.objects.get(title="Online safety planning tool")
    assert list(resource.forms.all()) == [online]
    edit = client.post(reverse("clinics:resource_edit", args=[resource.pk]), {**data, "title": "Online safety plan"})
    assert edit.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Online safety plan"
    confirm = client.get(reverse("clinics:resource_retire", args=[resource.pk])).content.decode()
    assert "Retire “Online safety plan”?" in confirm
    resource.refresh_from_db()
    assert resource.active  # a GET changes nothing
    client.post(reverse("clinics:resource_retire", args=[resource.pk]))
    resource.refresh_from_db()
    assert not resource.active
    assert "Retired" in client.get(reverse("clinics:resources_manage")).content.decode()
    client.post(reverse("clinics:resource_restore", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.active


def test_invalid_resource_shows_errors_and_saves_nothing(client, coordinator):
    client.force_login(coordinator)
    before = Resource.objects.count()
    response = client.post(reverse("clinics:resource_add"), {"title": "", "url": "not a link"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html and 'href="#id_url"' in html
    assert Resource.objects.count() == before


def test_relabel_reorder_and_retire_keep_the_slug_and_history(client, coordinator, practitioner, clinic):
    request = book(practitioner, clinic).request  # uses "online-element"
    factor = ContextFactor.objects.get(slug="online-element")
    client.force_login(coordinator)
    url = reverse("clinics:taxonomy_edit", args=["context-factors", factor.pk])
    response = client.post(url, {"label": "Online or technology-assisted", "hint": "", "position": "1"})
    assert response.status_code == 302
    factor.refresh_from_db()
    assert (factor.slug, factor.label, factor.position, factor.active) == ("online-element", "Online or technology-assisted", 1, False)
    assert list(request.context_factors.all()) == [factor]
    page = client.get(reverse("clinics:taxonomy")).content.decode()
    assert "Online or technology-assisted" in page and "Retired" in page


def test_add_a_term_gets_a_new_stable_slug(client, coordinator):
    client.force_login(coordinator)
    url = reverse("clinics:taxonomy_add", args=["forms-of-csa"])
    client.post(url, {"label": "Organised abuse", "hint": "", "position": "8", "active": "on"})
    client.post(url, {"label": "Organised abuse", "hint": "", "position": "9", "active": "on"})
    assert list(FormOfAbuse.objects.filter(label="Organised abuse").values_list("slug", flat=True).order_by("pk")) == [
        "organised-abuse", "organised-abuse-2"]
    empty = client.post(url, {"label": "", "position": "1"})
    assert "govuk-error-summary" in empty.content.decode()


def test_unknown_list_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("clinics:taxonomy_add", args=["case-questions"])).status_code == 404
