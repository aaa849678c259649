from celery import shared_task

from matching.engine import execute_run
from matching.models import MatchingRun


@shared_task(ignore_result=True)
def run_matching_task(run_id: int) -> None:
    run = MatchingRun.objects.filter(pk=run_id, state=MatchingRun.State.RUNNING).first()
    # A run that is already done (a retried delivery) is not solved twice.
    if run is not None:
        execute_run(run)
