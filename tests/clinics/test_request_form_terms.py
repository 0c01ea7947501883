"""The request form reads its seven taxonomy lists in one query and offers and checks exactly
what each list's own query gives: the active terms in their order; a retired or unknown term is
refused with the usual message; a coordinator's edit shows on the next form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinics.forms_practitioner import RequestForm
from clinics.models import AgeBand, ContextFactor, FormOfAbuse, Gender, PathwayStage, PlanStatus, SupportNeed

pytestmark = pytest.mark.django_db

LISTS = {
    "forms": FormOfAbuse, "pathway_stage": PathwayStage, "age_band": AgeBand, "gender": Gender,
    "plan_status": PlanStatus, "context_factors": ContextFactor, "support_needs": SupportNeed,
}


def offered(form: RequestForm, name: str) -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in form.fields[name].choices if value != ""]


def test_each_list_offers_its_active_terms_in_its_own_order(practitioner):
    FormOfAbuse.objects.filter(slug="institutional").update(active=False)
    PathwayStage.objects.filter(slug="responding-to-disclosure").update(position=99)
    form = RequestForm(user=practitioner)
    for name, model in LISTS.items():
        assert offered(form, name) == [(str(t.pk), t.label) for t in model.objects.filter(active=True)], name


def test_the_lists_are_read_in_one_query(practitioner):
    with CaptureQueriesContext(connection) as queries:
        form = RequestForm(user=practitioner)
        for name in LISTS:
            offered(form, name)
    term_queries = [q["sql"] for q in queries.captured_queries if "clinics_formofabuse" in q["sql"]
                    or "clinics_supportneed" in q["sql"]]
    assert len(term_queries) == 1


def test_answers_are_the_chosen_terms_and_retired_or_unknown_ones_are_refused(practitioner):
    retired = FormOfAbuse.objects.get(slug="institutional")
    retired.active = False
    retired.save()
    online, familial = FormOfAbuse.objects.get(slug="online"), FormOfAbuse.objects.get(slug="intra-familial")
    stage = PathwayStage.objects.get(slug="responding-to-disclosure")
    form = RequestForm({"forms": [str(online.pk), str(familial.pk)], "pathway_stage": str(stage.pk)}, user=practitioner)
    form.is_valid()
    assert form.cleaned_data["forms"] == [t for t in FormOfAbuse.objects.filter(active=True) if t in (online, familial)]
    assert form.cleaned_data["pathway_stage"] == stage

    form = RequestForm({"forms": [str(retired.pk)], "pathway_stage": "999999", "age_band": "x"}, user=practitioner)
    assert not form.is_valid()
    assert form.errors["forms"] == [f"Select a valid choice. {retired.pk} is not one of the available choices."]
    assert form.errors["pathway_stage"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert form.errors["age_band"] == ["Select a valid choice. That choice is not one of the available choices."]
