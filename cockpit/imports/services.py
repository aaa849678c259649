"""An import in two steps: check every row (writing nothing), then, once a coordinator has seen
the preview and confirmed, write all rows in one transaction, or none."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from cockpit.imports.kinds import KINDS, Lookups, check_row
from cockpit.imports.table import FileError, Row, read_table
from cockpit.models import ImportJob

PREVIEW_ROWS = 10
# Progress is written every so many rows: often enough for the bar, rarely enough to be cheap.
PROGRESS_EVERY = 250
# A step whose worker died this often (out of memory, killed) is not tried again: with late
# acknowledgement the broker would otherwise hand the same file to the next worker forever.
MAX_ATTEMPTS = 3
# Well past the hard time limit (CELERY_TASK_TIME_LIMIT): a step not done by then has lost its
# worker to the limit, and Celery acknowledges such a task without running it again.
STUCK_AFTER = timedelta(minutes=10)


class ImportRefusedError(Exception):
    pass


def start_import(*, by: User, kind: str, file_name: str, content: bytes) -> ImportJob:
    from cockpit.tasks import check_import_task  # noqa: PLC0415 (tasks import this module)

    job = ImportJob.objects.create(
        kind=kind, file_name=file_name[:200], content=content, started_by=by
    )
    check_import_task.delay_on_commit(job_id=job.pk)
    return job


@contextmanager
def _in_starters_language(job: ImportJob) -> Iterator[None]:
    """Messages about a file are stored in the language of the coordinator who uploaded it."""
    starter = job.started_by
    with translation.override(starter.preferred_language if starter else settings.LANGUAGE_CODE):
        yield


def begin_attempt(*, job_id: int, state: str) -> ImportJob | None:
    """The job if it is still in this state and has attempts left; a job out of attempts
    fails with a message instead. The attempt is committed before any work starts."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("started_by")
            .filter(pk=job_id, state=state)
            .first()
        )
        if job is None:
            return None
        job.attempts += 1
        job.attempted_at = timezone.now()
        job.save(update_fields=["attempts", "attempted_at"])
        if job.attempts <= MAX_ATTEMPTS:
            return job
        with _in_starters_language(job):
            message = _(
                "Reading this file stopped the background worker %(count)s times, so it was "
                "not tried again. Nothing was written. Please check the file, or split it, "
                "and upload it again."
            ) % {"count": MAX_ATTEMPTS}
        _finish(job, ImportJob.State.FAILED, errors=[{"row": 0, "errors": [message]}])
        return None


