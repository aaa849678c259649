"""Demo volunteers in every stage, with languages, histories, referral chains and hours."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from ankommen.accounts.models import Channel, Role, User
from ankommen.operations.demo import DemoContext, demo_seeder
from ankommen.vocabulary.models import District, Language, Theme
from volunteers.availability import SLOT_COUNT
from volunteers.consent import CONSENT_VERSION, consent_text
from volunteers.models import (
    AgePreference,
    ClearanceCheck,
    HoursEntry,
    LanguageLevel,
    LanguageSkill,
    Stage,
    StageChange,
    Volunteer,
    VolunteerConsent,
    VolunteerRole,
)

# How the others heard of the network; "" is someone who did not say.
DEMO_CHANNELS = [
    Channel.WEBSITE, Channel.WEBSITE, Channel.SOCIAL_MEDIA, Channel.PRESS, Channel.EVENT,
    Channel.ORGANISATION, "", "",
]  # fmt: skip

# Share of volunteers per stage, roughly as a network a few years old would look.
STAGE_WEIGHTS = {
    Stage.APPLIED: 10,
    Stage.CONVERSATION_SCHEDULED: 7,
    Stage.CONVERSATION_DONE: 8,
    Stage.TRAINED: 10,
    Stage.CLEARANCE_CHECKED: 5,
    Stage.READY: 15,
    Stage.ACTIVE: 30,
    Stage.PAUSED: 8,
    Stage.WITHDRAWN: 7,
}
JOURNEY = [
    Stage.APPLIED,
    Stage.CONVERSATION_DONE,
    Stage.TRAINED,
    Stage.CLEARANCE_CHECKED,
    Stage.READY,
    Stage.ACTIVE,
]
SKILLS = [
    "Kochen", "Fahrradreparatur", "Hausaufgabenhilfe", "Behördengänge", "Bewerbungen schreiben",
    "Gitarre", "Fußball-Training", "Nähen", "Computerkurse", "Gartenarbeit",
]  # fmt: skip
QUALIFICATIONS = ["Lehrerin", "Krankenpfleger", "Dolmetscherin", "Sozialarbeiter", "Führerschein B"]


def _history(stage: Stage, stage_before_pause: str) -> list[Stage]:
    """The stages a volunteer passed through to reach where they are now."""
    end = Stage(stage_before_pause) if stage == Stage.PAUSED else stage
    if end == Stage.WITHDRAWN:
        end = Stage.TRAINED
    if end == Stage.CONVERSATION_SCHEDULED:
        return [Stage.APPLIED, Stage.CONVERSATION_SCHEDULED]
    path = JOURNEY[: JOURNEY.index(end) + 1] if end in JOURNEY else [Stage.APPLIED, end]
    if stage in (Stage.PAUSED, Stage.WITHDRAWN):
        path.append(stage)
    return path


@demo_seeder("volunteers", order=10)
def seed_volunteers(context: DemoContext) -> dict[str, int]:
    rng = context.rng
    now = timezone.now()
    districts = list(District.objects.all())
    themes = list(Theme.objects.all())
    other_languages = list(Language.objects.filter(is_common=True).exclude(code="de"))
    german = Language.objects.get(code="de")
    users = list(User.objects.filter(role=Role.VOLUNTEER, volunteer__isnull=True).order_by("pk"))
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())

    volunteers = []
    for index, user in enumerate(users):
        stage = (
            Stage.ACTIVE if user.email.startswith("volunteer@") else rng.choices(stages, weights)[0]
        )
        before_pause = rng.choice([Stage.READY, Stage.ACTIVE]) if stage == Stage.PAUSED else ""
        roles = set(rng.sample(list(VolunteerRole), rng.randint(1, 2)))
        registered = now - timedelta(days=rng.randint(20, 900))
        volunteer = Volunteer(
            user=user,
            phone=f"+49511{rng.randint(1000000, 9999999)}",
            district=rng.choice(districts),
            gender=rng.choice(["female", "male", "diverse", "unsaid", ""]),
            skills=", ".join(rng.sample(SKILLS, rng.randint(1, 3))),
            qualifications=rng.choice(["", "", *QUALIFICATIONS]),
            accepts_minors=rng.random() < 0.35,
            accepts_families=rng.random() < 0.5,
            age_preferences=rng.sample(list(AgePreference.values), rng.randint(1, 2))
            if rng.random() < 0.3
            else [],
            max_mentorships=rng.choice([1, 1, 1, 2, 3]),
            hours_per_month=rng.choice([4, 6, 8, 10, 16, 20]),
            availability=sum(1 << s for s in rng.sample(range(SLOT_COUNT), rng.randint(2, 8))),
            stage=stage,
            stage_before_pause=before_pause,
            wizard_step=4,
            profile_completed_at=registered,
            last_activity_at=now - timedelta(days=rng.randint(0, 200)),
            withdrawn_at=now - timedelta(days=rng.randint(1, 60))
            if stage == Stage.WITHDRAWN
            else None,
            **{f"wants_{role.value}": True for role in roles},
        )
        if stage == Stage.WITHDRAWN:
            volunteer.retain_until = (volunteer.withdrawn_at + timedelta(days=365)).date()
        if stage == Stage.CONVERSATION_SCHEDULED:
            volunteer.first_conversation_at = now + timedelta(days=rng.randint(1, 14), hours=2)
        volunteers.append(volunteer)
        # Multipliers: about a third came through someone who registered before them.
        if index > 5 and rng.random() < 0.35:
            user.referred_by_id = users[rng.randrange(max(1, index - 50), index)].pk
            user.heard_via = Channel.INVITED
        else:
            user.heard_via = rng.choice(DEMO_CHANNELS)
    Volunteer.objects.bulk_create(volunteers, batch_size=2000)
    # A few set-based updates instead of one CASE per user: at city scale bulk_update took a
    # third of this seeder's time.
    User.objects.bulk_update([u for u in users if u.referred_by_id], ["referred_by"], 2000)
    for channel in {user.heard_via for user in users}:
        User.objects.filter(pk__in=[u.pk for u in users if u.heard_via == channel]).update(
            heard_via=channel
        )
    # created_at is set on insert; the demo backdates it so trends and reports have a history.
    Volunteer.objects.filter(user__in=users).update(created_at=F("profile_completed_at"))
    saved = list(Volunteer.objects.filter(user__in=users).select_related("user").order_by("pk"))

    skills, theme_links, consents, changes, clearances, hours = [], [], [], [], [], []
    theme_link = Volunteer.themes.through
    for volunteer in saved:
        skills.append(
            LanguageSkill(volunteer=volunteer, language=german, level=LanguageLevel.NATIVE)
        )
        for language in rng.sample(other_languages, rng.randint(0, 2)):
            skills.append(
                LanguageSkill(
                    volunteer=volunteer, language=language, level=rng.choice(list(LanguageLevel))
                )
            )
        theme_links += [
            theme_link(volunteer_id=volunteer.pk, theme_id=theme.pk)
            for theme in rng.sample(themes, rng.randint(1, 3))
        ]
        language = volunteer.user.preferred_language
        consents.append(
            VolunteerConsent(
                volunteer=volunteer,
                text_version=CONSENT_VERSION,
                text=consent_text(language),
                language=language,
            )
        )
        previous = ""
        for stage in _history(volunteer.stage, volunteer.stage_before_pause):
            changes.append(StageChange(volunteer=volunteer, from_stage=previous, to_stage=stage))
            previous = stage
        if volunteer.accepts_minors and volunteer.stage in (
            Stage.CLEARANCE_CHECKED, Stage.READY, Stage.ACTIVE, Stage.PAUSED,
        ):  # fmt: skip
            issued = timezone.localdate() - timedelta(days=rng.randint(30, 1700))
            clearances.append(
                ClearanceCheck(
                    volunteer=volunteer,
                    issued_on=issued,
                    seen_on=issued + timedelta(days=rng.randint(1, 20)),
                    valid_until=issued + timedelta(days=5 * 365),
                )
            )
        if volunteer.stage in (Stage.READY, Stage.ACTIVE, Stage.PAUSED):
            for _entry in range(rng.randint(0, 8)):
                amount = Decimal(rng.choice(["1.00", "1.50", "2.00", "3.00", "4.00"]))
                state = rng.choices(
                    [HoursEntry.State.APPROVED, HoursEntry.State.SUBMITTED], [4, 1]
                )[0]
                hours.append(
                    HoursEntry(
                        volunteer=volunteer,
                        worked_on=timezone.localdate() - timedelta(days=rng.randint(1, 300)),
                        hours=amount,
                        hours_submitted=amount,
                        theme=rng.choice(themes),
                        state=state,
                    )
                )
    LanguageSkill.objects.bulk_create(skills, batch_size=5000)
    theme_link.objects.bulk_create(theme_links, batch_size=5000)
    VolunteerConsent.objects.bulk_create(consents, batch_size=5000)
    StageChange.objects.bulk_create(changes, batch_size=5000)
    ClearanceCheck.objects.bulk_create(clearances, batch_size=5000)
    HoursEntry.objects.bulk_create(hours, batch_size=5000)
    return {
        "volunteers": len(saved),
        "stage changes": len(changes),
        "hours entries": len(hours),
        "referrals": sum(1 for u in users if u.referred_by_id),
    }
