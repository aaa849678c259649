"""The translation work: asking for versions, claiming, writing, reviewing, publishing.

The one rule for readers: a text's version in a language is what the record's column for that
language holds, and only three ways put it there: a coordinator writes it in the record's form
(`note_versions`), a reviewer approves a volunteer's translation (`approve`), or the same German
words were approved before (`approve` copies it to the other open texts with those words, and
`reuse_known_translations` gives it to a new one).
"""

import contextlib
from datetime import datetime
from decimal import ROUND_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.messaging.services import notify
from ankommen.translated_content import SOURCE_LANGUAGE, VERSION_LANGUAGES
from refugees.models import Newcomer
from translations import selectors
from translations.models import TranslationTask, Translator
from volunteers.models import Volunteer
from volunteers.services import VolunteerError, log_hours

State = TranslationTask.State


class TranslationError(Exception):
    """A refusal whose text is for the person who asked."""


def reader_languages() -> list[str]:
    """The languages the network's newcomers read their pages in (German aside): what a new
    text is asked to be translated into without anyone choosing."""
    read = set(
        Newcomer.objects.filter(closed_at__isnull=True)
        .values_list("preferred_language", flat=True)
        .distinct()
    )
    return [code for code in VERSION_LANGUAGES if code in read]


def _tasks_of(record: models.Model) -> models.QuerySet[TranslationTask]:
    return TranslationTask.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def _source(record: models.Model, field: str) -> str:
    return getattr(record, f"{field}_{SOURCE_LANGUAGE}") or ""


@transaction.atomic
def ask_for_translations(
    record: models.Model, *, by: User | None, languages: list[str] | None = None
) -> int:
    """Tasks for the record's texts in these languages (the readers' languages if none are
    given), where none exists yet. Returns how many texts were newly asked for."""
    wanted = [code for code in (languages or reader_languages()) if code in VERSION_LANGUAGES]
    fields = [name for name in selectors.translated_fields(type(record)) if _source(record, name)]
    existing = {(task.field, task.language): task for task in _tasks_of(record)}
    content_type = ContentType.objects.get_for_model(record)
    new = [
        TranslationTask(content_type=content_type, object_id=record.pk, field=name, language=code)
        for name in fields
        for code in wanted
        if (name, code) not in existing
    ]
    TranslationTask.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def note_versions(record: models.Model, *, by: User) -> None:
    """After a coordinator saved the record's form: the versions they wrote there are
    published as theirs, a version they emptied is asked for again, and a version they left
    as it was stays (outdated, if they changed the German text)."""
    content_type = ContentType.objects.get_for_model(record)
    tasks = {(task.field, task.language): task for task in _tasks_of(record).select_for_update()}
    now = timezone.now()
    for name in selectors.translated_fields(type(record)):
        source = _source(record, name)
        for code in VERSION_LANGUAGES:
            version = getattr(record, f"{name}_{code}") or ""
            task = tasks.get((name, code))
            if task is None:
                if version:
                    TranslationTask.objects.create(
                        content_type=content_type,
                        object_id=record.pk,
                        field=name,
                        language=code,
                        state=State.DONE,
                        published=version,
                        published_source=source,
                        reviewer=by,
                        reviewed_at=now,
                    )
                continue
            if version == task.published:
                continue
            task.published = version
            task.published_source = source if version else ""
            if version and task.state == State.OPEN:
                task.state, task.reviewer, task.reviewed_at = State.DONE, by, now
            elif not version and task.state == State.DONE:
                task.state = State.OPEN
            task.save()


def sync_record(record: models.Model, *, by: User) -> None:
    """What a content app calls after a coordinator created or changed a record."""
    note_versions(record, by=by)
    ask_for_translations(record, by=by)
    reuse_known_translations(record)


@transaction.atomic
def reuse_known_translations(record: models.Model) -> int:
    """The record's open texts whose German words were translated and approved before (the
    same place in a new session, a copied course) get that translation at once. Returns how
    many were published."""
    content_type = ContentType.objects.get_for_model(record)
    published = 0
    for task in selectors.readable(_tasks_of(record).filter(state=State.OPEN)).select_for_update(
        of=("self",)
    ):
        known = (
            TranslationTask.objects.filter(
                content_type=content_type,
                field=task.field,
                language=task.language,
                state=State.DONE,
                published_source=task.current_source,  # type: ignore[attr-defined]
            )
            .exclude(published="")
            .order_by("-reviewed_at")
            .first()
        )
        if known is None:
            continue
        task.draft, task.draft_source = known.published, known.published_source
        _publish(task, by=known.reviewer, at=timezone.now())
        task.save()
        published += 1
    return published


