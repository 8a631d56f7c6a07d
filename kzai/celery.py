"""The Celery application. Without REDIS_URL the settings make every task run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzai.settings")

app = Celery("kzai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
