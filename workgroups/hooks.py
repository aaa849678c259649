"""Hooks the working groups and the network declare for apps above them."""

from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise

from ankommen.accounts.models import User
from ankommen.hooks import Hook, declare
from workgroups.models import Partner


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
