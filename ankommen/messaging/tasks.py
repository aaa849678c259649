from smtplib import SMTPException

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from ankommen.messaging import services

MAX_RETRIES = 6


class DeliverMessageTask(DjangoTask):
    """Once the retries are used up, the outbox row shows the failure instead of hiding it."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # noqa: ANN001
        services.mark_failed(message_id=kwargs["message_id"], error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=DeliverMessageTask,
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=MAX_RETRIES,
)
def deliver_message_task(*, message_id: int) -> None:
    services.deliver_message(message_id=message_id)


@shared_task
def dispatch_pending_messages_task() -> None:
    services.dispatch_pending_messages()
