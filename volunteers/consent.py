"""The data-processing consent text. Change the text, change the version: both are stored."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

CONSENT_VERSION = "2026-11"


def consent_text(language: str) -> str:
    with translation.override(language):
        return _(
            "I agree that %(portal)s stores and uses the information in my volunteer profile "
            "(contact details, languages, skills, availability, district and, if I give it, my "
            "gender) to coordinate my volunteering and to introduce me to newcomers. "
            "Coordinators of the network can see it. I can correct it at any time and withdraw "
            "this consent at any time; my data are then deleted after the retention period, "
            "unless the law requires keeping them."
        ) % {"portal": settings.PORTAL_NAME}
