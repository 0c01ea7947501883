"""Every field that can hold free text is declared once (anonymity.freetext) or exempt with a reason.

Declared means: scanned by the form mixin before it is saved, and erased by the retention
sweep. The walk covers every installed model, so a text field added tomorrow without a
decision fails here; so does a form with a free-text box that the guard does not scan.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models

from anonymity.forms import scanned_field_names
from anonymity.freetext import free_text_fields, is_free_text, models_with_free_text
from clinics.models.taxonomy import Term
from clinics.retention import models_without_rule

SHORT_LABEL = 200  # a CharField up to this length is a label, not free text

# Whole apps we do not own: what they store is written by code, not typed about a case.
EXEMPT_APPS = {
    "admin": "Django admin history: object ids and a JSON change message written by Django",
    "auth": "permission names written by Django",
    "sessions": "signed session data (a request draft lives here only until it is confirmed or the session ends)",
}
# Formats, not prose: the field validates the shape of what is typed.
EXEMPT_TYPES = {
    models.EmailField: "an email address of a user or recipient, validated as one",
    models.URLField: "a web address (meeting link or resource), validated as one",
}
EXEMPT_FIELDS = {
    "clinics.ClinicSeries.description": "describes the clinic to practitioners, written by a coordinator; not about a case",
    "clinics.ClinicSeries.rrule": "a recurrence rule (RFC 5545), validated",
    "clinics.ReflectiveSeries.rrule": "a recurrence rule (RFC 5545), validated",
    "clinics.ClinicSeries.venue": "the public venue where a clinic meets",
    "clinics.Clinic.venue": "the public venue where a clinic meets",
    "clinics.ReflectiveSeries.venue": "the public venue where a session meets",
    "clinics.ReflectiveSession.venue": "the public venue where a session meets",
    "clinics.WaitlistOffer.note": "written by the service itself ('Clinic cancelled'), never typed by a person",
    "clinics.Resource.description": "describes a published resource in the hub; not about a case",
    "notifications.Message.subject": "rendered from templates/emails, which never carry case text",
    "notifications.Message.body_text": "rendered from templates/emails, which never carry case text",
    "notifications.Message.body_html": "rendered from templates/emails, which never carry case text",
    "notifications.Message.ics": "a calendar file generated from the booking",
    "notifications.Message.message_id": "a Message-ID header the service generates",
    "clinics.Cohort.organisations": "the organisations a cohort of practice leads comes from; not about a case",
    "clinics.Cohort.session_format": "how the programme's days are run (teaching and reflective halves); not about a case",
    # Published to every subscriber and kept in the archive, so not erased; scanned on entry
    # by the bulletin forms (anonymised_fields), checked by the form walk below.
    "notifications.Bulletin.introduction": "published bulletin, scanned but kept",
    "notifications.BulletinItem.body": "published bulletin, scanned but kept",
    **{f"{m._meta.label}.hint": "a hint for a taxonomy term, edited by coordinators" for m in apps.get_models()
       if issubclass(m, Term)},
}

# Form fields that look like free text but are not stored as such.
EXEMPT_FORM_FIELDS = {
    "CohortForm.organisations": "stored in Cohort.organisations (exempt above)",
    "CohortForm.session_format": "stored in Cohort.session_format (exempt above)",
    "ClinicSeriesForm.description": "stored in ClinicSeries.description (exempt above)",
    "ResourceForm.description": "stored in Resource.description (exempt above)",
    "ClinicSeriesForm.venue": "stored in ClinicSeries.venue (exempt above)",
    "ReflectiveSeriesForm.venue": "stored in ReflectiveSeries.venue (exempt above)",
}
PROJECT_APPS = ("accounts", "anonymity", "clinics", "config", "notifications")


def looks_like_free_text(field: models.Field) -> bool:
    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and (field.max_length or 0) > SHORT_LABEL


# The change history (django-simple-history) copies the fields of the models it tracks; those
# copies take the decision of the field they copy (free text is excluded from the history, see
# tests/clinics/test_history.py), and its own column is the action and reason of a change.
HISTORY_REASON = "history_change_reason"


def _decided_by(model: type[models.Model], field: models.Field) -> str:
    tracked = getattr(model, "instance_type", None)  # set on every historical model
    if tracked is not None and field.name != HISTORY_REASON:
        return f"{tracked._meta.label}.{field.name}"
    return f"{model._meta.label}.{field.name}"


def undecided_fields() -> list[str]:
    missing = []
    for model in apps.get_models():
        if model._meta.app_label in EXEMPT_APPS:
            continue
        if getattr(model, "instance_type", None) is not None:
            # A historical table must never hold declared free text: the history leaves it out.
            assert not any(is_free_text(f) for f in model._meta.concrete_fields), f"{model._meta.label} copies free text"
        for field in model._meta.concrete_fields:
            if field.name == HISTORY_REASON:
                continue  # "cancelled the clinic: <reason>": scanned when given, cut off under retention
            key = _decided_by(model, field)
            if not looks_like_free_text(field) or is_free_text(field) or key in EXEMPT_FIELDS:
                continue
            if isinstance(field, tuple(EXEMPT_TYPES)):
                continue
            missing.append(key)
    return missing


def test_every_long_text_field_is_declared_or_exempt_with_a_reason():
    missing = undecided_fields()
    assert not missing, (
        f"Text fields with no decision: {missing}. Declare each as FreeTextField / FreeTextCharField "
        "(anonymity/freetext.py: scanned on entry and erased under retention), or add it to "
        "EXEMPT_FIELDS here with the reason it cannot hold case material."
    )


def test_exemptions_name_real_undeclared_fields():
    for key in EXEMPT_FIELDS:
        app_model, name = key.rsplit(".", 1)
        field = apps.get_model(app_model)._meta.get_field(name)
        assert not is_free_text(field), f"{key} is declared free text and exempt at once"


def test_the_known_free_text_is_declared():
    declared = {m._meta.label: set(free_text_fields(m)) for m in models_with_free_text()}
    assert {"question", "support_other", "decline_reason"} <= declared["clinics.ConsultationRequest"]
    assert declared["clinics.Clinic"] == {"status_reason"}
    assert declared["clinics.Outcome"] == {"advice", "actions", "follow_up"}
    assert declared["clinics.Feedback"] == {"comment"}
    assert declared["clinics.ReflectiveSession"] == {"notes", "status_reason"}
    assert declared["clinics.WellbeingCheckIn"] == {"text"}
    assert declared["clinics.WordingCheck"] == {"reason"}


def test_every_model_with_free_text_has_a_retention_rule():
    assert models_without_rule() == []


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("forms"):
                importlib.import_module(f"{app}.{info.name}")
    found: set[type[forms.BaseForm]] = set()
    pending = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.split(".")[0] in PROJECT_APPS and hasattr(sub, "base_fields"):
                found.add(sub)
    return sorted(found, key=lambda c: c.__qualname__)


def _is_free_text_box(field: forms.Field) -> bool:
    if not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField | forms.URLField | forms.SlugField):
        return False
    return isinstance(field.widget, forms.Textarea) or (field.max_length or 0) > SHORT_LABEL


def test_every_free_text_box_in_a_form_is_scanned():
    unscanned = []
    for form_class in _project_form_classes():
        scanned = scanned_field_names(form_class)
        for name, field in form_class.base_fields.items():
            key = f"{form_class.__name__}.{name}"
            if _is_free_text_box(field) and name not in scanned and key not in EXEMPT_FORM_FIELDS:
                unscanned.append(key)
    assert not unscanned, (
        f"Free-text boxes the anonymity guard does not scan: {unscanned}. Give the form "
        "AnonymityCheckedFormMixin and the model it writes to (anonymity_model), or exempt it here."
    )


@pytest.mark.parametrize(
    ("form_path", "expected"),
    [
        ("clinics.forms_practitioner.RequestForm", {"question", "support_other"}),
        ("clinics.forms_practitioner.FeedbackForm", {"comment"}),
        ("clinics.forms_lead.OutcomeForm", {"advice", "actions", "follow_up"}),
        ("clinics.forms_lead.DeclineForm", {"reason"}),
        ("clinics.forms_lead.SessionNotesForm", {"notes"}),
        ("clinics.forms_coordinator.ClinicCancelForm", {"reason"}),
    ],
)
def test_forms_scan_the_declared_fields_of_their_model(form_path, expected):
    module, name = form_path.rsplit(".", 1)
    assert set(scanned_field_names(getattr(importlib.import_module(module), name))) == expected
