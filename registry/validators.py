"""Kazakhstani identification numbers: BIN (business) and IIN (individual).

Both are 12 digits whose last digit is a check digit: the weighted sum of the first 11 digits with
weights 1..11, modulo 11; when that gives 10, a second pass with weights 3..11, 1, 2; when that too
gives 10 the number is never issued. An IIN starts with the birth date (YYMMDD) and a digit for
century and sex (1–6); a BIN starts with the registration year and month (YYMM) and a digit for the
kind of entity (4 resident legal entity, 5 non-resident, 6 individual entrepreneur on joint basis).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEIGHTS_FIRST = list(range(1, 12))
WEIGHTS_SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def check_digit(first_eleven: str) -> int | None:
    """The check digit of the first 11 digits, or None when no valid number can have them."""
    digits = [int(c) for c in first_eleven]
    value = sum(d * w for d, w in zip(digits, WEIGHTS_FIRST, strict=True)) % 11
    if value == 10:
        value = sum(d * w for d, w in zip(digits, WEIGHTS_SECOND, strict=True)) % 11
    return None if value == 10 else value


def _check_format(number: str, label: str) -> None:
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(
            _("%(label)s must be exactly 12 digits; “%(value)s” has %(count)s characters.")
            % {"label": label, "value": number, "count": len(number)},
            code="format",
        )
    expected = check_digit(number[:11])
    if expected is None or int(number[11]) != expected:
        raise ValidationError(
            _("%(label)s “%(value)s” fails its check digit: please check it for a typo.")
            % {"label": label, "value": number},
            code="checksum",
        )


def validate_iin(number: str) -> None:
    _check_format(number, "IIN")
    century_digit = int(number[6])
    if century_digit not in range(1, 7):
        raise ValidationError(
            _("IIN “%(value)s”: the 7th digit must be 1–6 (century and sex).") % {"value": number},
            code="century",
        )
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_digit]
    try:
        datetime.date(century + int(number[0:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        raise ValidationError(
            _("IIN “%(value)s” does not start with a valid birth date (YYMMDD).") % {"value": number},
            code="date",
        )


def validate_bin(number: str) -> None:
    _check_format(number, "BIN")
    if not 1 <= int(number[2:4]) <= 12:
        raise ValidationError(
            _("BIN “%(value)s”: digits 3–4 must be the registration month (01–12).") % {"value": number},
            code="month",
        )
    if number[4] not in "456":
        raise ValidationError(
            _("BIN “%(value)s”: the 5th digit must be 4 (resident), 5 (non-resident) or 6 (joint IE).")
            % {"value": number},
            code="kind",
        )


def validate_bin_or_iin(number: str) -> None:
    """For fields that may hold either (e.g. an individual entrepreneur registered by IIN)."""
    try:
        validate_bin(number)
    except ValidationError as bin_error:
        try:
            validate_iin(number)
        except ValidationError:
            raise bin_error


@dataclass(frozen=True)
class Contradiction:
    """Two facts of a system that cannot both be true; the message goes on `field`."""

    field: str
    holds: Callable[[Any], bool]
    message: str


# The facts a person may record in contradiction with each other, refused wherever they are written
# (the system form, the API and the import all reach `AISystem.clean()` through the services).
SYSTEM_CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        "interaction_channel",
        lambda s: bool(s.interaction_channel) and not s.interacts_with_natural_persons,
        gettext_lazy("An interaction channel needs “interacts with natural persons”."),
    ),
    Contradiction(
        "interaction_channel",
        lambda s: s.interacts_with_natural_persons and not s.interaction_channel,
        gettext_lazy(
            "The system interacts with natural persons, so it cannot be “does not interact with people”: "
            "choose how it interacts (chatbot, voice assistant…) or untick “interacts with natural persons”."
        ),
    ),
    Contradiction(
        "processes_personal_data",
        lambda s: s.processes_biometric_data and not s.processes_personal_data,
        gettext_lazy("Biometric data is personal data: tick both."),
    ),
    Contradiction(
        "data_leaves_kazakhstan",
        lambda s: bool(s.hosting_country) and s.hosting_country != "KZ" and not s.data_leaves_kazakhstan,
        gettext_lazy("A system hosted outside Kazakhstan sends data abroad."),
    ),
)


def system_contradictions(system) -> dict[str, str]:
    """The contradictions among a system's facts, as {field: message} (the first per field)."""
    errors: dict[str, str] = {}
    for rule in SYSTEM_CONTRADICTIONS:
        if rule.field not in errors and rule.holds(system):
            errors[rule.field] = str(rule.message)
    return errors
