from celery import shared_task

from ankommen.operations.health import record_heartbeat


@shared_task(bind=True, ignore_result=True, expires=60)
def record_heartbeat_task(self) -> None:  # noqa: ANN001
    record_heartbeat(hostname=self.request.hostname or "unknown")
