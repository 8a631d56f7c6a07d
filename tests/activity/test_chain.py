"""The tamper-evident activity log: hash chain, verification (service, command, page, API), the
PostgreSQL trigger, the auditor's reach into history, sign-ins, filters and export."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kzai.activity.chain import chain_verify
from kzai.activity.models import ActivityAction, ActivityRecord
from kzai.core.roles import Role
from registry.grants import grant_system_view
from registry.services import ai_system_create, ai_system_update
from tests.factories import AISystemFactory
from tests.tenancy import UIContract

TABLE = ActivityRecord._meta.db_table


FACTS = {
    "intended_purpose": "Scoring of loan applications.",
    "organization_role": "owner",
    "sector": "banking",
}


def _history(org, count=3):
    system = ai_system_create(organization=org, code="CS-1", name="Credit scoring", **FACTS)
    for n in range(count):
        ai_system_update(system=system, name=f"Credit scoring v{n + 2}")
    return system


def _tamper(sql, params):
    """Change the log behind the product's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a superuser would: triggers off for this session only.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_records_are_chained_in_order_and_verify(org):
    _history(org)
    records = list(ActivityRecord.objects.filter(organization=org).order_by("sequence"))
    assert [r.sequence for r in records] == list(range(1, len(records) + 1))
    assert records[0].previous_hash == ""
    for before, after in zip(records, records[1:], strict=False):
        assert after.previous_hash == before.record_hash and len(after.record_hash) == 64
    report = chain_verify(org.pk)
    assert report.intact and report.checked == len(records)


def test_each_organization_has_its_own_chain(org, other_org):
    _history(org, 1)
    ai_system_create(organization=other_org, code="X-1", name="Other", **FACTS)
    first = ActivityRecord.objects.filter(organization=other_org).order_by("sequence").first()
    assert first.sequence == 1 and first.previous_hash == ""


def test_an_altered_record_is_found(org):
    _history(org)
    victim = ActivityRecord.objects.filter(organization=org).order_by("sequence")[2]
    _tamper(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["Nothing to see", victim.pk])
    report = chain_verify(org.pk)
    assert not report.intact and report.broken_at == victim.sequence and report.record_id == victim.pk
    assert "altered" in report.reason


def test_a_deleted_record_is_found(org):
    _history(org)
    victim = ActivityRecord.objects.filter(organization=org).order_by("sequence")[1]
    _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    report = chain_verify(org.pk)
    assert report.broken_at == victim.sequence and "missing" in report.reason


def test_a_deleted_last_record_is_found(org):
    _history(org)
    last = ActivityRecord.objects.filter(organization=org).order_by("sequence").last()
    _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [last.pk])
    report = chain_verify(org.pk)
    assert not report.intact and report.broken_at == last.sequence


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_record(org):
    """Whoever alters a record and recomputes its hash must rewrite every later record too."""
    from kzai.activity.chain import compute_hash

    _history(org)
    victim = ActivityRecord.objects.filter(organization=org).order_by("sequence")[1]
    victim.object_repr = "Forged"
    forged_hash = compute_hash(victim, victim.previous_hash)
    _tamper(
        f"UPDATE {TABLE} SET object_repr = %s, record_hash = %s WHERE id = %s",
        ["Forged", forged_hash, victim.pk],
    )
    report = chain_verify(org.pk)
    assert report.broken_at == victim.sequence + 1 and "does not follow" in report.reason


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET object_repr = 'x' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_postgresql_refuses_update_and_delete(org, statement):
    _history(org, 1)
    record = ActivityRecord.objects.filter(organization=org).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement.format(t=TABLE), [record.pk])


def test_command_says_where_the_chain_breaks(org, other_org, capsys):
    _history(org)
    _history(other_org, 1)
    call_command("verify_activity_chain")
    assert "alpha-bank: intact" in capsys.readouterr().out
    victim = ActivityRecord.objects.filter(organization=org).order_by("sequence")[1]
    _tamper(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["someone@else", victim.pk])
    with pytest.raises(CommandError) as error:
        call_command("verify_activity_chain")
    out = capsys.readouterr().out
    assert f"alpha-bank: BROKEN at record {victim.sequence}" in out and "beta-telecom: intact" in out
    assert error.value.returncode == 1


def test_page_and_api_report_the_chain(org, make_member, web_for, api_for):
    _history(org)
    member = make_member(Role.VIEWER)
    assert "The chain is intact." in web_for(member).get(reverse("activity_chain")).content.decode()
    assert api_for(member).get("/api/v1/activity/chain/").json()["intact"] is True
    victim = ActivityRecord.objects.filter(organization=org).order_by("sequence")[2]
    _tamper(f"UPDATE {TABLE} SET changes = %s WHERE id = %s", [json.dumps({"name": ["a", "b"]}), victim.pk])
    page = web_for(member).get(reverse("activity_chain")).content.decode()
    assert f"The chain is broken at record {victim.sequence}." in page
    body = api_for(member).get("/api/v1/activity/chain/").json()
    assert body["intact"] is False and body["broken_at"] == victim.sequence


