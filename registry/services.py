"""Writes to the register: AI systems, parties and their links, components, data libraries, tags.

Every write goes through a service here: keyword-only arguments, `full_clean()`, one transaction.
Models are saved normally (never `update()`/`bulk_create()`), so the activity log records each change.
Objects that carry evidence (systems, parties that appear in links, data libraries) are archived,
not deleted; links, components and library uses may be deleted (the deletion is logged).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kzai.accounts.models import Organization
from kzai.core.bulk import bulk_create_instances, bulk_insert, collection_paused
from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.services import deadline_remove, deadline_sync, deadlines_restore, deadlines_withdraw
from registry.choices import LifecycleStage
from registry.fields import ARCHIVED, CLASSIFICATION_FACTS, SYSTEM_FACTS, SYSTEM_FIELDS
from registry.models import (
    AISystem,
    DataLibrary,
    DataLibraryUse,
    Party,
    SystemComponent,
    SystemPartyLink,
    Tag,
)
from registry.signals import system_facts_changed, system_facts_changed_many, system_facts_checked

# The fields of an AI system the register edits, `SYSTEM_FIELDS`, are declared with the other uses
# of each fact in `registry.fields`. The classification state is written only by the risk app.
PARTY_FIELDS = frozenset(
    {
        "name",
        "kind",
        "identifier",
        "foreign_registration_number",
        "country",
        "contact_name",
        "email",
        "phone",
        "address",
        "website",
        "notes",
    }
)
LINK_FIELDS = frozenset(
    {
        "party",
        "role",
        "contract_reference",
        "contract_signed_on",
        "contract_starts_on",
        "contract_expires_on",
        "ai_terms_reviewed",
        "liability_allocation_reviewed",
        "notes",
    }
)
COMPONENT_FIELDS = frozenset({"name", "version", "provider", "provider_party", "hosted_where", "notes"})
LIBRARY_FIELDS = frozenset(
    {
        "name",
        "description",
        "producer",
        "source",
        "lawful_basis",
        "licence",
        "contains_personal_data",
        "personal_data_consent",
        "copyright_status",
        "obtained_on",
        "provenance_evidence",
        "last_provenance_review_on",
        "non_targeted_public_extraction",
    }
)


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        # A programming error, not a user error: callers pass only fields the register edits.
        raise TypeError(f"Fields not editable through this service: {sorted(unknown)}")


def _assign(instance, fields: dict[str, Any]) -> set[str]:
    """Set attributes; return the names whose value actually changed."""
    changed = set()
    for name, value in fields.items():
        try:
            before = getattr(instance, name)
        except ObjectDoesNotExist:  # a required foreign key not set yet on a new object
            before = None
        if name == "synthetic_media":
            value = sorted(set(value or []))
            before = sorted(set(before or []))
        if before != value:
            changed.add(name)
        setattr(instance, name, value)
    return changed


def _full_clean(instance, extra_errors: dict[str, list[str]]) -> None:
    """`full_clean()`, with the service's own clearer messages merged in (by field)."""
    errors = {k: list(v) for k, v in extra_errors.items()}
    try:
        # The service's own checks already word the unique constraints clearly.
        instance.full_clean(validate_constraints=not errors)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


def _clean_system(system: AISystem) -> None:
    errors = {}
    if (
        system.code
        and AISystem.objects.filter(organization_id=system.organization_id, code__iexact=system.code)
        .exclude(pk=system.pk)
        .exists()
    ):
        errors["code"] = [
            _("Another system of this organization already uses the code “%(code)s”.") % {"code": system.code}
        ]
    _full_clean(system, errors)


def _clean_party(party: Party) -> None:
    errors = {}
    if party.identifier:
        clash = (
            Party.objects.filter(organization_id=party.organization_id, identifier=party.identifier)
            .exclude(pk=party.pk)
            .first()
        )
        if clash is not None:
            errors["identifier"] = [
                _("“%(name)s” already has the BIN/IIN %(number)s in this register.")
                % {"name": clash.name, "number": party.identifier}
            ]
    _full_clean(party, errors)


