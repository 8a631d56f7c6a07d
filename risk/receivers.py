"""The risk app listens to the register: facts changed → obligations re-derived."""

from registry.fields import Drives, facts_driving
from risk.services.obligations import obligations_sync

OBLIGATION_FACTS = facts_driving(Drives.OBLIGATIONS)


def on_system_facts_changed(sender, system, changed=(), **kwargs):
    """Keep the system's obligations in step with its facts (the register marks the classification
    stale itself; a new classification may then change the level and the obligations again)."""
    if OBLIGATION_FACTS & set(changed):
        obligations_sync(system=system)
