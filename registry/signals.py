"""Signals the register sends explicitly from its services (never from model saves).

`system_facts_changed` is sent whenever a system is created, one of its facts changes (through the
form, the API or an import: they all call the same services) or it is archived or restored, with
`system` and `changed` (the names of the changed facts, `archived_at` for archive/restore). Each
listener reacts to the facts it depends on, declared in `registry.fields` (`facts_driving`): the
risk app re-derives obligations and the annual review schedule. A listener may refuse the change by
raising `ValidationError` (the service's transaction rolls it back).

`system_facts_changed_many` is sent instead by the import for many new systems at once, with
`systems` (saved) and `changed`, so that listeners can do their work in bulk (one query per
requirement set rather than one per system). Every listener of `system_facts_changed` connects a
counterpart here under the same `dispatch_uid` that does, for all the systems, exactly what it would
do for each (tests/registry/test_import_batch.py holds every listener to it).

`system_facts_checked` is sent by the import's validation (`ai_systems_validate`) for each new,
unsaved system with `system` and `changed` (every fact), so that a dry run reports, as row errors,
what `system_facts_changed` listeners would refuse at commit. A listener raises `ValidationError`.
"""

from django.dispatch import Signal

system_facts_changed = Signal()
system_facts_changed_many = Signal()
system_facts_checked = Signal()
