"""Filters shared by the register's pages and its REST API: one FilterSet per list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kzai.accounts.models import Membership
from kzai.core.filters import IdFilter
from registry.choices import (
    CopyrightStatus,
    DataSource,
    DataUsePurpose,
    DecisionRole,
    Deployment,
    HostedWhere,
    InteractionChannel,
    LifecycleStage,
    OrganizationRole,
    PartyKind,
    PartyRole,
    RiskLevel,
    Sector,
    SyntheticMedium,
)
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


class ArchivedFilterMixin(django_filters.FilterSet):
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


def _members(request):
    membership = getattr(request, "membership", None) if request is not None else None
    if membership is None and request is not None:
        from kzai.core.api.viewsets import request_membership

        try:
            membership = request_membership(request)
        except AttributeError:
            membership = None
    if membership is None:
        return Membership.objects.none()
    return Membership.objects.filter(organization_id=membership.organization_id).select_related("user")


SYSTEM_BOOLEAN_FACTS = (
    "generates_synthetic_content",
    "interacts_with_natural_persons",
    "processes_personal_data",
    "processes_biometric_data",
    "recognises_emotions",
    "profiles_people",
    "consumer_facing",
    "critical_ict_infrastructure",
    "state_information_resource",
    "data_leaves_kazakhstan",
    "uses_foreign_platform",
    "classification_stale",
    "is_prohibited",
)

SYSTEM_ORDERING = (
    ("name", "name"),
    ("code", "code"),
    ("lifecycle_stage", "lifecycle_stage"),
    ("organization_role", "organization_role"),
    ("sector", "sector"),
    ("risk_level", "risk_level"),
    ("business_unit", "business_unit"),
    ("classified_at", "classified_at"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)


class AISystemFilterSet(ArchivedFilterMixin):
    """Search, a filter on every register fact, and ordering, for the UI list, exports and the API."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    lifecycle_stage = django_filters.MultipleChoiceFilter(
        choices=LifecycleStage.choices, label=_("Lifecycle stage")
    )
    organization_role = django_filters.MultipleChoiceFilter(
        choices=OrganizationRole.choices, label=_("Our role")
    )
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices, label=_("Sector"))
    risk_level = django_filters.MultipleChoiceFilter(
        choices=[*RiskLevel.choices, (UNCLASSIFIED, _("Not classified"))],
        method="filter_risk_level",
        label=_("Risk level"),
    )
    decision_role = django_filters.MultipleChoiceFilter(
        choices=DecisionRole.choices, label=_("Decisions on people's rights")
    )
    interaction_channel = django_filters.MultipleChoiceFilter(
        choices=[c for c in InteractionChannel.choices if c[0]], label=_("Interaction channel")
    )
    synthetic_medium = django_filters.ChoiceFilter(
        choices=SyntheticMedium.choices, method="filter_synthetic_medium", label=_("Synthetic medium")
    )
    deployment = django_filters.MultipleChoiceFilter(choices=Deployment.choices, label=_("Deployment"))
    hosting_country = django_filters.CharFilter(
        method="filter_country", label=_("Country of hosting (ISO code)")
    )
    generates_synthetic_content = django_filters.BooleanFilter(label=_("Generates synthetic content"))
    interacts_with_natural_persons = django_filters.BooleanFilter(label=_("Interacts with natural persons"))
    processes_personal_data = django_filters.BooleanFilter(label=_("Processes personal data"))
    processes_biometric_data = django_filters.BooleanFilter(label=_("Processes biometric data"))
    recognises_emotions = django_filters.BooleanFilter(label=_("Recognises emotions"))
    profiles_people = django_filters.BooleanFilter(label=_("Scores or profiles people"))
    consumer_facing = django_filters.BooleanFilter(label=_("Part of consumer goods or services"))
    critical_ict_infrastructure = django_filters.BooleanFilter(label=_("Critical ICT infrastructure"))
    state_information_resource = django_filters.BooleanFilter(label=_("State information resource"))
    data_leaves_kazakhstan = django_filters.BooleanFilter(label=_("Data leaves Kazakhstan"))
    uses_foreign_platform = django_filters.BooleanFilter(label=_("Uses a foreign AI platform"))
    classification_stale = django_filters.BooleanFilter(label=_("Classification out of date"))
    is_prohibited = django_filters.BooleanFilter(label=_("Has a prohibited capability"))
    tag = django_filters.CharFilter(field_name="tags__name", method="filter_tag", label=_("Tag"))
    responsible_officer = django_filters.ModelChoiceFilter(queryset=_members, label=_("Responsible officer"))
    technical_owner = django_filters.ModelChoiceFilter(queryset=_members, label=_("Technical owner"))
    party = IdFilter(method="filter_party", label=_("Linked party (id)"))
    party_role = django_filters.ChoiceFilter(
        choices=PartyRole.choices, method="filter_party_role", label=_("Has a party in the role")
    )
    ordering = django_filters.OrderingFilter(fields=SYSTEM_ORDERING, label=_("Sort by"))

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

    def filter_party(self, queryset, name, value):
        return queryset.filter(pk__in=SystemPartyLink.objects.filter(party_id=value).values("system_id"))

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


class SystemPartyLinkFilterSet(django_filters.FilterSet):
    system = IdFilter(field_name="system_id", label=_("AI system (id)"))
    party = IdFilter(field_name="party_id", label=_("Party (id)"))
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


class SystemComponentFilterSet(django_filters.FilterSet):
    system = IdFilter(field_name="system_id", label=_("AI system (id)"))
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
    producer = IdFilter(field_name="producer_id", label=_("Producer (party id)"))
    system = IdFilter(method="filter_system", label=_("Used by AI system (id)"))
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

    def filter_system(self, queryset, name, value):
        return queryset.filter(pk__in=DataLibraryUse.objects.filter(system_id=value).values("library_id"))


class DataLibraryUseFilterSet(django_filters.FilterSet):
    system = IdFilter(field_name="system_id", label=_("AI system (id)"))
    library = IdFilter(field_name="library_id", label=_("Data library (id)"))
    purpose = django_filters.MultipleChoiceFilter(choices=DataUsePurpose.choices, label=_("Purpose"))

    class Meta:
        model = DataLibraryUse
        fields = []


class TagFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    ordering = django_filters.OrderingFilter(fields=(("name", "name"),), label=_("Sort by"))

    class Meta:
        model = Tag
        fields = []
