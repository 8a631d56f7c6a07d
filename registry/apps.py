from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Register of AI systems"

    def ready(self):
        from registry.jobs import register_job_kinds

        register_job_kinds()
