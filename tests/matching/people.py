"""People who share Arabic, so that only the rule a test is about decides whether they match."""

from ankommen.vocabulary.models import Language
from refugees.models import NewcomerLanguage
from tests.factories import NewcomerFactory, VolunteerFactory
from volunteers.models import LanguageSkill


def arabic_speaker(**fields):
    volunteer = VolunteerFactory(stage="ready", max_mentorships=1, **fields)
    LanguageSkill.objects.create(
        volunteer=volunteer, language=Language.objects.get(code="ar"), level="native"
    )
    return volunteer


def arabic_newcomer(**fields):
    newcomer = NewcomerFactory(**fields)
    NewcomerLanguage.objects.create(
        newcomer=newcomer, language=Language.objects.get(code="ar"), level="native"
    )
    return newcomer
