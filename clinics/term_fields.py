"""Form fields over the taxonomy lists that read every list a form needs in one query.

A ``ModelChoiceField`` asks the database once to show its choices and once more to check each
answer, so the request form paid one query per list on every page and every "Confirm and
book" (five to seven lists). Here the form reads its active terms of all its lists together, in
one ``UNION ALL`` ordered as each list is (position, then label, by the database's collation),
and the fields show and check against those rows: the same choices, the same answers, the same
error messages, and nothing kept between requests, so a coordinator's edit shows at once.
"""

from __future__ import annotations

from django import forms
from django.db.models import IntegerField, Value
from django.forms.models import ModelChoiceIterator

from clinics.models.taxonomy import Term

COLUMNS = ("pk", "slug", "label", "hint", "position", "active")


def active_terms(models: list[type[Term]]) -> dict[type[Term], list[Term]]:
    """The active terms of each list, in each list's order, in one query."""
    parts = [
        model.objects.filter(active=True).annotate(kind=Value(i, output_field=IntegerField())).values_list("kind", *COLUMNS)
        for i, model in enumerate(models)
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("kind", "position", "label")
    terms: dict[type[Term], list[Term]] = {model: [] for model in models}
    for kind, pk, slug, label, hint, position, active in union:
        model = models[kind]
        term = model(pk=pk, slug=slug, label=label, hint=hint, position=position, active=active)
        term._state.adding, term._state.db = False, union.db  # as if read by the model's own query
        terms[model].append(term)
    return terms


class TermIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for term in self.field.terms:
            yield self.choice(term)

    def __len__(self) -> int:
        return len(self.field.terms) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.terms)


class TermChoiceField(forms.ModelChoiceField):
    """One term of a list whose active terms the form has read (``terms``)."""

    iterator = TermIterator
    terms: list[Term] = []

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        found = _find(self.terms, value.pk if isinstance(value, Term) else value)
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return found


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Some terms of a list whose active terms the form has read (``terms``). Cleans to a list
    of the chosen terms in the list's order (what the queryset it replaces gave)."""

    iterator = TermIterator
    terms: list[Term] = []

    def _check_values(self, value):
        try:
            value = frozenset(value)
        except TypeError:
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        chosen = set()
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                int(str(pk).strip())
            except (ValueError, TypeError):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": pk}) from None
            found = _find(self.terms, pk)
            if found is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": pk})
            chosen.add(found.pk)
        return [term for term in self.terms if term.pk in chosen]


def _find(terms: list[Term], value) -> Term | None:
    try:
        pk = int(str(value).strip())
    except (ValueError, TypeError):
        return None
    return next((term for term in terms if term.pk == pk), None)
