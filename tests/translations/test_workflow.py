"""Volunteer translators, end to end: a coordinator publishes a text, a translator who speaks
the language takes it from the queue, a second person approves it, and only then does the
newcomer read it; a changed German text shows the version as outdated, still shown."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from ankommen.vocabulary.models import Language
from refugees.services import issue_access_link
from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    SessionFactory,
    VolunteerFactory,
)
from trainings.models import Course, Session
from trainings.services.planning import create_course, update_course
from translations import selectors, services
from translations.models import TranslationTask, Translator
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "الألمانية في الحياة اليومية"


def _speaker(code="ar", level="native", *, joined=True):
    volunteer = VolunteerFactory()
    LanguageSkillFactory(volunteer=volunteer, language=Language.objects.get(code=code), level=level)
    if joined:
        Translator.objects.create(user=volunteer.user)
    return volunteer.user


def _publish_course(coordinator, title="Deutsch im Alltag", description=""):
    course = Course(audience="newcomers", title=title, description=description)
    return create_course(course=course, languages=[], prerequisites=[], by=coordinator)


def _task(record, field="title", language="ar"):
    return TranslationTask.objects.get(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        field=field,
        language=language,
    )


def _offers_page(client, coordinator, language="ar"):
    card = issue_access_link(
        newcomer=NewcomerFactory(preferred_language=language, language_confirmed=True),
        by=coordinator,
    )
    client.get(f"/n/{card.token}/")
    page = client.get(f"/{language}/me/offers/").content.decode()
    client.logout()
    return page


def _post(client, user, task, **data):
    client.force_login(user)
    return client.post(f"/en/translations/{task.pk}/", data)


def test_a_published_text_is_asked_for_in_the_languages_newcomers_read(coordinator):
    NewcomerFactory(preferred_language="ar")
    NewcomerFactory(preferred_language="ti")
    NewcomerFactory(preferred_language="fa", closed_at=timezone.now())  # no longer served

    course = _publish_course(coordinator, description="Alltagssprache üben")

    asked = set(
        TranslationTask.objects.filter(object_id=course.pk).values_list("field", "language")
    )
    assert asked == {("title", "ar"), ("title", "ti"), ("description", "ar"), ("description", "ti")}


def test_from_queue_to_the_newcomers_page_only_after_a_second_person_approves(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    SessionFactory(course=_publish_course(coordinator))
    translator, reviewer = _speaker(), _speaker()
    task = _task(Course.objects.get())

    client.force_login(translator)
    queue = client.get("/en/translations/?language=ar").content.decode()
    assert "Deutsch im Alltag" in queue
    assert f"/en/translations/{task.pk}/" in queue

    assert _post(client, translator, task, action="claim").status_code == 302
    response = _post(client, translator, task, action="submit", text=ARABIC_TITLE, minutes="40")
    assert response.status_code == 302
    assert ARABIC_TITLE not in _offers_page(client, coordinator)  # not reviewed yet

    # The translator cannot approve their own translation.
    _post(client, translator, task, action="approve")
    task.refresh_from_db()
    assert task.state == TranslationTask.State.SUBMITTED

    _post(client, reviewer, task, action="approve")

    task.refresh_from_db()
    assert task.state == TranslationTask.State.DONE
    assert task.reviewer == reviewer
    page = _offers_page(client, coordinator)
    assert ARABIC_TITLE in page
    assert "Deutsch im Alltag" not in page
    # The 40 minutes become hours, for the coordinators to confirm like any hours.
    entry = HoursEntry.objects.get(volunteer__user=translator)
    assert entry.hours == pytest.approx(0.75)
    assert entry.state == HoursEntry.State.SUBMITTED


def test_a_changed_german_text_keeps_the_old_version_shown_and_queues_it_as_outdated(
    client, coordinator
):
    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator)
    SessionFactory(course=course)
    translator, reviewer = _speaker(), _speaker()
    task = _task(course)
    services.claim(task, by=translator)
    services.submit(task, text=ARABIC_TITLE, minutes=None, by=translator)
    services.approve(task, by=reviewer)
    assert list(selectors.to_translate("ar")) == []

    course.refresh_from_db()
    course.title = "Deutsch im Alltag und im Beruf"
    update_course(course=course, languages=[], prerequisites=[], by=coordinator)

    assert [item.pk for item in selectors.to_translate("ar")] == [task.pk]
    assert ARABIC_TITLE in _offers_page(client, coordinator)  # shown, not hidden
    client.force_login(translator)
    page = client.get(f"/en/translations/{task.pk}/").content.decode()
    assert "Translated, but the German text changed since" in page
    assert "Deutsch im Alltag und im Beruf" in page

    claimed = services.claim(task, by=translator)
    assert claimed.draft == ARABIC_TITLE  # updated from the old version, not from nothing


def test_a_german_text_changed_during_the_review_cannot_be_approved(coordinator):
    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator)
    translator, reviewer = _speaker(), _speaker()
    task = _task(course)
    services.claim(task, by=translator)
    services.submit(task, text=ARABIC_TITLE, minutes=None, by=translator)
    course.title = "Ganz anderer Kurs"
    update_course(course=course, languages=[], prerequisites=[], by=coordinator)

    with (
        translation.override("en"),
        pytest.raises(services.TranslationError, match="changed after this translation"),
    ):
        services.approve(task, by=reviewer)
    course.refresh_from_db()
    assert course.title_ar is None


def test_only_fluent_or_native_speakers_join_and_see_only_their_languages(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    beginner = _speaker(level="conversational", joined=False)
    farsi = _speaker("fa")

    client.force_login(beginner)
    client.post("/en/translations/join/")
    assert not Translator.objects.filter(user=beginner).exists()
    assert client.get(f"/en/translations/{task.pk}/").status_code == 404

    client.force_login(farsi)
    assert client.get(f"/en/translations/{task.pk}/").status_code == 404
    assert _post(client, farsi, task, action="claim").status_code == 404

    fluent = _speaker(level="fluent", joined=False)
    client.force_login(fluent)
    client.post("/en/translations/join/")
    assert client.get(f"/en/translations/{task.pk}/").status_code == 200


def test_someone_elses_claim_is_refused_until_it_lapses(coordinator):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    first, second = _speaker(), _speaker()
    services.claim(task, by=first)

    with translation.override("en"), pytest.raises(services.TranslationError, match="Someone else"):
        services.claim(task, by=second)

    TranslationTask.objects.filter(pk=task.pk).update(
        claimed_at=timezone.now() - selectors.CLAIM_LAPSES_AFTER - timedelta(hours=1)
    )
    assert [item.pk for item in selectors.to_translate("ar")] == [task.pk]
    assert services.claim(task, by=second).translator == second


def test_leaving_gives_the_claimed_texts_back_with_their_drafts(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    translator = _speaker()
    services.claim(task, by=translator)
    services.save_draft(task, text="مسودة", by=translator)

    client.force_login(translator)
    client.post("/en/translations/leave/")

    task.refresh_from_db()
    assert (task.state, task.translator, task.draft) == ("open", None, "مسودة")
    assert not Translator.objects.filter(user=translator).exists()


def test_a_version_the_coordinator_writes_is_published_and_one_emptied_is_asked_for_again(
    coordinator,
):
    NewcomerFactory(preferred_language="ar")
    course = Course(audience="newcomers", title="Deutsch im Alltag", title_ar=ARABIC_TITLE)
    create_course(course=course, languages=[], prerequisites=[], by=coordinator)

    task = _task(course)
    assert (task.state, task.published, task.reviewer) == ("done", ARABIC_TITLE, coordinator)
    assert list(selectors.to_translate("ar")) == []

    course.title_ar = None
    update_course(course=course, languages=[], prerequisites=[], by=coordinator)

    task.refresh_from_db()
    assert task.state == TranslationTask.State.OPEN
    assert [item.pk for item in selectors.to_translate("ar")] == [task.pk]


def test_the_same_german_words_get_the_approved_translation_everywhere(coordinator):
    """A weekly series: ten sessions in the same place are translated once."""
    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator)
    first, *others = [SessionFactory(course=course, place="Stadtteilhaus Nord") for _ in range(3)]
    for session in (first, *others):
        services.ask_for_translations(session, by=coordinator)
    translator, reviewer = _speaker(), _speaker()
    task = _task(first, field="place")
    services.claim(task, by=translator)
    services.submit(task, text="بيت الحي الشمالي", minutes=None, by=translator)
    services.approve(task, by=reviewer)

    assert set(Session.objects.values_list("place_ar", flat=True)) == {"بيت الحي الشمالي"}


def test_a_translation_longer_than_the_field_is_refused_with_its_length(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    translator = _speaker()
    services.claim(task, by=translator)

    response = _post(client, translator, task, action="submit", text="ع" * 250)

    assert response.status_code == 200
    assert "250 characters long; this text allows 200" in response.content.decode()
    task.refresh_from_db()
    assert task.state == TranslationTask.State.CLAIMED


def test_translators_see_texts_never_personal_data(client, coordinator):
    newcomer = NewcomerFactory(preferred_language="ar", full_name="Canary Zahra Mohammadi")
    task = _task(_publish_course(coordinator))
    translator = _speaker()
    client.force_login(translator)

    pages = [
        client.get("/en/translations/?language=ar").content.decode(),
        client.get(f"/en/translations/{task.pk}/").content.decode(),
    ]

    for page in pages:
        assert newcomer.full_name not in page
        assert "Canary" not in page


def test_the_queue_costs_the_same_queries_for_three_texts_or_thirty(
    client, coordinator, django_assert_max_num_queries
):
    NewcomerFactory(preferred_language="ar")
    translator = _speaker()
    client.force_login(translator)

    def count_for(texts):
        for number in range(texts):
            _publish_course(coordinator, title=f"Kurs {number}")
        with django_assert_max_num_queries(20) as captured:
            assert client.get("/en/translations/?language=ar").status_code == 200
        return len(captured)

    assert count_for(3) == count_for(27)


def test_a_coordinator_asks_for_a_language_nobody_reads_yet(client, coordinator):
    course = _publish_course(coordinator)
    assert not TranslationTask.objects.exists()
    client.force_login(coordinator)
    content_type = ContentType.objects.get_for_model(course)

    client.post(
        f"/en/translations/ask/{content_type.pk}/{course.pk}/",
        {"languages": ["uk"], "next": "/en/trainings/"},
    )

    assert _task(course, language="uk").state == TranslationTask.State.OPEN


def test_the_coordinators_page_of_a_text_shows_where_its_translations_stand(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator)
    translator = _speaker()
    services.claim(_task(course), by=translator)
    client.force_login(coordinator)

    page = client.get(f"/en/trainings/manage/courses/{course.pk}/edit/").content.decode()

    assert "Translations by volunteers" in page
    assert "being translated" in page
    content_type = ContentType.objects.get_for_model(course)
    assert f"/en/translations/ask/{content_type.pk}/{course.pk}/" in page


def test_translators_hear_once_a_week_what_waits_in_their_languages(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    from ankommen.messaging.services.reminders import send_due_reminders

    NewcomerFactory(preferred_language="ar")
    _publish_course(coordinator, description="Alltagssprache")
    arabic, farsi = _speaker(), _speaker("fa")
    arabic.preferred_language = "ar"
    arabic.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()  # the same week: nothing more

    assert [mail.to for mail in mailoutbox] == [[arabic.email]]  # nothing waits in Farsi
    assert "2" in mailoutbox[0].subject
    assert "العربيّة: 2" in mailoutbox[0].body
    assert "/translations/" in mailoutbox[0].body
    assert farsi.email not in {address for mail in mailoutbox for address in mail.to}


def test_a_translation_sent_back_tells_its_translator_the_note(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    translator, reviewer = _speaker(), _speaker()
    services.claim(task, by=translator)
    services.submit(task, text=ARABIC_TITLE, minutes=None, by=translator)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(task, note="Bitte 'Alltag' wörtlicher übersetzen.", by=reviewer)

    assert [mail.to for mail in mailoutbox] == [[translator.email]]
    assert "Bitte 'Alltag' wörtlicher übersetzen." in mailoutbox[0].body
    task.refresh_from_db()
    assert (task.state, task.translator) == ("claimed", translator)


def test_erasing_a_translator_keeps_the_texts_and_drops_who_wrote_them(coordinator):
    from ankommen.privacy.registry import VOLUNTEER, erase_person, export_person
    from volunteers.models import Volunteer

    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator, description="Alltagssprache")
    translator, reviewer = _speaker(), _speaker()
    done, taken = _task(course), _task(course, field="description")
    services.claim(done, by=translator)
    services.submit(done, text=ARABIC_TITLE, minutes=30, by=translator)
    services.approve(done, by=reviewer)
    services.claim(taken, by=translator)
    volunteer = Volunteer.objects.get(user=translator)

    exported = export_person(VOLUNTEER, volunteer, by=coordinator)["translations"]
    erase_person(VOLUNTEER, volunteer, by=coordinator)

    assert [item["language"] for item in exported["translations"]] == ["ar", "ar"]
    course.refresh_from_db()
    assert course.title_ar == ARABIC_TITLE  # the network's text stays
    assert not TranslationTask.objects.filter(translator=translator).exists()
    taken.refresh_from_db()
    assert taken.state == TranslationTask.State.OPEN  # back in the queue
    assert not Translator.objects.filter(user=translator).exists()


def test_a_suggestion_from_a_real_service_fills_the_field_and_reaches_nobody_unreviewed(
    client, coordinator, settings, monkeypatch
):
    from tests.translations.translation_service import TranslationService

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    NewcomerFactory(preferred_language="ar")
    SessionFactory(course=_publish_course(coordinator))
    task = _task(Course.objects.get())
    translator = _speaker()
    services.claim(task, by=translator)
    with TranslationService() as service:
        settings.MACHINE_TRANSLATION_SERVICE = "libretranslate"
        settings.MACHINE_TRANSLATION_URL = service.url
        settings.MACHINE_TRANSLATION_KEY = ""

        page = _post(client, translator, task, action="suggest").content.decode()

    assert [request.body["q"] for request in service.received] == ["Deutsch im Alltag"]
    assert ARABIC_TITLE in page  # in the field, to be checked and edited
    task.refresh_from_db()
    assert (task.state, task.draft) == ("claimed", "")
    assert ARABIC_TITLE not in _offers_page(client, coordinator)


def test_without_a_service_no_suggestion_is_offered_and_nothing_is_sent(client, coordinator):
    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    translator = _speaker()
    services.claim(task, by=translator)
    client.force_login(translator)

    assert 'value="suggest"' not in client.get(f"/en/translations/{task.pk}/").content.decode()
    response = _post(client, translator, task, action="suggest")
    assert response.status_code == 200
    assert "No translation service is set up for suggestions." in response.content.decode()


def test_a_translator_who_withdraws_gives_their_texts_back_at_once(client, coordinator):
    from volunteers.models import Volunteer
    from volunteers.services import withdraw

    NewcomerFactory(preferred_language="ar")
    task = _task(_publish_course(coordinator))
    translator = _speaker()
    services.claim(task, by=translator)

    withdraw(volunteer=Volunteer.objects.get(user=translator), by=coordinator, reason="moved")

    task.refresh_from_db()
    assert (task.state, task.translator) == ("open", None)
    assert not Translator.objects.filter(user=translator).exists()
    client.force_login(translator)
    assert client.get(f"/en/translations/{task.pk}/").status_code == 404


def test_a_retired_course_leaves_the_queue(coordinator):
    from trainings.services.planning import retire_course

    NewcomerFactory(preferred_language="ar")
    course = _publish_course(coordinator)
    assert list(selectors.to_translate("ar"))

    retire_course(course=course, by=coordinator)

    assert list(selectors.to_translate("ar")) == []
