from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        from registry.signals import system_facts_changed
        from risk.receivers import on_system_facts_changed

        system_facts_changed.connect(on_system_facts_changed, dispatch_uid="risk_obligations_follow_facts")
        # The review schedule follows the lifecycle stage too (issue 5).
        from risk import register_receivers  # noqa: F401
