from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit engagements, findings and trusted-list filings"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready. The tasks
        # module registers the Celery task that ends auditors' access when an engagement's ends.
        from audit import tasks  # noqa: F401
        from audit.overview import audit_overview
        from audit.report import passport_section, register_kinds
        from documents.passport_sections import register_passport_section
        from kzai.core.overview import register_overview_section
        from registry.tabs import register_system_tab

        register_kinds()
        register_system_tab("audits", _("Audits"), "audit:system_audits", order=60)
        register_overview_section("audit", audit_overview, order=30)
        register_passport_section("audits", _("Audits"), passport_section, order=10)
