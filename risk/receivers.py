"""The risk app listens to the register: facts changed → obligations re-derived; a system going into
operation without a banned-practice screen refused."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from registry.choices import LifecycleStage
from registry.fields import Drives, facts_driving
from risk.models import Screening
from risk.services.contradictions import FACTS as CONTRADICTION_FACTS
from risk.services.contradictions import contradictions_sync
from risk.services.obligations import obligations_sync, obligations_sync_many

OBLIGATION_FACTS = facts_driving(Drives.OBLIGATIONS)


def on_system_facts_changed(sender, system, changed=(), **kwargs):
    """Keep the system's obligations in step with its facts (the register marks the classification
    stale itself; a new classification may then change the level and the obligations again).

    A changed fact may now contradict the system's screen or classification (or stop doing so):
    the contradictions are found first, since the obligations read the stricter answer meanwhile."""
    if (CONTRADICTION_FACTS | {"archived_at"}) & set(changed) and (
        system.has_contradictions or _screened_or_classified(system)
    ):
        contradictions_sync(system=system)
    if OBLIGATION_FACTS & set(changed):
        obligations_sync(system=system)


def _screened_or_classified(system) -> bool:
    """One query: a new system (every fact "changed") has nothing to contradict yet."""
    return (
        type(system)
        .objects.filter(pk=system.pk)
        .filter(Q(screenings__isnull=False) | Q(classifications__isnull=False))
        .exists()
    )


def on_many_systems_facts_changed(sender, systems, changed=(), **kwargs):
    """`on_system_facts_changed` for many systems (an import): their obligations synced in bulk.

    The systems announced together are new (the import creates them), so they have no screen or
    classification to contradict yet: no contradictions to look for, nor obligations to read."""
    if OBLIGATION_FACTS & set(changed):
        obligations_sync_many(systems=systems, created=True)


def _unscreened_error() -> ValidationError:
    return ValidationError(
        {
            "lifecycle_stage": _(
                "A system cannot go into operation before it has been screened for the prohibited "
                "capabilities (Art. 17(3)). Register it as planned or in development, run the "
                "banned-practice screen on its Risk tab, then put it into operation."
            )
        }
    )


def _goes_into_operation(system, changed) -> bool:
    return (
        "lifecycle_stage" in changed
        and system.lifecycle_stage == LifecycleStage.IN_OPERATION
        and system.archived_at is None
    )


def refuse_operation_unscreened(sender, system, changed=(), **kwargs):
    """Refuse putting a system into operation (or registering it in operation) before it has been
    screened for the prohibited capabilities (Art. 17(3)). Raising rolls the change back.

    Only a change of the lifecycle stage is checked: a system already in operation when this rule
    arrived is not blocked, it owes the urgent obligation KZ-AI-PROH-00 instead.
    """
    if not _goes_into_operation(system, changed):
        return
    if system.pk is not None and Screening.objects.filter(system=system).exists():
        return
    raise _unscreened_error()


def refuse_many_operation_unscreened(sender, systems, changed=(), **kwargs):
    """`refuse_operation_unscreened` for many systems, with one query for their screens."""
    going = [system for system in systems if _goes_into_operation(system, changed)]
    if not going:
        return
    screened = set(
        Screening.objects.filter(system__in=[s.pk for s in going if s.pk is not None]).values_list(
            "system_id", flat=True
        )
    )
    if any(system.pk is None or system.pk not in screened for system in going):
        raise _unscreened_error()


def forget_obligation_aggregates(sender, instance, **kwargs):
    """An obligation or a system changed: the organization's cached score and fines exposure are
    recomputed on the next read (risk.selectors.OBLIGATION_AGGREGATES)."""
    from risk.selectors import forget_obligation_aggregates as forget

    forget(getattr(instance, "organization_id", None))
