"""The import's two steps run in the worker. Both are acknowledged only when done, so a worker
that is stopped midway leaves the step to another; begin_attempt ends that after a few tries."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from cockpit.imports.services import (
    begin_attempt,
    check_import,
    fail_stuck_imports,
    run_import,
)
from cockpit.models import ImportJob


# The app's task class already; named so that type checkers know delay_on_commit().
@shared_task(base=DjangoTask, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def check_import_task(job_id: int) -> None:
    job = begin_attempt(job_id=job_id, state=ImportJob.State.CHECKING)
    if job is not None:
        check_import(job=job)


@shared_task(base=DjangoTask, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_import_task(job_id: int) -> None:
    job = begin_attempt(job_id=job_id, state=ImportJob.State.IMPORTING)
    if job is not None:
        run_import(job=job)


@shared_task(ignore_result=True)
def fail_stuck_imports_task() -> None:
    fail_stuck_imports()
