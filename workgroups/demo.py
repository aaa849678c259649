"""Demo network: groups with leads, members and meetings; tasks; partners with offers and
needs; mediator requests and events, so that the gap matrix shows real gaps and overlaps."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, SizeOption, demo_seeder
from ankommen.vocabulary.models import District, Language, Theme
from workgroups.models import (
    MediatorRequest,
    Meeting,
    Membership,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Task,
    WorkingGroup,
)

GROUPS = [
    ("AG Arbeit & Ausbildung", "jobs-training"), ("AG Deutsch lernen", "learning-german"),
    ("AG Wohnungssuche", "housing"), ("AG Behördengänge", "authorities"),
    ("AG Alltagshilfe", "everyday-help"), ("AG Freizeit & Kultur", "culture-leisure"),
]  # fmt: skip
PARTNER_KINDS = list(Partner.Kind.values)
OFFER_TITLES = {
    "learning-german": ["Sprachcafé", "Deutschkurs am Abend", "Lernpaten"],
    "jobs-training": ["Bewerbungswerkstatt", "Jobcafé"],
    "housing": ["Wohnraumberatung"],
    "health": ["Gesundheitslotsen", "Psychosoziale Beratung"],
    "authorities": ["Migrationsberatung"],
    "everyday-help": ["Kleiderkammer", "Fahrradwerkstatt"],
    "culture-leisure": ["Theaterprojekt", "Fußballtreff", "Museumsbesuch"],
    "children-family": ["Eltern-Kind-Gruppe"],
}
# Hannover's centre; partners are scattered around it.
CENTRE = (Decimal("52.37450"), Decimal("9.73860"))


def _group_names(count: int, districts: list[District]) -> list[tuple[str, str]]:
    """The city-wide groups first; a larger network repeats them per district."""
    names = GROUPS[:count]
    for number in range(len(names), count):
        name, slug = GROUPS[number % len(GROUPS)]
        cycle, place = divmod(number // len(GROUPS) - 1, len(districts))
        suffix = f" ({cycle + 1})" if cycle else ""
        names.append((f"{name} {districts[place].name}{suffix}", slug))
    return names


@demo_seeder(
    "network",
    order=40,
    sizes=(
        SizeOption("partners", 40, "Partner organisations"),
        SizeOption("groups", len(GROUPS), "Working groups"),
    ),
)
def seed_network(context: DemoContext) -> dict[str, int]:
    rng = context.rng
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    districts = list(District.objects.all())
    common = list(Language.objects.filter(is_common=True))
    volunteers = list(User.objects.filter(role=Role.VOLUNTEER).order_by("pk"))
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    now = timezone.now()

    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            name=name, theme=themes[slug], description=f"{name}: wir treffen uns monatlich."
        )
        for name, slug in _group_names(context.sizes["groups"], districts)
    )
    memberships, meetings = [], []
    for index, group in enumerate(groups):
        members = rng.sample(volunteers, min(len(volunteers), rng.randint(6, 15)))
        for position, user in enumerate(members):
            memberships.append(
                Membership(
                    group=group,
                    user=user,
                    role=Membership.Role.LEAD if position == 0 else Membership.Role.MEMBER,
                    state=Membership.State.ACTIVE,
                    decided_at=now,
                    decided_by=coordinator,
                )
            )
        for user in rng.sample(volunteers, min(2, len(volunteers))):
            if user not in members:
                memberships.append(
                    Membership(group=group, user=user, request_note="Ich würde gern mitmachen.")
                )
        for month in range(1, 4):
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=now - timedelta(days=30 * month - index),
                    place="Stadtteiltreff",
                    agenda="Berichte, Planung",
                    minutes="Protokoll folgt im Rundbrief.",
                )
            )
    Membership.objects.bulk_create(memberships)
    Meeting.objects.bulk_create(meetings)

    tasks = []
    for _number in range(30):
        slug = rng.choice(list(themes))
        start = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(8, 18))
        tasks.append(
            Task(
                title=rng.choice(OFFER_TITLES[slug]) + " – Helfende gesucht",
                theme=themes[slug],
                district=rng.choice(districts),
                group=rng.choice(groups),
                where="Nachbarschaftszentrum",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                time_needed="2 Stunden",
                helpers_needed=rng.randint(1, 4),
                contact="koordination@ankommen.example",
                created_by=coordinator,
            )
        )
    Task.objects.bulk_create(tasks)

    partners, offers, needs = [], [], []
    for number in range(context.sizes["partners"]):
        partners.append(
            Partner(
                name=f"{rng.choice(['Caritas', 'Diakonie', 'Kulturverein', 'Unterkunft', 'Beratungsstelle', 'Moscheegemeinde', 'Jobcenter'])} {number + 1}",
                kind=rng.choice(PARTNER_KINDS),
                contact_name="Ansprechpartnerin",
                contact_email=f"kontakt{number}@partner.example",
                address=f"Musterstraße {number + 1}, Hannover",
                latitude=CENTRE[0] + Decimal(rng.randint(-600, 600)) / 10000,
                longitude=CENTRE[1] + Decimal(rng.randint(-900, 900)) / 10000,
            )
        )
    partners = Partner.objects.bulk_create(partners)
    # Offers cluster in a few themes and districts (overlaps); housing and health stay thin (gaps).
    popular = ["learning-german", "culture-leisure", "everyday-help"]
    for partner in partners:
        for _ in range(rng.randint(1, 3)):
            slug = rng.choice(popular * 3 + list(themes))
            offers.append(
                Offer(
                    partner=partner,
                    title=rng.choice(OFFER_TITLES[slug]),
                    theme=themes[slug],
                    district=rng.choice(districts[:6]),
                    schedule="wöchentlich",
                )
            )
        if partner.kind == Partner.Kind.SHELTER or rng.random() < 0.3:
            needs.append(
                PartnerNeed(
                    partner=partner,
                    theme=themes[rng.choice(["housing", "health", "children-family"])],
                    district=rng.choice(districts),
                    description="Ehrenamtliche für Begleitungen gesucht",
                    recorded_by=coordinator,
                )
            )
    offers = Offer.objects.bulk_create(offers)
    Offer.languages.through.objects.bulk_create(
        Offer.languages.through(offer_id=offer.pk, language_id=rng.choice(common).pk)
        for offer in offers
    )
    PartnerNeed.objects.bulk_create(needs)
    # Partners' staff post tasks too: these wait for a coordinator's review, unseen by volunteers.
    waiting = [
        Task(
            title="Begleitung zur Ausländerbehörde – Helfende gesucht",
            theme=themes["everyday-help"],
            district=rng.choice(districts),
            where=partner.address,
            starts_at=now + timedelta(days=10 + index, hours=9),
            helpers_needed=2,
            contact=partner.contact_email,
            organisation=partner.name,
            partner=partner,
            review=Task.Review.PENDING,
            is_open=False,
        )
        for index, partner in enumerate(partners[:2])
    ]
    Task.objects.bulk_create(waiting)

    german = Language.objects.get(code="de")
    requests = [
        MediatorRequest(
            language=rng.choice(common),
            other_language=german,
            starts_at=now + timedelta(days=rng.randint(2, 20), hours=10),
            ends_at=now + timedelta(days=rng.randint(2, 20), hours=11, minutes=30),
            place="Ausländerbehörde Hannover",
            topic="Termin",
            requested_by=coordinator,
        )
        for _ in range(8)
    ]
    for request in requests:
        request.ends_at = request.starts_at + timedelta(hours=1)
    MediatorRequest.objects.bulk_create(requests)
    NetworkEvent.objects.bulk_create(
        [
            NetworkEvent(
                title="Netzwerkkonferenz",
                starts_at=now + timedelta(days=21),
                place="Rathaus Hannover",
                description="Austausch aller Partner des Netzwerks.",
            ),
            NetworkEvent(
                title="Sprachcafé",
                starts_at=now + timedelta(days=6),
                place="Stadtteiltreff Linden",
                description="Deutsch sprechen bei Kaffee und Kuchen.",
            ),
            NetworkEvent(
                title="Mitgliederversammlung",
                starts_at=now + timedelta(days=45),
                place="Freiwilligenagentur",
            ),
        ]
    )
    return {
        "working groups": len(groups),
        "tasks": len(tasks),
        "partners' tasks to review": len(waiting),
        "partners": len(partners),
        "offers": len(offers),
        "partner needs": len(needs),
    }