# --- Translators -------------------------------------------------------------------------


def join(*, user: User) -> Translator:
    if not Volunteer.objects.filter(user=user).exists():
        raise TranslationError(_("Only volunteers can join the translators."))
    if not selectors.translatable_languages(user):
        raise TranslationError(
            _(
                "To translate, add a language you speak fluently or natively to your profile "
                "(one the portal's pages are offered in)."
            )
        )
    translator, _created = Translator.objects.get_or_create(user=user)
    return translator


@transaction.atomic
def leave(*, user: User) -> None:
    """Stops translating; texts they had claimed go back to the queue, their drafts kept."""
    for task in TranslationTask.objects.select_for_update().filter(
        translator=user, state=State.CLAIMED
    ):
        _give_back(task)
    Translator.objects.filter(user=user).delete()


# --- The work on one text -----------------------------------------------------------------


def _locked(task: TranslationTask) -> TranslationTask:
    return selectors.with_current_source(
        TranslationTask.objects.select_for_update(of=("self",)).filter(pk=task.pk)
    ).get()


def _may_work_on(task: TranslationTask, by: User) -> None:
    if not selectors.works_in(by, task.language):
        raise TranslationError(_("You do not translate into this language."))
    if task.current_source in (None, ""):  # type: ignore[attr-defined]
        raise TranslationError(_("This text is no longer shown to anyone."))


def _give_back(task: TranslationTask) -> None:
    task.state = State.DONE if task.published else State.OPEN
    task.translator = None
    task.claimed_at = None
    task.save()


@transaction.atomic
def claim(task: TranslationTask, *, by: User) -> TranslationTask:
    task = _locked(task)
    _may_work_on(task, by)
    claimable = (
        task.state == State.OPEN or selectors.is_outdated(task) or selectors.has_lapsed(task)
    )
    if not claimable:
        if task.state == State.CLAIMED and task.translator_id == by.pk:
            return task
        raise TranslationError(_("Someone else is already working on this text."))
    if not task.draft and task.published:
        task.draft = task.published  # an outdated version is updated, not written anew
    task.state = State.CLAIMED
    task.translator = by
    task.claimed_at = timezone.now()
    task.draft_source = task.current_source  # type: ignore[attr-defined]
    task.review_note = ""
    task.save()
    return task


def _own_claim(task: TranslationTask, by: User) -> None:
    if task.state != State.CLAIMED or task.translator_id != by.pk:
        raise TranslationError(_("Claim this text first; someone else may be working on it."))


def _model_of(task: TranslationTask) -> type[models.Model]:
    model = task.content_type.model_class()
    if model is None:  # an app removed since the task was made
        raise TranslationError(_("This text is no longer shown to anyone."))
    return model


def _checked_text(task: TranslationTask, text: str) -> str:
    text = text.strip()
    field = _model_of(task)._meta.get_field(f"{task.field}_{task.language}")
    limit = field.max_length if isinstance(field, models.Field) else None
    if limit is not None and len(text) > limit:
        raise TranslationError(
            _("The translation is %(length)s characters long; this text allows %(limit)s.")
            % {"length": len(text), "limit": limit}
        )
    return text


@transaction.atomic
def save_draft(task: TranslationTask, *, text: str, by: User) -> TranslationTask:
    task = _locked(task)
    _own_claim(task, by)
    task.draft = _checked_text(task, text)
    task.save(update_fields=["draft"])
    return task


@transaction.atomic
def submit(task: TranslationTask, *, text: str, minutes: int | None, by: User) -> TranslationTask:
    task = _locked(task)
    _may_work_on(task, by)
    _own_claim(task, by)
    text = _checked_text(task, text)
    if not text:
        raise TranslationError(_("Write the translation before sending it for review."))
    task.draft = text
    task.draft_source = task.current_source  # type: ignore[attr-defined]
    task.minutes = minutes
    task.state = State.SUBMITTED
    task.submitted_at = timezone.now()
    task.review_note = ""
    task.save()
    return task


