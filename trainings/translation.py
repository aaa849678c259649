"""What newcomers and volunteers read of a course and its sessions, per language."""

from modeltranslation.translator import TranslationOptions, register

from ankommen.translated_content import writes_in_source_language
from trainings.models import Course, Session


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("place",)


# Coordinators write German: a text set by its plain name goes into the German column.
writes_in_source_language(Course)
writes_in_source_language(Session)
