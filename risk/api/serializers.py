"""Serializers of the classification, screening, obligation and library endpoints (thin: services
do the work)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kzai.accounts.models import Membership
from kzai.core.api.fields import TenantRelatedField
from kzai.core.api.rows import ColumnPlan
from registry.choices import AutonomyLevel, RiskLevel
from registry.models import AISystem
from risk import library_cache
from risk.choices import AffectedDomain, AutonomyAnswer, DisruptionImpact, ObligationStatus
from risk.models import (
    Classification,
    Contradiction,
    LibraryAdoption,
    Obligation,
    ObligationEvidence,
    Requirement,
    RequirementLibraryVersion,
    Screening,
)
from risk.models.obligations import review_label, withdrawn_label
from risk.selectors import evidence_counts
from risk.services.classification import classification_would_derive
from risk.services.screening import prohibition_reasons


class SystemRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AISystem
        fields = ["id", "code", "name"]
        read_only_fields = fields


class RequirementSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_text", read_only=True)
    text = serializers.CharField(source="text_text", read_only=True)
    evidence = serializers.CharField(source="evidence_text", read_only=True)
    citation = serializers.CharField(
        read_only=True, help_text=_("Article in the reader's language with its reference level.")
    )
    references = serializers.JSONField(
        read_only=True,
        help_text=_("The article as data: article, paragraph, paragraph_to, subparagraph, act, note."),
    )
    titles = serializers.JSONField(
        source="title", read_only=True, help_text=_("Title by language (en, ru, kk).")
    )
    texts = serializers.JSONField(
        source="text", read_only=True, help_text=_("Text by language (en, ru, kk).")
    )
    binds = serializers.ListField(child=serializers.CharField(), read_only=True)
    rule = serializers.JSONField(read_only=True, help_text=_("Applicability rule (all/any/not/fact)."))

    class Meta:
        model = Requirement
        fields = [
            "id",
            "code",
            "article",
            "reference_level",
            "citation",
            "references",
            "title",
            "text",
            "evidence",
            "titles",
            "texts",
            "binds",
            "rule",
            "recurrence",
            "due_within",
        ]
        read_only_fields = fields


class ContradictionSerializer(serializers.ModelSerializer):
    """A register fact and an answer of the screen or classification that disagree."""

    system = SystemRefSerializer(read_only=True)
    description = serializers.CharField(
        source="label", read_only=True, help_text=_("What the register and the answer say, in words.")
    )
    explained = serializers.BooleanField(source="is_explained", read_only=True)
    explained_by = serializers.SerializerMethodField()

    class Meta:
        model = Contradiction
        fields = [
            "id",
            "system",
            "source",
            "screening",
            "classification",
            "fact",
            "question",
            "register_value",
            "answer_value",
            "description",
            "explained",
            "explanation",
            "explained_by",
            "explained_at",
            "is_open",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_explained_by(self, obj) -> str:
        return obj.explained_by.user.email if obj.explained_by_id else ""


class ExplanationSerializer(serializers.Serializer):
    explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Why answers that contradict the register differ from it; needed where they do. Kept with "
            "your name and shown with the contradiction."
        ),
    )


def _open_contradictions(obj) -> list:
    # Prefetched by the viewsets as `open_contradictions` (one query for a whole page).
    rows = getattr(obj, "open_contradictions", None)
    if rows is None:
        rows = obj.contradictions.filter(is_open=True).select_related("explained_by__user")
    return ContradictionSerializer(rows, many=True).data


class ClassificationSerializer(serializers.ModelSerializer):
    system = SystemRefSerializer(read_only=True)
    library_version = serializers.SlugRelatedField(slug_field="version", read_only=True)
    affected_domains = serializers.ListField(child=serializers.ChoiceField(choices=AffectedDomain.choices))
    prepared_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    declared_below_suggestion = serializers.BooleanField(read_only=True)
    would_derive = serializers.SerializerMethodField(
        help_text=_(
            "Requirements that apply to the system with this classification's declared levels "
            "(in detail and write responses; empty in lists)."
        )
    )

    rationale = serializers.CharField(
        source="rationale_display", read_only=True, help_text=_("The rationale in the reader's language.")
    )
    contradictions = serializers.SerializerMethodField(
        help_text=_("Where the answers contradict the register, and any explanation recorded.")
    )

    class Meta:
        model = Classification
        fields = [
            "id",
            "system",
            "status",
            "questionnaire_version",
            "library_version",
            "disruption_impact",
            "affected_domains",
            "critical_ict_infrastructure",
            "state_information_resource",
            "autonomy",
            "answer_notes",
            "suggested_risk_level",
            "suggested_autonomy_level",
            "rationale",
            "declared_risk_level",
            "declared_autonomy_level",
            "justification",
            "declared_below_suggestion",
            "prepared_by",
            "created_at",
            "approved_by",
            "approved_at",
            "would_derive",
            "contradictions",
        ]
        read_only_fields = fields

    @extend_schema_field(ContradictionSerializer(many=True))
    def get_contradictions(self, obj):
        return _open_contradictions(obj)

    def get_prepared_by(self, obj) -> str:
        return obj.prepared_by.user.email if obj.prepared_by_id else ""

    def get_approved_by(self, obj) -> str:
        return obj.approved_by.user.email if obj.approved_by_id else ""

    @extend_schema_field(RequirementSerializer(many=True))
    def get_would_derive(self, obj):
        if not self.context.get("with_obligations"):
            return []
        return RequirementSerializer(classification_would_derive(obj), many=True).data


class ClassificationWriteSerializer(serializers.Serializer):
    """The questionnaire's answers and the declaration (create: all answers; update: any)."""

    system = TenantRelatedField(
        AISystem, action="add", narrow=lambda systems: systems.active(), help_text=_("The AI system's id.")
    )
    disruption_impact = serializers.ChoiceField(choices=DisruptionImpact.choices)
    affected_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=AffectedDomain.choices), required=False, default=list
    )
    critical_ict_infrastructure = serializers.BooleanField(required=False, default=False)
    state_information_resource = serializers.BooleanField(required=False, default=False)
    autonomy = serializers.ChoiceField(choices=AutonomyAnswer.choices)
    answer_notes = serializers.CharField(required=False, allow_blank=True, default="")
    declared_risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, allow_blank=True, default=""
    )
    declared_autonomy_level = serializers.ChoiceField(
        choices=AutonomyLevel.choices, required=False, allow_blank=True, default=""
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial:
            self.fields.pop("system")


class ScreeningAnswerSerializer(serializers.Serializer):
    present = serializers.BooleanField(help_text=_("Whether the system has this capability."))
    exception = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Id of an exception the law allows, if claimed."),
    )
    basis = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("How the exception is met (consent, legal act)."),
    )


