from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kzai.core"
    label = "core"
    verbose_name = "kzai core"
