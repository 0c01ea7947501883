from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every Django form and field with GOV.UK Design System markup.

    ``{{ form }}`` and ``{{ form.field.as_field_group }}`` then produce labels, hints, error
    messages and inputs with the right classes, so templates never hand-write field markup.
    """

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
