"""Kazakhstan's working-day calendar, for legal clocks counted in working days.

The law counts some answers in working days: an objection to automated processing is answered
within 3 working days (Personal Data Law Art. 19-1), a sector body checks a trusted-list filing within
10 working days and publishes within 5 (ministry order of 10 April 2026). A working day is a Monday to
Friday that is not a public holiday of the Republic of Kazakhstan. The holidays, including days off
moved by government decree, come from the maintained `holidays` package rather than a hand-typed list,
so the calendar stays right as the package is upgraded; `KZAI_EXTRA_DAYS_OFF` and
`KZAI_EXTRA_WORKING_DAYS` settings let an operator add a decree the installed package does not know
yet without a code change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

COUNTRY = "KZ"


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(COUNTRY, years=year))


def _setting_dates(name: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(str(value)) for value in getattr(settings, name, ()) or ())


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day in Kazakhstan."""
    if day in _setting_dates("KZAI_EXTRA_WORKING_DAYS"):
        return True
    if day.weekday() >= 5 or day in _setting_dates("KZAI_EXTRA_DAYS_OFF"):
        return False
    return day not in _public_holidays(day.year)


def holiday_name(day: date) -> str:
    """The name of the public holiday on `day` (in English, as the package gives it), or ''."""
    return str(holidays.country_holidays(COUNTRY, years=day.year).get(day) or "")


def add_working_days(start: date | datetime, count: int) -> date:
    """The day on which a clock of `count` working days that starts on `start` runs out.

    The day the clock starts does not count (as in the Civil Code's rule that a period begins the day
    after the event); a timestamp is read in Asia/Almaty. `count` 0 gives the first working day on or
    after `start`.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = timezone.localdate(start) if isinstance(start, datetime) else start
    if count == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
