from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "kzai.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines and reminders"
