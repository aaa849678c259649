"""People who share Arabic, so that only the rule a test is about decides whether they match."""

from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    VolunteerFactory,
)


def arabic_speaker(**fields):
    volunteer = VolunteerFactory(stage="ready", max_mentorships=1, **fields)
    LanguageSkillFactory(volunteer=volunteer)
    return volunteer


def arabic_newcomer(**fields):
    newcomer = NewcomerFactory(**fields)
    NewcomerLanguageFactory(newcomer=newcomer)
    return newcomer
