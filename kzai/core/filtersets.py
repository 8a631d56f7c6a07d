"""The base of every FilterSet on tenant data: its choice lists offer only the active organization's
objects.

A filter that points at another object (a member, an AI system, a party…) is a `ModelChoiceFilter`
or `ModelMultipleChoiceFilter`, never a raw id input: the browser shows a select of names, the API
takes the same parameter with the object's id. `TenantFilterSet.__init__` replaces each such
filter's queryset with the objects the acting membership may see — `restrict(membership, view)` for
tenant models (so an auditor is offered only the systems granted to them), the organization's
members for `Membership` — so no select can list, and no id can match, another organization's
object. A foreign id is rejected as "not one of the available choices" (400 in the API).

A filter over a model with a registered options endpoint (AI systems: thousands of them) is a
multiple choice whose select renders only the chosen options and searches the rest
(`kzai.core.widgets.AutocompleteSelectMultiple`); it still validates any id the membership may see.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.forms.utils import pretty_name
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership, Organization
from kzai.core.api.viewsets import request_membership
from kzai.core.cache import org_cache_forget, org_cached
from kzai.core.filters import IdsModelMultipleChoiceField
from kzai.core.roles import Action
from kzai.core.widgets import AutocompleteSelectMultiple, autocomplete_url_name

MODEL_CHOICE_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def membership_of(request):
    """The membership a page or API request acts for (None without one)."""
    if request is None:
        return None
    membership = getattr(request, "membership", None)
    if membership is None and hasattr(request, "auth"):  # a DRF request: token or session
        membership = request_membership(request)
    return membership


def _labelled(field_class, label):
    """`field_class` whose options read `label(obj)` instead of `str(obj)`."""
    return type(field_class.__name__, (field_class,), {"label_from_instance": lambda self, obj: label(obj)})


def _member_label(membership):
    # A membership's own str() names the organization and the role, and would query per option.
    return str(membership.user)


# The per-organization cache's name for the members a filter offers (kzai.core.cache).
MEMBER_CHOICES = "member_choices"


def member_choices(organization_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organization's active members, in the order the filters list them.

    Every list's filter bar offers them (responsible, owner, officer…), one query each, two on the
    register; they change only when a member joins, leaves, changes role or renames, and
    `forget_member_choices` forgets them then. Kept per organization: every role of it is offered
    the same members, and nothing of another organization is in the key's value.
    """

    def compute():
        return [(m.pk, _member_label(m)) for m in Membership.objects.active_in(organization_id)]

    return org_cached(organization_id, MEMBER_CHOICES, compute)


def forget_member_choices(sender, instance, **kwargs) -> None:
    """Receiver: a membership, user or organization was saved or deleted."""
    if isinstance(instance, Membership):
        org_cache_forget(instance.organization_id, MEMBER_CHOICES)
    elif isinstance(instance, Organization):
        org_cache_forget(instance.pk, MEMBER_CHOICES)
    elif kwargs.get("update_fields") != frozenset({"last_login"}):  # a user (not just signing in)
        for organization_id in Membership.objects.filter(user_id=instance.pk).values_list(
            "organization_id", flat=True
        ):
            org_cache_forget(organization_id, MEMBER_CHOICES)


class _KeptMemberChoices(ModelChoiceIterator):
    """A member filter's options from `member_choices` (no query), the same as the queryset's.

    Validating a chosen id still reads the field's queryset."""

    def _kept(self):
        return member_choices(self.field.organization_id)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, label in self._kept():
            yield (ModelChoiceIteratorValue(pk, None), label)

    def __len__(self):
        return len(self._kept()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._kept())


def _kept_members(field_class, organization_id: int):
    """`field_class` offering the organization's members from the cache, labelled by name."""
    return type(
        field_class.__name__,
        (field_class,),
        {
            "label_from_instance": lambda self, obj: _member_label(obj),
            "iterator": _KeptMemberChoices,
            "organization_id": organization_id,
        },
    )