class ScreeningSerializer(serializers.ModelSerializer):
    system = SystemRefSerializer(read_only=True)
    library_version = serializers.SlugRelatedField(slug_field="version", read_only=True)
    answers = serializers.DictField(child=ScreeningAnswerSerializer(), read_only=True)
    findings = serializers.ListField(child=serializers.CharField(), read_only=True)
    reasons = serializers.SerializerMethodField(
        help_text=_("Why the system is prohibited, finding by finding.")
    )
    performed_by = serializers.SerializerMethodField()
    contradictions = serializers.SerializerMethodField(
        help_text=_("Where the answers contradict the register, and any explanation recorded.")
    )

    class Meta:
        model = Screening
        fields = [
            "id",
            "system",
            "library_version",
            "answers",
            "result",
            "findings",
            "reasons",
            "notes",
            "performed_by",
            "created_at",
            "contradictions",
        ]
        read_only_fields = fields

    def get_performed_by(self, obj) -> str:
        return obj.performed_by.user.email if obj.performed_by_id else ""

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_reasons(self, obj):
        return prohibition_reasons(obj)

    @extend_schema_field(ContradictionSerializer(many=True))
    def get_contradictions(self, obj):
        return _open_contradictions(obj)


class ScreeningWriteSerializer(serializers.Serializer):
    system = TenantRelatedField(
        AISystem, action="add", narrow=lambda systems: systems.active(), help_text=_("The AI system's id.")
    )
    answers = serializers.DictField(
        child=ScreeningAnswerSerializer(), help_text=_("One answer per practice id, KZ-AI-PROH-01 … 07.")
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Needed where an answer clears a capability the register declares (it says the system "
            "recognises emotions, the screen says no)."
        ),
    )


