from dataclasses import dataclass

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.person_picker import record_number, search_words
from ankommen.search.hooks import PersonFound, SearchTerms
from refugees.hooks import matched_expression
from refugees.models import AccessLink, Need, Newcomer, NewcomerConsent, NewcomerLanguage

# Where `prefetch_contact_consent` leaves a newcomer's consents to hand over their contacts.
CONTACT_CONSENTS = "contact_consents"


def newcomers_visible_to(user: User) -> QuerySet[Newcomer]:
    """Coordinators see every record; a newcomer only their own; volunteers none here.

    Matched volunteers see a newcomer's first name and shared contacts through the
    matching app, never this record.
    """
    newcomers = Newcomer.objects.select_related("district")
    if is_coordinator(user):
        return newcomers
    if getattr(user, "is_authenticated", False) and user.is_newcomer:
        return newcomers.filter(user=user)
    return newcomers.none()


def newcomer_list() -> QuerySet[Newcomer]:
    """The coordinators' list with what its columns and filters need, in fixed queries."""
    newcomers: QuerySet[Newcomer] = (
        Newcomer.objects.select_related("district")
        .prefetch_related(
            Prefetch("languages", queryset=NewcomerLanguage.objects.select_related("language")),
            Prefetch(
                "needs",
                queryset=Need.objects.filter(status=Need.Status.OPEN).select_related("theme"),
                to_attr="open_needs",
            ),
        )
        .annotate(is_matched=matched_expression())
        # Most urgent first, then whoever has waited longest: the fairness rule of the network.
        .order_by("-most_urgent_need", "waiting_since", "pk")
    )
    return newcomers


def newcomer_detail(user: User) -> QuerySet[Newcomer]:
    return newcomers_visible_to(user).prefetch_related(
        Prefetch("languages", queryset=NewcomerLanguage.objects.select_related("language")),
        "members",
        Prefetch("needs", queryset=Need.objects.select_related("theme", "created_by")),
        "consents__obtained_by",
        "access_links",
    )


def open_needs() -> QuerySet[Need]:
    return Need.objects.filter(status=Need.Status.OPEN).select_related("newcomer", "theme")


def newcomers_found(text: str) -> QuerySet[Newcomer]:
    """Open records whose name holds every word typed, or the one with that record number;
    with what tells namesakes apart (district, languages), in two queries for any number."""
    newcomers = (
        Newcomer.objects.filter(closed_at__isnull=True)
        .select_related("district")
        .prefetch_related(
            Prefetch("languages", queryset=NewcomerLanguage.objects.select_related("language"))
        )
        .order_by("full_name", "birth_year", "pk")
    )
    number = record_number(text)
    if number is not None:
        return newcomers.filter(pk=number)
    words = search_words(text)
    if not words:
        return newcomers.none()
    for word in words:
        newcomers = newcomers.filter(full_name__icontains=word)
    return newcomers


def working_cards(newcomer: Newcomer) -> list[AccessLink]:
    """The newcomer's cards that would sign them in now: those a new card stops."""
    return list(
        newcomer.access_links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("created_by")
        .order_by("created_at")
    )


def newcomers_in_menu_search(user: User, terms: SearchTerms, limit: int) -> list[PersonFound]:
    """The menu's person search: by record number, or every word in the name (one query).

    Year of birth (or age group), district and household tell apart people of the same name.
    """
    newcomers = newcomers_visible_to(user)
    if terms.number is not None:
        newcomers = newcomers.filter(pk=terms.number)
    for word in terms.words:
        newcomers = newcomers.filter(full_name__icontains=word)
    return [
        PersonFound(
            name=newcomer.full_name,
            url=newcomer.get_absolute_url(),
            number=newcomer.pk,
            details=_distinguishing(newcomer),
        )
        for newcomer in newcomers.order_by("full_name", "pk")[:limit]
    ]


def _distinguishing(newcomer: Newcomer) -> tuple[str, ...]:
    born = (
        _("born %(year)s") % {"year": newcomer.birth_year}
        if newcomer.birth_year
        else newcomer.get_age_group_display()
    )
    details = (
        born,
        newcomer.district.localized_name if newcomer.district else "",
        newcomer.get_household_display(),
        _("record closed") if newcomer.closed_at else "",
    )
    return tuple(detail for detail in details if detail)


@dataclass(frozen=True)
class SharedContacts:
    """The contact details a newcomer's contact person may have; empty ones were not agreed."""

    phone: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.phone or self.email)


def _contact_consents() -> QuerySet[NewcomerConsent]:
    return NewcomerConsent.objects.filter(
        purpose=NewcomerConsent.Purpose.SHARE_CONTACT, withdrawn_on__isnull=True
    )


def prefetch_contact_consent(path: str = "") -> "Prefetch[str, QuerySet[NewcomerConsent], str]":
    """Loads, with one query for all rows, what `shared_contacts` needs to know about the
    newcomers at `path` ("newcomer__" from a mentorship)."""
    return Prefetch(f"{path}consents", queryset=_contact_consents(), to_attr=CONTACT_CONSENTS)


def shared_contacts(newcomer: Newcomer) -> SharedContacts:
    """What the newcomer agreed to give their contact person: nothing without a documented
    consent to hand contacts over that is not withdrawn, and then only the details they chose
    to share. From `prefetch_contact_consent` when it was applied, else in one query."""
    consents = getattr(newcomer, CONTACT_CONSENTS, None)
    if consents is None:
        agreed = _contact_consents().filter(newcomer=newcomer).exists()
    else:
        agreed = bool(consents)
    if not agreed:
        return SharedContacts()
    return SharedContacts(
        phone=newcomer.phone if newcomer.share_phone else "",
        email=newcomer.email if newcomer.share_email else "",
    )