def scoped_choices(model, membership):
    """The objects of `model` a filter may offer to `membership`."""
    if membership is None:
        return model._default_manager.none()
    if model is Membership:
        return Membership.objects.active_in(membership.organization_id)
    restrict = getattr(model._default_manager, "restrict", None)
    if restrict is None:
        raise ImproperlyConfigured(
            f"A filter offers {model.__name__} objects, which are not tenant-scoped: scope them in "
            "kzai.core.filtersets.scoped_choices."
        )
    return restrict(membership, Action.VIEW)


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "Any" (Django's reads "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class _NoParameters:
    """The form of a filterset asked with none of its parameters: valid, with nothing to filter by."""

    cleaned_data: dict = {}
    errors: dict = {}

    def is_valid(self) -> bool:
        return True


class TenantFilterSet(django_filters.FilterSet):
    """A FilterSet whose object choices are the acting membership's organization's only.

    Pass `request=` (the page's request or the DRF request); without it every object choice is empty.
    Declare object filters with `queryset=<Model>.objects.none()` (or `queryset=None` for a plain
    foreign key of the filtered model): the model is what counts, the queryset is replaced here.
    `choice_labels` names, per filter, the relations to join and how to label an option, where the
    model's str() is not what a user should pick from.
    """

    choice_labels: dict = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        membership = membership_of(request)
        for name, filter_ in self.filters.items():
            if isinstance(filter_, django_filters.OrderingFilter):
                filter_.extra["choices"] = self._ordering_choices(filter_)
                # A form field built earlier (the API schema builds them once) keeps its old words.
                filter_.__dict__.pop("_field", None)
            if isinstance(filter_, django_filters.BooleanFilter) and "widget" not in filter_.extra:
                filter_.extra["widget"] = AnyYesNoSelect
            if not isinstance(filter_, MODEL_CHOICE_FILTERS):
                continue
            model = getattr(filter_.queryset, "model", None) or self._related_model(filter_)
            if model is None:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name}: declare the queryset as <Model>.objects.none()."
                )
            choices = scoped_choices(model, membership)
            related, label = self.choice_labels.get(name, ((), None))
            kept_members = model is Membership and label is None and membership is not None
            if model is Membership and label is None:
                related, label = ("user",), _member_label
            if related:
                choices = choices.select_related(*related)
            url_name = autocomplete_url_name(model)
            if url_name is not None:
                filter_ = self.filters[name] = self._searchable(filter_, url_name)
            filter_.queryset = choices
            if kept_members and not isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
                filter_.field_class = _kept_members(filter_.field_class, membership.organization_id)
            elif label is not None:
                filter_.field_class = _labelled(filter_.field_class, label)

    @classmethod
    def names_none(cls, data) -> bool:
        """Whether `data` (a query dict) sets none of this filterset's parameters."""
        return not any(name in cls.base_filters for name in data)

    @classmethod
    def unfiltered(cls, queryset, *, request=None):
        """`cls(data={}, queryset=queryset, request=request).qs`, without building the form.

        With none of its parameters set, every filter passes the queryset through (django-filter
        skips empty values), so only the class's own defaults apply (active systems, obligations in
        force). Copying ~30 filters, scoping their choices and building and validating their form
        cost each API list request a few milliseconds for that (tests compare both querysets).
        """
        filterset = cls.__new__(cls)
        filterset.is_bound = True
        filterset.data = {}
        filterset.queryset = queryset
        filterset.request = request
        filterset.form_prefix = None
        filterset.filters = {}  # no filter runs: `cleaned_data` below is empty
        filterset._form = _NoParameters()
        return filterset.qs

    def _ordering_choices(self, filter_) -> list[tuple[str, str]]:
        """The sort options in the reader's language, named like the fields they sort by.

        django-filter words its options once, at import, in whatever language is active then (and
        "(descending)" never translated); here they are worded for each request.
        """
        choices = []
        for param, field_path in filter_.param_map.items():
            label = self._field_label(field_path) or gettext(pretty_name(param))
            choices.append((param, label))
            choices.append((f"-{param}", gettext("%(label)s (descending)") % {"label": label}))
        return choices

    def _field_label(self, field_path: str) -> str:
        """The verbose name of the field a sort follows (a relation's own name: "AI system")."""
        try:
            field = self._meta.model._meta.get_field(field_path.split("__")[0])
        except Exception:  # noqa: BLE001 - an annotation or a computed sort: the fallback names it
            return ""
        name = getattr(field, "verbose_name", "")
        return capfirst(str(name)) if name else ""

    def _searchable(self, filter_, url_name: str):
        """`filter_` as a multiple choice (any of the chosen objects) with the search-backed select.

        A single-choice declaration becomes a multiple one with the same field, lookup, label and
        method (a method receives the chosen objects); `?system=12` still filters by one.
        """
        if not isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
            extra = {k: v for k, v in filter_.extra.items() if k not in ("empty_label", "to_field_name")}
            searchable = django_filters.ModelMultipleChoiceFilter(
                field_name=filter_.field_name,
                label=filter_._label,
                method=filter_._method,
                exclude=filter_.exclude,
                # Rows are duplicated only by a many-to-many path (a document's systems).
                distinct=self._through_many(filter_.field_name),
                **extra,
            )
            searchable.model = filter_.model
            searchable.parent = filter_.parent
            filter_ = searchable
        filter_.extra["widget"] = AutocompleteSelectMultiple(url_name=url_name)
        filter_.field_class = IdsModelMultipleChoiceField
        return filter_

    def _through_many(self, path: str) -> bool:
        model = self._meta.model
        for hop in path.split("__"):
            try:
                field = model._meta.get_field(hop)
            except Exception:  # noqa: BLE001 - a lookup, not a field: stop walking
                return False
            if field.many_to_many or field.one_to_many:
                return True
            model = field.related_model
            if model is None:
                return False
        return False

    def _related_model(self, filter_):
        """The model a `queryset=None` filter points at, through the filtered model's field."""
        try:
            return self._meta.model._meta.get_field(filter_.field_name).related_model
        except Exception:  # noqa: BLE001 - not a relation: the caller reports the declaration
            return None