def _not_archived(obj, message: str) -> None:
    if obj.archived_at is not None:
        raise ValidationError(message)


def _set_archived(obj, *, archived: bool):
    """Archive or restore a register entry; doing it twice changes (and records) nothing."""
    if (obj.archived_at is not None) != archived:
        obj.archived_at = timezone.now() if archived else None
        obj.save()
    return obj


# -- tags --------------------------------------------------------------------------------------------
def _clean_tag(tag: Tag) -> None:
    errors = {}
    if Tag.objects.filter(organization_id=tag.organization_id, name=tag.name).exclude(pk=tag.pk).exists():
        errors["name"] = [_("The tag “%(name)s” already exists.") % {"name": tag.name}]
    _full_clean(tag, errors)


def tag_create(*, organization: Organization, name: str) -> Tag:
    """A tag of the organization's register (names are unique per organization)."""
    tag = Tag(organization=organization, name=name.strip())
    _clean_tag(tag)
    tag.save()
    return tag


def tag_update(*, tag: Tag, name: str) -> Tag:
    tag.name = name.strip()
    _clean_tag(tag)
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag; it is first removed from each system, so every system's history shows it."""
    for system in tag.systems.all():
        system.tags.remove(tag)
    tag.delete()


def _resolve_tags(organization: Organization, names: Iterable[str]) -> list[Tag]:
    clean_names = sorted({n.strip() for n in names if n and n.strip()})
    for name in clean_names:
        if len(name) > 50:
            raise ValidationError(
                {"tags": _("A tag has at most 50 characters: “%(name)s”.") % {"name": name}}
            )
    existing = {t.name: t for t in Tag.objects.filter(organization=organization, name__in=clean_names)}
    return [existing.get(n) or tag_create(organization=organization, name=n) for n in clean_names]


# -- AI systems --------------------------------------------------------------------------------------
def _announce(system: AISystem, changed: set[str]) -> None:
    """Tell every capability which of the system's facts changed (the one place that does).

    Every write path — form, API, import, archive/restore — ends here, so a listener hears about a
    change however it was made; each listener picks the facts it depends on
    (`registry.fields.facts_driving`). Sent inside the transaction: a listener that fails rolls the
    change back with it.
    """
    if changed:
        system_facts_changed.send(sender=AISystem, system=system, changed=frozenset(changed))


@transaction.atomic
def ai_system_create(
    *, organization: Organization, tags: Iterable[str] | None = None, **fields: Any
) -> AISystem:
    """Register a new AI system with its facts; tells listeners every fact is new."""
    _check_fields(fields, SYSTEM_FIELDS)
    system = AISystem(organization=organization)
    _assign(system, fields)
    _clean_system(system)
    system.save()
    if tags:
        system.tags.set(_resolve_tags(organization, tags))
    _announce(system, {f.name for f in SYSTEM_FACTS})
    return system


@transaction.atomic
def ai_system_update(*, system: AISystem, tags: Iterable[str] | None = None, **fields: Any) -> AISystem:
    """Change a system's identification, facts or technology.

    Refuses to put a system with a prohibited capability into operation (Art. 17(3), Art. 18(2)).
    A change to a classification fact marks an existing classification stale; every changed fact is
    announced through `system_facts_changed`.
    """
    _check_fields(fields, SYSTEM_FIELDS)
    _not_archived(system, _("This system is archived: restore it before changing it."))
    changed = _assign(system, fields)
    if (
        "lifecycle_stage" in changed
        and system.lifecycle_stage == LifecycleStage.IN_OPERATION
        and system.is_prohibited
    ):
        raise ValidationError(
            {
                "lifecycle_stage": _(
                    "This system cannot be put into operation: the banned-practice screen found a "
                    "prohibited capability (Art. 17(3)). Remove the capability and screen it again."
                )
            }
        )
    if changed & set(CLASSIFICATION_FACTS) and system.classified_at is not None:
        system.classification_stale = True
    _clean_system(system)
    system.save()
    if tags is not None:
        new_tags = _resolve_tags(system.organization, tags)
        if {t.pk for t in new_tags} != {t.pk for t in system.tags.all()}:
            system.tags.set(new_tags)
            changed.add("tags")
    _announce(system, changed)
    return system


