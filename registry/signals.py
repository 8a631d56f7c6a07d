"""Signals the register sends explicitly from its services (never from model saves).

`system_facts_changed` is sent whenever a system is created, one of its facts changes (through the
form, the API or an import: they all call the same services) or it is archived or restored, with
`system` and `changed` (the names of the changed facts, `archived_at` for archive/restore). Each
listener reacts to the facts it depends on, declared in `registry.fields` (`facts_driving`): the
risk app re-derives obligations and the annual review schedule.
"""

from django.dispatch import Signal

system_facts_changed = Signal()
