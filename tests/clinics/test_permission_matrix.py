"""Every URL of the clinics app by every kind of person: the expected HTTP status of a GET.

The table is the access policy written down. The first test fails when a URL is added to the
app without its row here, so nobody can ship a screen without deciding who may open it.
Codes: 200 page; 302 redirect (anonymous → sign in; or the page sends you on); 403 signed in
but not allowed; 404 not yours (we do not confirm that another person's request exists);
405 action that only takes POST (reached only after the access check passes); 400 a manager's
CSV without a table name.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from clinics.booking import cancel_request
from clinics.models import ReflectiveSeries, ReflectiveSession, Resource, WaitlistOffer
from tests.factories import book, make_clinic, make_user

# A request the guard flags, sent anyway: held for a wording check (clinics/wording.py).
HELD_QUESTION = "Child A keeps talking about Amelia Hartley from a story. How do we use that in direct work?"
ACTORS = ("anonymous", "practitioner", "other_practitioner", "lead", "other_lead", "coordinator", "manager")

# Shorthands for common rows.
PRACTITIONER_PAGE = {"anonymous": 302, "practitioner": 200, "other_practitioner": 200, "lead": 200, "other_lead": 200, "coordinator": 200, "manager": 200}
OWN_ONLY = {"anonymous": 302, "practitioner": 200, "other_practitioner": 404, "lead": 404, "other_lead": 404, "coordinator": 404, "manager": 404}
LEAD_OF_CLINIC = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 200, "other_lead": 403, "coordinator": 200, "manager": 403}
LEAD_ANY = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 200, "other_lead": 200, "coordinator": 200, "manager": 403}
LEAD_POST_ONLY = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 405, "other_lead": 405, "coordinator": 405, "manager": 403}
LEAD_ONLY_POST = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 405, "other_lead": 405, "coordinator": 403, "manager": 403}
COORDINATOR = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 403, "other_lead": 403, "coordinator": 200, "manager": 403}
COORDINATOR_POST_ONLY = {**COORDINATOR, "coordinator": 405}
MANAGER = {"anonymous": 302, "practitioner": 403, "other_practitioner": 403, "lead": 403, "other_lead": 403, "coordinator": 403, "manager": 200}

MATRIX: dict[str, tuple[dict, dict]] = {
    # name: (kwargs key → scenario attribute, expected status per actor)
    # Practitioner journey
    "clinics:request_new": ({}, PRACTITIONER_PAGE),
    "clinics:request_check": ({}, {**PRACTITIONER_PAGE, **dict.fromkeys(ACTORS[1:], 302)}),  # no draft yet → back to the form
    "clinics:my_requests": ({}, PRACTITIONER_PAGE),
    "clinics:request_detail": ({"pk": "request"}, OWN_ONLY),
    "clinics:request_cancel": ({"pk": "request"}, OWN_ONLY),
    "clinics:request_move": ({"pk": "request"}, OWN_ONLY),
    "clinics:feedback": ({"pk": "request"}, {**OWN_ONLY, "practitioner": 403}),  # not attended yet
    "clinics:offer_accept": ({"pk": "offer"}, OWN_ONLY),
    "clinics:offer_decline": ({"pk": "offer"}, OWN_ONLY),
    "clinics:resources": ({}, PRACTITIONER_PAGE),
    "clinics:request_reword": ({"pk": "held_request"}, OWN_ONLY),  # held wording: the author changes it
    # Practice leads (coordinators may open them too)
    "clinics:lead_clinics": ({}, LEAD_ANY),
    "clinics:triage": ({}, LEAD_ANY),
    "clinics:triage_accept": ({"pk": "request"}, {**LEAD_POST_ONLY}),
    "clinics:triage_decline": ({"pk": "request"}, LEAD_OF_CLINIC),
    "clinics:clinic_agenda": ({"pk": "clinic"}, LEAD_OF_CLINIC),
    "clinics:attendance": ({"pk": "request"}, LEAD_POST_ONLY),  # the object check runs on POST
    "clinics:outcome": ({"pk": "request"}, {**LEAD_OF_CLINIC, "lead": 409, "coordinator": 409}),  # not attended yet
    "clinics:wording_confirm": ({"pk": "held_request"}, LEAD_ONLY_POST),
    "clinics:wording_send_back": ({"pk": "held_request"}, LEAD_ONLY_POST),
    "clinics:reflective_list": ({}, LEAD_ANY),
    "clinics:reflective_session": ({"pk": "session"}, LEAD_ANY),
    "clinics:reflective_book": ({"pk": "session"}, LEAD_ONLY_POST),
    "clinics:reflective_apologies": ({"pk": "session"}, LEAD_ONLY_POST),
    "clinics:reflective_accept": ({"pk": "session"}, LEAD_ONLY_POST),
    "clinics:reflective_decline": ({"pk": "session"}, LEAD_ONLY_POST),
    "clinics:reflective_register": ({"pk": "session"}, LEAD_ANY),
    "clinics:reflective_notes": ({"pk": "session"}, LEAD_ANY),
    # CPD: a lead's own record; a coordinator anyone's; another lead's is not confirmed to exist.
    "clinics:my_cpd": ({}, {**LEAD_ANY, "coordinator": 403}),
    "clinics:cpd": ({"pk": "lead"}, {**LEAD_ANY, "other_lead": 404}),
    "clinics:cpd_csv": ({"pk": "lead"}, {**LEAD_ANY, "other_lead": 404}),
    # Only practice leads, and each sees only their own check-in (tests/clinics/test_wellbeing.py).
    "clinics:reflective_wellbeing": ({"pk": "session"}, {**LEAD_ANY, "coordinator": 403}),
    # Coordinators
    "clinics:series_list": ({}, COORDINATOR),
    "clinics:series_new": ({}, COORDINATOR),
    "clinics:series_detail": ({"pk": "series"}, COORDINATOR),
    "clinics:series_edit": ({"pk": "series"}, COORDINATOR),
    "clinics:clinic_move": ({"pk": "clinic"}, COORDINATOR),
    "clinics:clinic_cancel": ({"pk": "clinic"}, COORDINATOR),
    "clinics:requests_all": ({}, COORDINATOR),
    "clinics:coordinator_request": ({"pk": "request"}, COORDINATOR),
    "clinics:access_log": ({}, COORDINATOR),
    "clinics:offers_log": ({}, COORDINATOR),
    "clinics:resources_manage": ({}, COORDINATOR),
    "clinics:resource_add": ({}, COORDINATOR),
    "clinics:resource_edit": ({"pk": "resource"}, COORDINATOR),
    "clinics:resource_retire": ({"pk": "resource"}, COORDINATOR),  # GET asks to confirm
    "clinics:resource_restore": ({"pk": "resource"}, COORDINATOR_POST_ONLY),
    "clinics:taxonomy": ({}, COORDINATOR),
    "clinics:taxonomy_add": ({"kind": "kind"}, COORDINATOR),
    "clinics:taxonomy_edit": ({"kind": "kind", "pk": "term"}, COORDINATOR),
    "clinics:reflective_series_list": ({}, COORDINATOR),
    "clinics:reflective_series_new": ({}, COORDINATOR),
    "clinics:reflective_series_detail": ({"pk": "reflective_series"}, COORDINATOR),
    "clinics:reflective_series_edit": ({"pk": "reflective_series"}, COORDINATOR),
    "clinics:reflective_session_move": ({"pk": "session"}, COORDINATOR),
    "clinics:cohort_list": ({}, COORDINATOR),
    "clinics:cohort_new": ({}, COORDINATOR),
    "clinics:cohort_detail": ({"pk": "cohort"}, COORDINATOR),
    "clinics:cohort_edit": ({"pk": "cohort"}, COORDINATOR),
    "clinics:reflective_session_cancel": ({"pk": "session"}, COORDINATOR),
    # Managers: aggregates only
    "clinics:themes": ({}, MANAGER),
    "clinics:themes_csv": ({}, {**MANAGER, "manager": 400}),  # no table named
    # Calendar subscriptions: everyone's own page; the feed answers whoever holds the secret link
    "calendar:subscription": ({}, PRACTITIONER_PAGE),
    "calendar:reset": ({}, {**dict.fromkeys(ACTORS, 405), "anonymous": 302}),
    "calendar:feed": ({"token": "feed_token"}, dict.fromkeys(ACTORS, 200)),
    "clinics:reflective_themes": ({}, MANAGER),
    "clinics:reflective_themes_csv": ({}, {**MANAGER, "manager": 400}),  # no table named
    "clinics:themes_report": ({}, MANAGER),
}
# Namespaces whose every URL must have a row above.
COVERED_NAMESPACES = ("clinics", "calendar")


def clinic_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in COVERED_NAMESPACES and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_clinics_url_has_a_row():
    names = clinic_url_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_every_row_covers_every_actor():
    for name, (_, expected) in MATRIX.items():
        assert set(expected) == set(ACTORS), name


class Scenario:
    def __init__(self, people) -> None:
        from clinics.models import FormOfAbuse

        self.people = people
        self.lead = people["lead"].pk
        self.clinic = make_clinic(facilitators=[people["lead"]])
        self.request = book(people["practitioner"], self.clinic).request
        self.held_request = book(
            people["practitioner"], self.clinic, question=HELD_QUESTION, hold_reason="A character in a book, not a person"
        ).request.pk
        # A pending offer held for the practitioner in a one-place clinic.
        small = make_clinic(capacity=1, facilitators=[people["lead"]], starts_at=self.clinic.starts_at.replace(hour=14))
        holder = book(make_user("holder@council.gov.uk", "Practitioner 9"), small).request
        book(people["practitioner"], small)
        cancel_request(holder, by=holder.requester)
        self.offer = WaitlistOffer.objects.get(outcome=WaitlistOffer.Outcome.PENDING).pk
        from tests.factories import make_series

        self.series = make_series(facilitators=[people["lead"]]).pk
        self.resource = Resource.objects.first().pk
        self.kind = "forms-of-csa"
        self.term = FormOfAbuse.objects.first().pk
        reflective_series = ReflectiveSeries.objects.create(
            title="Practice leads reflective sessions", rrule="FREQ=WEEKLY;INTERVAL=6;BYDAY=TH",
            starts_on=self.clinic.starts_at.date(), start_time=self.clinic.starts_at.time(),
            online_link="https://meet.example.org/reflective",
        )
        self.reflective_series = reflective_series.pk
        from clinics.models import Cohort

        cohort = Cohort.objects.create(name="Cohort 1", start_month=self.clinic.starts_at.date().replace(day=1),
                                       programme=reflective_series, organisations="Council A\nHealth trust B")
        cohort.members.set([people["lead"], people["other_lead"]])
        self.cohort = cohort.pk
        self.session = ReflectiveSession.objects.create(
            series=reflective_series, original_date=self.clinic.starts_at.date(), title="Practice leads reflective session",
            starts_at=self.clinic.starts_at, ends_at=self.clinic.ends_at, capacity=8,
        ).pk
        self.clinic = self.clinic.pk
        self.request = self.request.pk
        from notifications.feed_links import link_for

        self.feed_token = link_for(people["practitioner"]).token


@pytest.fixture
def scenario(practitioner, other_practitioner, lead, other_lead, coordinator, manager):
    people = {"practitioner": practitioner, "other_practitioner": other_practitioner, "lead": lead, "other_lead": other_lead,
                  "coordinator": coordinator, "manager": manager}
    return Scenario(people)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, scenario, client):
    kwargs_spec, expected = MATRIX[name]
    url = reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()})
    actual = {}
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(scenario.people[actor])
        response = client.get(url)
        actual[actor] = response.status_code
        if actor == "anonymous" and response.status_code == 302:
            assert "/accounts/login/" in response["Location"], (name, response["Location"])
    mismatches = {a: (expected[a], actual[a]) for a in ACTORS if expected[a] != actual[a]}
    assert not mismatches, f"{name} {url}: expected/actual {mismatches}"


# POSTs by people who must not act: refused, and nothing changes.
FORBIDDEN_POSTS = [
    ("clinics:request_cancel", {"pk": "request"}, "other_practitioner", 404),
    ("clinics:request_cancel", {"pk": "request"}, "lead", 404),
    ("clinics:request_move", {"pk": "request"}, "other_practitioner", 404),
    ("clinics:offer_accept", {"pk": "offer"}, "other_practitioner", 404),
    ("clinics:offer_decline", {"pk": "offer"}, "coordinator", 404),
    ("clinics:triage_accept", {"pk": "request"}, "other_lead", 403),
    ("clinics:triage_accept", {"pk": "request"}, "practitioner", 403),
    ("clinics:triage_decline", {"pk": "request"}, "other_lead", 403),
    ("clinics:attendance", {"pk": "request"}, "other_lead", 403),
    ("clinics:outcome", {"pk": "request"}, "other_lead", 403),
    ("clinics:clinic_cancel", {"pk": "clinic"}, "lead", 403),
    ("clinics:clinic_move", {"pk": "clinic"}, "manager", 403),
    ("clinics:resource_retire", {"pk": "resource"}, "lead", 403),
    ("clinics:reflective_book", {"pk": "session"}, "coordinator", 403),
    ("clinics:wording_confirm", {"pk": "held_request"}, "other_lead", 403),
    ("clinics:wording_confirm", {"pk": "held_request"}, "coordinator", 403),
    ("clinics:wording_send_back", {"pk": "held_request"}, "other_lead", 403),
    ("clinics:wording_send_back", {"pk": "held_request"}, "practitioner", 403),
    ("clinics:request_reword", {"pk": "held_request"}, "other_practitioner", 404),
    ("clinics:reflective_session_cancel", {"pk": "session"}, "lead", 403),
    ("clinics:reflective_session_move", {"pk": "session"}, "manager", 403),
    ("clinics:reflective_series_edit", {"pk": "reflective_series"}, "lead", 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs_spec", "actor", "status"), FORBIDDEN_POSTS)
def test_forbidden_posts_change_nothing(name, kwargs_spec, actor, status, scenario, client):
    from clinics.models import Clinic, ConsultationRequest

    before = sorted(ConsultationRequest.objects.values_list("pk", "status", "triage", "slot_id", "wording_held_at", "question"))
    clinics_before = sorted(Clinic.objects.values_list("pk", "status", "starts_at"))
    offers_before = sorted(WaitlistOffer.objects.values_list("pk", "outcome"))
    client.force_login(scenario.people[actor])
    url = reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()})
    response = client.post(url, {"reason": "No", "attended": "yes", "advice": "Advice", "day": "1", "month": "1", "year": "2030",
                                 "question": "Child A", "digest": "0" * 64})
    assert response.status_code == status
    assert sorted(ConsultationRequest.objects.values_list("pk", "status", "triage", "slot_id", "wording_held_at", "question")) == before
    assert sorted(Clinic.objects.values_list("pk", "status", "starts_at")) == clinics_before
    assert sorted(WaitlistOffer.objects.values_list("pk", "outcome")) == offers_before
