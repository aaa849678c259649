"""Trainings in a person's export and erasure."""

from typing import Any

from ankommen.privacy.registry import NEWCOMER, PERSON_KINDS, VOLUNTEER, PersonalData
from trainings.models import CalendarFeed, Qualification, Registration
from volunteers.models import Volunteer


def _export(**holder: Any) -> dict[str, Any]:
    return {
        "sign_ups": [
            {
                "course": registration.session.course.title,
                "starts_at": registration.session.starts_at.isoformat(),
                "state": registration.state,
                "attended": registration.attended,
            }
            for registration in Registration.objects.filter(**holder).select_related(
                "session__course"
            )
        ],
        "qualifications": list(
            Qualification.objects.filter(**holder).values("name", "granted_on", "valid_until")
        ),
        # That a private calendar address exists, never the address (it is a secret).
        "has_calendar_feed": "user" in holder
        and CalendarFeed.objects.filter(user=holder["user"]).exists(),
    }


def _erase_volunteer(volunteer: Volunteer) -> None:
    # Attendance stays (it counts in reports); the secret calendar address goes.
    CalendarFeed.objects.filter(user=volunteer.user).delete()


def _keep(person: Any) -> None:
    """Sign-ups name no one once the person's own record is erased."""


MODELS = ("trainings.Registration", "trainings.Qualification", "trainings.CalendarFeed")


def register() -> None:
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData("trainings", MODELS, lambda newcomer: _export(newcomer=newcomer), _keep),
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "trainings", MODELS, lambda volunteer: _export(user=volunteer.user), _erase_volunteer
        ),
    )