@transaction.atomic
def ai_system_archive(*, system: AISystem) -> AISystem:
    """Take a system out of the active register, keeping its evidence and history.

    Its obligations are withdrawn (kept, not counted, cause "archived") by their listener, and
    every deadline it owes — obligations, measures, reviews, contracts — is withdrawn: kept with its
    due date, but no reminder goes out until the system is restored.
    """
    if system.archived_at is not None:
        return system
    _set_archived(system, archived=True)
    _announce(system, {ARCHIVED})
    deadlines_withdraw(system=system)
    return system


@transaction.atomic
def ai_system_unarchive(*, system: AISystem) -> AISystem:
    """Return an archived system to the active register with its obligations and deadlines as they
    were (status, evidence, due dates)."""
    if system.archived_at is None:
        return system
    _set_archived(system, archived=False)
    deadlines_restore(system=system)
    _announce(system, {ARCHIVED})
    return system


# -- parties -----------------------------------------------------------------------------------------
@transaction.atomic
def party_create(*, organization: Organization, **fields: Any) -> Party:
    """Add a counterparty; a Kazakhstani party's BIN/IIN is checked, including its check digit."""
    _check_fields(fields, PARTY_FIELDS)
    party = Party(organization=organization)
    _assign(party, fields)
    _clean_party(party)
    party.save()
    return party


@transaction.atomic
def party_update(*, party: Party, **fields: Any) -> Party:
    _check_fields(fields, PARTY_FIELDS)
    _not_archived(party, _("This party is archived: restore it before changing it."))
    _assign(party, fields)
    _clean_party(party)
    party.save()
    return party


@transaction.atomic
def party_archive(*, party: Party) -> Party:
    """Archive a party: it stays in the links and libraries that name it, but is no longer offered."""
    return _set_archived(party, archived=True)


@transaction.atomic
def party_unarchive(*, party: Party) -> Party:
    return _set_archived(party, archived=False)


@transaction.atomic
def party_delete(*, party: Party) -> None:
    """Delete a party entered by mistake; one that links, components or libraries name is archived."""
    if party.system_links.exists() or party.data_libraries.exists() or party.components.exists():
        raise ValidationError(
            _("This party is named by systems, components or data libraries: archive it instead.")
        )
    party.delete()


# -- system ↔ party links ----------------------------------------------------------------------------
def _check_party_active(party: Party | None) -> None:
    if party is not None and party.archived_at is not None:
        raise ValidationError({"party": _("This party is archived: restore it first.")})


def _clean_link(link: SystemPartyLink) -> None:
    errors = {}
    if (
        link.system_id
        and link.party_id
        and SystemPartyLink.objects.filter(system_id=link.system_id, party_id=link.party_id, role=link.role)
        .exclude(pk=link.pk)
        .exists()
    ):
        errors["role"] = [_("This party already has this role for the system.")]
    _full_clean(link, errors)


def _sync_contract_deadline(link: SystemPartyLink) -> None:
    """Keep the contract's expiry in the one deadline table (reminders and digests read it there)."""
    system = link.system
    deadline_sync(
        source=link,
        kind=DeadlineKind.CONTRACT_EXPIRY,
        due_on=link.contract_expires_on,
        title=_("Contract %(reference)s with %(party)s (%(role)s, %(system)s) expires")
        % {
            "reference": link.contract_reference or "—",
            "party": link.party.name,
            "role": link.get_role_display(),
            "system": system.code,
        },
        responsible=system.responsible_officer,
        system=system,
        url=reverse("registry:system_parties", args=[system.pk]),
    )


@transaction.atomic
def party_link_create(*, system: AISystem, **fields: Any) -> SystemPartyLink:
    """Record a party's role around a system, with its contract; its expiry becomes a deadline."""
    _check_fields(fields, LINK_FIELDS)
    _not_archived(system, _("This system is archived: restore it before changing it."))
    _check_party_active(fields.get("party"))
    link = SystemPartyLink(organization=system.organization, system=system)
    _assign(link, fields)
    _clean_link(link)
    link.save()
    _sync_contract_deadline(link)
    return link


