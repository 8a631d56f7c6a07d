from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents, technical passports and inspection packs"

    def ready(self):
        from documents.jobs import register_kinds

        register_kinds()
