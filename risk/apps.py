from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from django.db.models.signals import post_delete, post_save

        from kzai.deadlines.handlers import register_daily_handler
        from registry.models import AISystem
        from registry.signals import system_facts_changed, system_facts_checked
        from registry.tabs import register_system_tab
        from risk.models import Obligation
        from risk.receivers import (
            forget_obligation_aggregates,
            on_system_facts_changed,
            refuse_operation_unscreened,
        )
        from risk.risk_management import receivers as risk_management_receivers
        from risk.risk_management.services import review_schedules_refresh

        # No system goes into operation unscreened (Art. 17(3)); the import's dry run asks too.
        system_facts_changed.connect(refuse_operation_unscreened, dispatch_uid="risk_screen_before_operation")
        system_facts_checked.connect(refuse_operation_unscreened, dispatch_uid="risk_screen_before_operation")
        system_facts_changed.connect(on_system_facts_changed, dispatch_uid="risk_obligations_follow_facts")
        # The review schedule follows the lifecycle stage (and archiving) too.
        system_facts_changed.connect(
            risk_management_receivers.on_system_facts_changed, dispatch_uid="risk_register_review_schedule"
        )
        # The organization-wide score and fines exposure are cached; a change forgets them.
        for model in (Obligation, AISystem):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_obligation_aggregates,
                    sender=model,
                    dispatch_uid=f"risk_aggregates_{model.__name__}",
                )
        register_system_tab("risk", _("Risk"), "risk:system_risk", order=40)
        # First classifications approved since yesterday may make a first review due.
        register_daily_handler("schedules", review_schedules_refresh)
