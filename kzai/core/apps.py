from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kzai.core"
    label = "core"
    verbose_name = "kzai core"

    def ready(self):
        from kzai.core.i18n import install_language_fallbacks

        install_language_fallbacks()
