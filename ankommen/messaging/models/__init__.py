from ankommen.messaging.models.newsletters import Newsletter, NewsletterTranslation
from ankommen.messaging.models.outbox import AddressHealth, OutboxMessage, OutboxSubject
from ankommen.messaging.models.subscriptions import Subscription

__all__ = [
    "AddressHealth",
    "Newsletter",
    "NewsletterTranslation",
    "OutboxMessage",
    "OutboxSubject",
    "Subscription",
]
