"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings.base")

# The Django task class gives every task delay_on_commit(), so nothing is queued for a
# transaction that later rolls back.
app = Celery("ankommen", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
