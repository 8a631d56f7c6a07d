from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from kzai.deadlines.handlers import register_daily_handler
        from registry.signals import system_facts_changed
        from registry.tabs import register_system_tab
        from risk.receivers import on_system_facts_changed
        from risk.risk_management import receivers as risk_management_receivers
        from risk.risk_management.services import review_schedules_refresh

        system_facts_changed.connect(on_system_facts_changed, dispatch_uid="risk_obligations_follow_facts")
        # The review schedule follows the lifecycle stage (and archiving) too.
        system_facts_changed.connect(
            risk_management_receivers.on_system_facts_changed, dispatch_uid="risk_register_review_schedule"
        )
        register_system_tab("risk", _("Risk"), "risk:system_risk", order=40)
        # First classifications approved since yesterday may make a first review due.
        register_daily_handler("schedules", review_schedules_refresh)
