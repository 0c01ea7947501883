"""The faster themes queries give exactly the figures of the queries they replaced.

``tests/clinics/themes_reference.py`` keeps main's query path verbatim; every table the
dashboard and the CSV downloads show is compared, cell by cell (the SafeCount values and their
suppression), on one seeded dataset under several filters and thresholds.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest

from accounts.models import AgencyType, User
from clinics.models import (
    AgeBand,
    Clinic,
    ConsultationRequest,
    ContextFactor,
    Feedback,
    FormOfAbuse,
    PathwayStage,
    PlanStatus,
    Slot,
    SupportNeed,
)
from clinics.recurrence import LONDON
from clinics.themes import Dashboard, ThemesFilter, themes_summary
from tests.clinics.themes_reference import ReferenceDashboard, reference_themes_summary
from tests.factories import make_series

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 20)
STATUSES = [s for s, _ in ConsultationRequest.Status.choices]


@pytest.fixture
def seeded(db):
    """About 600 requests over 16 months in two series and one stand-alone clinic set, from six
    agencies, every status, with uneven counts so that many cells are small."""
    rng = random.Random(13)
    agencies = list(AgencyType.objects.order_by("pk"))
    people = User.objects.bulk_create(
        User(email=f"p{i}@council.gov.uk", password="!", full_name=f"Practitioner {i}",
             agency_type=agencies[i % len(agencies)], organisation="Northshire Council")
        for i in range(30)
    )
    series = [make_series(title="Series A"), make_series(title="Series B")]
    terms = {m: list(m.objects.all()) for m in (AgeBand, PathwayStage, PlanStatus, FormOfAbuse, ContextFactor, SupportNeed)}
    forms_through = ConsultationRequest.forms.through
    context_through = ConsultationRequest.context_factors.through
    needs_through = ConsultationRequest.support_needs.through
    for week in range(70):
        starts = datetime.combine(TODAY - timedelta(weeks=66 - week), time(10), tzinfo=LONDON)
        clinic = Clinic.objects.create(
            series=series[week % 3] if week % 3 < 2 else None, original_date=starts.date(), starts_at=starts,
            ends_at=starts + timedelta(hours=3), title="Clinic", capacity=10,
            status=Clinic.Status.CANCELLED if week % 17 == 5 else Clinic.Status.SCHEDULED,
            booking_opens_at=starts - timedelta(weeks=12), booking_closes_at=starts - timedelta(days=1),
            change_cutoff_at=starts - timedelta(days=1),
        )
        slots = Slot.objects.bulk_create(
            Slot(clinic=clinic, position=p, starts_at=starts + timedelta(minutes=50 * p),
                 ends_at=starts + timedelta(minutes=50 * p + 45))
            for p in range(1, 11)
        )
        for slot in slots[: rng.randint(3, 10)]:
            status = rng.choice(STATUSES)
            holds = status in ConsultationRequest.HOLDS_SLOT
            person = rng.choice(people)
            request = ConsultationRequest.objects.create(
                requester=person, requester_agency_type=person.agency_type if rng.random() > 0.05 else None,
                clinic=None if status in ("declined", "requested") else clinic, slot=slot if holds else None,
                status=status, waitlisted_at=starts - timedelta(days=9) if status == "waitlisted" else None,
                pathway_stage=rng.choice(terms[PathwayStage][:4]), age_band=rng.choice(terms[AgeBand]),
                plan_status=rng.choice(terms[PlanStatus]), confidence_before=rng.choice([1, 2, 2, 3, 3, 3, 4, 5]),
                question="Child A", created_at=starts - timedelta(days=rng.randint(1, 50), hours=rng.randint(0, 23)),
            )
            forms_through.objects.bulk_create(
                forms_through(consultationrequest=request, formofabuse=f)
                for f in rng.sample(terms[FormOfAbuse][:5], rng.randint(1, 2))
            )
            context_through.objects.bulk_create(
                context_through(consultationrequest=request, contextfactor=f)
                for f in rng.sample(terms[ContextFactor], rng.randint(0, 2))
            )
            needs_through.objects.bulk_create(
                needs_through(consultationrequest=request, supportneed=f)
                for f in rng.sample(terms[SupportNeed], rng.randint(1, 2))
            )
            if status == "attended" and rng.random() < 0.7:
                Feedback.objects.create(request=request, confidence_after=rng.randint(2, 5),
                                        submitted_at=starts + timedelta(days=2))
    # A retired term that still counts, and one that does not.
    PathwayStage.objects.filter(pk=terms[PathwayStage][0].pk).update(active=False)
    PathwayStage.objects.filter(pk=terms[PathwayStage][-1].pk).update(active=False)
    return {"series": series, "agencies": agencies}


def filters(seeded) -> list[ThemesFilter]:
    default = ThemesFilter.default(TODAY)
    return [
        default,
        ThemesFilter(start=date(2024, 8, 1), end=TODAY),
        ThemesFilter(start=date(2025, 3, 1), end=date(2025, 3, 31)),
        ThemesFilter(start=default.start, end=default.end, agency_type=seeded["agencies"][1]),
        ThemesFilter(start=default.start, end=default.end, series=seeded["series"][0]),
        ThemesFilter(start=date(2025, 1, 1), end=date(2025, 6, 30), agency_type=seeded["agencies"][0],
                     series=seeded["series"][1]),
        ThemesFilter(start=date(2030, 1, 1), end=date(2030, 2, 1)),
    ]


@pytest.mark.parametrize("threshold", [None, 3, 10])
def test_every_table_and_csv_matches_the_reference_queries(seeded, threshold):
    assert ConsultationRequest.objects.count() > 300
    for f in filters(seeded):
        new = Dashboard(f, threshold).tables()
        old = ReferenceDashboard(f, threshold).tables()
        assert [t.key for t in new] == [t.key for t in old]
        for a, b in zip(new, old, strict=True):
            assert a == b, (f, a.key)
            assert a.csv_rows() == b.csv_rows()
        for key in Dashboard.TABLES:
            assert Dashboard(f, threshold).table(key) == ReferenceDashboard(f, threshold).table(key)


def test_the_bulletins_summary_matches_the_reference_query(seeded):
    for start, end in ((date(2025, 3, 1), date(2025, 4, 1)), (date(2024, 1, 1), date(2026, 1, 1))):
        start_at = datetime.combine(start, time(0), tzinfo=LONDON)
        end_at = datetime.combine(end, time(0), tzinfo=LONDON)
        assert themes_summary(start_at, end_at) == reference_themes_summary(start_at, end_at)