def fail_stuck_imports(*, now: datetime | None = None) -> int:
    """A step whose worker was stopped for good (time limit, killed) cannot mark its job;
    past STUCK_AFTER the job fails with a message, so nobody watches a progress bar forever."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    busy = [ImportJob.State.CHECKING, ImportJob.State.IMPORTING]
    failed = 0
    for job_id in ImportJob.objects.filter(state__in=busy, attempted_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(of=("self",))
                .select_related("started_by")
                .filter(pk=job_id, state__in=busy, attempted_at__lt=cutoff)
                .first()
            )
            if job is None:
                continue
            with _in_starters_language(job):
                message = _(
                    "Reading this file did not finish in time. Nothing was written. Please "
                    "split the file and upload it again."
                )
            _finish(job, ImportJob.State.FAILED, errors=[{"row": 0, "errors": [message]}])
            failed += 1
    return failed


def _progress(job: ImportJob, done: int) -> None:
    if done % PROGRESS_EVERY == 0:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)


def _checked_rows(job: ImportJob) -> list[tuple[Row, dict[str, Any] | None]]:
    """Every row with its problems, duplicates within the file and against stored records
    included; raises FileError when the file as a whole is unusable."""
    kind = KINDS[job.kind]
    rows = read_table(job.file_name, bytes(job.content))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    present = set(rows[0].values) if rows else set()
    missing = [column for column in kind.required if column not in present]
    if missing:
        raise FileError(
            _("The file has no column %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    seen: dict[tuple[Any, ...], int] = {}
    lookups, stored = Lookups(), kind.existing_keys()
    checked = []
    for done, row in enumerate(rows, start=1):
        data = check_row(kind, row, lookups)
        if data is not None:
            key = kind.duplicate_key(data)
            if key in stored:
                row.errors.append(_("Already in the portal."))
            elif key in seen:
                row.errors.append(_("The same as row %(line)s.") % {"line": seen[key]})
            else:
                seen[key] = row.line
        checked.append((row, data if not row.errors else None))
        _progress(job, done)
    return checked


def check_import(*, job: ImportJob) -> ImportJob:
    with _in_starters_language(job):
        return _check_import(job)


def _check_import(job: ImportJob) -> ImportJob:
    try:
        checked = _checked_rows(job)
    except FileError as error:
        return _finish(job, ImportJob.State.FAILED, errors=[{"row": 0, "errors": [str(error)]}])
    errors = [{"row": row.line, "errors": row.errors} for row, _data in checked if row.errors]
    preview = [row.values for row, data in checked if data is not None][:PREVIEW_ROWS]
    job.preview = preview
    job.processed_rows = len(checked)
    return _finish(job, ImportJob.State.CHECKED, errors=errors, keep_file=not errors)


def confirm_import(*, job: ImportJob) -> ImportJob:
    """Only a checked file without errors can be imported."""
    from cockpit.tasks import run_import_task  # noqa: PLC0415

    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKED, errors=[]).update(
        state=ImportJob.State.IMPORTING, processed_rows=0, attempts=0
    )
    if not updated:
        raise ImportRefusedError(_("Only a checked file without errors can be imported."))
    run_import_task.delay_on_commit(job_id=job.pk)
    job.refresh_from_db()
    return job


def run_import(*, job: ImportJob) -> ImportJob:
    """Checks again (the data may have changed since the preview), then writes every row in
    one transaction: a single bad row, or any failure, leaves the database as it was.

    The check reports its progress; the write cannot, as its transaction hides its own
    updates until the end, so the page shows that phase without a percentage."""
    with _in_starters_language(job):
        return _run_import(job)


def _run_import(job: ImportJob) -> ImportJob:
    kind = KINDS[job.kind]
    try:
        checked = _checked_rows(job)
    except FileError as error:
        return _finish(job, ImportJob.State.FAILED, errors=[{"row": 0, "errors": [str(error)]}])
    errors = [{"row": row.line, "errors": row.errors} for row, _data in checked if row.errors]
    if errors:
        return _finish(job, ImportJob.State.FAILED, errors=errors)
    try:
        # One trail for the file: every record it creates names the coordinator who started
        # the import, and the entries go in one statement.
        with audit.recorded_by(job.started_by):
            for _row, data in checked:
                # Without errors every row has its data. The starter is None only when their
                # account was erased meanwhile; the records then name nobody (nullable columns).
                kind.write(data, job.started_by)  # type: ignore[arg-type]
    except IntegrityError:
        message = _("Someone added the same records meanwhile. Nothing was imported; check again.")
        return _finish(job, ImportJob.State.FAILED, errors=[{"row": 0, "errors": [message]}])
    job.created_count = job.processed_rows = len(checked)
    return _finish(job, ImportJob.State.DONE, errors=[])


def _finish(
    job: ImportJob, state: str, *, errors: list[dict[str, Any]], keep_file: bool = False
) -> ImportJob:
    job.state = state
    job.errors = errors
    job.finished_at = timezone.now()
    fields = ["state", "errors", "finished_at", "preview", "processed_rows", "created_count"]
    if not keep_file:
        # Personal data in the upload is not kept longer than the import needs it.
        job.content = b""
        fields.append("content")
    job.save(update_fields=fields)
    return job
