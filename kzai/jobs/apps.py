from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kzai.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
