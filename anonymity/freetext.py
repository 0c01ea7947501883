"""Free text, declared once.

Every model field that holds text a person typed about a case (or that could say something
about one) is declared by its type: ``FreeTextField`` instead of ``models.TextField``, or
``FreeTextCharField`` instead of ``models.CharField``. One line per field, nothing else:

    question = FreeTextField("case question")
    status_reason = FreeTextCharField(max_length=250, blank=True)

Three readers follow the declaration, so they cannot drift apart:

- the form mixin (``anonymity.forms.AnonymityCheckedFormMixin``) scans every declared field of
  the model its form writes to, before anything is saved;
- the retention sweep (``clinics.retention``) blanks every declared field when the record's
  retention period ends;
- ``tests/anonymity/test_free_text_declared.py`` walks every model: a text field longer than a
  short label is either declared here or exempt there with a reason, else it fails.

The types only mark fields: storage is a plain text or varchar column, and migrations see the
Django field they extend (``deconstruct``), so marking a field needs no migration.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models


class _Declared:
    """Marker for declared free-text fields."""

    free_text = True

    def deconstruct(self):  # type: ignore[no-untyped-def]
        # Migrations record the storage, which the marker does not change.
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        base = next(c for c in type(self).__mro__ if c.__module__.startswith("django.db.models"))
        return name, f"django.db.models.{base.__name__}", args, kwargs


class FreeTextField(_Declared, models.TextField):
    """A TextField whose content is scanned for identifiers on entry and erased under retention."""


class FreeTextCharField(_Declared, models.CharField):
    """A CharField whose content is scanned for identifiers on entry and erased under retention."""


def is_free_text(field: models.Field) -> bool:
    return isinstance(field, _Declared)


def free_text_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Names of the declared free-text fields of ``model`` (its own and inherited), in order."""
    # Forward fields only: this also runs while models are still being prepared (history).
    return tuple(f.name for f in model._meta.fields if isinstance(f, _Declared))


def models_with_free_text() -> list[type[models.Model]]:
    """Every installed concrete model with at least one declared free-text field."""
    return [m for m in apps.get_models() if not m._meta.abstract and free_text_fields(m)]
