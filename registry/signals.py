"""Signals the register sends explicitly from its services (never from model saves).

`system_facts_changed` is sent after a system is created or a classification-relevant fact
(`registry.models.systems.CLASSIFICATION_FACTS`) changes, with `system` and `changed` (field names).
The risk app listens to keep derived obligations in step with the facts.
"""

from django.dispatch import Signal

system_facts_changed = Signal()
