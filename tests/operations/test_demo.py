"""The demo operation is shifted in time so that it is under way: day DEMO_DAY today."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cordon import reference
from cordon.demo import DEMO_DAY, demo_start
from cordon.operations.reporting_day import day_number


@pytest.mark.parametrize("hour", [0, 2, 7, 8, 12, 23])
def test_the_demo_operation_is_on_its_demo_day_at_any_hour(hour, monkeypatch):
    # Reporting days run 08:00 to 08:00: at 02:00 it is still the day before.
    tz = ZoneInfo(reference.operation.TIMEZONE)
    now = datetime(2026, 11, 30, hour, 30, tzinfo=tz)
    monkeypatch.setattr(timezone, "now", lambda: now)
    detected = datetime.combine(demo_start(), time(8, 0), tzinfo=tz)  # as the reference sets it
    assert day_number(detected, now, tz) == DEMO_DAY