def test_an_auditor_sees_the_full_history_of_granted_systems_only(org, make_member, web_for, api_for):
    granted = _history(org)
    hidden = ai_system_create(organization=org, code="HR-9", name="Hidden hiring model", **FACTS)
    ai_system_update(system=hidden, name="Hidden hiring model v2")
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    history = web_for(auditor).get(reverse("registry:system_history", args=[granted.pk])).content.decode()
    assert "Credit scoring v4" in history and "Nothing recorded yet" not in history
    log = web_for(auditor).get(reverse("activity_list")).content.decode()
    assert "Credit scoring v4" in log and "Hidden hiring model" not in log
    rows = api_for(auditor).get("/api/v1/activity/", {"page_size": 100}).json()["results"]
    assert rows and {row["system_id"] for row in rows} == {granted.pk}


def test_sign_in_is_recorded_in_each_organization(org, other_org, make_member, client):
    member = make_member(Role.OFFICER)
    make_member(Role.VIEWER, organization=other_org, user=member.user)
    member.user.set_password("a long enough pass phrase")
    member.user.save()
    assert (
        client.post(
            reverse("login"), {"username": member.user.email, "password": "a long enough pass phrase"}
        ).status_code
        == 302
    )
    for organization in (org, other_org):
        record = ActivityRecord.objects.filter(organization=organization, action=ActivityAction.SIGN_IN).get()
        assert record.actor_id == member.user_id and "address" in record.changes
    assert chain_verify(org.pk).intact


def test_filters_by_system_person_and_search_and_json_export(org, make_member, web_for):
    officer = make_member(Role.OFFICER)
    system = _history(org, 1)
    AISystemFactory(organization=org, name="Chatbot")
    web = web_for(officer)
    page = web.get(reverse("activity_list"), {"system": system.pk}).content.decode()
    assert "Credit scoring v2</td>" in page or "Credit scoring v2" in page.split("<table", 1)[1]
    assert "Chatbot" not in page.split("<table", 1)[1]
    searched = web.get(reverse("activity_list"), {"q": "chatb"}).content.decode().split("<table", 1)[1]
    assert "Chatbot" in searched and "CS-1" not in searched
    assert web.get(reverse("activity_list"), {"person": officer.pk}).status_code == 200
    export = web.get(reverse("activity_list"), {"system": system.pk, "export": "json"})
    assert export["Content-Disposition"].startswith("attachment")
    assert export.streaming  # a chunk of records at a time, never the whole log in memory
    data = json.loads(b"".join(export.streaming_content))
    assert data and all(row["system_id"] == system.pk for row in data)


class TestActivityChainPage(UIContract):
    list_url_name = "activity_chain"

    def make_object(self, organization):
        return AISystemFactory(organization=organization)


# Texts COPY must escape (tab, line breaks, backslashes, its NULL byte, a "\N" that is not NULL),
# and JSON the hash must spell exactly as `compute_hash` does (quotes, non-ASCII, nesting, null).
AWKWARD = ["tab\there", "lines\nand\r\nreturns", "back\\slash \\N", "\\N", "\x01", 'quote " ‹Қазақ›', ""]


def test_records_appended_in_bulk_keep_every_text_and_the_chain_verifies(org):
    """Bulk writers (an import) append plain rows through COPY on PostgreSQL and hash them with a
    spelled-out canonical JSON: each text comes back as written, and `chain_verify`, which
    recomputes every hash from the stored record, finds the chain intact."""
    from django.contrib.contenttypes.models import ContentType

    from kzai.activity.chain import chain_append_rows

    system = _history(org, count=1)
    content_type = ContentType.objects.get_for_model(type(system)).pk
    rows = [
        {
            "organization_id": org.pk,
            "actor_id": None,
            "actor_label": text,
            "source": "import",
            "request_id": f"request-{n}",
            "action": ActivityAction.UPDATE,
            "content_type_id": content_type,
            "object_id": str(system.pk),
            "object_repr": text,
            "parent_content_type_id": content_type if n % 2 else None,
            "parent_object_id": str(system.pk) if n % 2 else "",
            "changes": {"name": [text, None], "nested": {"list": [1, 2.5, True, None, text]}},
            "system_id": system.pk if n % 3 else None,
        }
        for n, text in enumerate(AWKWARD)
    ]
    assert chain_append_rows(rows) == len(AWKWARD)
    written = list(ActivityRecord.objects.filter(organization=org, source="import").order_by("sequence"))
    assert [r.object_repr for r in written] == AWKWARD
    assert [r.actor_label for r in written] == AWKWARD
    assert [r.changes["name"][0] for r in written] == AWKWARD
    assert [r.parent_content_type_id for r in written] == [row["parent_content_type_id"] for row in rows]
    assert [r.system_id for r in written] == [row["system_id"] for row in rows]
    report = chain_verify(org.pk)
    assert report.intact and report.checked == ActivityRecord.objects.filter(organization=org).count()
    # The chain goes on from where the bulk rows left it.
    ai_system_update(system=system, name="Credit scoring, renamed")
    assert chain_verify(org.pk).intact
