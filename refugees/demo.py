"""Demo newcomers with varied languages, households, needs and districts."""

from datetime import timedelta

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, DemoLogin, SizeOption, demo_seeder
from ankommen.tokens import hash_token
from ankommen.vocabulary.models import District, Language, LanguageLevel, Theme
from refugees import urgency
from refugees.models import (
    AccessLink,
    AgeGroup,
    HouseholdMember,
    Need,
    Newcomer,
    NewcomerConsent,
    NewcomerLanguage,
    ResidenceStatus,
    Urgency,
)
from refugees.services import issue_access_link

FIRST_NAMES = [
    "Amina", "Omid", "Nour", "Dawit", "Olena", "Yusuf", "Zahra", "Abdi", "Leyla", "Karim",
    "Mariam", "Samir", "Hawa", "Tesfay", "Ahmad", "Fatma", "Iryna", "Ali", "Hiwet", "Reza",
]  # fmt: skip
LAST_NAMES = [
    "Haddad", "Ahmadi", "Tesfaye", "Kovalenko", "Yilmaz", "Hussein", "Rahimi", "Farah",
    "Said", "Mohammadi", "Abdullahi", "Petrenko", "Kaya", "Osman", "Karimi", "Berhane",
]  # fmt: skip
# Languages by how often the networks meet them (seed 004), with the page language to use.
LANGUAGE_MIX = [
    ("ar", "ar", 22), ("fa", "fa", 14), ("prs", "fa", 6), ("uk", "uk", 14), ("tr", "tr", 8),
    ("ku", "ku", 7), ("ti", "ti", 6), ("so", "so", 5), ("ps", "ps", 5), ("ru", "ru", 5),
    ("fr", "fr", 4), ("en", "en", 4),
]  # fmt: skip
NOTES = [
    "Sucht eine Wohnung für die Familie.",
    "Braucht Begleitung zum Jobcenter.",
    "Möchte einen Deutschkurs am Abend besuchen.",
    "Sucht einen Kita-Platz.",
    "",
]


DEMO_TOKEN = "demo-newcomer-card"  # noqa: S105 (demo data only: printed by `make run`)


@demo_seeder(
    "newcomers",
    order=20,
    sizes=(SizeOption("newcomers", 100, "Newcomers"),),
    logins=(DemoLogin(role="newcomer", email="", password="", url=f"/n/{DEMO_TOKEN}/"),),
)
def seed_newcomers(context: DemoContext) -> dict[str, int]:
    rng = context.rng
    districts = list(District.objects.all())
    themes = list(Theme.objects.all())
    languages = {language.code: language for language in Language.objects.all()}
    german = languages["de"]
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    today = timezone.localdate()
    codes = [code for code, _page, weight in LANGUAGE_MIX for _ in range(weight)]
    page_language = {code: page for code, page, _weight in LANGUAGE_MIX}

    newcomers, spoken = [], []
    for _number in range(context.sizes["newcomers"]):
        code = rng.choice(codes)
        family = rng.random() < 0.45
        newcomers.append(
            Newcomer(
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                age_group=rng.choice(
                    [AgeGroup.ADULT_18_26, AgeGroup.ADULT_27_45, AgeGroup.ADULT_46_64]
                ),
                gender=rng.choice(["female", "male", "female", "male", "unsaid"]),
                household=Newcomer.Household.FAMILY if family else Newcomer.Household.SINGLE,
                district=rng.choice(districts),
                residence_status=rng.choice(list(ResidenceStatus)),
                preferred_language=page_language[code],
                wants_same_gender_contact=rng.random() < 0.2,
                phone=f"+4915{rng.randint(100000000, 999999999)}",
                share_phone=True,
                registered_by=coordinator,
                waiting_since=today - timedelta(days=rng.randint(0, 240)),
            )
        )
        spoken.append(code)
    Newcomer.objects.bulk_create(newcomers, batch_size=2000)
    saved = list(Newcomer.objects.order_by("-pk")[: len(newcomers)])[::-1]

    rows_languages, members, needs, consents = [], [], [], []
    for newcomer, code in zip(saved, spoken, strict=True):
        rows_languages.append(
            NewcomerLanguage(
                newcomer=newcomer, language=languages[code], level=LanguageLevel.NATIVE
            )
        )
        if rng.random() < 0.6:
            rows_languages.append(
                NewcomerLanguage(
                    newcomer=newcomer,
                    language=german,
                    level=rng.choice([LanguageLevel.BASIC, LanguageLevel.CONVERSATIONAL]),
                )
            )
        if newcomer.household == Newcomer.Household.FAMILY:
            members.append(
                HouseholdMember(
                    newcomer=newcomer,
                    relation=HouseholdMember.Relation.PARTNER,
                    age_group=newcomer.age_group,
                )
            )
            for _child in range(rng.randint(1, 4)):
                members.append(
                    HouseholdMember(
                        newcomer=newcomer,
                        relation=HouseholdMember.Relation.CHILD,
                        age_group=rng.choice(AgeGroup.minors()),
                    )
                )
        for theme in rng.sample(themes, rng.randint(1, 3)):
            needs.append(
                Need(
                    newcomer=newcomer,
                    theme=theme,
                    urgency=rng.choice(list(Urgency)),
                    note=rng.choice(NOTES),
                    source=Need.Source.COORDINATOR,
                    created_by=coordinator,
                )
            )
        consents += [
            NewcomerConsent(
                newcomer=newcomer,
                purpose=purpose,
                language=newcomer.preferred_language,
                obtained_by=coordinator,
                obtained_on=today,
            )
            for purpose in (NewcomerConsent.Purpose.RECORD, NewcomerConsent.Purpose.SHARE_CONTACT)
        ]
    NewcomerLanguage.objects.bulk_create(rows_languages, batch_size=5000)
    HouseholdMember.objects.bulk_create(members, batch_size=5000)
    Need.objects.bulk_create(needs, batch_size=5000)
    urgency.refresh()  # bulk_create saves no needs one by one
    NewcomerConsent.objects.bulk_create(consents, batch_size=5000)
    _demo_card(saved[0] if saved else None, coordinator)
    return {"newcomers": len(saved), "needs": len(needs), "household members": len(members)}


def _demo_card(newcomer: Newcomer | None, coordinator: User | None) -> None:
    """One newcomer with a known card, so that the demo shows the newcomer's own view."""
    if newcomer is None or AccessLink.objects.filter(token_hash=hash_token(DEMO_TOKEN)).exists():
        return
    newcomer.preferred_language = "ar"
    newcomer.save(update_fields=["preferred_language"])
    issued = issue_access_link(newcomer=newcomer, by=coordinator)
    AccessLink.objects.filter(pk=issued.link.pk).update(token_hash=hash_token(DEMO_TOKEN))
