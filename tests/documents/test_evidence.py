"""Documents as evidence for obligations, risk measures and review items."""

from django.urls import reverse

from documents.evidence import evidence_documents
from documents.models import EvidenceLink
from documents.services import evidence_link_create
from kzai.core.roles import Action, Role
from tests.documents.helpers import make_document, officer_of
from tests.factories import AISystemFactory, MeasureFactory, system_with_obligations
from tests.tenancy import APIContract


class TestEvidenceLinkContract(APIContract):
    basename = "evidence-link"
    create_action = Action.CHANGE
    delete_action = Action.CHANGE
    supports_delete = True

    def make_object(self, organization):
        system = AISystemFactory(organization=organization)
        document = make_document(organization, system=system)
        measure = MeasureFactory(system=system)
        return evidence_link_create(document=document, target=measure, membership=officer_of(organization))

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        document = make_document(organization, system=system)
        return {"document": document.pk, "kind": "measure", "target_id": MeasureFactory(system=system).pk}


def test_obligation_measure_and_review_item_take_documents(org, make_member, api_for):
    from tests.risk.risk_management.test_reviews import _review_with_register

    client = api_for(make_member(Role.CONTRIBUTOR))
    review, _risk = _review_with_register(org)
    from risk.risk_management import services as register_services

    review = register_services.review_start(review=review, membership=officer_of(org))
    system = review.system
    document = make_document(org, system=system, approve=True)
    obligation = system_with_obligations(org, interacts_with_natural_persons=True).obligations.first()
    targets = {
        "measure": system.register_measures.first(),
        "review_item": review.items.first(),
        "obligation": obligation,
    }
    for kind, target in targets.items():
        response = client.post(
            reverse("evidence-link-list"), {"document": document.pk, "kind": kind, "target_id": target.pk}
        )
        assert response.status_code == 201, (kind, response.content)
        assert response.json()["kind"] == kind
        assert list(evidence_documents(target)) == [document]


def test_foreign_or_unknown_targets_are_400(org, other_org, make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    document = make_document(org)
    foreign = MeasureFactory(system=AISystemFactory(organization=other_org))
    for payload in (
        {"document": document.pk, "kind": "measure", "target_id": foreign.pk},
        {"document": document.pk, "kind": "system", "target_id": document.systems.get().pk},
    ):
        response = client.post(reverse("evidence-link-list"), payload)
        assert response.status_code == 400, response.content
    assert not EvidenceLink.objects.exists()


def test_document_page_adds_evidence(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    document = make_document(org, system=system)
    measure = MeasureFactory(system=system, title="Quarterly bias testing")
    web = web_for(make_member(Role.CONTRIBUTOR))
    page = web.get(reverse("documents:document_detail", args=[document.pk])).content.decode()
    assert f'value="measure:{measure.pk}"' in page
    web.post(
        reverse("documents:evidence_add", args=[document.pk]),
        {"target": f"measure:{measure.pk}", "note": "Q1 run"},
    )
    assert list(evidence_documents(measure)) == [document]
    page = web.get(reverse("documents:document_detail", args=[document.pk])).content.decode()
    assert "Quarterly bias testing" in page and "Q1 run" in page
    viewer = web_for(make_member(Role.VIEWER))
    assert (
        viewer.post(
            reverse("documents:evidence_add", args=[document.pk]), {"target": f"measure:{measure.pk}"}
        ).status_code
        == 403
    )
