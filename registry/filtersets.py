"""Filters shared by the register's pages and its REST API: one FilterSet per list."""

import django_filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kzai.accounts.models import Membership
from kzai.core.filtersets import TenantFilterSet
from registry.choices import (
    CopyrightStatus,
    DataSource,
    DataUsePurpose,
    HostedWhere,
    PartyKind,
    PartyRole,
    RiskLevel,
    SyntheticMedium,
)
from registry.fields import BOOL, SYSTEM_FACTS, Fact
from registry.models import (
    AISystem,
    DataLibrary,
    DataLibraryUse,
    Party,
    SystemComponent,
    SystemPartyLink,
    Tag,
)

UNCLASSIFIED = "unclassified"


class ArchivedStatus:
    ACTIVE = "active"
    ARCHIVED = "archived"
    ALL = "all"
    choices = [(ACTIVE, _("Active")), (ARCHIVED, _("Archived")), (ALL, _("All"))]


class ArchivedFilterMixin(TenantFilterSet):
    """`status=active` (the default), `archived` or `all`."""

    status = django_filters.ChoiceFilter(
        choices=ArchivedStatus.choices, method="filter_status", empty_label=None, label=_("Status")
    )

    def filter_status(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        # The default applies even when the parameter is absent (a filter method would not run).
        value = self.form.cleaned_data.get("status") or ArchivedStatus.ACTIVE
        if value == ArchivedStatus.ACTIVE:
            queryset = queryset.filter(archived_at__isnull=True)
        elif value == ArchivedStatus.ARCHIVED:
            queryset = queryset.filter(archived_at__isnull=False)
        return super().filter_queryset(queryset)


# Object choices are declared empty; TenantFilterSet fills them with the acting membership's own.
MEMBERS = Membership.objects.none()
SYSTEMS = AISystem.objects.none()
PARTIES = Party.objects.none()
LIBRARIES = DataLibrary.objects.none()


def _fact_filter(fact: Fact) -> django_filters.Filter:
    if fact.kind == BOOL:
        return django_filters.BooleanFilter(field_name=fact.name, label=fact.filter)
    # A blank choice ("none") is not something to filter on.
    choices = [c for c in fact.choices.choices if c[0]]
    return django_filters.MultipleChoiceFilter(field_name=fact.name, choices=choices, label=fact.filter)


def with_fact_filters(filterset):
    """Add a filter for every fact declared filterable in `registry.fields`, after the search box."""
    generated = {f.name: _fact_filter(f) for f in SYSTEM_FACTS if f.filter}
    for attribute in ("declared_filters", "base_filters"):
        current = getattr(filterset, attribute)
        head = {k: v for k, v in current.items() if k == "search"}
        setattr(
            filterset, attribute, {**head, **generated, **{k: v for k, v in current.items() if k not in head}}
        )
    return filterset


# The risk level sorts by severity, not alphabetically; an unclassified system (no level yet) comes
# last whichever way the list is sorted.
RISK_LEVEL_RANK = Case(
    *(When(risk_level=level, then=Value(rank)) for rank, level in enumerate(RiskLevel.values, start=1)),
    default=Value(None),
    output_field=IntegerField(),
)


class SystemOrderingFilter(django_filters.OrderingFilter):
    """`ordering=risk_level` / `-risk_level` by the level's rank (minimal < medium < high)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            if param in EMPTY_VALUES:
                continue
            if param.lstrip("-") == "risk_level":
                rank = RISK_LEVEL_RANK
                ordering.append(
                    rank.desc(nulls_last=True) if param.startswith("-") else rank.asc(nulls_last=True)
                )
            else:
                ordering.append(self.get_ordering_value(param))
        return qs.order_by(*ordering, "id")


SYSTEM_ORDERING = (
    *((f.name, f.name) for f in SYSTEM_FACTS if f.sortable),
    ("risk_level", "risk_level"),
    ("classified_at", "classified_at"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)


@with_fact_filters
class AISystemFilterSet(ArchivedFilterMixin):
    """Search, a filter on every register fact, and ordering, for the UI list, exports and the API."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    risk_level = django_filters.MultipleChoiceFilter(
        choices=[*RiskLevel.choices, (UNCLASSIFIED, _("Not classified"))],
        method="filter_risk_level",
        label=_("Risk level"),
    )
    synthetic_medium = django_filters.ChoiceFilter(
        choices=SyntheticMedium.choices, method="filter_synthetic_medium", label=_("Synthetic medium")
    )
    hosting_country = django_filters.CharFilter(
        method="filter_country", label=_("Country of hosting (ISO code)")
    )
    classification_stale = django_filters.BooleanFilter(label=_("Classification out of date"))
    is_prohibited = django_filters.BooleanFilter(label=_("Has a prohibited capability"))
    contradictions = django_filters.BooleanFilter(
        field_name="has_contradictions", label=_("Contradicts its screen or classification")
    )
    tag = django_filters.CharFilter(field_name="tags__name", method="filter_tag", label=_("Tag"))
    responsible_officer = django_filters.ModelChoiceFilter(queryset=MEMBERS, label=_("Responsible officer"))
    technical_owner = django_filters.ModelChoiceFilter(queryset=MEMBERS, label=_("Technical owner"))
    party = django_filters.ModelChoiceFilter(queryset=PARTIES, method="filter_party", label=_("Linked party"))
    party_role = django_filters.ChoiceFilter(
        choices=PartyRole.choices, method="filter_party_role", label=_("Has a party in the role")
    )
    ordering = SystemOrderingFilter(fields=SYSTEM_ORDERING, label=_("Sort by"))

    class Meta:
        model = AISystem
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(description__icontains=value)
            | Q(intended_purpose__icontains=value)
            | Q(business_unit__icontains=value)
        )

    def filter_risk_level(self, queryset, name, values):
        if not values:
            return queryset
        condition = Q(risk_level__in=[v for v in values if v != UNCLASSIFIED])
        if UNCLASSIFIED in values:
            condition |= Q(risk_level="")
        return queryset.filter(condition)

    def filter_synthetic_medium(self, queryset, name, value):
        # JSON `contains` is not available on SQLite; the quoted value matches one list element.
        return queryset.filter(synthetic_media__icontains=f'"{value}"')

    def filter_country(self, queryset, name, value):
        return queryset.filter(hosting_country=value.strip().upper())

    def filter_tag(self, queryset, name, value):
        # A subquery keeps one row per system.
        return queryset.filter(pk__in=AISystem.objects.filter(tags__name=value).values("pk"))

    @extend_schema_field(OpenApiTypes.INT)  # the API takes the party's id
    def filter_party(self, queryset, name, value):
        return queryset.filter(pk__in=SystemPartyLink.objects.filter(party=value).values("system_id"))

    def filter_party_role(self, queryset, name, value):
        return queryset.filter(pk__in=SystemPartyLink.objects.filter(role=value).values("system_id"))


