"""What partner staff and the coordinators who keep them see, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from ankommen.accounts.models import User
from partners.models import PartnerStaff
from partners.permissions import partners_acted_for
from workgroups.models import Partner


def staff_of(partner: Partner) -> QuerySet[PartnerStaff]:
    """Everyone invited for the organisation, open rows first, ended ones as the record."""
    return (
        PartnerStaff.objects.filter(partner=partner)
        .select_related("user", "invited_by", "ended_by")
        .order_by("ended_at", "user__full_name")
    )


def desk_for(user: User) -> QuerySet[Partner]:
    """The organisations on this person's desk, with who else acts for each."""
    return (
        partners_acted_for(user)
        .prefetch_related(
            Prefetch(
                "staff",
                queryset=PartnerStaff.objects.active().select_related("user"),
                to_attr="active_staff",
            )
        )
        .order_by("name")
    )
