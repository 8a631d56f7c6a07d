"""The base of every model form that acts for one membership.

Each choice among tenant data is limited to what the acting membership may reference: people are
the organization's active members (`Membership.objects.active_in`), labelled by name and role;
other tenant models are read through `restrict(membership, view)`, and archived objects (models
with an `archived_at`) are not offered, except the one the edited object already points to.
The services validate the model (with clearer messages), so ModelForm's own instance checks are
skipped; forms shape input, `save_through_service()` (or the view) calls the service.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist

from kzai.accounts.models import Membership
from kzai.core.roles import Action


def member_label(membership: Membership) -> str:
    """How a member reads in a choice list: name (or e-mail) and role, without a query per option."""
    return f"{membership.user} ({membership.get_role_display()})"


def _is_archivable(model) -> bool:
    try:
        model._meta.get_field("archived_at")
    except FieldDoesNotExist:
        return False
    return True


class TenantModelForm(forms.ModelForm):
    """A model form whose foreign keys and many-to-many fields offer only the membership's objects."""

    def __init__(self, *args, membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model is Membership:
                field.queryset = Membership.objects.active_in(membership.organization_id)
                field.label_from_instance = member_label
            elif model is not None and hasattr(model._default_manager, "restrict"):
                field.queryset = self.tenant_choices(name, model)

    def tenant_choices(self, name: str, model):
        """What field `name` may offer of `model`: restricted, unarchived (plus the current value)."""
        queryset = model.objects.restrict(self.membership, Action.VIEW)
        if not _is_archivable(model):
            return queryset
        current = getattr(self.instance, f"{name}_id", None)
        return queryset.filter(archived_at__isnull=True) | model.objects.filter(pk=current)

    def _post_clean(self):
        # The services validate the model (with clearer messages); skip ModelForm's own instance checks.
        pass

    def service_fields(self, allowed) -> dict:
        """The cleaned values a service accepts (its `*_FIELDS`)."""
        return {k: v for k, v in self.cleaned_data.items() if k in allowed}