class PartyFilterSet(ArchivedFilterMixin):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=PartyKind.choices, label=_("Kind"))
    country = django_filters.CharFilter(method="filter_country", label=_("Country (ISO code)"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("country", "country"), ("created_at", "created_at")),
        label=_("Sort by"),
    )

    class Meta:
        model = Party
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(identifier__icontains=value)
            | Q(foreign_registration_number__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())


class SystemPartyLinkFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    party = django_filters.ModelChoiceFilter(queryset=PARTIES, label=_("Party"))
    role = django_filters.MultipleChoiceFilter(choices=PartyRole.choices, label=_("Role"))
    expires_before = django_filters.DateFilter(
        field_name="contract_expires_on", lookup_expr="lt", label=_("Contract expires before")
    )
    ai_terms_reviewed = django_filters.BooleanFilter(label=_("AI-use terms reviewed"))
    liability_allocation_reviewed = django_filters.BooleanFilter(label=_("Allocation of liability reviewed"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("contract_expires_on", "contract_expires_on"),
            ("role", "role"),
            ("created_at", "created_at"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = SystemPartyLink
        fields = []


class SystemComponentFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    hosted_where = django_filters.MultipleChoiceFilter(choices=HostedWhere.choices, label=_("Hosted where"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("provider", "provider"), ("created_at", "created_at")), label=_("Sort by")
    )

    class Meta:
        model = SystemComponent
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(provider__icontains=value))


class DataLibraryFilterSet(ArchivedFilterMixin):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    source = django_filters.MultipleChoiceFilter(choices=DataSource.choices, label=_("Source"))
    copyright_status = django_filters.MultipleChoiceFilter(
        choices=CopyrightStatus.choices, label=_("Copyright status")
    )
    contains_personal_data = django_filters.BooleanFilter(label=_("Contains personal data"))
    non_targeted_public_extraction = django_filters.BooleanFilter(
        label=_("Built by non-targeted extraction from public sources")
    )
    producer = django_filters.ModelChoiceFilter(queryset=PARTIES, label=_("Producer"))
    system = django_filters.ModelChoiceFilter(
        queryset=SYSTEMS, method="filter_system", label=_("Used by AI system")
    )
    review_before = django_filters.DateFilter(
        field_name="last_provenance_review_on", lookup_expr="lt", label=_("Provenance reviewed before")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("obtained_on", "obtained_on"),
            ("last_provenance_review_on", "last_provenance_review_on"),
            ("created_at", "created_at"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = DataLibrary
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    @extend_schema_field(OpenApiTypes.INT)  # the API takes the system's id
    def filter_system(self, queryset, name, value):
        # The chosen systems (the filter is a searchable multiple choice: kzai.core.widgets); none
        # chosen is an empty queryset, which django-filter passes to a method as it is.
        chosen = [system.pk for system in value]
        if not chosen:
            return queryset
        return queryset.filter(pk__in=DataLibraryUse.objects.filter(system__in=chosen).values("library_id"))


class DataLibraryUseFilterSet(TenantFilterSet):
    system = django_filters.ModelChoiceFilter(queryset=SYSTEMS, label=_("AI system"))
    library = django_filters.ModelChoiceFilter(queryset=LIBRARIES, label=_("Data library"))
    purpose = django_filters.MultipleChoiceFilter(choices=DataUsePurpose.choices, label=_("Purpose"))

    class Meta:
        model = DataLibraryUse
        fields = []


class TagFilterSet(TenantFilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    ordering = django_filters.OrderingFilter(fields=(("name", "name"),), label=_("Sort by"))

    class Meta:
        model = Tag
        fields = []
