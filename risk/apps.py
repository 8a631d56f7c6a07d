from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from kzai.deadlines.handlers import register_daily_handler
        from registry.signals import system_facts_changed, system_facts_changed_many, system_facts_checked
        from registry.tabs import register_system_tab
        from risk import receivers
        from risk.risk_management import receivers as risk_management_receivers
        from risk.risk_management.services import review_schedules_refresh

        # No system goes into operation unscreened (Art. 17(3)); the import's dry run asks too.
        # Each listener also hears the import's announcement of many systems, and does the same
        # for all of them in bulk.
        system_facts_changed.connect(
            receivers.refuse_operation_unscreened, dispatch_uid="risk_screen_before_operation"
        )
        system_facts_changed_many.connect(
            receivers.refuse_many_operation_unscreened, dispatch_uid="risk_screen_before_operation"
        )
        system_facts_checked.connect(
            receivers.refuse_operation_unscreened, dispatch_uid="risk_screen_before_operation"
        )
        system_facts_changed.connect(
            receivers.on_system_facts_changed, dispatch_uid="risk_obligations_follow_facts"
        )
        system_facts_changed_many.connect(
            receivers.on_many_systems_facts_changed, dispatch_uid="risk_obligations_follow_facts"
        )
        # The review schedule follows the lifecycle stage (and archiving) too.
        system_facts_changed.connect(
            risk_management_receivers.on_system_facts_changed, dispatch_uid="risk_register_review_schedule"
        )
        system_facts_changed_many.connect(
            risk_management_receivers.on_many_systems_facts_changed,
            dispatch_uid="risk_register_review_schedule",
        )
        register_system_tab("risk", _("Risk"), "risk:system_risk", order=40)
        # First classifications approved since yesterday may make a first review due.
        register_daily_handler("schedules", review_schedules_refresh)
