"""A year of trainings: courses, sessions with sign-ups, waiting lists and attendance."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, SizeOption, demo_seeder
from ankommen.vocabulary.models import Language, Theme
from refugees.models import Newcomer
from trainings.models import Course, Qualification, Registration, Session

# title, audience, theme, basic training, qualification, valid months, languages
COURSES = [
    ("Grundschulung Patenschaften", "volunteers", "everyday-help", True, "Grundschulung", 36, ["de"]),
    ("Interkulturelle Kommunikation", "volunteers", "everyday-help", False, "", None, ["de"]),
    ("Begleitung zu Behörden", "volunteers", "authorities", False, "Behördenlotse", 24, ["de"]),
    ("Sprachmittlung im Ehrenamt", "volunteers", "health", False, "Sprachmittlung", 24, ["de", "ar", "fa"]),
    ("Kinderschutz in der Begleitung", "volunteers", "children-family", False, "Kinderschutz", 24, ["de"]),
    ("Deutsch im Alltag", "newcomers", "learning-german", False, "", None, ["de", "ar", "uk"]),
    ("Wohnungssuche in Hannover", "both", "housing", False, "", None, ["de", "fa", "ar"]),
    ("Bewerbungstraining", "newcomers", "jobs-training", False, "", None, ["de", "en", "tr"]),
    ("Gesundheitssystem verstehen", "newcomers", "health", False, "", None, ["de", "ar", "ti", "so"]),
]  # fmt: skip
PLACES = ["Nachbarschaftszentrum Linden", "Freiwilligenagentur Mitte", "Stadtteiltreff Vahrenwald"]
# Versions the demo's translators have written already; the rest wait in their queue.
TITLE_VERSIONS = {
    "Deutsch im Alltag": {
        "ar": "الألمانية في الحياة اليومية",
        "uk": "Німецька в повсякденному житті",
        "fa": "آلمانی در زندگی روزمره",
    },
    "Wohnungssuche in Hannover": {"ar": "البحث عن سكن في هانوفر", "fa": "جستجوی مسکن در هانوفر"},
    "Gesundheitssystem verstehen": {"ar": "فهم النظام الصحي", "ti": "ስርዓት ጥዕና ምርዳእ"},
}
PLACE_VERSIONS = {"Nachbarschaftszentrum Linden": {"ar": "مركز الجيران في ليندن"}}


CAPACITIES = [8, 12, 16, 20]
# Sessions fill from half their places to four over; this is the mean sign-ups per session.
NATURAL_SIGN_UPS = 12.6


@demo_seeder(
    "trainings",
    order=30,
    sizes=(
        SizeOption("sessions", 60, "Training sessions over a year"),
        SizeOption("sign_ups", 0, "Sign-ups over all sessions, about (0: about 13 a session)"),
    ),
)
def seed_trainings(context: DemoContext) -> dict[str, int]:
    rng = context.rng
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    courses = []
    for title, audience, theme, basic, qualification, months, codes in COURSES:
        course = Course.objects.create(
            **{f"title_{code}": text for code, text in TITLE_VERSIONS.get(title, {}).items()},
            title=title,
            description=f"{title}: Grundlagen, Praxisbeispiele und Austausch.",
            audience=audience,
            theme=themes.get(theme),
            is_basic_training=basic,
            qualification=qualification,
            qualification_months=months,
        )
        course.languages.set([languages[code] for code in codes])
        courses.append(course)
    courses[2].prerequisites.add(courses[0])

    volunteers = list(User.objects.filter(role=Role.VOLUNTEER).values_list("pk", flat=True))
    newcomers = list(Newcomer.objects.values_list("pk", flat=True))
    trainers = list(User.objects.filter(role=Role.COORDINATOR).values_list("pk", flat=True))
    today = timezone.localdate()
    # Larger sign-up totals mean larger sessions (lectures, info evenings), not longer queues.
    wanted_total = context.sizes["sign_ups"]
    sessions_total = max(context.sizes["sessions"], 1)
    scale = wanted_total / sessions_total / NATURAL_SIGN_UPS if wanted_total else 1
    sessions = []
    for number in range(context.sizes["sessions"]):
        day = today + timedelta(days=-270 + number * 365 // max(context.sizes["sessions"], 1))
        start = timezone.make_aware(datetime.combine(day, time(rng.choice([10, 14, 18]))))
        place = rng.choice(PLACES)
        sessions.append(
            Session(
                course=rng.choice(courses),
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                place=place,
                **{f"place_{code}": text for code, text in PLACE_VERSIONS.get(place, {}).items()},
                capacity=max(2, round(rng.choice(CAPACITIES) * scale)),
                signup_deadline=start - timedelta(days=2),
                status=Session.Status.DONE if start < timezone.now() else Session.Status.PLANNED,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    sessions = list(Session.objects.filter(course__in=courses).select_related("course"))

    registrations, qualifications, counts, links = [], [], {}, []
    for session in sessions:
        links += [
            Session.trainers.through(session_id=session.pk, user_id=pk)
            for pk in rng.sample(trainers, min(1, len(trainers)))
        ]
        pool = newcomers if session.course.audience == "newcomers" else volunteers
        wanted = rng.randint(session.capacity // 2, session.capacity + round(4 * scale))
        people = rng.sample(pool, min(wanted, len(pool)))
        past = session.status == Session.Status.DONE
        for position, person in enumerate(people):
            confirmed = position < session.capacity
            attended = (rng.random() < 0.85) if past and confirmed else None
            registrations.append(
                Registration(
                    session=session,
                    user_id=None if pool is newcomers else person,
                    newcomer_id=person if pool is newcomers else None,
                    state=Registration.State.CONFIRMED
                    if confirmed
                    else Registration.State.WAITLISTED,
                    attended=attended,
                )
            )
            if attended and session.course.qualification and pool is volunteers:
                granted = timezone.localdate(session.starts_at)
                months = session.course.qualification_months
                qualifications.append(
                    Qualification(
                        user_id=person,
                        course=session.course,
                        session=session,
                        name=session.course.qualification,
                        granted_on=granted,
                        valid_until=granted + timedelta(days=months * 30) if months else None,
                    )
                )
        counts[session.pk] = min(len(people), session.capacity)
    Session.trainers.through.objects.bulk_create(links, batch_size=2000)
    Registration.objects.bulk_create(registrations, batch_size=5000)
    Qualification.objects.bulk_create(qualifications, batch_size=5000)
    for session in sessions:
        session.confirmed_count = counts[session.pk]
    Session.objects.bulk_update(sessions, ["confirmed_count"], batch_size=1000)
    return {
        "courses": len(courses),
        "sessions": len(sessions),
        "sign-ups": len(registrations),
        "qualifications": len(qualifications),
    }
