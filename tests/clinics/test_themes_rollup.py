"""The themes roll-ups give exactly the live figures, whatever changed since they were built.

The dashboard reads whole closed months from monthly roll-ups kept current by database
triggers (clinics/themes_rollup.py); these tests compare it with the reference copy of the live
queries (tests/clinics/themes_reference.py) after random sequences of every kind of change the
dashboard reads: the domain operations (cancel, decline, attendance) and plain ORM and bulk
writes (status, answers, feedback, agency, a clinic's series, new and deleted requests).
"""

from __future__ import annotations

import contextlib
import random
import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinics import themes_rollup
from clinics.booking import BookingError, cancel_request
from clinics.intake import decline_request, record_attendance
from clinics.models import (
    AgeBand,
    Clinic,
    ConsultationRequest,
    ContextFactor,
    Feedback,
    FormOfAbuse,
    PathwayStage,
    PlanStatus,
    SupportNeed,
    ThemeChange,
    ThemeCount,
    ThemeMonth,
)
from clinics.recurrence import LONDON
from clinics.tasks import rebuild_theme_rollups, refresh_theme_rollups
from clinics.themes import Dashboard, ThemesFilter
from tests.clinics import test_themes_same_figures as same
from tests.clinics.themes_reference import ReferenceDashboard
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TODAY, filters, seeded = same.TODAY, same.filters, same.seeded  # the same dataset and filters (a fixture)
HOLDING = list(ConsultationRequest.HOLDS_SLOT)
FREE = ["requested", "cancelled", "declined"]  # statuses the constraints allow without a slot


def assert_same_as_live(seeded, thresholds=(None, 3)) -> None:
    for threshold in thresholds:
        for f in filters(seeded):
            assert Dashboard(f, threshold).tables() == ReferenceDashboard(f, threshold).tables(), (f, threshold)


def pick(rng: random.Random) -> ConsultationRequest:
    ids = list(ConsultationRequest.objects.order_by("pk").values_list("pk", flat=True))
    return ConsultationRequest.objects.get(pk=rng.choice(ids))


def some_user():
    return make_user(f"lead{random.random()}@council.gov.uk", roles=["practice_lead"])


# Each change: (name, function of a seeded random generator). Domain operations may refuse
# (a cancelled request cannot be declined): then nothing changed, which is fine.
def set_status(rng):
    request = pick(rng)
    request.status = rng.choice(HOLDING + FREE if request.status in HOLDING else FREE)
    request.save()


def bulk_status(rng):
    ids = [pick(rng).pk for _ in range(5)]
    ConsultationRequest.objects.filter(pk__in=ids).update(status=rng.choice(FREE))


def forms_changed(rng):
    request, forms = pick(rng), list(FormOfAbuse.objects.all())
    request.forms.add(rng.choice(forms))
    request.forms.remove(rng.choice(forms))


def context_changed(rng):
    pick(rng).context_factors.set(rng.sample(list(ContextFactor.objects.all()), rng.randint(0, 2)))


def needs_changed(rng):
    request = pick(rng)
    request.support_needs.clear()
    request.support_needs.add(rng.choice(list(SupportNeed.objects.all())))


def feedback_changed(rng):
    request = pick(rng)
    Feedback.objects.filter(request=request).delete() if rng.random() < 0.3 else Feedback.objects.update_or_create(
        request=request, defaults={"confidence_after": rng.randint(1, 5)})


def answers_changed(rng):
    request = pick(rng)
    request.confidence_before = rng.randint(1, 5)
    request.requester_agency_type = None if rng.random() < 0.3 else request.requester.agency_type
    request.save()


def deleted(rng):
    pick(rng).delete()


def created(rng):
    model = pick(rng)
    copy = ConsultationRequest.objects.create(
        requester=model.requester, requester_agency_type=model.requester_agency_type, clinic=model.clinic,
        status=rng.choice(FREE), pathway_stage=model.pathway_stage, age_band=model.age_band,
        plan_status=model.plan_status, confidence_before=rng.randint(1, 5), question="Child A",
        created_at=model.created_at + timedelta(hours=rng.randint(-200, 200)))
    copy.forms.set(model.forms.all())


def series_changed(rng):
    request = pick(rng)
    if request.clinic_id:
        other = Clinic.objects.exclude(series=None).exclude(series=request.clinic.series_id).first()
        Clinic.objects.filter(pk=request.clinic_id).update(series=None if rng.random() < 0.3 else other.series)


