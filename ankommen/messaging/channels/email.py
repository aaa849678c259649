"""E-mail through the outbox: the first choice for everyone who has an address."""

from ankommen.messaging.channels import Contact, Notice, Recipient
from ankommen.messaging.services.outbox import queue_mail


class EmailChannel:
    name = "email"

    def can_reach(self, person: Recipient) -> bool:
        # An address that keeps bouncing is still "reachable" here: the outbox skips it when
        # delivering and shows the row as failed, which is what coordinators look for.
        return bool(person.email)

    def send(self, notice: Notice) -> bool:
        person = notice.person
        _message, is_new = queue_mail(
            to_email=str(person.email),
            recipient=person.account if isinstance(person, Contact) else person,
            template=email_template(notice.occasion),
            language=notice.language,
            context={"user_display": person.display_name, **notice.context},
            idempotency_key=notice.key,
            category=notice.category,
            attachments=notice.attachments,
            about=notice.about,
            secret_context=notice.secret_context,
        )
        return is_new


def email_template(occasion: str) -> str:
    """An occasion "<app>/<name>" is worded in the templates <app>/email/<name>_*.txt."""
    app, _slash, name = occasion.partition("/")
    return f"{app}/email/{name}"
