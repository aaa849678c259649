from celery import shared_task

from cockpit.imports.services import check_import, run_import
from cockpit.models import ImportJob


@shared_task(ignore_result=True)
def check_import_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.CHECKING).first()
    if job is not None:
        check_import(job)


@shared_task(ignore_result=True)
def run_import_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.IMPORTING).first()
    if job is not None:
        run_import(job)
