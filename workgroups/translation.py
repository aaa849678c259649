"""What newcomers and volunteers read of tasks, partner offers and network events, per language."""

from modeltranslation.translator import TranslationOptions, register

from ankommen.translated_content import writes_in_source_language
from workgroups.models import NetworkEvent, Offer, Task


@register(Task)
class TaskTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "schedule")


@register(NetworkEvent)
class NetworkEventTranslation(TranslationOptions):
    fields = ("title", "description", "place")


# Coordinators write German: a text set by its plain name goes into the German column.
writes_in_source_language(Task)
writes_in_source_language(Offer)
writes_in_source_language(NetworkEvent)
