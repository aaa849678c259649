import json
import time
from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.utils import timezone
from factory.django import DjangoModelFactory
from fido2.utils import websafe_encode

from ankommen.accounts.models import Role, User
from ankommen.accounts.second_factor import STAFF_ROLES
from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.vocabulary.models import District, Language, Theme
from cockpit.models import ImportJob, Target
from matching.models import CheckIn, MatchingRun, Mentorship, Proposal
from refugees.models import HouseholdMember, Need, Newcomer, NewcomerLanguage
from tests.security_key import SoftwareSecurityKey
from trainings.models import Course, Registration, Session
from volunteers.consent import CONSENT_VERSION
from volunteers.models import (
    ClearanceCheck,
    CoordinatorNote,
    HoursEntry,
    LanguageSkill,
    Volunteer,
    VolunteerConsent,
)
from workgroups.models import (
    MediatorRequest,
    Membership,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
    Task,
    WorkingGroup,
)

PASSWORD = "correct-horse-battery"


# Every test authenticator shares this secret, so a test can compute the current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user: User) -> None:
    TOTP.activate(user, TOTP_SECRET)


def give_security_key(user: User, name: str = "Schlüsselbund") -> Authenticator:
    """A security key registered as allauth stores it, with a real credential of a software key
    (tests/security_key.py) for the origin http://localhost."""
    options = {"publicKey": {"challenge": websafe_encode(b"registered-in-a-factory")}}
    credential = json.loads(SoftwareSecurityKey().register(options))
    return WebAuthn.add(user, name, credential).instance


def current_totp_code() -> str:
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    role = Role.VOLUNTEER
    preferred_language = "de"
    password = factory.django.Password(PASSWORD)

    class Params:
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    @factory.post_generation
    def second_factor(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """Staff have set up their authenticator, as the portal requires, unless a test says not."""
        staff = self.role in STAFF_ROLES or self.is_staff
        wanted = extracted if extracted is not None else staff
        if create and wanted:
            give_second_factor(self)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """People in tests have confirmed their address unless a test says otherwise."""
        if create and self.email and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OutboxMessageFactory(DjangoModelFactory[OutboxMessage]):
    class Meta:
        model = OutboxMessage

    to_email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    template = "account/email/password_changed"
    context = factory.LazyFunction(lambda: {"user_display": "Amina"})
    language = "de"


class SubscriptionFactory(DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    language = "de"
    state = Subscription.State.CONFIRMED
    consent_text = "I would like to receive the newsletter."
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class NewsletterFactory(DjangoModelFactory[Newsletter]):
    class Meta:
        model = Newsletter

    subject = "Rundbrief November"
    body = "Liebe Ehrenamtliche,\n\n**Neue Schulungen** im Dezember."
    language = "de"
    segment_kind = "all"


class VolunteerFactory(DjangoModelFactory[Volunteer]):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role="volunteer")
    district = factory.LazyFunction(lambda: District.objects.order_by("pk").first())
    wizard_step = 4
    profile_completed_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)
    wants_mentor = True
    stage = "applied"
    withdrawn_at = factory.LazyAttribute(
        lambda volunteer: timezone.now() if volunteer.stage == "withdrawn" else None
    )

    @factory.post_generation
    def consent(self, create: bool, extracted: bool | None, **kwargs) -> None:
        if create and extracted is not False:
            VolunteerConsent.objects.create(
                volunteer=self, text_version=CONSENT_VERSION, text="I agree.", language="de"
            )


class HoursEntryFactory(DjangoModelFactory[HoursEntry]):
    class Meta:
        model = HoursEntry

    volunteer = factory.SubFactory(VolunteerFactory)
    worked_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    hours = Decimal("2.00")
    hours_submitted = factory.SelfAttribute("hours")


class NewcomerFactory(DjangoModelFactory[Newcomer]):
    class Meta:
        model = Newcomer

    full_name = factory.Faker("name", locale="ar_AA")
    preferred_language = "ar"
    language_confirmed = True
    district = factory.LazyFunction(lambda: District.objects.order_by("pk").first())
    residence_status = "in_procedure"
    waiting_since = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class NeedFactory(DjangoModelFactory[Need]):
    class Meta:
        model = Need

    newcomer = factory.SubFactory(NewcomerFactory)
    theme = factory.LazyFunction(lambda: Theme.objects.get(slug="housing"))
    urgency = "high"
    source = "coordinator"


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    audience = "volunteers"


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=3))
    place = "Nachbarschaftszentrum Linden"
    capacity = 10


