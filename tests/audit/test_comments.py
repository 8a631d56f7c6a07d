"""Comments of auditors and officers on criteria, evidence requests and findings: attributable,
kept, corrected only by their author and never after the sign-off; in the API and on the page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit import services
from audit.models import Comment
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from tests.audit.helpers import make_engagement, start
from tests.audit.reporting import closed_engagement
from tests.factories import AISystemFactory
from tests.tenancy import APIContract


def _engagement_with_records(organization, **kwargs):
    engagement = start(make_engagement(organization, **kwargs))
    lead = engagement.lead_auditor
    criterion = services.criterion_add(engagement=engagement, membership=lead, title="Logs kept")
    finding = services.finding_create(engagement=engagement, membership=lead, title="Gaps", severity="low")
    item = services.evidence_request_create(engagement=engagement, membership=lead, request="The data sheet")
    return engagement, criterion, finding, item


class TestCommentAPI(APIContract):
    basename = "audit-comment"
    create_action = "approve"  # officers and administrators; auditors only on their own engagements

    def make_object(self, organization):
        engagement, criterion, _finding, _item = _engagement_with_records(organization)
        return services.comment_add(membership=engagement.lead_auditor, text="Checked", criterion=criterion)

    def create_payload(self, organization):
        _engagement, _criterion, finding, _item = _engagement_with_records(organization)
        return {"finding": finding.pk, "text": "Agreed, we fix it this quarter."}


def test_auditors_and_officers_comment_on_each_kind_of_record(org, officer, make_member):
    team = make_member(Role.AUDITOR)
    engagement, criterion, finding, item = _engagement_with_records(org, officer=officer, team=[team])
    lead = engagement.lead_auditor
    on_criterion = services.comment_add(membership=lead, text="Sampled ten days", criterion=criterion)
    on_request = services.comment_add(membership=officer, text="Sent by mail too", evidence_request=item)
    on_finding = services.comment_add(membership=team, text="Seen in March too", finding=finding)
    assert [c.author for c in (on_criterion, on_request, on_finding)] == [lead, officer, team]
    assert all(c.engagement == engagement for c in (on_criterion, on_request, on_finding))
    created = ActivityRecord.objects.filter(content_type__model="comment", action="create")
    assert sorted(r.changes["author"][1] for r in created) == sorted([lead.pk, officer.pk, team.pk])


def test_who_may_not_comment(org, other_org, officer, make_member):
    engagement, criterion, _finding, _item = _engagement_with_records(org, officer=officer)
    stranger_auditor = make_member(Role.AUDITOR)  # an auditor of the organization, not of this engagement
    for member in (stranger_auditor, make_member(Role.CONTRIBUTOR), make_member(Role.VIEWER)):
        with pytest.raises(PermissionDenied):
            services.comment_add(membership=member, text="x", criterion=criterion)
    with pytest.raises(PermissionDenied):
        services.comment_add(
            membership=make_member(Role.ADMIN, organization=other_org), text="x", criterion=criterion
        )
    with pytest.raises(ValidationError):
        services.comment_add(membership=officer, text="   ", criterion=criterion)
    with pytest.raises(ValidationError):
        services.comment_add(membership=officer, text="two targets", criterion=criterion, finding=_finding)


def test_only_the_author_corrects_a_comment_and_nobody_deletes_it(org, officer, make_member):
    engagement, criterion, _finding, _item = _engagement_with_records(org, officer=officer)
    comment = services.comment_add(membership=engagement.lead_auditor, text="Sampled", criterion=criterion)
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, membership=officer, text="Changed by someone else")
    services.comment_update(comment=comment, membership=engagement.lead_auditor, text="Sampled ten days")
    comment.refresh_from_db()
    assert comment.text == "Sampled ten days"
    update = ActivityRecord.objects.get(content_type__model="comment", action="update")
    assert update.changes["text"] == ["Sampled", "Sampled ten days"]
    with pytest.raises(ValidationError):
        comment.delete()
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_nothing_is_commented_or_corrected_after_the_sign_off(org, officer):
    system = AISystemFactory(organization=org)
    engagement, _ = closed_engagement(org, officer, system, sign_off=False)
    engagement.refresh_from_db()
    criterion = engagement.criteria.get()
    comment = services.comment_add(membership=officer, text="Before the sign-off", criterion=criterion)
    services.engagement_sign_off(engagement=engagement, membership=engagement.lead_auditor)
    with pytest.raises(ValidationError):
        services.comment_add(membership=officer, text="After", criterion=criterion)
    with pytest.raises(ValidationError):
        services.comment_update(comment=comment, membership=officer, text="After")


def test_api_patch_by_the_author_only(org, officer, api_for):
    engagement, criterion, _finding, _item = _engagement_with_records(org, officer=officer)
    comment = services.comment_add(membership=engagement.lead_auditor, text="Sampled", criterion=criterion)
    url = reverse("audit-comment-detail", args=[comment.pk])
    assert api_for(officer).patch(url, {"text": "Mine now"}, format="json").status_code == 403
    lead = api_for(engagement.lead_auditor)
    assert lead.patch(url, {"criterion": None}, format="json").status_code == 400
    response = lead.patch(url, {"text": "Sampled ten days"}, format="json")
    assert (
        response.status_code == 200 and response.json()["author_email"] == engagement.lead_auditor.user.email
    )
    assert lead.delete(url).status_code in (403, 405)
    assert Comment.objects.filter(pk=comment.pk).exists()
    listed = lead.get(reverse("audit-comment-list"), {"engagement": engagement.pk}).json()["results"]
    assert [row["id"] for row in listed] == [comment.pk]
    assert api_for(officer).get(reverse("audit-comment-list"), {"engagement": "x"}).status_code == 400


def test_page_shows_comments_and_the_form_only_to_who_may_comment(org, officer, make_member, web_for):
    engagement, criterion, finding, item = _engagement_with_records(org, officer=officer)
    detail = reverse("audit:engagement_detail", args=[engagement.pk])
    add = reverse("audit:comment_add", args=[engagement.pk])
    lead = web_for(engagement.lead_auditor)
    response = lead.post(add, {"finding": finding.pk, "text": "Seen again in March"})
    assert response.status_code == 302
    officer_web = web_for(officer)
    officer_web.post(add, {"evidence_request": item.pk, "text": "Sent by mail too"})
    page = officer_web.get(detail).content.decode()
    assert "Seen again in March" in page and "Sent by mail too" in page and add in page
    viewer = web_for(make_member(Role.VIEWER))
    viewer_page = viewer.get(detail).content.decode()
    assert "Seen again in March" in viewer_page and add not in viewer_page
    assert viewer.post(add, {"criterion": criterion.pk, "text": "x"}).status_code == 403
    assert not Comment.objects.filter(text="x").exists()
    # A record of another engagement is not a valid target here.
    other, other_criterion, _f, _i = _engagement_with_records(org, officer=officer)
    officer_web.post(add, {"criterion": other_criterion.pk, "text": "wrong engagement"})
    assert not Comment.objects.filter(text="wrong engagement").exists()


def test_engagement_page_queries_do_not_grow_with_records_comments_and_documents(org, officer, web_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.documents.helpers import make_document

    system = AISystemFactory(organization=org)
    engagement = start(make_engagement(org, officer=officer, systems=[system]))
    lead = engagement.lead_auditor

    def add_rows(count):
        for n in range(count):
            criterion = services.criterion_add(engagement=engagement, membership=lead, title=f"C{n}")
            finding = services.finding_create(
                engagement=engagement, membership=lead, title=f"F{n}", severity="low"
            )
            item = services.evidence_request_create(engagement=engagement, membership=lead, request=f"R{n}")
            version = make_document(org, system=system, membership=officer).versions.get()
            services.evidence_request_respond(
                item=item, membership=officer, response="Here", versions=[version]
            )
            for target in ({"criterion": criterion}, {"finding": finding}, {"evidence_request": item}):
                services.comment_add(membership=officer, text="Noted", **target)

    url = reverse("audit:engagement_detail", args=[engagement.pk])
    web = web_for(officer)
    add_rows(2)
    web.get(url)
    with CaptureQueriesContext(connection) as few:
        assert web.get(url).status_code == 200
    add_rows(6)
    with CaptureQueriesContext(connection) as many:
        assert web.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
