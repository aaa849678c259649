from celery import shared_task

from ankommen.privacy.retention import propose_review


@shared_task(ignore_result=True)
def propose_retention_review_task() -> None:
    propose_review()
