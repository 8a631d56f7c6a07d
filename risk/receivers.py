"""The risk app listens to the register: facts changed → obligations re-derived."""

from risk.services.obligations import obligations_sync


def on_system_facts_changed(sender, system, changed=(), **kwargs):
    """Keep the system's obligations in step with its facts (the register marks the classification
    stale itself; a new classification may then change the level and the obligations again)."""
    obligations_sync(system=system)
