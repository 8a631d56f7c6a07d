from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "kzai.activity"
    label = "activity"
    verbose_name = "Activity log"

    def ready(self):
        from kzai.activity import services, signals  # noqa: F401  (connects the recorders)