@transaction.atomic
def party_link_update(*, link: SystemPartyLink, **fields: Any) -> SystemPartyLink:
    _check_fields(fields, LINK_FIELDS)
    if "party" in fields and fields["party"] != link.party:
        _check_party_active(fields["party"])
    _assign(link, fields)
    _clean_link(link)
    link.save()
    _sync_contract_deadline(link)
    return link


@transaction.atomic
def party_link_delete(*, link: SystemPartyLink) -> None:
    deadline_remove(source=link, kind=DeadlineKind.CONTRACT_EXPIRY)
    link.delete()


# -- components --------------------------------------------------------------------------------------
@transaction.atomic
def component_create(*, system: AISystem, **fields: Any) -> SystemComponent:
    """Add a model or component the system is built on."""
    _check_fields(fields, COMPONENT_FIELDS)
    _not_archived(system, _("This system is archived: restore it before changing it."))
    component = SystemComponent(organization=system.organization, system=system)
    _assign(component, fields)
    component.full_clean()
    component.save()
    return component


@transaction.atomic
def component_update(*, component: SystemComponent, **fields: Any) -> SystemComponent:
    _check_fields(fields, COMPONENT_FIELDS)
    _assign(component, fields)
    component.full_clean()
    component.save()
    return component


@transaction.atomic
def component_delete(*, component: SystemComponent) -> None:
    component.delete()


# -- data libraries ----------------------------------------------------------------------------------
@transaction.atomic
def data_library_create(*, organization: Organization, **fields: Any) -> DataLibrary:
    """Register a data library with its producer, lawful basis, consent, copyright and provenance."""
    _check_fields(fields, LIBRARY_FIELDS)
    library = DataLibrary(organization=organization)
    _assign(library, fields)
    library.full_clean()
    library.save()
    return library


@transaction.atomic
def data_library_update(*, library: DataLibrary, **fields: Any) -> DataLibrary:
    _check_fields(fields, LIBRARY_FIELDS)
    _not_archived(library, _("This data library is archived: restore it before changing it."))
    _assign(library, fields)
    library.full_clean()
    library.save()
    return library


@transaction.atomic
def data_library_archive(*, library: DataLibrary) -> DataLibrary:
    return _set_archived(library, archived=True)


@transaction.atomic
def data_library_unarchive(*, library: DataLibrary) -> DataLibrary:
    return _set_archived(library, archived=False)


@transaction.atomic
def data_library_use_create(*, system: AISystem, library: DataLibrary, purpose: str) -> DataLibraryUse:
    """Record that a system was trained, tuned or evaluated on a data library.

    A library flagged as built by non-targeted extraction of personal data from public sources is
    still recorded (hiding the fact would hide the problem); the register flags the system's use of
    it, since the amended Personal Data Law prohibits such collection (KZ-AI-DATA-02 [seed]).
    """
    _not_archived(system, _("This system is archived: restore it before changing it."))
    if library.archived_at is not None:
        raise ValidationError({"library": _("This data library is archived: restore it first.")})
    use = DataLibraryUse(organization=system.organization, system=system, library=library, purpose=purpose)
    use.full_clean()
    use.save()
    return use


@transaction.atomic
def data_library_use_update(*, use: DataLibraryUse, purpose: str) -> DataLibraryUse:
    use.purpose = purpose
    use.full_clean()
    use.save()
    return use


@transaction.atomic
def data_library_use_delete(*, use: DataLibraryUse) -> None:
    use.delete()


# -- many AI systems at once (import) ------------------------------------------------------------------
# Systems announced together to the listeners: large enough that the per-batch queries vanish per
# row, small enough that the job's progress moves and the objects of one batch stay few.
ANNOUNCE_BATCH = 500


def _code_taken_message(code: str) -> str:
    return _("Another system of this organization already uses the code “%(code)s”.") % {"code": code}


