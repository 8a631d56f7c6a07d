"""REST shapes of the register. Field names are a public contract: snake_case, chosen once.

Serializers validate shape only; `create`/`update` call the register's services, which enforce the
rules (a service's ValidationError becomes a 400 with field errors).
"""

from rest_framework import serializers

from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from kzai.core.api.rows import ColumnPlan, date_text
from registry import selectors, services
from registry.choices import SyntheticMedium
from registry.fields import CLASSIFICATION_STATE, SYSTEM_FACTS
from registry.models import (
    AISystem,
    DataLibrary,
    DataLibraryUse,
    Party,
    SystemComponent,
    SystemPartyLink,
    Tag,
)


class TagNamesField(serializers.ListField):
    """A system's tags as a list of names (read from the prefetched tags)."""

    child = serializers.CharField(max_length=50)

    def get_attribute(self, instance):
        return sorted(t.name for t in instance.tags.all())


class PartyLinkSummarySerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = SystemPartyLink
        fields = ["id", "party", "party_name", "role", "contract_expires_on"]
        read_only_fields = fields


class AISystemSerializer(serializers.ModelSerializer):
    responsible_officer = TenantRelatedField(Membership, required=False, allow_null=True)
    technical_owner = TenantRelatedField(Membership, required=False, allow_null=True)
    synthetic_media = serializers.ListField(
        child=serializers.ChoiceField(choices=SyntheticMedium.choices),
        required=False,
        help_text="Media of the synthetic content (only when generates_synthetic_content).",
    )
    tags = TagNamesField(required=False, help_text="Tag names; unknown names are created.")
    parties = PartyLinkSummarySerializer(source="party_links", many=True, read_only=True)
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = AISystem
        fields = [
            "id",
            *(f.name for f in SYSTEM_FACTS),
            "parties",
            *CLASSIFICATION_STATE,
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", *CLASSIFICATION_STATE, "archived_at", "created_at", "updated_at"]
        # Uniqueness of the code is checked by the service, with a clearer message.
        validators = []
        extra_kwargs = {"code": {"validators": []}}

    def create(self, validated_data):
        return services.ai_system_create(**validated_data)

    def update(self, instance, validated_data):
        return services.ai_system_update(system=instance, **validated_data)


class AISystemListRows:
    """`AISystemSerializer`'s output for a page of systems, built from column values.

    The same JSON as `AISystemSerializer(page, many=True).data` (tests compare them) at a fraction of
    the cost: the page is read with `values()` and its tags and parties in one query each, with no
    model instance and no serializer field per row. The serializer stays the contract (schema,
    detail, writes); its fields are read once, when the first list is answered.
    """

    _plan: ColumnPlan | None = None

    @classmethod
    def plan(cls) -> ColumnPlan:
        if cls._plan is None:
            cls._plan = ColumnPlan(AISystemSerializer, computed=("tags", "parties", "is_archived"))
        return cls._plan

    @classmethod
    def columns(cls) -> list[str]:
        return cls.plan().columns

    @classmethod
    def data(cls, page: list[dict]) -> list[dict]:
        """The list items of `page`, rows of `values(*columns())` in the list's order."""
        ids = [row["id"] for row in page]
        tags = selectors.system_list_tags(ids)
        parties = selectors.system_list_parties(ids)

        def computed(row):
            return {
                "tags": tags[row["id"]],
                "parties": [
                    {
                        "id": link_id,
                        "party": party_id,
                        "party_name": party_name,
                        "role": role,
                        "contract_expires_on": date_text(expires_on),
                    }
                    for link_id, party_id, party_name, role, expires_on in parties[row["id"]]
                ],
                "is_archived": row["archived_at"] is not None,
            }

        return cls.plan().rows(page, computed)


class PartySerializer(serializers.ModelSerializer):
    is_archived = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = [
            "id",
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
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "archived_at", "created_at", "updated_at"]
        validators = []

    def get_is_archived(self, obj) -> bool:
        return obj.archived_at is not None

    def create(self, validated_data):
        return services.party_create(**validated_data)

    def update(self, instance, validated_data):
        return services.party_update(party=instance, **validated_data)


class SystemPartyLinkSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(AISystem)
    party = TenantRelatedField(Party)
    party_name = serializers.CharField(source="party.name", read_only=True)
    system_code = serializers.CharField(source="system.code", read_only=True)

    class Meta:
        model = SystemPartyLink
        fields = [
            "id",
            "system",
            "system_code",
            "party",
            "party_name",
            "role",
            "contract_reference",
            "contract_signed_on",
            "contract_starts_on",
            "contract_expires_on",
            "ai_terms_reviewed",
            "liability_allocation_reviewed",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.party_link_create(**validated_data)

    def update(self, instance, validated_data):
        if "system" in validated_data and validated_data.pop("system") != instance.system:
            raise serializers.ValidationError({"system": "A link cannot move to another system."})
        return services.party_link_update(link=instance, **validated_data)


class SystemComponentSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(AISystem)
    provider_party = TenantRelatedField(Party, required=False, allow_null=True)

    class Meta:
        model = SystemComponent
        fields = [
            "id",
            "system",
            "name",
            "version",
            "provider",
            "provider_party",
            "hosted_where",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.component_create(**validated_data)

    def update(self, instance, validated_data):
        if "system" in validated_data and validated_data.pop("system") != instance.system:
            raise serializers.ValidationError({"system": "A component cannot move to another system."})
        return services.component_update(component=instance, **validated_data)


class DataLibrarySerializer(serializers.ModelSerializer):
    producer = TenantRelatedField(Party, required=False, allow_null=True)
    is_unlawful_extraction = serializers.BooleanField(
        read_only=True,
        help_text="Built by non-targeted extraction of personal data from public sources (prohibited).",
    )
    is_archived = serializers.SerializerMethodField()

    class Meta:
        model = DataLibrary
        fields = [
            "id",
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
            "is_unlawful_extraction",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "archived_at", "created_at", "updated_at"]

    def get_is_archived(self, obj) -> bool:
        return obj.archived_at is not None

    def create(self, validated_data):
        return services.data_library_create(**validated_data)

    def update(self, instance, validated_data):
        return services.data_library_update(library=instance, **validated_data)


class DataLibraryUseSerializer(serializers.ModelSerializer):
    system = TenantRelatedField(AISystem)
    library = TenantRelatedField(DataLibrary)

    class Meta:
        model = DataLibraryUse
        fields = ["id", "system", "library", "purpose", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []

    def create(self, validated_data):
        validated_data.pop("organization", None)
        return services.data_library_use_create(**validated_data)

    def update(self, instance, validated_data):
        for name in ("system", "library"):
            if name in validated_data and validated_data[name] != getattr(instance, name):
                raise serializers.ValidationError({name: "Record a new use instead of moving this one."})
        return services.data_library_use_update(
            use=instance, purpose=validated_data.get("purpose", instance.purpose)
        )


class TagSerializer(serializers.ModelSerializer):
    system_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ["id", "name", "system_count"]
        read_only_fields = ["id"]
        validators = []

    def create(self, validated_data):
        return services.tag_create(**validated_data)

    def update(self, instance, validated_data):
        return services.tag_update(tag=instance, name=validated_data.get("name", instance.name))


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Line in the file (the header is line 1).")
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Errors by column name; `row` for errors of the whole row.",
    )


class ImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    committed = serializers.BooleanField()
    row_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    created = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of created systems.")
    rows = ImportRowSerializer(many=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX, up to 5 MB and 5,000 rows.")
