"""Building public pages the way an officer does: through the services."""

from __future__ import annotations

import datetime
import itertools
import uuid

from django.test import Client

from registry.public import services
from tests.factories import AISystemFactory

_seq = itertools.count(1)

TEXTS = {
    "title_ru": "Кредитный помощник",
    "title_kk": "Несие көмекшісі",
    "title_en": "Credit assistant",
    "summary_ru": "Помогает оценить заявку на кредит.",
    "summary_kk": "Несие өтінімін бағалауға көмектеседі.",
    "summary_en": "Helps assess a loan application.",
    "limitations_ru": "Не принимает окончательных решений.",
    "processing_notice_ru": "Вы можете возразить против автоматизированной обработки.",
    "processing_notice_en": "You may object to automated processing.",
    "support_ru": "support@example.kz",
}


def published_page(organization, *, system=None, agreements=1, **texts):
    """A system with a published public page and `agreements` agreement versions in effect."""
    n = next(_seq)
    system = system or AISystemFactory(
        organization=organization,
        code=f"INTERNAL-{n:04d}",
        intended_purpose=f"Internal purpose {n} known only inside",
    )
    page = services.public_page_save(system=system, public_slug=f"assistant-{n}", **{**TEXTS, **texts})
    for number in range(1, agreements + 1):
        services.agreement_version_add(
            system=system,
            effective_on=datetime.date(2026, 1, number),
            text_ru=f"Соглашение версия {number}",
            text_en=f"Agreement version {number}",
        )
    return services.public_page_publish(page=page)


def fresh_client(**kwargs) -> Client:
    """A Django test client whose requests come from an address no other test uses."""
    n = uuid.uuid4().int
    return Client(REMOTE_ADDR=f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}", **kwargs)
