"""Partner organisations, their offers and their needs, kept up to date by coordinators.

Every change is one audit entry by the coordinator who made it. Nothing is deleted: a partner
or offer is retired and a need is closed, so referrals and the history keep what they point at.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.translated_content import in_source_language
from ankommen.vocabulary.models import District, Language, Theme
from translations import services as translation_work
from workgroups.models import Offer, Partner, PartnerNeed
from workgroups.services.groups import WorkgroupError


def _check_name_free(name: str, *, besides: Partner | None = None) -> None:
    """One record per organisation: the import treats the name as the key, so does the form."""
    others = Partner.objects.filter(name__iexact=name.strip())
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    if others.exists():
        raise WorkgroupError(
            _("A partner organisation named %(name)s is already recorded.") % {"name": name}
        )


@transaction.atomic
def register_partner(
    *,
    by: User,
    name: str,
    kind: str,
    districts: Iterable[District],
    themes: Iterable[Theme],
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Partner:
    """A partner organisation with the districts it serves and its themes, all or nothing."""
    _check_name_free(name)
    with audit.recorded_by(by) as trail:
        partner = Partner.objects.create(
            name=name.strip(),
            kind=kind,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            address=address,
            latitude=latitude,
            longitude=longitude,
        )
        partner.districts.set(districts)
        partner.themes.set(themes)
        trail.created(partner)
    return partner


@transaction.atomic
def update_partner(
    *,
    partner: Partner,
    by: User,
    districts: Iterable[District],
    themes: Iterable[Theme],
    **fields: Any,
) -> Partner:
    """The stored record is compared with the edit, so the audit names what really changed."""
    stored = Partner.objects.select_for_update().get(pk=partner.pk)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_name_free(fields["name"], besides=stored)
    with audit.recorded_by(by) as trail:
        trail.assign(stored, **fields)
        stored.save()
        trail.assign_related(stored, "districts", districts)
        trail.assign_related(stored, "themes", themes)
    return stored


@transaction.atomic
def retire_partner(*, partner: Partner, by: User) -> Partner:
    """A retired partner's offers and needs count nowhere and take no new referrals; referrals
    already made stay as they are, for the coordinator to follow up. Reactivating undoes it."""
    stored = Partner.objects.select_for_update().get(pk=partner.pk)
    if not stored.is_active:
        raise WorkgroupError(_("This partner organisation has already been retired."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_active=False)
        stored.save(update_fields=["is_active"])
    return stored


@transaction.atomic
def reactivate_partner(*, partner: Partner, by: User) -> Partner:
    """Its offers and needs count again as they were when it was retired."""
    stored = Partner.objects.select_for_update().get(pk=partner.pk)
    if stored.is_active:
        raise WorkgroupError(_("This partner organisation is active."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_active=True)
        stored.save(update_fields=["is_active"])
    return stored


def _check_active(partner: Partner) -> None:
    if not Partner.objects.filter(pk=partner.pk, is_active=True).exists():
        raise WorkgroupError(_("This partner organisation has been retired. Reactivate it first."))


@transaction.atomic
def add_offer(
    *, partner: Partner, by: User, languages: Iterable[Language] = (), **fields: Any
) -> Offer:
    """Only an active partner gets new offers; the offer counts in the gap matrix at once."""
    _check_active(partner)
    # Title and schedule are typed in German, whatever the coordinator's interface language.
    with audit.recorded_by(by) as trail, in_source_language():
        offer = Offer.objects.create(partner=partner, **fields)
        offer.languages.set(languages)
        trail.created(offer)
    translation_work.sync_record(offer, by=by)
    return offer


@transaction.atomic
def update_offer(
    *, offer: Offer, by: User, languages: Iterable[Language] = (), **fields: Any
) -> Offer:
    stored = Offer.objects.select_for_update().get(pk=offer.pk)
    with audit.recorded_by(by) as trail, in_source_language():
        trail.assign(stored, **fields)
        stored.save()
        trail.assign_related(stored, "languages", languages)
    translation_work.sync_record(stored, by=by)
    return stored


@transaction.atomic
def retire_offer(*, offer: Offer, by: User) -> Offer:
    """A retired offer no longer counts as supply and takes no new referrals; referrals
    already made to it stay as they are."""
    stored = Offer.objects.select_for_update().get(pk=offer.pk)
    if not stored.is_active:
        raise WorkgroupError(_("This offer has already been retired."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_active=False)
        stored.save(update_fields=["is_active"])
    return stored


@transaction.atomic
def reactivate_offer(*, offer: Offer, by: User) -> Offer:
    stored = Offer.objects.select_for_update().get(pk=offer.pk)
    if stored.is_active:
        raise WorkgroupError(_("This offer is active."))
    _check_active(stored.partner)
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_active=True)
        stored.save(update_fields=["is_active"])
    return stored


@transaction.atomic
def record_partner_need(
    *,
    partner: Partner,
    by: User,
    theme: Theme,
    description: str,
    district: District | None = None,
) -> PartnerNeed:
    """What a partner is missing; it counts as demand in the gap matrix while it is open."""
    _check_active(partner)
    with audit.recorded_by(by) as trail:
        need = PartnerNeed.objects.create(
            partner=partner,
            theme=theme,
            district=district,
            description=description,
            recorded_by=by,
        )
        trail.created(need)
    return need


@transaction.atomic
def update_partner_need(*, need: PartnerNeed, by: User, **fields: Any) -> PartnerNeed:
    stored = PartnerNeed.objects.select_for_update().get(pk=need.pk)
    with audit.recorded_by(by) as trail:
        trail.assign(stored, **fields)
        stored.save()
    return stored


@transaction.atomic
def close_partner_need(*, need: PartnerNeed, by: User) -> PartnerNeed:
    """Met or no longer needed: it stops counting as demand."""
    stored = PartnerNeed.objects.select_for_update().get(pk=need.pk)
    if not stored.is_open:
        raise WorkgroupError(_("This need has already been closed."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_open=False)
        stored.save(update_fields=["is_open"])
    return stored


@transaction.atomic
def reopen_partner_need(*, need: PartnerNeed, by: User) -> PartnerNeed:
    stored = PartnerNeed.objects.select_for_update().get(pk=need.pk)
    if stored.is_open:
        raise WorkgroupError(_("This need is open."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, is_open=True)
        stored.save(update_fields=["is_open"])
    return stored
