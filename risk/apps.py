from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = "Risk classification, obligations and risk management"

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before the models are ready.
        from django.db.models.signals import post_delete, post_save

        from kzai.core.overview import register_overview_section
        from kzai.core.roles import Action
        from kzai.deadlines.handlers import register_daily_handler
        from registry.models import AISystem
        from registry.public.labels.selectors import labelling_evidence
        from registry.signals import system_facts_changed, system_facts_changed_many, system_facts_checked
        from registry.tabs import register_system_next_step, register_system_tab
        from risk import library_cache, receivers
        from risk.computed_evidence import register_computed_evidence
        from risk.models import Obligation, Requirement, RequirementLibraryVersion
        from risk.overview import risk_overview
        from risk.risk_management import receivers as risk_management_receivers
        from risk.risk_management.services import review_schedules_refresh
        from risk.services.score import compliance_score_snapshots_take

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
        # The organization-wide score and fines exposure are cached; a change forgets them.
        for model in (Obligation, AISystem):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.forget_obligation_aggregates,
                    sender=model,
                    dispatch_uid=f"risk_aggregates_{model.__name__}",
                )
        # Library rows are kept in the process once read (risk.library_cache); a new one forgets them.
        for model in (Requirement, RequirementLibraryVersion):
            post_save.connect(
                library_cache.forget, sender=model, dispatch_uid=f"risk_library_{model.__name__}"
            )
        register_system_tab("risk", _("Risk"), "risk:system_risk", order=40)
        # First classifications approved since yesterday may make a first review due.
        register_daily_handler("schedules", review_schedules_refresh)
        # One snapshot of the compliance score a day: the overview's trend.
        register_daily_handler("compliance_score_snapshots", compliance_score_snapshots_take)
        register_overview_section("risk", risk_overview, order=20)
        # Labels signed through the portal are evidence of the marking duty (Art. 21, TR-02); the
        # risk app reads the register's count, the register does not import the risk app.
        register_computed_evidence("KZ-AI-TR-02", labelling_evidence)
        # After registering a system, the next step is to classify it (Art. 17).
        register_system_next_step(
            "classify",
            _("Classify it now"),
            "risk:wizard",
            explanation=_(
                "This system is not classified yet. The classification sets its risk level and what "
                "the law asks of it (Art. 17)."
            ),
            action=Action.ADD,
            applies=lambda system: system.classified_at is None,
            order=10,
        )