def clinic_moved_or_cancelled(rng):
    request = pick(rng)
    if request.clinic_id:
        clinic = Clinic.objects.filter(pk=request.clinic_id)
        if rng.random() < 0.5:
            moved = timedelta(days=rng.choice([-40, -10, 10, 40]))
            clinic.update(**{name: F(name) + moved for name in (
                "starts_at", "ends_at", "booking_opens_at", "booking_closes_at", "change_cutoff_at")})
        else:
            scheduled = request.clinic.status == Clinic.Status.SCHEDULED
            clinic.update(status=Clinic.Status.CANCELLED if scheduled else Clinic.Status.SCHEDULED)


def cancelled(rng):
    request = pick(rng)
    with contextlib.suppress(BookingError):
        cancel_request(request, by=request.requester, enforce_cutoff=False)


def declined(rng):
    with contextlib.suppress(BookingError):
        decline_request(pick(rng), by=some_user(), reason="Another route fits better")


def attendance(rng):
    with contextlib.suppress(BookingError):
        record_attendance(pick(rng), attended=rng.random() < 0.7, by=some_user())


CHANGES = [set_status, bulk_status, forms_changed, context_changed, needs_changed, feedback_changed, answers_changed,
           deleted, created, series_changed, clinic_moved_or_cancelled, cancelled, declined, attendance]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 2**32), st.booleans()), min_size=1, max_size=10))
def test_the_dashboard_gives_the_live_figures_after_any_sequence_of_changes(seeded, steps):
    with transaction.atomic():
        Dashboard(ThemesFilter(start=date(2024, 8, 1), end=TODAY)).tables()  # builds every month's roll-up
        assert ThemeMonth.objects.count() >= 15
        for change, seed, read_between in steps:
            change(random.Random(seed))
            if read_between:  # some changes land on freshly rebuilt months, some pile up
                Dashboard(ThemesFilter.default(TODAY)).tables()
        assert_same_as_live(seeded)
        transaction.set_rollback(True)


def test_a_change_marks_its_month_and_the_next_read_rebuilds_only_that_month(seeded):
    f = ThemesFilter.default(TODAY)
    Dashboard(f).tables()
    months, _ = themes_rollup.split(f.start_at, f.end_at)
    assert themes_rollup.stale_months("made", months) == [] and not ThemeChange.objects.filter(basis="made", month__in=months).exists()
    built = dict(ThemeMonth.objects.filter(basis="made").values_list("month", "built_at"))
    request = ConsultationRequest.objects.filter(created_at__gte=datetime(2025, 3, 1, tzinfo=LONDON),
                                                 created_at__lt=datetime(2025, 4, 1, tzinfo=LONDON)).first()
    request.forms.add(FormOfAbuse.objects.exclude(requests=request).first())
    assert themes_rollup.stale_months("made", months) == [date(2025, 3, 1)]
    assert Dashboard(f).tables() == ReferenceDashboard(f).tables()
    rebuilt = {m for m, at in ThemeMonth.objects.filter(basis="made").values_list("month", "built_at") if built.get(m) != at}
    assert rebuilt == {date(2025, 3, 1)}
    assert themes_rollup.stale_months("made", months) == []


def test_a_read_of_a_stale_month_finds_nothing_to_do_once_another_reader_rebuilt_it(seeded):
    month = date(2025, 3, 1)
    assert themes_rollup.rebuild_month("made", month) is True  # never built
    assert themes_rollup.rebuild_month("made", month) is False  # nothing changed since
    ConsultationRequest.objects.filter(created_at__gte=themes_rollup.month_start(month)).order_by("created_at")[:1].get().save()
    assert themes_rollup.rebuild_month("made", month) is True


