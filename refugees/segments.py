"""The newsletter segment of newcomers who agreed, in person, to receive e-mails."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.messaging.models import Subscription
from ankommen.messaging.segments import Segment
from refugees.models import Newcomer, NewcomerConsent


def _newcomers_with_email_consent(value: str) -> QuerySet[Subscription]:
    agreed = (
        Newcomer.objects.filter(
            closed_at__isnull=True,
            consents__purpose=NewcomerConsent.Purpose.EMAIL,
            consents__withdrawn_on__isnull=True,
        )
        .exclude(email="")
        .values("email")
    )
    return Subscription.objects.filter(email__in=agreed)


NEWCOMERS_WITH_EMAIL_CONSENT = Segment(
    "newcomers", _("Newcomers who agreed to e-mails"), _newcomers_with_email_consent
)