@collection_paused()
def ai_systems_validate(
    *, organization: Organization, rows: list[dict[str, Any]]
) -> tuple[list[AISystem], dict[int, dict[str, list[str]]]]:
    """Check many new systems as `ai_system_create` would, with a fixed number of queries.

    `rows` are `ai_system_create` arguments (members already resolved to this organization's
    memberships). Returns the unsaved systems (one per row, in order) and the errors by row index
    and field. The register's codes are read once; model validation skips the lookups already done.
    """
    taken = {
        code.lower()
        for code in AISystem.objects.filter(organization=organization).values_list("code", flat=True)
    }
    systems: list[AISystem] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, fields in enumerate(rows):
        fields = dict(fields)
        tags = fields.pop("tags", None) or []
        _check_fields(fields, SYSTEM_FIELDS)
        system = AISystem(organization=organization)
        _assign(system, fields)
        system._import_tags = sorted({n.strip() for n in tags if n and n.strip()})
        systems.append(system)
        row_errors: dict[str, list[str]] = {}
        if system.code and system.code.lower() in taken:
            row_errors["code"] = [_code_taken_message(system.code)]
        long_tags = [n for n in system._import_tags if len(n) > 50]
        if long_tags:
            row_errors["tags"] = [_("A tag has at most 50 characters: “%(name)s”.") % {"name": long_tags[0]}]
        try:
            # Members come from this organization's active members and the organization is ours:
            # their foreign-key lookups (one query each, per row) are skipped; codes were read above.
            system.full_clean(
                exclude=["organization", "responsible_officer", "technical_owner"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                row_errors.setdefault(field_name, []).extend(messages)
        try:
            # What the listeners would refuse when the system is announced at commit (e.g. a
            # system in operation without a banned-practice screen), reported now as a row error.
            system_facts_checked.send(
                sender=AISystem, system=system, changed=frozenset(f.name for f in SYSTEM_FACTS)
            )
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                row_errors.setdefault(field_name, []).extend(messages)
        if row_errors:
            errors[index] = row_errors
    return systems, errors


@transaction.atomic
@collection_paused()
def ai_systems_create(
    *, organization: Organization, systems: list[AISystem], progress=None
) -> list[AISystem]:
    """Register many systems validated by `ai_systems_validate`, in one transaction.

    The rows, their tags and their activity records are written in bulk; then the new systems are
    announced through `system_facts_changed_many` (every fact is new), a batch at a time, so that
    obligations, deadlines and review schedules follow in bulk, as `ai_system_create` makes them
    for one system. `progress(done, total)` is told after each announced batch.
    """
    from kzai.activity.models import ActivityAction
    from kzai.activity.services import activity_record_bulk

    if not systems:
        return []
    # By COPY on PostgreSQL (10,000 systems: the ORM's insert cost ~2.8 CPU s compiling its
    # parameters), `bulk_create` elsewhere; neither sends signals, as before.
    bulk_create_instances(AISystem, systems)
    if systems[0].pk is None:  # a database that cannot return the new ids
        codes = {s.code: s for s in systems}
        for pk, code in AISystem.objects.filter(organization=organization, code__in=codes).values_list(
            "pk", "code"
        ):
            codes[code].pk = pk
            codes[code]._state.adding = False
    entries = [(system, ActivityAction.CREATE, None) for system in systems]
    names = sorted({name for system in systems for name in system._import_tags})
    tags = {t.name: t for t in Tag.objects.filter(organization=organization, name__in=names)}
    for name in names:
        if name not in tags:
            tags[name] = tag_create(organization=organization, name=name)
    through = AISystem.tags.through
    links = []
    for system in systems:
        if system._import_tags:
            links.extend((system.pk, tags[n].pk) for n in system._import_tags)
            entries.append((system, ActivityAction.UPDATE, {"tags": {"added": system._import_tags}}))
    bulk_insert(through, ("aisystem_id", "tag_id"), links)
    activity_record_bulk(entries)
    total = len(systems)
    facts = frozenset(f.name for f in SYSTEM_FACTS)
    for start in range(0, total, ANNOUNCE_BATCH):
        batch = systems[start : start + ANNOUNCE_BATCH]
        system_facts_changed_many.send(sender=AISystem, systems=batch, changed=facts)
        if progress is not None:
            progress(start + len(batch), total)
    return systems