class RegistrationFactory(DjangoModelFactory[Registration]):
    """A confirmed place for the `user` or `newcomer` the test names; the session's count is the
    test's to keep, as the services keep it."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    state = Registration.State.CONFIRMED


# Factories below fill only what the model requires; everything else keeps the model's default,
# so a test that names a field is the only place a value comes from.


def _arabic() -> Language:
    return Language.objects.get(code="ar")


class LanguageSkillFactory(DjangoModelFactory[LanguageSkill]):
    class Meta:
        model = LanguageSkill

    volunteer = factory.SubFactory(VolunteerFactory)
    language = factory.LazyFunction(_arabic)
    level = "native"


class CoordinatorNoteFactory(DjangoModelFactory[CoordinatorNote]):
    class Meta:
        model = CoordinatorNote

    volunteer = factory.SubFactory(VolunteerFactory)
    text = "Rief zurück, möchte im Frühjahr anfangen."


class ClearanceCheckFactory(DjangoModelFactory[ClearanceCheck]):
    """A certificate of good conduct, seen today, issued ten days ago, valid for five years."""

    class Meta:
        model = ClearanceCheck

    volunteer = factory.SubFactory(VolunteerFactory)
    seen_on = factory.LazyFunction(timezone.localdate)
    issued_on = factory.LazyAttribute(lambda check: check.seen_on - timedelta(days=10))
    valid_until = factory.LazyAttribute(lambda check: check.issued_on + timedelta(days=5 * 365))


class NewcomerLanguageFactory(DjangoModelFactory[NewcomerLanguage]):
    class Meta:
        model = NewcomerLanguage

    newcomer = factory.SubFactory(NewcomerFactory)
    language = factory.LazyFunction(_arabic)
    level = "native"


class HouseholdMemberFactory(DjangoModelFactory[HouseholdMember]):
    """A child in the newcomer's household: an age group unless the test gives a year of birth."""

    class Meta:
        model = HouseholdMember

    newcomer = factory.SubFactory(NewcomerFactory)
    relation = HouseholdMember.Relation.CHILD
    birth_year = None
    age_group = factory.LazyAttribute(lambda member: "" if member.birth_year else "6-13")


class WorkingGroupFactory(DjangoModelFactory[WorkingGroup]):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"AG {n}")


class MembershipFactory(DjangoModelFactory[Membership]):
    """A request to join, as the model starts it; `lead` makes an active lead of the group."""

    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)

    class Params:
        lead = factory.Trait(role=Membership.Role.LEAD, state=Membership.State.ACTIVE)


class TaskFactory(DjangoModelFactory[Task]):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Task {n}")


class PartnerFactory(DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.COUNSELLING


class OfferFactory(DjangoModelFactory[Offer]):
    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    theme = factory.LazyFunction(lambda: Theme.objects.get(slug="housing"))


class PartnerNeedFactory(DjangoModelFactory[PartnerNeed]):
    class Meta:
        model = PartnerNeed

    partner = factory.SubFactory(PartnerFactory)
    theme = factory.LazyFunction(lambda: Theme.objects.get(slug="housing"))
    description = factory.Sequence(lambda n: f"Need {n}")


class ReferralFactory(DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    newcomer = factory.SubFactory(NewcomerFactory)
    offer = factory.SubFactory(OfferFactory)
    consent_on = factory.LazyFunction(timezone.localdate)


class NetworkEventFactory(DjangoModelFactory[NetworkEvent]):
    class Meta:
        model = NetworkEvent

    title = factory.Sequence(lambda n: f"Event {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class MediatorRequestFactory(DjangoModelFactory[MediatorRequest]):
    """Someone to translate between Arabic and German for an hour, three days from now."""

    class Meta:
        model = MediatorRequest

    language = factory.LazyFunction(_arabic)
    other_language = factory.LazyFunction(lambda: Language.objects.get(code="de"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda request: request.starts_at + timedelta(hours=1))
    place = "Rathaus"


class MatchingRunFactory(DjangoModelFactory[MatchingRun]):
    class Meta:
        model = MatchingRun


class ProposalFactory(DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal

    run = factory.SubFactory(MatchingRunFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    newcomer = factory.SubFactory(NewcomerFactory)
    score = 50


class MentorshipFactory(DjangoModelFactory[Mentorship]):
    class Meta:
        model = Mentorship

    volunteer = factory.SubFactory(VolunteerFactory)
    newcomer = factory.SubFactory(NewcomerFactory)


class CheckInFactory(DjangoModelFactory[CheckIn]):
    class Meta:
        model = CheckIn

    mentorship = factory.SubFactory(MentorshipFactory)
    due_on = factory.LazyFunction(timezone.localdate)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class ImportJobFactory(DjangoModelFactory[ImportJob]):
    class Meta:
        model = ImportJob

    kind = ImportJob.Kind.PARTNERS
    file_name = factory.Sequence(lambda n: f"import-{n}.csv")


class TargetFactory(DjangoModelFactory[Target]):
    class Meta:
        model = Target

    metric = Target.Metric.FRIENDSHIPS
    value = 500