def test_the_small_number_rule_applies_to_the_sums_not_to_each_month():
    """Three requests naming a form in each of two months: each month alone would be hidden,
    the two-month total of six is shown; a total of four over two months is hidden."""
    person, form = make_user("p@council.gov.uk"), FormOfAbuse.objects.order_by("position")[0]
    other = FormOfAbuse.objects.order_by("position")[1]
    model = {"requester": person, "status": "declined", "question": "Child A", "confidence_before": 3,
             "pathway_stage": PathwayStage.objects.first(), "age_band": AgeBand.objects.first(),
             "plan_status": PlanStatus.objects.first()}
    for month, n_form, n_other in ((date(2025, 1, 1), 3, 2), (date(2025, 2, 1), 3, 2)):
        for i in range(n_form + n_other):
            at = datetime.combine(month + timedelta(days=i), time(10), tzinfo=LONDON)
            request = ConsultationRequest.objects.create(created_at=at, **model)
            request.forms.add(form if i < n_form else other)
    f = ThemesFilter(start=date(2025, 1, 1), end=date(2025, 2, 28))
    forms = {r.label: str(r.cells[0]) for r in Dashboard(f).forms().rows}
    assert ThemeMonth.objects.filter(basis="made", month__in=[date(2025, 1, 1), date(2025, 2, 1)]).count() == 2  # read from roll-ups
    assert forms[form.label] == "6"
    assert forms[other.label] == "fewer than 5"
    assert Dashboard(f).forms() == ReferenceDashboard(f).forms()


def rollup_rows() -> set[tuple]:
    return set(ThemeCount.objects.values_list("basis", "month", "agency_type_id", "series_id", "family", "value", "n"))


def test_rebuilding_everything_or_only_the_stale_months_changes_no_figure(seeded):
    assert_same_as_live(seeded, thresholds=(None,))
    built = rollup_rows()
    ThemeCount.objects.all().update(n=999)  # what a missed change would leave, corrected by the nightly task
    call_command("rebuild_theme_rollups")
    months = {(basis, month) for basis, month, *_ in built}
    assert {row for row in rollup_rows() if row[:2] in months} == built
    request = ConsultationRequest.objects.exclude(clinic=None).order_by("pk").first()
    ConsultationRequest.objects.filter(pk=request.pk).update(status="cancelled")
    assert refresh_theme_rollups() == 2  # the month it was made and the month of its clinic
    assert refresh_theme_rollups() == 0
    assert rebuild_theme_rollups() == ThemeMonth.objects.count()
    assert_same_as_live(seeded, thresholds=(None,))


def made_in(month: date, n: int) -> list[ConsultationRequest]:
    person = make_user(f"p{month:%Y%m}@council.gov.uk")
    made = []
    for i in range(n):
        request = ConsultationRequest.objects.create(
            requester=person, status="declined", question="Child A", confidence_before=3,
            pathway_stage=PathwayStage.objects.first(), age_band=AgeBand.objects.first(), plan_status=PlanStatus.objects.first(),
            created_at=datetime.combine(month + timedelta(days=i), time(10), tzinfo=LONDON))
        request.forms.add(FormOfAbuse.objects.first())
        made.append(request)
    return made


@pytest.mark.django_db(transaction=True)
def test_two_changes_to_one_month_at_once_neither_wait_nor_lose_a_mark():
    """Marks are inserts, not updates of a shared row: two open transactions changing requests of
    the same month both get past the change before either commits."""
    month = date(2025, 3, 1)
    first, second = made_in(month, 2)
    themes_rollup.rebuild_month("made", month)
    both_changed = threading.Barrier(2)
    errors: list[BaseException] = []

    def change(request):
        try:
            with transaction.atomic():
                ConsultationRequest.objects.filter(pk=request.pk).update(status="cancelled")
                both_changed.wait(timeout=20)  # would time out if one waited for the other's mark
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(r,)) for r in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert themes_rollup.stale_months("made", [month]) == [month]
    f = ThemesFilter(start=month, end=date(2025, 3, 31))
    assert Dashboard(f).tables() == ReferenceDashboard(f).tables()
    assert sum(r.cells[0].value for r in Dashboard(f).stages().rows) == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_while_its_month_is_rebuilt_is_counted_by_the_next_read():
    month = date(2025, 3, 1)
    requests = made_in(month, 6)
    themes_rollup.rebuild_month("made", month)
    changed, may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def change():
        try:
            with transaction.atomic():
                ConsultationRequest.objects.filter(pk=requests[0].pk).update(status="cancelled")
                changed.set()
                may_commit.wait(timeout=20)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=change)
    writer.start()
    assert changed.wait(timeout=20)
    # The rebuild cannot see the uncommitted change (nor its mark), and must not hide it.
    assert themes_rollup.rebuild_month("made", month, force=True)
    may_commit.set()
    writer.join(timeout=60)
    assert not errors
    assert themes_rollup.stale_months("made", [month]) == [month]
    f = ThemesFilter(start=month, end=date(2025, 3, 31))
    assert sum(r.cells[0].value for r in Dashboard(f).forms().rows) == 5
    assert Dashboard(f).tables() == ReferenceDashboard(f).tables()
