from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents, technical passports and inspection packs"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from documents.jobs import register_kinds
        from registry.tabs import register_system_tab

        register_kinds()
        register_system_tab("documents", _("Documents"), "documents:system_documents", order=50)
