from celery import shared_task

from ankommen.messaging.services import newsletters, outbox, reminders


@shared_task(bind=True, acks_late=True, max_retries=outbox.MAX_ATTEMPTS)
def deliver_messages_task(self, *, message_ids: list[int]) -> None:  # noqa: ANN001
    """Rows that are no longer pending are skipped, so running this twice is harmless."""
    try:
        outbox.deliver_messages(message_ids=message_ids)
    except outbox.TemporaryDeliveryError as error:
        countdown = outbox.backoff(self.request.retries + 1).total_seconds()
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def dispatch_due_messages_task() -> None:
    outbox.dispatch_due_messages()


# Beat sends one every few seconds; one that waited longer than a few rounds is superseded.
@shared_task(expires=30)
def reclaim_lapsed_messages_task() -> None:
    outbox.reclaim_lapsed_messages()


@shared_task(acks_late=True)
def fan_out_newsletter_task(*, newsletter_id: int) -> None:
    newsletters.fan_out_newsletter(newsletter_id=newsletter_id)


@shared_task
def send_scheduled_newsletters_task() -> None:
    newsletters.send_scheduled_newsletters()


@shared_task
def send_due_reminders_task() -> None:
    reminders.send_due_reminders()
