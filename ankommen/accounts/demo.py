"""Demo people: one login per role, and as many further volunteers as asked for."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, DemoLogin, SizeOption, demo_seeder

DEMO_PASSWORD = "ankommen-demo"  # noqa: S105 (printed to the person running the demo)
DEMO_DOMAIN = "demo.ankommen.example"

FIRST_NAMES = (
    "Anna",
    "Lukas",
    "Fatima",
    "Mehmet",
    "Sofia",
    "Jonas",
    "Leila",
    "Omid",
    "Marie",
    "Yusuf",
    "Hannah",
    "Amir",
    "Olena",
    "Paul",
    "Aylin",
    "Tesfaye",
    "Greta",
    "Samir",
    "Mariam",
    "Felix",
    "Nour",
    "Elias",
    "Zahra",
    "Ben",
    "Ayşe",
    "Dmytro",
    "Lea",
    "Abdi",
    "Clara",
    "Karim",
)
LAST_NAMES = (
    "Müller",
    "Schmidt",
    "Yılmaz",
    "Haddad",
    "Schneider",
    "Ahmadi",
    "Fischer",
    "Kovalenko",
    "Weber",
    "Hussein",
    "Meyer",
    "Demir",
    "Wagner",
    "Rahimi",
    "Becker",
    "Tesfay",
    "Hoffmann",
    "Nasser",
    "Koch",
    "Farah",
    "Richter",
    "Öztürk",
    "Klein",
    "Petrenko",
    "Wolf",
    "Said",
)

DEMO_LOGINS = (
    (Role.ADMIN, "admin", "Ada Admin"),
    (Role.COORDINATOR, "coordinator", "Clara Koordinatorin"),
    (Role.VOLUNTEER, "volunteer", "Valentin Freiwilliger"),
)


def demo_name(context: DemoContext) -> str:
    return f"{context.rng.choice(FIRST_NAMES)} {context.rng.choice(LAST_NAMES)}"


@demo_seeder(
    "accounts",
    order=0,
    logins=tuple(
        DemoLogin(role=role.value, email=f"{login}@{DEMO_DOMAIN}", password=DEMO_PASSWORD)
        for role, login, _name in DEMO_LOGINS
    ),
    sizes=(
        SizeOption("coordinators", 5, "Coordinators"),
        SizeOption("volunteers", 200, "Volunteers"),
    ),
)
def seed_accounts(context: DemoContext) -> dict[str, int]:
    # One hash for everyone: hashing thousands of passwords would take minutes.
    password_hash = make_password(DEMO_PASSWORD)
    languages = ["de", "de", "de", "en", "ar", "fa", "uk", "tr"]
    users = [
        User(
            email=f"{login}@{DEMO_DOMAIN}",
            full_name=name,
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            password=password_hash,
            invite_code=f"demo-{login}",
        )
        for role, login, name in DEMO_LOGINS
    ]
    for role, count in ((Role.COORDINATOR, "coordinators"), (Role.VOLUNTEER, "volunteers")):
        users += [
            User(
                email=f"{role}{number:05d}@{DEMO_DOMAIN}",
                full_name=demo_name(context),
                role=role,
                preferred_language=context.rng.choice(languages),
                password=password_hash,
                invite_code=f"{role[0]}{number:05d}{context.rng.randrange(16**6):06x}",
            )
            for number in range(1, context.sizes[count] + 1)
        ]
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    emails = [user.email for user in users]
    saved = dict(User.objects.filter(email__endswith=DEMO_DOMAIN).values_list("email", "pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=saved[email], email=email, verified=True, primary=True)
            for email in emails
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return {"people": len(saved)}
