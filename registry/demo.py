"""Demo register of a Kazakhstani bank: eight AI systems, their parties, contracts, components and
data libraries (one flagged as built by non-targeted extraction), all created through the services.

Idempotent: an organization that already has systems is left alone.
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone

from kzai.core.roles import Role
from registry import services
from registry.models import AISystem
from registry.public.labels.services import label_sign
from registry.validators import check_digit


def _valid(head: str) -> str:
    """The first valid 12-digit number starting with `head` (10 digits), check digit included."""
    for last in range(10):
        digit = check_digit(f"{head}{last}")
        if digit is not None:
            return f"{head}{last}{digit}"
    raise ValueError(head)  # pragma: no cover


D = datetime.date


def load_demo(context) -> None:
    organization = context.organization
    if AISystem.objects.filter(organization=organization).exists():
        return
    officer = context.members.get(Role.OFFICER)
    contributor = context.members.get(Role.CONTRIBUTOR)

    party = {}
    for key, fields in {
        "integrator": dict(
            name="Astana Data Integration LLP",
            kind="legal_entity",
            identifier=_valid("1501400123"),
            contact_name="Nurlan Abenov",
            email="projects@adi.example.kz",
            phone="+7 7172 55 01 02",
        ),
        "developer": dict(
            name="Steppe Analytics LLP",
            kind="legal_entity",
            identifier=_valid("1803400456"),
            contact_name="Aruzhan Karimova",
            email="contracts@steppe-analytics.example.kz",
        ),
        "ocr": dict(name="DocScan KZ LLP", kind="legal_entity", identifier=_valid("1907400789")),
        "bureau": dict(name="First Credit Bureau LLP", kind="legal_entity", identifier=_valid("0412400321")),
        "insurer": dict(
            name="Nomad Cyber Insurance JSC", kind="legal_entity", identifier=_valid("1102400654")
        ),
        "auditor": dict(
            name="Audit Partners Kazakhstan LLP", kind="legal_entity", identifier=_valid("1609400987")
        ),
        "cloud": dict(
            name="Microsoft Ireland Operations Limited",
            kind="foreign_company",
            country="IE",
            foreign_registration_number="256796",
            website="https://www.microsoft.com",
        ),
        "freelancer": dict(
            name="IE Serikbayev Arman",
            kind="individual_entrepreneur",
            identifier=_valid("8802013000"),
            notes="Prompt engineering for the marketing generator.",
        ),
    }.items():
        party[key] = services.party_create(organization=organization, **fields)

    common = {"responsible_officer": officer, "technical_owner": contributor}
    systems = {}
    for key, fields, tags in [
        (
            "scoring",
            dict(
                code="CRM-SCORE-01",
                name="Retail credit scoring",
                intended_purpose="Scores retail loan applications; the credit committee decides.",
                business_unit="Retail lending",
                lifecycle_stage="in_operation",
                organization_role="owner",
                sector="banking",
                decision_role="prepares",
                processes_personal_data=True,
                profiles_people=True,
                consumer_facing=True,
                deployment="on_premises",
            ),
            ["credit", "retail"],
        ),
        (
            "chatbot",
            dict(
                code="CHAT-01",
                name="Qazaq Assistant customer chatbot",
                intended_purpose="Answers customers' questions on cards and deposits in Kazakh and Russian.",
                business_unit="Digital channels",
                lifecycle_stage="in_operation",
                organization_role="possessor",
                sector="banking",
                interacts_with_natural_persons=True,
                interaction_channel="chatbot",
                generates_synthetic_content=True,
                synthetic_media=["text"],
                processes_personal_data=True,
                consumer_facing=True,
                deployment="cloud",
                hosting_country="IE",
                data_leaves_kazakhstan=True,
                uses_foreign_platform=True,
                user_agreement_url="https://bank.example.kz/ai/assistant-terms",
                user_agreement_version="2026-01",
                support_contact="ai-support@bank.example.kz",
            ),
            ["customer", "genai"],
        ),
        (
            "fraud",
            dict(
                code="FRAUD-01",
                name="Card fraud detection",
                intended_purpose="Blocks card transactions it scores as fraudulent, in real time.",
                business_unit="Card processing",
                lifecycle_stage="in_operation",
                organization_role="owner",
                sector="banking",
                decision_role="takes",
                processes_personal_data=True,
                profiles_people=True,
                critical_ict_infrastructure=True,
                deployment="on_premises",
            ),
            ["cards", "security"],
        ),
        (
            "ocr",
            dict(
                code="OCR-KYC-01",
                name="Identity document OCR and face match",
                intended_purpose="Reads identity documents and matches the selfie for remote onboarding.",
                business_unit="Onboarding",
                lifecycle_stage="in_operation",
                organization_role="user",
                sector="banking",
                processes_personal_data=True,
                processes_biometric_data=True,
                consumer_facing=True,
                deployment="hybrid",
            ),
            ["kyc"],
        ),
        (
            "marketing",
            dict(
                code="GEN-MKT-01",
                name="Generative marketing content",
                intended_purpose="Drafts campaign texts and images; an editor approves every piece.",
                business_unit="Marketing",
                lifecycle_stage="testing",
                organization_role="owner",
                sector="banking",
                generates_synthetic_content=True,
                synthetic_media=["image", "text"],
                deployment="cloud",
                hosting_country="KZ",
            ),
            ["genai", "marketing"],
        ),
        (
            "aml",
            dict(
                code="AML-01",
                name="AML transaction monitoring",
                intended_purpose="Flags transactions for the financial monitoring officers.",
                business_unit="Compliance",
                lifecycle_stage="in_operation",
                organization_role="owner",
                sector="banking",
                decision_role="prepares",
                processes_personal_data=True,
                profiles_people=True,
                deployment="on_premises",
            ),
            ["compliance"],
        ),
        (
            "hr",
            dict(
                code="HR-CV-01",
                name="CV screening",
                intended_purpose="Ranks applications for branch vacancies for recruiters.",
                business_unit="Human resources",
                lifecycle_stage="design",
                organization_role="user",
                sector="banking",
                decision_role="prepares",
                processes_personal_data=True,
                profiles_people=True,
                deployment="cloud",
                hosting_country="KZ",
            ),
            ["hr"],
        ),
        (
            "voice",
            dict(
                code="VOICE-01",
                name="Call-centre voice analytics",
                intended_purpose="Detects dissatisfied callers to route them to senior operators.",
                business_unit="Contact centre",
                lifecycle_stage="development",
                organization_role="owner",
                sector="banking",
                interacts_with_natural_persons=True,
                interaction_channel="voice_assistant",
                processes_personal_data=True,
                processes_biometric_data=True,
                recognises_emotions=True,
                deployment="on_premises",
            ),
            ["customer"],
        ),
    ]:
        if fields.get("lifecycle_stage") == "in_operation":
            # No system goes into operation unscreened: registered in testing, it goes live once the
            # risk app's demo has screened it.
            fields = {**fields, "lifecycle_stage": "testing"}
            context.shared.setdefault("go_live", []).append(fields["code"])
        systems[key] = services.ai_system_create(organization=organization, tags=tags, **common, **fields)

    for system, who, role, contract in [
        ("scoring", "developer", "developer", ("SA-2023/114", D(2023, 3, 1), D(2026, 12, 31), True, True)),
        ("scoring", "auditor", "auditor", ("AP-2026/07", D(2026, 2, 1), D(2027, 1, 31), True, True)),
        ("chatbot", "cloud", "hosting_provider", ("MS-EA-77120", D(2025, 7, 1), D(2028, 6, 30), True, False)),
        (
            "chatbot",
            "integrator",
            "integrator",
            ("ADI-2025/31", D(2025, 5, 15), D(2026, 5, 14), False, False),
        ),
        ("fraud", "developer", "developer", ("SA-2022/090", D(2022, 1, 10), D(2026, 3, 1), True, True)),
        ("fraud", "insurer", "insurer", ("NCI-POL-5521", D(2026, 1, 1), D(2026, 12, 31), True, True)),
        ("ocr", "ocr", "supplier", ("DS-SaaS-19", D(2024, 9, 1), D(2026, 8, 31), True, False)),
        ("marketing", "freelancer", "developer", ("IE-2026/02", D(2026, 2, 1), D(2026, 7, 31), False, False)),
        ("hr", "integrator", "integrator", ("ADI-2026/04", D(2026, 4, 1), None, False, False)),
    ]:
        reference, starts, expires, ai_terms, liability = contract
        services.party_link_create(
            system=systems[system],
            party=party[who],
            role=role,
            contract_reference=reference,
            contract_signed_on=starts,
            contract_starts_on=starts,
            contract_expires_on=expires,
            ai_terms_reviewed=ai_terms,
            liability_allocation_reviewed=liability,
        )

    for system, fields in [
        (
            "scoring",
            dict(
                name="CatBoost", version="1.2.5", provider="Yandex (open source)", hosted_where="on_premises"
            ),
        ),
        (
            "chatbot",
            dict(
                name="GPT-4o",
                version="2024-08-06",
                provider="OpenAI via Azure OpenAI Service",
                provider_party=party["cloud"],
                hosted_where="foreign_cloud",
            ),
        ),
        (
            "chatbot",
            dict(name="Retrieval index", version="3", provider="in-house", hosted_where="foreign_cloud"),
        ),
        (
            "fraud",
            dict(
                name="Gradient boosting ensemble",
                version="2026.1",
                provider_party=party["developer"],
                hosted_where="on_premises",
            ),
        ),
        (
            "ocr",
            dict(
                name="DocScan Recognition API",
                version="5.4",
                provider_party=party["ocr"],
                hosted_where="provider_api",
            ),
        ),
        (
            "marketing",
            dict(
                name="Stable Diffusion XL",
                version="1.0",
                provider="Stability AI (open weights)",
                hosted_where="kz_cloud",
            ),
        ),
        (
            "voice",
            dict(
                name="Whisper",
                version="large-v3",
                provider="OpenAI (open weights)",
                hosted_where="on_premises",
            ),
        ),
    ]:
        services.component_create(system=systems[system], **fields)

    loans = services.data_library_create(
        organization=organization,
        name="Retail loan applications 2019–2025",
        source="own",
        contains_personal_data=True,
        personal_data_consent="Consent form in the loan application, v3 (2019).",
        copyright_status="not_applicable",
        obtained_on=D(2025, 12, 31),
        provenance_evidence="Extract from the core banking system, ticket DWH-4411.",
        last_provenance_review_on=D(2026, 2, 15),
    )
    bureau = services.data_library_create(
        organization=organization,
        name="Credit bureau histories",
        producer=party["bureau"],
        source="licensed",
        lawful_basis="Law on credit bureaus; borrower's consent to the bureau request.",
        licence="Data supply agreement FCB-2024-18",
        contains_personal_data=True,
        personal_data_consent="Borrower's consent to the credit bureau request.",
        copyright_status="licensed",
        obtained_on=D(2024, 6, 1),
        last_provenance_review_on=D(2025, 6, 1),
    )
    images = services.data_library_create(
        organization=organization,
        name="Licensed stock images for fine-tuning",
        source="purchased",
        licence="Extended commercial licence, order 88120",
        copyright_status="licensed",
        obtained_on=D(2026, 1, 20),
    )
    scraped = services.data_library_create(
        organization=organization,
        name="Scraped professional-network profiles",
        source="public",
        description="Public profiles collected by a crawler to evaluate CV ranking.",
        contains_personal_data=True,
        lawful_basis="None established.",
        copyright_status="unknown",
        non_targeted_public_extraction=True,
        obtained_on=D(2026, 3, 10),
    )
    for system, library, purpose in [
        ("scoring", loans, "training"),
        ("scoring", bureau, "training"),
        ("aml", loans, "evaluation"),
        ("marketing", images, "tuning"),
        ("hr", scraped, "evaluation"),
    ]:
        services.data_library_use_create(system=systems[system], library=library, purpose=purpose)
    # The marketing generator's backend has signed a few labels: the label generator and the
    # KZ-AI-TR-02 obligation show them as evidence of marking.
    for n in range(3):
        label_sign(
            system=systems["marketing"],
            content_sha256=hashlib.sha256(f"demo campaign banner {n}".encode()).hexdigest(),
            media_type="image/png",
            generated_at=timezone.now(),
            membership=contributor,
        )