class ObligationEvidenceSerializer(serializers.ModelSerializer):
    added_by = serializers.SerializerMethodField()

    class Meta:
        model = ObligationEvidence
        fields = ["id", "title", "url", "reference", "added_by", "created_at"]
        read_only_fields = ["id", "added_by", "created_at"]

    def get_added_by(self, obj) -> str:
        return obj.added_by.user.email if obj.added_by_id else ""


class ObligationSerializer(serializers.ModelSerializer):
    system = SystemRefSerializer(read_only=True)
    requirement = RequirementSerializer(read_only=True)
    library_version = serializers.SlugRelatedField(slug_field="version", read_only=True)
    withdrawn_by_version = serializers.SlugRelatedField(slug_field="version", read_only=True)
    withdrawn_label = serializers.CharField(read_only=True)
    responsible = TenantRelatedField(
        Membership,
        allow_null=True,
        required=False,
        help_text=_("Membership id of the responsible member."),
    )
    responsible_email = serializers.SerializerMethodField()
    evidence_count = serializers.SerializerMethodField()
    review_label = serializers.CharField(
        read_only=True, help_text=_("What changed in the requirement, when it returned for review.")
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "system",
            "code",
            "requirement",
            "library_version",
            "status",
            "not_applicable_reason",
            "responsible",
            "responsible_email",
            "due_on",
            "recurrence",
            "met_on",
            "notes",
            "urgent",
            "in_force",
            "withdrawn_at",
            "withdrawn_cause",
            "withdrawn_by_version",
            "withdrawn_label",
            "needs_review",
            "review_changes",
            "review_label",
            "evidence_count",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "system",
            "code",
            "requirement",
            "library_version",
            "recurrence",
            "met_on",
            "urgent",
            "in_force",
            "withdrawn_at",
            "withdrawn_cause",
            "withdrawn_by_version",
            "withdrawn_label",
            "needs_review",
            "review_changes",
            "review_label",
            "updated_at",
        ]

    def get_responsible_email(self, obj) -> str:
        return obj.responsible.user.email if obj.responsible_id else ""

    def get_evidence_count(self, obj) -> int:
        annotated = getattr(obj, "evidence_total", None)
        return annotated if annotated is not None else obj.evidence.count()


