"""What partner staff keep for their own organisation: its profile, offers, needs and replies
to network events. Each is the workgroups service coordinators use, with the acting person as
`by` (the audit entry names them), after checking that they act for the organisation now.

The name is not theirs to change (the network's key: the import and the coordinators' pages
find an organisation by it), nor retiring or reactivating the organisation.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.vocabulary.models import District, Language, Theme
from partners.permissions import acts_for
from partners.services import PartnerStaffError
from workgroups import services as network
from workgroups.models import EventResponse, NetworkEvent, Offer, Partner, PartnerNeed

PROFILE_FIELDS = (
    "kind",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "latitude",
    "longitude",
)


def check_acts_for(by: User, partner: Partner) -> None:
    """The views fetch through selectors scoped to the person; this is the services' own guard."""
    if not acts_for(by, partner):
        raise PartnerStaffError(_("You do not act for this organisation."))


def update_profile(
    *,
    partner: Partner,
    by: User,
    districts: Iterable[District],
    themes: Iterable[Theme],
    **fields: Any,
) -> Partner:
    check_acts_for(by, partner)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise PartnerStaffError(_("Only coordinators change an organisation's name."))
    return network.update_partner(
        partner=partner, by=by, districts=districts, themes=themes, **fields
    )


def publish_offer(
    *, partner: Partner, by: User, languages: Iterable[Language] = (), **fields: Any
) -> Offer:
    """A retired organisation publishes nothing (workgroups refuses it)."""
    check_acts_for(by, partner)
    return network.add_offer(partner=partner, by=by, languages=languages, **fields)


def update_offer(
    *, offer: Offer, by: User, languages: Iterable[Language] = (), **fields: Any
) -> Offer:
    check_acts_for(by, offer.partner)
    return network.update_offer(offer=offer, by=by, languages=languages, **fields)


def retire_offer(*, offer: Offer, by: User) -> Offer:
    check_acts_for(by, offer.partner)
    return network.retire_offer(offer=offer, by=by)


def reactivate_offer(*, offer: Offer, by: User) -> Offer:
    check_acts_for(by, offer.partner)
    return network.reactivate_offer(offer=offer, by=by)


def state_need(
    *, partner: Partner, by: User, theme: Theme, description: str, district: District | None
) -> PartnerNeed:
    check_acts_for(by, partner)
    return network.record_partner_need(
        partner=partner, by=by, theme=theme, description=description, district=district
    )


def update_need(*, need: PartnerNeed, by: User, **fields: Any) -> PartnerNeed:
    check_acts_for(by, need.partner)
    return network.update_partner_need(need=need, by=by, **fields)


def close_need(*, need: PartnerNeed, by: User) -> PartnerNeed:
    check_acts_for(by, need.partner)
    return network.close_partner_need(need=need, by=by)


def reopen_need(*, need: PartnerNeed, by: User) -> PartnerNeed:
    check_acts_for(by, need.partner)
    return network.reopen_partner_need(need=need, by=by)


def reply_to_event(
    *, event: NetworkEvent, partner: Partner, answer: str, by: User
) -> EventResponse:
    """The organisation's one reply, the same row a coordinator records for it."""
    check_acts_for(by, partner)
    return network.record_partner_reply(event=event, partner=partner, answer=answer, by=by)
