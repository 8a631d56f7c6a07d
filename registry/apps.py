from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Register of AI systems"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from kzai.core.grants import register_grantable_objects
        from kzai.core.overview import register_overview_section
        from kzai.core.widgets import register_autocomplete
        from kzai.deadlines.handlers import register_daily_handler
        from registry.grants import SystemGrants
        from registry.jobs import register_job_kinds, stale_export_files_delete, stale_import_uploads_delete
        from registry.overview import registry_overview
        from registry.tabs import register_system_tab

        # Auditors are granted AI systems; the platform's restrict() and members' pages ask here.
        register_grantable_objects(SystemGrants())
        # Every filter by AI system searches them instead of listing thousands of options.
        register_autocomplete("registry.AISystem", "registry:system_options")
        # The register's own tabs; other apps add theirs (Risk, Documents, Audits) in between.
        register_system_tab("overview", _("Overview"), "registry:system_detail", order=10)
        register_system_tab("parties", _("Parties"), "registry:system_parties", order=20)
        register_system_tab("data", _("Data"), "registry:system_data", order=30)
        register_system_tab("public", _("Public side"), "registry:system_public", order=70)
        register_system_tab("history", _("History"), "registry:system_history", order=100)
        # The import and large exports run as background jobs of the platform.
        register_job_kinds()
        # Uploads of dry runs nobody committed are removed after a while.
        register_daily_handler("stale_import_uploads", stale_import_uploads_delete)
        # The overview: the first-run guide while nothing is registered, the member's user reports.
        register_overview_section("registry", registry_overview, order=10)
        # Files of background exports are fetched, not stored: removed after a while too.
        register_daily_handler("stale_export_files", stale_export_files_delete)
