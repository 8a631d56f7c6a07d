"""Every form's choice of another object offers only the acting organization's objects (and, for
memberships, only active members), whatever app the form belongs to."""

from __future__ import annotations

import importlib
import inspect

from django import forms

from kzai.accounts.models import Membership
from kzai.core.roles import Role
from tests.factories import MembershipFactory
from tests.security.world import build_world

FORM_MODULES = ("registry.forms", "risk.forms", "risk.risk_management.forms", "kzai.accounts.forms")


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
                and not value.__name__.startswith("_")
            ):
                yield value


def _build(form_class, membership, system):
    for kwargs in (
        {"membership": membership},
        {"membership": membership, "system": system},
        {"organization": membership.organization},
        {"practices": []},
        {},
    ):
        try:
            return form_class(**kwargs)
        except TypeError:
            continue
    raise AssertionError(f"cannot build {form_class.__name__}")


def test_every_form_offers_only_the_organizations_objects(org, other_org):
    world = build_world(org)
    build_world(other_org)  # one of everything in the other organization too
    left = MembershipFactory(organization=org, role=Role.OFFICER, is_active=False)
    checked = []
    for form_class in _form_classes():
        form = _build(form_class, world.admin, world.system)
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            offered = list(field.queryset)
            assert offered or name in ("risks", "tags"), f"{form_class.__name__}.{name} offers nothing"
            foreign = [obj for obj in offered if getattr(obj, "organization_id", org.pk) != org.pk]
            assert not foreign, f"{form_class.__name__}.{name} offers another organization's {foreign}"
            if field.queryset.model is Membership:
                assert left not in offered, f"{form_class.__name__}.{name} offers a member who left"
            checked.append(f"{form_class.__name__}.{name}")
    assert len(checked) >= 8, checked
