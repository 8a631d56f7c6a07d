"""The activity pages name related objects instead of showing their ids, within the tenant only."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kzai.activity.context import acting_as
from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry.models import AISystem, SystemPartyLink
from tests.factories import AISystemFactory, PartyFactory, SystemPartyLinkFactory, UserFactory


def _member(make_member, name, organization=None, role=Role.OFFICER):
    return make_member(role, organization=organization, user=UserFactory(full_name=name))


def _reassign(system, membership, actor):
    with acting_as(actor.user, source="web", request_id="req"):
        system = AISystem.objects.get(pk=system.pk)
        system.responsible_officer = membership
        system.save()


def test_history_and_activity_pages_name_the_responsible_officer(org, make_member, web_for):
    officer = _member(make_member, "Aigerim Nurlanova")
    successor = _member(make_member, "Daniyar Seitkali")
    system = AISystemFactory(organization=org, responsible_officer=officer)
    _reassign(system, successor, officer)
    web = web_for(officer)
    for url in (reverse("activity_list"), reverse("registry:system_history", args=[system.pk])):
        page = web.get(url).content.decode()
        assert f"{escape(str(officer))} → {escape(str(successor))}" in page
        assert "Aigerim Nurlanova" in str(officer) and "Daniyar Seitkali" in str(successor)
        assert f"{officer.pk} → {successor.pk}" not in page
    # The API is a contract: it keeps the recorded ids.
    record = ActivityRecord.objects.filter(changes__has_key="responsible_officer", action="update").get()
    assert record.changes["responsible_officer"] == [officer.pk, successor.pk]


def test_another_tenants_object_is_never_named(org, other_org, make_member, web_for):
    officer = _member(make_member, "Aigerim Nurlanova")
    foreign_member = _member(make_member, "Foreign Officer Name", organization=other_org)
    foreign_party = PartyFactory(organization=other_org, name="Foreign Vendor LLP")
    link = SystemPartyLinkFactory(system=AISystemFactory(organization=org))
    deleted_party = PartyFactory(organization=org, name="Gone Vendor LLP")
    deleted_pk = deleted_party.pk
    deleted_party.delete()
    # A record pointing at ids that are not this organization's (as after a data repair): the page
    # must resolve them within the organization only.
    ActivityRecord.objects.create(
        organization=org,
        source="web",
        request_id="req",
        action="update",
        content_type=ContentType.objects.get_for_model(AISystem),
        object_id=str(link.system_id),
        object_repr=str(link.system),
        changes={"responsible_officer": [foreign_member.pk, officer.pk]},
    )
    ActivityRecord.objects.create(
        organization=org,
        source="web",
        request_id="req",
        action="update",
        content_type=ContentType.objects.get_for_model(SystemPartyLink),
        object_id=str(link.pk),
        object_repr=str(link),
        parent_content_type=ContentType.objects.get_for_model(AISystem),
        parent_object_id=str(link.system_id),
        changes={"party": [foreign_party.pk, deleted_pk]},
    )
    web = web_for(officer)
    for url in (reverse("activity_list"), reverse("registry:system_history", args=[link.system_id])):
        page = web.get(url).content.decode()
        assert "Foreign Officer Name" not in page and "Foreign Vendor LLP" not in page
        assert f"#{foreign_member.pk} (deleted)" in page and f"#{foreign_party.pk} (deleted)" in page
        assert f"#{deleted_pk} (deleted)" in page and "Aigerim Nurlanova" in page


def test_label_queries_do_not_grow_with_the_records_on_the_page(org, make_member, web_for):
    officer = _member(make_member, "Aigerim Nurlanova")
    system = AISystemFactory(organization=org, responsible_officer=officer)
    link = SystemPartyLinkFactory(system=system)
    web = web_for(officer)

    def add_changes(count):
        for index in range(count):
            _reassign(system, _member(make_member, f"Officer {index}"), officer)
            with acting_as(officer.user, source="web", request_id="req"):
                link.party = PartyFactory(organization=org)
                link.save()

    def queries(url):
        web.get(url)  # warm-up (sessions, content types)
        with CaptureQueriesContext(connection) as captured:
            response = web.get(url)
        assert response.status_code == 200
        return len(captured)

    urls = (reverse("activity_list"), reverse("registry:system_history", args=[system.pk]))
    add_changes(2)
    few = [queries(url) for url in urls]
    add_changes(10)
    assert [queries(url) for url in urls] == few
    page = web.get(urls[1]).content.decode()
    assert "Officer 9" in page and link.party.name in page


def test_an_object_outside_the_roles_view_is_not_called_deleted_nor_named(org, make_member):
    from kzai.activity.selectors import activity_with_labels

    hidden = AISystemFactory(organization=org, name="Ungranted scoring")
    link = SystemPartyLinkFactory(system=AISystemFactory(organization=org))
    with acting_as(None, source="web", request_id="req"):
        link.system = hidden
        link.save()
    record = ActivityRecord.objects.filter(changes__has_key="system", action="update").get()
    auditor = make_member(Role.AUDITOR)  # sees only systems granted to it: none here
    (labelled,) = activity_with_labels([record], membership=auditor)
    (row,) = [row for row in labelled.labelled_changes() if "before" in row]
    assert row["after"] == f"#{hidden.pk} (not visible to you)"
    (officer_view,) = activity_with_labels([record], membership=make_member(Role.OFFICER))
    assert [row["after"] for row in officer_view.labelled_changes() if "after" in row] == [str(hidden)]