@transaction.atomic
def send_back(task: TranslationTask, *, note: str, by: User) -> TranslationTask:
    task = _locked(task)
    _may_review(task, by)
    note = note.strip()
    if not note:
        raise TranslationError(_("Say what should change, so the translator knows."))
    task.state = State.CLAIMED
    task.claimed_at = timezone.now()
    task.review_note = note[:500]
    task.reviewer = by
    task.reviewed_at = timezone.now()
    task.save()
    if task.translator is not None:
        with translation.override(task.translator.preferred_language or settings.LANGUAGE_CODE):
            kind = selectors.describe(task)
        notify(
            task.translator,
            occasion="translations/sent_back",
            context={
                "kind": kind,
                "note": task.review_note,
                "url": settings.PORTAL_URL + task.get_absolute_url(),
            },
            key=f"translation-sent-back:{task.pk}:{task.reviewed_at.isoformat()}",
        )
    return task


@transaction.atomic
def release(task: TranslationTask, *, by: User) -> TranslationTask:
    """The translator gives the text back (a coordinator may too), keeping the draft."""
    task = _locked(task)
    if task.state != State.CLAIMED or (
        task.translator_id != by.pk and not selectors.is_coordinating(by)
    ):
        raise TranslationError(_("Only the person working on this text can give it back."))
    _give_back(task)
    return task


def _may_review(task: TranslationTask, by: User) -> None:
    _may_work_on(task, by)
    if task.state != State.SUBMITTED:
        raise TranslationError(_("This translation is not waiting for a review."))
    if task.translator_id == by.pk:
        raise TranslationError(_("A second person reviews a translation, not its translator."))


@transaction.atomic
def approve(task: TranslationTask, *, by: User) -> TranslationTask:
    """Publishes the translation: readers see it from now on. The other texts in this
    language with the same German words get it too, where nobody is working on them."""
    task = _locked(task)
    _may_review(task, by)
    if task.draft_source != task.current_source:  # type: ignore[attr-defined]
        raise TranslationError(
            _(
                "The German text changed after this translation was written. Send it back so "
                "that it can be brought up to date."
            )
        )
    now = timezone.now()
    _publish(task, by=by, at=now)
    task.save()
    same_words = selectors.readable(
        TranslationTask.objects.filter(
            content_type=task.content_type,
            field=task.field,
            language=task.language,
            state=State.OPEN,
        ).exclude(pk=task.pk)
    ).filter(current_source=task.draft_source)  # type: ignore[misc]
    for other in same_words.select_for_update(of=("self",)):
        other.draft, other.draft_source = task.draft, task.draft_source
        _publish(other, by=by, at=now)
        other.save()
    _credit(task)
    return task


def _publish(task: TranslationTask, *, by: User | None, at: datetime) -> None:
    _model_of(task)._base_manager.filter(pk=task.object_id).update(
        **{f"{task.field}_{task.language}": task.draft}
    )
    task.published = task.draft
    task.published_source = task.draft_source
    task.state = State.DONE
    task.reviewer = by
    task.reviewed_at = at


def _credit(task: TranslationTask) -> None:
    """The translator's time becomes hours, which the coordinators confirm like any hours."""
    if not settings.TRANSLATION_HOURS or not task.minutes or task.translator is None:
        return
    volunteer = Volunteer.objects.filter(user=task.translator).first()
    if volunteer is None:
        return
    quarters = (Decimal(task.minutes) / 15).to_integral_value(rounding=ROUND_UP)
    hours = max(quarters / 4, Decimal("0.25"))
    with translation.override(task.translator.preferred_language or settings.LANGUAGE_CODE):
        note = _("Translation into %(language)s") % {
            "language": translation.get_language_info(task.language)["name_local"]
        }
    # A translation submitted over a year ago earns no hours; it is published all the same.
    with contextlib.suppress(VolunteerError, ValidationError):
        log_hours(
            volunteer=volunteer,
            worked_on=timezone.localdate(task.submitted_at or timezone.now()),
            hours=min(hours, Decimal("24")),
            theme=None,
            note=note,
        )
