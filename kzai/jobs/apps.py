from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kzai.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from kzai.deadlines.handlers import register_daily_handler
        from kzai.jobs.services import stale_jobs_fail

        # A job whose worker died would show "running" forever: the daily sweep ends it.
        register_daily_handler("stale_jobs", stale_jobs_fail)
