from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.utils import timezone

from matching.checkins import flag_missed, send_check_ins
from matching.engine import execute_run, fail_stuck_runs
from matching.models import MatchingRun


# The app's task class already; named so that type checkers know delay_on_commit().
@shared_task(base=DjangoTask, ignore_result=True)
def run_matching_task(run_id: int) -> None:
    run = MatchingRun.objects.filter(pk=run_id, state=MatchingRun.State.RUNNING).first()
    # A run that is already done (a retried delivery) is not solved twice.
    if run is not None:
        execute_run(run)


@shared_task(ignore_result=True)
def check_ins_task() -> None:
    today = timezone.localdate()
    send_check_ins(today)
    flag_missed(today)


@shared_task(ignore_result=True)
def fail_stuck_runs_task() -> None:
    fail_stuck_runs()
