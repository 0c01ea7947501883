"""AnonymityCheckedFormMixin on a tiny test-only form: nothing is saved while findings remain."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.template.loader import render_to_string

from anonymity.forms import CONFIRM_FIELD, DIGEST_FIELD, AnonymityCheckedFormMixin
from anonymity.models import FalseAlarm


class CaseNoteForm(AnonymityCheckedFormMixin, forms.ModelForm):
    """Stands in for the other apps' forms: Group.name plays the free-text field."""

    anonymised_fields = ("name", "summary")
    summary = forms.CharField(required=False, widget=forms.Textarea)

    class Meta:
        model = Group
        fields = ["name"]


def submit(data: dict, **kwargs: object) -> CaseNoteForm:
    """What a view does: validate, and save only when valid."""
    form = CaseNoteForm(data, **kwargs)
    if form.is_valid():
        form.save()
    return form


@pytest.mark.django_db
def test_clean_text_is_saved() -> None:
    form = submit({"name": "Child A (aged 9) and the DSL", "summary": "Mum rang the MASH."})
    assert form.is_valid()
    assert form.anonymity_findings == {}
    assert Group.objects.count() == 1


@pytest.mark.django_db
def test_nothing_is_saved_while_findings_remain_and_each_finding_is_an_error() -> None:
    form = submit({"name": "Amelia Hartley", "summary": "DOB 14/03/2015, lives at RM9 6XT"})
    assert not form.is_valid()
    assert Group.objects.count() == 0
    assert form.errors["name"] == [
        "'Amelia Hartley' looks like a person's name: use a role such as 'Child A', 'Mother' or 'Social Worker'"
    ]
    assert len(form.errors["summary"]) == 2
    assert [f.kind for f in form.anonymity_findings["summary"]] == ["date", "postcode"]
    assert [e.code for e in form.errors.as_data()["summary"]] == ["identifier_date", "identifier_postcode"]


@pytest.mark.django_db
def test_fixing_the_text_lets_it_save() -> None:
    assert not submit({"name": "Amelia Hartley"}).is_valid()
    assert submit({"name": "Child A"}).is_valid()
    assert Group.objects.filter(name="Child A").exists()


@pytest.mark.django_db
def test_practitioners_get_no_false_alarm_checkbox() -> None:
    form = CaseNoteForm({"name": "Amelia Hartley", CONFIRM_FIELD: "on"})
    assert CONFIRM_FIELD not in form.fields
    assert not form.is_valid()
    assert Group.objects.count() == 0


@pytest.mark.django_db
def test_ticking_the_box_before_seeing_findings_does_not_bypass_them(lead) -> None:
    form = submit({"name": "Will Carter", CONFIRM_FIELD: "on"}, allow_false_alarm=True)
    assert not form.is_valid()
    assert Group.objects.count() == 0
    # Re-rendered: the box is now shown, unticked, with the digest of what was shown.
    assert isinstance(form.fields[CONFIRM_FIELD].widget, forms.CheckboxInput)
    assert CONFIRM_FIELD not in form.data
    assert form.data[DIGEST_FIELD]


@pytest.mark.django_db
def test_practice_lead_confirms_false_alarm_and_who_and_when_are_recorded(lead) -> None:
    first = submit({"name": "We discussed Faith and culture"}, allow_false_alarm=True)
    assert not first.is_valid()
    data = first.data.copy()
    data[CONFIRM_FIELD] = "on"

    second = submit(data, allow_false_alarm=True)
    assert second.is_valid(), second.errors
    assert second.false_alarm_confirmed
    assert Group.objects.filter(name="We discussed Faith and culture").exists()

    [row] = second.record_false_alarms(lead, "outcome:42")
    row.refresh_from_db()
    assert row.user == lead
    assert row.created_at is not None
    assert (row.kind, row.flagged_text, row.field_name, row.context_label) == (
        "name",
        "Faith",
        "name",
        "outcome:42",
    )


@pytest.mark.django_db
def test_changed_text_after_confirming_is_checked_again(lead) -> None:
    first = submit({"name": "Grace Carter"}, allow_false_alarm=True)
    data = first.data.copy()
    data[CONFIRM_FIELD] = "on"
    data["name"] = "Grace Carter and Tyler Jones"  # a new finding the lead never saw
    second = submit(data, allow_false_alarm=True)
    assert not second.is_valid()
    assert not second.false_alarm_confirmed
    assert second.record_false_alarms(lead, "outcome:1") == []
    assert Group.objects.count() == 0
    assert FalseAlarm.objects.count() == 0


@pytest.mark.django_db
def test_a_forged_digest_is_ignored(lead) -> None:
    form = submit({"name": "Grace Carter", CONFIRM_FIELD: "on", DIGEST_FIELD: "forged"}, allow_false_alarm=True)
    assert not form.is_valid()
    assert Group.objects.count() == 0


@pytest.mark.django_db
def test_record_false_alarms_without_confirmation_records_nothing(lead) -> None:
    form = submit({"name": "Child A"}, allow_false_alarm=True)
    assert form.is_valid()
    assert form.record_false_alarms(lead, "outcome:7") == []
    assert FalseAlarm.objects.count() == 0


@pytest.mark.django_db
def test_findings_include_marks_the_text_without_inline_styles() -> None:
    form = CaseNoteForm({"name": "  Mum (sharon) & <b>Amelia</b> ", "summary": ""})
    assert not form.is_valid()
    html = render_to_string("anonymity/findings.html", {"form": form, "field_name": "name"})
    assert "We found 2 details that could identify someone" in html
    assert '<mark class="app-anonymity-mark app-anonymity-mark--name">sharon' in html
    assert "&amp; &lt;b&gt;" in html  # the writer's text is escaped
    assert "style=" not in html and "<script" not in html
    assert render_to_string("anonymity/findings.html", {"form": form, "field_name": "summary"}).strip() == ""


@pytest.mark.django_db
def test_erase_flagged_text_keeps_who_when_and_kind(lead) -> None:
    from datetime import timedelta

    from django.utils import timezone

    old = FalseAlarm.objects.create(user=lead, kind="name", flagged_text="Brook", context_label="outcome:1")
    FalseAlarm.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    recent = FalseAlarm.objects.create(user=lead, kind="name", flagged_text="Grace", context_label="outcome:2")
    assert FalseAlarm.objects.erase_flagged_text(timezone.now() - timedelta(days=365)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.flagged_text, old.kind, old.user) == ("", "name", lead)
    assert recent.flagged_text == "Grace"
