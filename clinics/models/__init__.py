from clinics.models.clinics import Clinic, ClinicSeries, Mode, Slot
from clinics.models.programme import Cohort
from clinics.models.reflective import ReflectiveAttendance, ReflectiveSeries, ReflectiveSession, WellbeingCheckIn
from clinics.models.requests import AccessLog, CoAttendee, ConsultationRequest, Feedback, Outcome, WaitlistOffer
from clinics.models.resources import Resource
from clinics.models.taxonomy import (
    AgeBand,
    CoAttendeeRole,
    ContextFactor,
    FormOfAbuse,
    Gender,
    PathwayStage,
    PlanStatus,
    RedirectRoute,
    ResourceKind,
    SupportNeed,
)
from clinics.models.themes_rollup import ThemeChange, ThemeCount, ThemeMonth
from clinics.models.wording import WordingCheck

__all__ = [
    "AccessLog",
    "AgeBand",
    "Clinic",
    "ClinicSeries",
    "CoAttendee",
    "CoAttendeeRole",
    "Cohort",
    "ConsultationRequest",
    "ContextFactor",
    "Feedback",
    "FormOfAbuse",
    "Gender",
    "Mode",
    "Outcome",
    "PathwayStage",
    "PlanStatus",
    "RedirectRoute",
    "ReflectiveAttendance",
    "ReflectiveSeries",
    "ReflectiveSession",
    "Resource",
    "ResourceKind",
    "Slot",
    "SupportNeed",
    "ThemeChange",
    "ThemeCount",
    "ThemeMonth",
    "WaitlistOffer",
    "WellbeingCheckIn",
    "WordingCheck",
]
