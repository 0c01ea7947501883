"""What the detector reports: the kinds of identifier, a finding, and the advice shown for each kind."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "name",
    "date",
    "address",
    "postcode",
    "nhs_number",
    "ni_number",
    "phone",
    "email",
    "url",
    "social_handle",
    "school",
    "case_reference",
    "vehicle_registration",
)

ADVICE = {
    "name": "looks like a person's name: use a role such as 'Child A', 'Mother' or 'Social Worker'",
    "date": "looks like a date (for example a date of birth): give an age such as 'aged 9' or a season and year instead",
    "address": "looks like an address: say 'the family home' or describe the area in general terms",
    "postcode": "looks like a postcode: remove it",
    "nhs_number": "looks like an NHS number: remove it",
    "ni_number": "looks like a National Insurance number: remove it",
    "phone": "looks like a phone number: remove it",
    "email": "looks like an email address: remove it",
    "url": "looks like a web address: remove it or describe the site in general terms",
    "social_handle": "looks like a social media username: name the platform only, such as 'a Snapchat account'",
    "school": "looks like the name of a school, nursery, college or club: say 'the school', 'the nursery' or 'the club' instead",
    "case_reference": "looks like a case-system reference or ID number: remove it",
    "vehicle_registration": "looks like a vehicle registration: say 'a car' instead",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def message(self) -> str:
        return f"'{self.text}' {ADVICE[self.kind]}"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}
