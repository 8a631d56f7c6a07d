"""The risk app listens to the register: facts changed → obligations re-derived; a system going into
operation without a banned-practice screen refused."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.choices import LifecycleStage
from registry.fields import Drives, facts_driving
from risk.models import Screening
from risk.services.obligations import obligations_sync

OBLIGATION_FACTS = facts_driving(Drives.OBLIGATIONS)


def on_system_facts_changed(sender, system, changed=(), **kwargs):
    """Keep the system's obligations in step with its facts (the register marks the classification
    stale itself; a new classification may then change the level and the obligations again)."""
    if OBLIGATION_FACTS & set(changed):
        obligations_sync(system=system)


def refuse_operation_unscreened(sender, system, changed=(), **kwargs):
    """Refuse putting a system into operation (or registering it in operation) before it has been
    screened for the prohibited capabilities (Art. 17(3)). Raising rolls the change back.

    Only a change of the lifecycle stage is checked: a system already in operation when this rule
    arrived is not blocked, it owes the urgent obligation KZ-AI-PROH-00 instead.
    """
    if (
        "lifecycle_stage" not in changed
        or system.lifecycle_stage != LifecycleStage.IN_OPERATION
        or system.archived_at is not None
    ):
        return
    if system.pk is not None and Screening.objects.filter(system=system).exists():
        return
    raise ValidationError(
        {
            "lifecycle_stage": _(
                "A system cannot go into operation before it has been screened for the prohibited "
                "capabilities (Art. 17(3)). Register it as planned or in development, run the "
                "banned-practice screen on its Risk tab, then put it into operation."
            )
        }
    )


def forget_obligation_aggregates(sender, instance, **kwargs):
    """An obligation or a system changed: the organization's cached score and fines exposure are
    recomputed on the next read (risk.selectors.OBLIGATION_AGGREGATES)."""
    from risk.selectors import forget_obligation_aggregates as forget

    forget(getattr(instance, "organization_id", None))
