"""Demo data for `make run` and screenshots: role names only, invented agencies.

Idempotent: people, series and past history are created once; each run adds one "reminder
check" clinic starting 24 hours and 1 minute from now with a booking, so the 24-hour reminder
falls due a minute after start and the running worker sends it (to the console).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyType, Role, RoleGrant, User
from clinics.intake import RequestAnswers, submit_request
from clinics.models import (
    AgeBand,
    Clinic,
    ClinicSeries,
    ConsultationRequest,
    ContextFactor,
    Feedback,
    FormOfAbuse,
    Outcome,
    PathwayStage,
    PlanStatus,
    ReflectiveAttendance,
    ReflectiveSession,
    Resource,
    Slot,
    SupportNeed,
)
from clinics.recurrence import LONDON, occurrence_dates
from clinics.scheduling import generate_occurrences

PASSWORD = "demo-password-123"  # noqa: S105 - demo only; seed_demo refuses to run in production

PEOPLE = [
    ("coordinator@demo.example", "Coordinator 1", "childrens-social-care", "Northshire Council", "CSA Improvement", "Service manager", [Role.COORDINATOR]),
    ("lead1@demo.example", "Lead 1", "childrens-social-care", "Northshire Council", "Assessment Team 1", "Practice lead", [Role.PRACTICE_LEAD]),
    ("lead2@demo.example", "Lead 2", "health", "Northshire Community Health", "Safeguarding Team", "Named nurse", [Role.PRACTICE_LEAD]),
    ("practitioner1@demo.example", "Practitioner 1", "childrens-social-care", "Northshire Council", "Assessment Team 2", "Social worker", []),
    ("practitioner2@demo.example", "Practitioner 2", "childrens-social-care", "Northshire Council", "Children in Care Team", "Senior social worker", []),
    ("practitioner3@demo.example", "Practitioner 3", "education", "Riverside Learning Trust", "Safeguarding", "Designated safeguarding lead", []),
    ("manager@demo.example", "Manager 1", "childrens-social-care", "Northshire Council", "Quality Assurance", "Head of service", [Role.MANAGER]),
]

QUESTIONS = [
    "Child A (aged 9) told her teacher that an older cousin touched her. Mum believes her but Dad does not. How do we talk with Child A about what happens next?",
    "Sibling B (14) has shown sexualised behaviour towards a younger sibling. How do we assess risk while keeping the family together?",
    "Young person C (15) has been going missing and has new older friends. What should the safety plan include?",
    "Child D (6) has made a partial disclosure at school. The DSL wants advice on the strategy discussion.",
    "Father of Child E was arrested for online offences. How do we support Mum and the children?",
]


class Command(BaseCommand):
    help = "Load demo data (role names only) and a booking whose 24-hour reminder is due a minute from now."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known passwords and is refused when DJANGO_ENV=production")
        rng = random.Random(2025)
        with transaction.atomic():
            people = {row[0]: self._person(*row) for row in PEOPLE}
            leads = [people["lead1@demo.example"], people["lead2@demo.example"]]
            series = self._series(leads, people["coordinator@demo.example"])
            if not ConsultationRequest.objects.exists():
                self._history(people, leads, rng)
                self._upcoming_bookings(people, series)
                self._reflective(leads)
        self._reminder_check(people["practitioner1@demo.example"], leads)
        self._print_signins(people)

    # --- people ---------------------------------------------------------------------------
    def _person(self, email, name, agency, organisation, team, job, roles) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                PASSWORD,
                full_name=name,
                agency_type=AgencyType.objects.get(slug=agency),
                organisation=organisation,
                team=team,
                job_title=job,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for role in roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        if roles and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        return user

    # --- clinics --------------------------------------------------------------------------
    def _series(self, leads, coordinator) -> ClinicSeries:
        series, created = ClinicSeries.objects.get_or_create(
            title="Monthly CSA consultation clinic",
            defaults={
                "description": "Bring an anonymised case question about a child you are worried about.",
                "rrule": "FREQ=MONTHLY;BYDAY=+2TU",
                "starts_on": timezone.localdate() - timedelta(days=200),
                "start_time": time(10, 0),
                "slot_count": 3,
                "slot_minutes": 45,
                "break_minutes": 5,
                "online_link": "https://meet.example.org/northshire-csa-clinic",
                "created_by": coordinator,
            },
        )
        if created:
            series.facilitators.set(leads)
        generate_occurrences(series)
        venue_series, created = ClinicSeries.objects.get_or_create(
            title="Partner agencies CSA clinic",
            defaults={
                "rrule": "FREQ=MONTHLY;BYDAY=-1TH",
                "starts_on": timezone.localdate(),
                "start_time": time(13, 30),
                "slot_count": 2,
                "slot_minutes": 60,
                "mode": "in_person",
                "venue": "Civic Centre, Meeting Room 2",
                "created_by": coordinator,
            },
        )
        if created:
            venue_series.facilitators.set(leads[1:])
        generate_occurrences(venue_series)
        return series

    def _answers(self, rng: random.Random, question: str) -> RequestAnswers:
        return RequestAnswers(
            forms=rng.sample(list(FormOfAbuse.objects.all()), k=rng.choice([1, 1, 2])),
            pathway_stage=rng.choice(list(PathwayStage.objects.all())),
            age_band=rng.choice(list(AgeBand.objects.all())),
            plan_status=rng.choice(list(PlanStatus.objects.all())),
            support_needs=rng.sample(list(SupportNeed.objects.exclude(slug="other")), k=2),
            context_factors=rng.sample(list(ContextFactor.objects.all()), k=rng.choice([0, 1, 2])),
            question=question,
            confidence_before=rng.choice([1, 2, 2, 3, 3, 4]),
        )

    def _history(self, people, leads, rng: random.Random) -> None:
        """Past clinics with attended consultations, outcomes and feedback, so the themes
        dashboard and the practice leads' pages have something to show."""
        practitioners = [p for e, p in people.items() if e.startswith("practitioner")]
        resources = list(Resource.objects.all())
        now = timezone.now()
        today = now.astimezone(LONDON).date()
        past_days = occurrence_dates("FREQ=MONTHLY;BYDAY=+2TU", starts_on=today - timedelta(days=130), until=today - timedelta(days=1))
        for day in past_days[-3:]:
            starts = datetime.combine(day, time(10, 0), tzinfo=LONDON)
            clinic = Clinic.objects.create(
                original_date=day, starts_at=starts, ends_at=starts + timedelta(hours=3), title="Monthly CSA consultation clinic",
                online_link="https://meet.example.org/northshire-csa-clinic", capacity=6,
                booking_opens_at=starts - timedelta(weeks=12), booking_closes_at=starts - timedelta(hours=24),
                change_cutoff_at=starts - timedelta(hours=24),
            )
            clinic.facilitators.set(leads)
            for i in range(6):
                slot = Slot.objects.create(clinic=clinic, position=i + 1, starts_at=starts + timedelta(minutes=30 * i),
                                           ends_at=starts + timedelta(minutes=30 * i + 25))
                a = self._answers(rng, rng.choice(QUESTIONS))
                requester = rng.choice(practitioners)
                attended = i != 5
                request = ConsultationRequest.objects.create(
                    requester=requester, clinic=clinic, slot=slot,
                    status=ConsultationRequest.Status.ATTENDED if attended else ConsultationRequest.Status.DID_NOT_ATTEND,
                    pathway_stage=a.pathway_stage, age_band=a.age_band, plan_status=a.plan_status, question=a.question,
                    confidence_before=a.confidence_before, requester_agency_type=requester.agency_type,
                    requester_organisation=requester.organisation, requester_team=requester.team,
                    requester_job_title=requester.job_title, triage=ConsultationRequest.Triage.ACCEPTED,
                    created_at=starts - timedelta(days=10), attendance_recorded_at=starts + timedelta(hours=3),
                )
                request.forms.set(a.forms)
                request.support_needs.set(a.support_needs)
                request.context_factors.set(a.context_factors)
                if attended:
                    outcome = Outcome.objects.create(
                        request=request, advice="Use the Signs and Indicators Template with the team; plan direct work with Child A using the Communicating with Children guide.",
                        actions="Practitioner to book a strategy discussion; Lead 1 to share the guide.", recorded_by=leads[0],
                        follow_up_needed=i % 2 == 0, follow_up="Bring back to next month's clinic if the plan stalls." if i % 2 == 0 else "",
                        recorded_at=starts + timedelta(hours=3),
                    )
                    outcome.resources.set(rng.sample(resources, k=2))
                    Feedback.objects.create(request=request, confidence_after=min(5, a.confidence_before + rng.choice([1, 2])),
                                            comment="Clear next steps and useful tools.", submitted_at=starts + timedelta(days=1))

    def _upcoming_bookings(self, people, series: ClinicSeries) -> None:
        rng = random.Random(7)
        now = timezone.now()
        # The soonest clinic still taking bookings (the next one may already have closed).
        upcoming = series.clinics.filter(booking_opens_at__lte=now, booking_closes_at__gt=now).order_by("starts_at").first()
        if upcoming is None:
            return
        for email in ("practitioner2@demo.example", "practitioner3@demo.example"):
            submit_request(people[email], self._answers(rng, rng.choice(QUESTIONS)), upcoming)

    def _reflective(self, leads) -> None:
        now = timezone.now()
        for weeks in (2, 8):
            day = (now + timedelta(weeks=weeks)).astimezone(LONDON).date()
            starts = datetime.combine(day, time(14, 0), tzinfo=LONDON)
            session = ReflectiveSession.objects.create(
                original_date=day, title="Practice leads reflective session", starts_at=starts,
                ends_at=starts + timedelta(hours=2), capacity=10, online_link="https://meet.example.org/csa-leads",
            )
            ReflectiveAttendance.objects.create(session=session, lead=leads[0], status=ReflectiveAttendance.Status.BOOKED)

    def _reminder_check(self, practitioner: User, leads) -> None:
        """A clinic whose only slot starts 24 h + 1 min from now, booked through the real
        operation: the confirmation goes out at once, the 24-hour reminder a minute later."""
        now = timezone.now().replace(microsecond=0)
        starts = now + timedelta(hours=24, minutes=1)
        clinic = Clinic.objects.create(
            original_date=starts.astimezone(LONDON).date(), starts_at=starts, ends_at=starts + timedelta(minutes=45),
            title="Demo clinic (reminder check)", online_link="https://meet.example.org/northshire-csa-clinic", capacity=1,
            booking_opens_at=now - timedelta(days=1), booking_closes_at=starts - timedelta(hours=1),
            change_cutoff_at=starts - timedelta(hours=2),
        )
        Slot.objects.create(clinic=clinic, position=1, starts_at=starts, ends_at=starts + timedelta(minutes=45))
        clinic.facilitators.set(leads)
        rng = random.Random(11)
        placement = submit_request(practitioner, self._answers(rng, QUESTIONS[0]), clinic)
        local = starts.astimezone(LONDON)
        self.stdout.write(
            f"Demo booking {placement.request.reference} for {local:%A %-d %B %H:%M}: "
            f"its 24-hour reminder is due at {(local - timedelta(hours=24)):%H:%M} (in about a minute)."
        )

    def _print_signins(self, people) -> None:
        self.stdout.write(f"\nDemo sign-ins (password for every account: {PASSWORD}):")
        for email, name, *_rest, roles in PEOPLE:
            label = ", ".join(Role(r).label for r in roles) or "Practitioner"
            line = f"  {email:<28} {name:<15} {label}"
            auth = Authenticator.objects.filter(user=people[email], type=Authenticator.Type.TOTP).first()
            if auth:
                line += f"   authenticator secret: {decrypt(auth.data['secret'])}"
            self.stdout.write(line)
        self.stdout.write("Privileged roles need the authenticator code: add the secret to any authenticator app.")
