"""What translators and coordinators see of the translation work."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import get_language_info
from modeltranslation.translator import translator as registry

from ankommen.accounts.models import Role, User
from ankommen.translated_content import SOURCE_LANGUAGE, VERSION_LANGUAGES
from ankommen.vocabulary.models import LanguageLevel
from translations.hooks import TRANSLATABLE, Translatable
from translations.models import TranslationTask, Translator
from volunteers.models import LanguageSkill, Stage

# A claim nobody works on for this long goes back to the queue: a translator who fell ill does
# not block a text forever.
CLAIM_LAPSES_AFTER = timedelta(days=14)
TRANSLATING_LEVELS = (LanguageLevel.NATIVE, LanguageLevel.FLUENT)


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    options: Any = registry.get_options_for_model(model)  # the stubs know no `fields`
    return tuple(options.fields)


def translatables() -> list[Translatable]:
    return TRANSLATABLE.providers()


def translatable_for(model: type[models.Model]) -> Translatable | None:
    return TRANSLATABLE.get(model._meta.label_lower)


def with_current_source(tasks: QuerySet[TranslationTask]) -> QuerySet[TranslationTask]:
    """Each task with `current_source`: the record's German text now, or None where the record
    is gone or no longer read. One query, however many kinds of content there are."""
    branches = []
    types = ContentType.objects.get_for_models(*(item.model for item in translatables()))
    for item in translatables():
        for name in translated_fields(item.model):
            column = f"{name}_{SOURCE_LANGUAGE}"
            branches.append(
                When(
                    content_type_id=types[item.model].pk,
                    field=name,
                    then=Subquery(
                        item.still_read()
                        .filter(pk=OuterRef("object_id"))
                        .order_by()
                        .values(column)[:1]
                    ),
                )
            )
    current = Case(*branches, default=Value(None), output_field=models.TextField())
    return tasks.annotate(current_source=current)


def _lapsed() -> Q:
    return Q(state=TranslationTask.State.CLAIMED) & (
        Q(translator__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_LAPSES_AFTER)
    )


def _outdated() -> Q:
    return Q(state=TranslationTask.State.DONE) & ~Q(published_source=F("current_source"))


def readable(tasks: QuerySet[TranslationTask]) -> QuerySet[TranslationTask]:
    # `current_source` is an annotation the stubs cannot see.
    annotated = with_current_source(tasks)
    return annotated.exclude(current_source__isnull=True).exclude(current_source="")  # type: ignore[misc]


def waiting_anywhere() -> QuerySet[TranslationTask]:
    """Open texts, texts whose claim lapsed, and published ones whose German text changed."""
    return readable(TranslationTask.objects.all()).filter(
        Q(state=TranslationTask.State.OPEN) | _lapsed() | _outdated()
    )


def to_translate(language: str) -> QuerySet[TranslationTask]:
    return waiting_anywhere().filter(language=language).order_by("requested_at", "pk")


def in_progress_by(user: User) -> QuerySet[TranslationTask]:
    return readable(
        TranslationTask.objects.filter(state=TranslationTask.State.CLAIMED, translator=user)
    ).order_by("claimed_at", "pk")


def to_review(languages: list[str], *, reviewer: User) -> QuerySet[TranslationTask]:
    """Submitted translations in these languages that this person may approve: not their own."""
    return (
        readable(
            TranslationTask.objects.filter(
                state=TranslationTask.State.SUBMITTED, language__in=languages
            )
        )
        .exclude(translator=reviewer)
        .order_by("submitted_at", "pk")
    )


def is_outdated(task: TranslationTask) -> bool:
    current = getattr(task, "current_source", None)
    return (
        task.state == TranslationTask.State.DONE
        and current is not None
        and task.published_source != current
    )


def has_lapsed(task: TranslationTask) -> bool:
    return task.state == TranslationTask.State.CLAIMED and (
        task.translator_id is None
        or task.claimed_at is None
        or task.claimed_at < timezone.now() - CLAIM_LAPSES_AFTER
    )


def language_info(code: str) -> dict[str, Any]:
    info: dict[str, Any] = get_language_info(code)
    return info


def language_choices(
    codes: list[str] | tuple[str, ...] = VERSION_LANGUAGES,
) -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code in codes]


def describe(task: TranslationTask) -> str:
    """What kind of text it is ("Course · Title"), for translators, who see no record."""
    model = ContentType.objects.get_for_id(task.content_type_id).model_class()
    item = translatable_for(model) if model is not None else None
    if model is None or item is None:
        return task.field
    return f"{item.label or model._meta.verbose_name} · {field_label(model, task.field)}"


def field_label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def visible_tasks(user: User) -> QuerySet[TranslationTask]:
    """The tasks this person may open: those in the languages they translate (all, for
    coordinators); nothing before a volunteer has joined the translators."""
    if not (is_coordinating(user) or is_translator(user)):
        return TranslationTask.objects.none()
    return with_current_source(
        TranslationTask.objects.filter(language__in=translatable_languages(user))
    ).select_related("translator", "reviewer")


def is_coordinating(user: User) -> bool:
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def translatable_languages(user: User) -> list[str]:
    """The languages a volunteer may translate into: those they speak fluently or natively,
    that the portal has versions for. Coordinators may translate and review every language."""
    if is_coordinating(user):
        return list(VERSION_LANGUAGES)
    spoken = set(
        LanguageSkill.objects.filter(volunteer__user=user, level__in=TRANSLATING_LEVELS)
        .exclude(volunteer__stage=Stage.WITHDRAWN)
        .values_list("language__code", flat=True)
    )
    return [code for code in VERSION_LANGUAGES if code in spoken]


def is_translator(user: User) -> bool:
    return Translator.objects.filter(user=user).exists()


def works_in(user: User, language: str) -> bool:
    """Whether this person may claim, write and review texts in this language now."""
    if is_coordinating(user):
        return language in VERSION_LANGUAGES
    return is_translator(user) and language in translatable_languages(user)


@dataclass(frozen=True)
class LanguageWork:
    language: str
    name: str
    to_translate: int
    in_progress: int
    to_review: int
    done: int
    translators: int


def overview() -> list[LanguageWork]:
    """Per language: what waits, what is being done, what is published; for coordinators."""
    rows = (
        readable(TranslationTask.objects.all())
        .annotate(
            bucket=Case(
                When(_outdated(), then=Value("open")),
                When(_lapsed(), then=Value("open")),
                When(state=TranslationTask.State.OPEN, then=Value("open")),
                default=F("state"),
                output_field=models.CharField(),
            )
        )
        .values_list("language", "bucket")
    )
    counts = Counter(rows)
    translators = translators_by_language()
    return [
        LanguageWork(
            language=code,
            name=name,
            to_translate=counts[(code, "open")],
            in_progress=counts[(code, TranslationTask.State.CLAIMED)],
            to_review=counts[(code, TranslationTask.State.SUBMITTED)],
            done=counts[(code, TranslationTask.State.DONE)],
            translators=translators[code],
        )
        for code, name in language_choices()
    ]


def translators_by_language() -> Counter[str]:
    """How many translators can take each language's texts."""
    spoken = LanguageSkill.objects.filter(
        volunteer__user__translator__isnull=False, level__in=TRANSLATING_LEVELS
    ).exclude(volunteer__stage=Stage.WITHDRAWN)
    return Counter(
        code
        for code in spoken.values_list("language__code", flat=True)
        if code in VERSION_LANGUAGES
    )


def tasks_of(record: models.Model) -> dict[tuple[str, str], TranslationTask]:
    """A record's tasks by (field, language), each with its current source."""
    tasks = with_current_source(
        TranslationTask.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
    )
    return {(task.field, task.language): task for task in tasks}


def record_of(task: TranslationTask) -> models.Model | None:
    """The record a task's text belongs to, if readers still read it."""
    model = task.content_type.model_class()
    item = translatable_for(model) if model is not None else None
    if item is None:
        return None
    return item.still_read().filter(pk=task.object_id).first()
