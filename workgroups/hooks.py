"""Hooks the working groups and the network declare for apps above them."""

from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise

from ankommen.accounts.models import User
from ankommen.hooks import Hook, declare
from workgroups.models import Partner, Referral


@dataclass(frozen=True)
class PartnerPageLink:
    label: str | Promise
    url: str


class PartnerPageLinks(Protocol):
    def __call__(self, user: User, partner: Partner, /) -> list[PartnerPageLink]: ...


PARTNER_PAGE_LINKS: Hook[PartnerPageLinks] = declare(
    "workgroups.partner_page_links",
    "Links on a partner organisation's page to what other apps keep about it (the people who "
    "act for it), each shown only to whom the provider decides.",
)


class ReferralHandover(Protocol):
    """`event` is "made" (a new referral to the organisation's offer) or "withdrawn" (the
    newcomer withdrew consent: the referral is gone from the partner's view)."""

    def __call__(self, referral: Referral, event: str, /) -> None: ...


REFERRAL_HANDOVER: Hook[ReferralHandover] = declare(
    "workgroups.referral_handover",
    "Told after commit when a referral reaches a partner organisation or its consent is "
    "withdrawn, so that the people acting for the organisation hear of it (without a name).",
)
