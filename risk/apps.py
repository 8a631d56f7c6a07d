from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        from registry.signals import system_facts_changed
        from risk.receivers import on_system_facts_changed

        system_facts_changed.connect(on_system_facts_changed, dispatch_uid="risk_obligations_follow_facts")
        # The review schedule follows the lifecycle stage too; importing the receivers also
        # registers the risk-management Celery tasks (they are not in `risk/tasks.py`).
        from risk.risk_management import receivers  # noqa: F401