class ObligationListRows:
    """`ObligationSerializer`'s output for a page of obligations, built from column values.

    The page is read with `values()`; its systems' codes and names, its responsible members'
    e-mails, requirements, library versions and evidence counts in one query each, each
    requirement written once by `RequirementSerializer`; the labels by the functions the model's
    properties use. Tests compare every item with the obligation's detail.
    """

    COMPUTED = (
        "system",
        "requirement",
        "library_version",
        "withdrawn_by_version",
        "withdrawn_label",
        "responsible_email",
        "review_label",
        "evidence_count",
    )
    _plan: ColumnPlan | None = None

    @classmethod
    def plan(cls) -> ColumnPlan:
        if cls._plan is None:
            cls._plan = ColumnPlan(ObligationSerializer, computed=cls.COMPUTED)
        return cls._plan

    @classmethod
    def columns(cls) -> list[str]:
        # No joined column: the page's count would join the systems too (PostgreSQL keeps an inner join).
        needed = ("system_id", "requirement_id", "library_version_id", "withdrawn_by_version_id")
        return [*cls.plan().columns, *needed]

    @classmethod
    def data(cls, page: list[dict]) -> list[dict]:
        # One serializer for them all: a ModelSerializer builds its fields anew per instance.
        # Requirements and versions are the law, shared and immutable: the process's copy of the
        # library (risk.library_cache), as the obligations page and the matrix read them.
        written = RequirementSerializer(
            list(library_cache.requirements({row["requirement_id"] for row in page}).values()), many=True
        ).data
        requirements = {requirement["id"]: requirement for requirement in written}
        version_ids = {row["library_version_id"] for row in page} | {
            row["withdrawn_by_version_id"] for row in page if row["withdrawn_by_version_id"]
        }
        versions = {pk: v.version for pk, v in library_cache.library_versions(version_ids).items()}
        evidence = evidence_counts([row["id"] for row in page])
        system_rows = AISystem.objects.filter(pk__in={row["system_id"] for row in page})
        systems = {
            pk: {"id": pk, "code": code, "name": name}
            for pk, code, name in system_rows.values_list("pk", "code", "name")
        }
        emails = dict(
            Membership.objects.filter(pk__in={row["responsible_id"] for row in page} - {None}).values_list(
                "pk", "user__email"
            )
        )

        def computed(row):
            withdrawn_by = versions.get(row["withdrawn_by_version_id"])
            return {
                "system": systems[row["system_id"]],
                "requirement": requirements[row["requirement_id"]],
                "library_version": versions[row["library_version_id"]],
                "withdrawn_by_version": withdrawn_by,
                "withdrawn_label": withdrawn_label(
                    in_force=row["in_force"], cause=row["withdrawn_cause"], version=withdrawn_by
                ),
                "responsible_email": emails.get(row["responsible_id"], ""),
                "review_label": review_label(
                    needs_review=row["needs_review"], review_changes=row["review_changes"]
                ),
                "evidence_count": evidence.get(row["id"], 0),
            }

        return cls.plan().rows(page, computed)


class ObligationDetailSerializer(ObligationSerializer):
    evidence = ObligationEvidenceSerializer(many=True, read_only=True)

    class Meta(ObligationSerializer.Meta):
        fields = ObligationSerializer.Meta.fields + ["evidence"]


class ScoreSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    applicable = serializers.IntegerField()
    percent = serializers.IntegerField(
        allow_null=True, help_text=_("met / applicable × 100; null when none apply.")
    )


class ViolationExposureSerializer(serializers.Serializer):
    violation = serializers.CharField(source="violation.id")
    title = serializers.CharField(source="violation.title_text")
    mark = serializers.CharField(source="violation.mark")
    requirements = serializers.ListField(child=serializers.CharField(), source="codes")
    systems = serializers.IntegerField()


class ExposureSerializer(serializers.Serializer):
    """An exposure with its basis: size class, fines in MCI and the MCI (tenge) of the year used."""

    first_offence_kzt = serializers.IntegerField(source="first_kzt")
    repeated_offence_kzt = serializers.IntegerField(source="repeat_kzt")
    size_class = serializers.CharField(source="size")
    size_class_label = serializers.CharField(source="size_label")
    first_offence_mci = serializers.IntegerField(source="fine.first_mci")
    repeated_offence_mci = serializers.IntegerField(source="fine.repeat_mci")
    mci_kzt = serializers.IntegerField(source="fine.mci")
    mci_year = serializers.IntegerField(source="fine.mci_year")
    article = serializers.CharField(source="schedule.article_text")
    violations = ViolationExposureSerializer(many=True)


class SystemExposureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="system.pk")
    code = serializers.CharField(source="system.code")
    name = serializers.CharField(source="system.name")
    exposure = ExposureSerializer()


