"""Rules the models enforce whatever the entry point: dates in order, demand within headcount."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cordon.operations import reporting_day
from cordon.sites.models import PostDemand
from tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-11-03 08:00", "2026-11-03"),
        ("2026-11-03 07:59", "2026-11-02"),
        ("2026-11-03 23:59", "2026-11-03"),
        ("2026-11-04 00:30", "2026-11-03"),
    ],
)
def test_the_reporting_day_runs_from_eight_to_eight(local, expected):
    moment = datetime.fromisoformat(local).replace(tzinfo=SHANGHAI)
    assert reporting_day.reporting_day(moment, SHANGHAI).isoformat() == expected


def test_the_night_shift_belongs_to_the_evening_before():
    assert reporting_day.shift_in_day(date(2026, 11, 4), time(0), date(2026, 11, 3))
    assert not reporting_day.shift_in_day(date(2026, 11, 3), time(0), date(2026, 11, 3))
    assert reporting_day.shift_in_day(date(2026, 11, 3), time(16), date(2026, 11, 3))


def test_day_numbers_count_from_the_detection_day(world):
    op = world.op  # detection 2026-11-01 06:00 local: reporting day 31 October is day 1
    assert op.day_number(datetime(2026, 11, 1, 7, 0, tzinfo=SHANGHAI)) == 1
    assert op.day_number(datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)) == 2


def test_a_zone_cannot_be_lifted_before_it_is_activated(world):
    zone = world.zone
    zone.lifted_at = zone.activated_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        zone.full_clean()
    assert "lifted_at" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        zone.save()  # the database refuses it too


def test_demand_with_more_leaders_than_people_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PostDemand.objects.create(
            post=world.post1,
            shift_type=world.day,
            headcount=1,
            leaders=2,
            first_day=date(2026, 12, 1),
        )


def test_a_person_home_unit_cannot_be_a_task_team(world):
    person = world.people_s1[0]
    person.home_unit = world.team
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "home_unit" in exc.value.message_dict


def test_a_duplicate_staff_number_is_named_on_its_field(world):
    clash = f.PersonFactory.build(
        operation=world.op, home_unit=world.s1, staff_number=world.people_s1[0].staff_number
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert list(exc.value.message_dict) == ["staff_number"]


def test_a_shift_must_have_a_positive_length(world):
    shift = f.ShiftTypeFactory.build(pattern=world.pattern, operation=world.op, code="Z", minutes=0)
    with pytest.raises(ValidationError) as exc:
        shift.full_clean()
    assert "minutes" in exc.value.message_dict
