from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every Django form and field with GOV.UK Design System markup.

    ``{{ form }}`` and ``{{ form.field.as_field_group }}`` then produce labels, hints, error
    messages and inputs with the right classes, so templates never hand-write field markup.
    """

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


def https_url_fields(db_field, **kwargs):
    """``formfield_callback`` for ModelForms: links typed without a scheme become https://.

    Django 5.2 assumes http:// (and warns that 6.0 will assume https://); every
    link in this service (meeting rooms, resources, bulletin items) is https.
    """
    from django.db import models

    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)
