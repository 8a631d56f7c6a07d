"""The activity log as CSV beside JSON (same filters, through the one exporter); exports of
compliance data and changes of who may do what recorded as their own kinds of entry."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from audit import services as audit_services
from kzai.accounts import services as account_services
from kzai.activity.chain import chain_verify
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry.services import ai_system_create, ai_system_update
from tests.activity.test_chain import FACTS
from tests.audit.helpers import make_engagement, start
from tests.tenancy import page_text


def _csv(response):
    return list(csv.reader(io.StringIO(page_text(response))))


def test_csv_export_has_the_same_filters_as_the_page_and_is_recorded(org, make_member, web_for):
    officer = make_member(Role.OFFICER)
    system = ai_system_create(organization=org, code="CS-1", name="Credit scoring", **FACTS)
    ai_system_update(system=system, name="Credit scoring v2")
    other = ai_system_create(organization=org, code="CB-1", name="Chatbot", **FACTS)
    web = web_for(officer)
    assert "export=csv" in web.get(reverse("activity_list")).content.decode()
    response = web.get(reverse("activity_list"), {"system": system.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="activity-')
    header, *rows = _csv(response)
    assert header[:5] == ["Time", "Who", "Kind of change", "Object type", "Object"]
    assert rows and all(row[5] == str(system.pk) for row in rows)
    assert {"Created", "Updated"} <= {row[2] for row in rows}
    assert any("Credit scoring → Credit scoring v2" in row[6] for row in rows)
    assert not any("Chatbot" in row[4] for row in rows) and other.pk
    # By action and period too (an unknown action is refused, not ignored).
    updated = _csv(web.get(reverse("activity_list"), {"action": "update", "export": "csv"}))[1:]
    assert updated and {row[2] for row in updated} == {"Updated"}
    assert web.get(reverse("activity_list"), {"action": "nonsense", "export": "csv"}).status_code in (
        200,
        400,
    )
    # Each export is an entry of its own, attributed to who exported.
    exports = ActivityRecord.objects.filter(action="export", actor=officer.user).order_by("id")
    assert [r.changes["format"][1] for r in exports][:2] == ["CSV", "CSV"]
    assert exports[0].changes["page"][1] == reverse("activity_list")
    assert exports[0].get_action_display() == "Exported"
    assert chain_verify(org.pk).intact


def test_every_export_through_the_one_exporter_is_recorded(org, make_member, web_for):
    officer = make_member(Role.OFFICER)
    ai_system_create(organization=org, code="CS-1", name="Credit scoring", **FACTS)
    web = web_for(officer)
    assert web.get(reverse("registry:system_export"), {"format": "xlsx"}).status_code == 200
    assert web.get(reverse("activity_list"), {"export": "json"}).status_code == 200
    recorded = ActivityRecord.objects.filter(action="export", actor=officer.user).order_by("id")
    assert [(r.changes["format"][1], r.changes["page"][1]) for r in recorded] == [
        ("XLSX", reverse("registry:system_export")),
        ("JSON", reverse("activity_list")),
    ]
    assert recorded[0].changes["file"][1].endswith(".xlsx")
    # A refused export is no export.
    from django.test import Client

    assert Client().get(reverse("registry:system_export")).status_code == 302
    assert ActivityRecord.objects.filter(action="export").count() == 2


def test_role_changes_removal_and_tokens_are_permission_entries(org, make_member, web_for, api_for):
    admin = make_member(Role.ADMIN)
    viewer = make_member(Role.VIEWER)
    assert (
        api_for(admin).patch(f"/api/v1/members/{viewer.pk}/", {"role": "officer"}, format="json").status_code
        == 200
    )
    entry = ActivityRecord.objects.filter(action="permission", object_id=str(viewer.pk)).latest("id")
    assert entry.changes == {"role": ["Viewer", "Compliance officer"]} and entry.actor == admin.user
    viewer.refresh_from_db()
    token, _raw = account_services.api_token_create(membership=viewer, name="CI")
    account_services.membership_deactivate(membership=viewer)
    entries = [
        (r.content_type.model, r.changes)
        for r in ActivityRecord.objects.filter(action="permission").order_by("id")
        if r.object_id in (str(viewer.pk), str(token.pk))
    ]
    assert entries[-3:] == [
        ("apitoken", {"token": [None, f"CI ({token.key_hint}…)"]}),
        ("membership", {"role": ["Compliance officer", None]}),
        ("apitoken", {"token": [f"CI ({token.key_hint}…)", None]}),
    ]
    page = page_text(web_for(admin).get(reverse("activity_list"), {"action": "permission"}))
    assert "Permissions changed" in page


def test_auditor_grants_given_and_ended_are_permission_entries(org, officer):
    engagement = make_engagement(org, officer=officer, title="Trusted-list audit")
    auditor = engagement.lead_auditor
    system = engagement.systems.get()
    assert not ActivityRecord.objects.filter(action="permission", object_id=str(auditor.pk)).exists()
    start(engagement, officer)
    given = ActivityRecord.objects.get(action="permission", object_id=str(auditor.pk))
    assert given.changes["access"][0] is None and system.code in given.changes["access"][1]
    assert "Trusted-list audit" in given.changes["access"][1]
    audit_services.engagement_transition(engagement=engagement, membership=officer, status="cancelled")
    ended = ActivityRecord.objects.filter(action="permission", object_id=str(auditor.pk)).latest("id")
    assert ended.changes["access"][1] is None and system.code in ended.changes["access"][0]


def test_an_inspection_pack_download_is_a_recorded_export(
    org, make_member, web_for, django_capture_on_commit_callbacks
):
    from kzai.jobs.models import Job
    from tests.documents.helpers import make_document
    from tests.factories import AISystemFactory

    officer = make_member(Role.OFFICER)
    system = AISystemFactory(organization=org)
    make_document(org, system=system, membership=officer, approve=True)
    web = web_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        web.post(reverse("documents:pack_start", args=[system.pk]))
    job = Job.objects.get(kind="documents.inspection_pack")
    assert web.get(reverse("documents:pack_download", args=[job.pk])).status_code == 200
    export = ActivityRecord.objects.get(action="export", actor=officer.user)
    assert export.changes["format"][1] == "ZIP" and export.changes["file"][1].endswith(".zip")
