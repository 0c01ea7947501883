"""Form fields over the taxonomy lists that read every list a form needs in one query.

A ``ModelChoiceField`` asks the database once to show its choices and once more to check each
answer, so the request form paid one query per list on every page and every "Confirm and
book" (five to seven lists). Here the form reads its active terms of all its lists together, in
one ``UNION ALL`` ordered as each list is (position, then label, by the database's collation),
and the fields show and check against those rows: the same choices, the same answers, the same
error messages, and nothing kept between requests, so a coordinator's edit shows at once.
"""

from __future__ import annotations

from functools import cache

from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator

from clinics.models.taxonomy import Term


def active_terms(models: list[type[Term]]) -> dict[type[Term], list[Term]]:
    """The active terms of each list, in each list's order, in one query."""
    terms: dict[type[Term], list[Term]] = {model: [] for model in models}
    with connection.cursor() as cursor:
        cursor.execute(union_sql(tuple(models)))
        for kind, *values in cursor.fetchall():
            model = models[kind]
            terms[model].append(model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], values))
    return terms


@cache
def union_sql(models: tuple[type[Term], ...]) -> str:
    """Written by hand, once per process: the ORM took as long to compile this seven-part union
    as to run seven queries. Table and column names come from the models, quoted."""
    quote = connection.ops.quote_name

    def columns(model: type[Term]) -> str:  # every list has the same columns, in the same order
        return ", ".join(quote(field.column) for field in model._meta.concrete_fields)

    parts = [
        f"SELECT {i} AS kind, {columns(model)} FROM {quote(model._meta.db_table)} WHERE {quote('active')}"  # noqa: S608 - our models' names, quoted
        for i, model in enumerate(models)
    ]
    # Each list's own order (Term.Meta.ordering), by the database's collation as before.
    return " UNION ALL ".join(parts) + f" ORDER BY kind, {quote('position')}, {quote('label')}"


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