class MatrixRowSerializer(serializers.Serializer):
    system = SystemRefSerializer()
    risk_level = serializers.CharField(source="system.risk_level")
    score = ScoreSerializer()
    fines_exposure_kzt = serializers.IntegerField(
        help_text=_("What the system's open obligations risk under Art. 641-1, first offence, in tenge.")
    )
    cells = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text=_("Requirement id → obligation status, or null."),
    )


class MatrixSerializer(serializers.Serializer):
    requirements = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    organization_score = ScoreSerializer()
    organization_fines_exposure = ExposureSerializer()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = MatrixRowSerializer(many=True)


class LibraryVersionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_text", read_only=True)
    requirement_count = serializers.SerializerMethodField()
    adopted = serializers.SerializerMethodField(
        help_text=_("Whether the caller's organization works under it.")
    )

    class Meta:
        model = RequirementLibraryVersion
        fields = [
            "id",
            "version",
            "title",
            "source",
            "source_file",
            "content_hash",
            "loaded_at",
            "requirement_count",
            "adopted",
        ]
        read_only_fields = fields

    def get_requirement_count(self, obj) -> int:
        annotated = getattr(obj, "requirement_total", None)
        return annotated if annotated is not None else obj.requirements.count()

    def get_adopted(self, obj) -> bool:
        return obj.pk == self.context.get("adopted_version_id")


class LibraryVersionDetailSerializer(LibraryVersionSerializer):
    requirements = RequirementSerializer(many=True, read_only=True)
    prohibited_practices = serializers.JSONField(read_only=True)

    class Meta(LibraryVersionSerializer.Meta):
        fields = LibraryVersionSerializer.Meta.fields + ["prohibited_practices", "requirements"]
        read_only_fields = fields


class PreviewChangeSerializer(serializers.Serializer):
    system = SystemRefSerializer()
    gained = serializers.SerializerMethodField(help_text=_("Requirement ids gained."))
    lost = serializers.SerializerMethodField(help_text=_("Requirement ids no longer applicable."))
    kept = serializers.IntegerField()

    def get_gained(self, obj) -> list[str]:
        return [r.code for r in obj.gained]

    def get_lost(self, obj) -> list[str]:
        return [o.code for o in obj.lost]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text=_("title, text, evidence, article, reference_level, binds, rule, recurrence, due_within")
    )
    label = serializers.CharField(help_text=_("The field (and language) in the reader's language."))
    language = serializers.CharField(help_text=_("en, ru or kk for texts; empty for other fields."))
    before = serializers.JSONField()
    after = serializers.JSONField()
    substantive = serializers.BooleanField(
        help_text=_("A change of substance: the obligations it touches return for review.")
    )


class TouchedObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    system = SystemRefSerializer()
    status = serializers.CharField()


class RequirementChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    title = serializers.CharField(source="requirement.title_text")
    citation = serializers.CharField(source="requirement.citation")
    substantive = serializers.BooleanField()
    fields = FieldChangeSerializer(many=True)
    systems = SystemRefSerializer(many=True, help_text=_("Systems the change touches."))
    obligations = TouchedObligationSerializer(
        many=True, help_text=_("In-force obligations of the requirement that the change touches.")
    )


class UpgradePreviewSerializer(serializers.Serializer):
    """The same preview as the version's page and `load_requirements --check`."""

    from_version = serializers.CharField(source="current.version")
    to_version = serializers.CharField(source="version.version")
    requirements = RequirementChangeSerializer(
        many=True, help_text=_("Every requirement added, removed or changed, field by field.")
    )
    systems = PreviewChangeSerializer(
        source="changed_systems", many=True, help_text=_("Systems that gain or lose obligations.")
    )
    unchanged_systems = serializers.IntegerField(source="unchanged")


class LibraryAdoptionSerializer(serializers.ModelSerializer):
    library_version = serializers.SlugRelatedField(slug_field="version", read_only=True)

    class Meta:
        model = LibraryAdoption
        fields = ["id", "library_version", "gained", "lost", "created_at"]
        read_only_fields = fields


OBLIGATION_STATUS_CHOICES = ObligationStatus.choices
