"""Object-scoped roles (auditors) and other tenants never see what they were not granted, on any
read path: custom actions, previews, matrices, heat maps, exports and deadline lists."""

from __future__ import annotations

from django.urls import reverse

from kzai.core.roles import Role
from registry.grants import grant_system_view
from tests.factories import system_with_obligations
from tests.risk.test_library import next_version


def test_library_preview_shows_an_auditor_only_granted_systems(
    org, other_org, make_member, api_for, tmp_path
):
    granted = system_with_obligations(
        org, name="Granted chatbot", generates_synthetic_content=True, synthetic_media=["image"]
    )
    hidden = system_with_obligations(
        org, name="Hidden scoring", generates_synthetic_content=True, synthetic_media=["image"]
    )
    system_with_obligations(other_org, generates_synthetic_content=True, synthetic_media=["image"])
    new = next_version(tmp_path)
    auditor = make_member(Role.AUDITOR)
    grant_system_view(auditor.user, granted)
    url = reverse("library-version-preview", args=[new.pk])
    listed = {row["system"]["id"] for row in api_for(auditor).get(url).json()["systems"]}
    assert listed == {granted.pk}
    officer_listed = {
        row["system"]["id"] for row in api_for(make_member(Role.OFFICER)).get(url).json()["systems"]
    }
    assert officer_listed == {granted.pk, hidden.pk}
