"""Building audit engagements for tests, always through the services a person uses."""

from __future__ import annotations

import datetime

from audit import services
from audit.choices import EngagementType
from kzai.core.roles import Role
from tests.factories import AISystemFactory, MembershipFactory


def make_engagement(organization, *, systems=None, lead=None, team=(), officer=None, **fields):
    officer = officer or MembershipFactory(organization=organization, role=Role.OFFICER)
    lead = lead or MembershipFactory(organization=organization, role=Role.AUDITOR)
    systems = systems if systems is not None else [AISystemFactory(organization=organization)]
    fields.setdefault("title", "Annual audit")
    fields.setdefault("engagement_type", EngagementType.TRUSTED_LIST)
    fields.setdefault("planned_start", datetime.date(2026, 3, 1))
    fields.setdefault("planned_end", datetime.date(2026, 4, 30))
    return services.engagement_create(
        organization=organization,
        membership=officer,
        systems=systems,
        lead_auditor=lead,
        team=list(team),
        **fields,
    )


def start(engagement, officer=None):
    officer = officer or MembershipFactory(organization=engagement.organization, role=Role.OFFICER)
    return services.engagement_transition(engagement=engagement, membership=officer, status="fieldwork")


def make_finding(organization, **kwargs):
    engagement = start(make_engagement(organization, **kwargs))
    return services.finding_create(
        engagement=engagement,
        membership=engagement.lead_auditor,
        title="Gaps in the data sheet",
        severity="high",
    )
