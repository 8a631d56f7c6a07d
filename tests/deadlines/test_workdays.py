"""Kazakhstan's working-day calendar: weekends, public holidays, decrees added by setting."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from kzai.deadlines.workdays import add_working_days, holiday_name, is_working_day, working_days_between


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 12, 15), True),  # Tuesday
        (date(2026, 12, 16), False),  # Independence Day
        (date(2026, 12, 19), False),  # Saturday
        (date(2026, 3, 23), False),  # Nowruz
        (date(2026, 3, 26), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_three_working_day_clock_skips_a_holiday_and_the_weekend():
    # An objection received on Monday 14 December 2026: Tue 15, (Wed 16 Independence Day), Thu 17, Fri 18.
    assert add_working_days(date(2026, 12, 14), 3) == date(2026, 12, 18)
    # Received on Friday 18 December: Mon 21, Tue 22, Wed 23.
    assert add_working_days(date(2026, 12, 18), 3) == date(2026, 12, 23)


def test_nowruz_week_stretches_a_ten_day_clock():
    # Filed Friday 20 March 2026; 23, 24 and 25 March are days off.
    assert add_working_days(date(2026, 3, 20), 10) == date(2026, 4, 8)


def test_a_timestamp_counts_in_almaty_time():
    # 20:30 UTC on Sunday is already Monday 01:30 in Almaty: the clock starts on Monday.
    moment = datetime(2026, 12, 13, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert add_working_days(moment, 1) == date(2026, 12, 15)


def test_zero_days_is_the_next_working_day():
    assert add_working_days(date(2026, 12, 16), 0) == date(2026, 12, 17)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 16), -1)


def test_a_decree_the_package_does_not_know_is_a_setting():
    with override_settings(KZAI_EXTRA_DAYS_OFF=["2026-12-15"], KZAI_EXTRA_WORKING_DAYS=["2026-12-19"]):
        assert not is_working_day(date(2026, 12, 15))
        assert is_working_day(date(2026, 12, 19))
        assert add_working_days(date(2026, 12, 14), 3) == date(2026, 12, 19)


def test_working_days_between_and_holiday_names():
    assert working_days_between(date(2026, 12, 14), date(2026, 12, 18)) == 3
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 14)) == 0
    assert "Independence" in holiday_name(date(2026, 12, 16))
    assert holiday_name(date(2026, 12, 15)) == ""
