from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit engagements, findings and trusted-list filings"

    def ready(self):
        # Registers the Celery task that ends auditors' access when an engagement's access ends.
        from audit import tasks  # noqa: F401
