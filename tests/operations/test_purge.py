"""Retention: a closed operation's staff data is anonymised once its retention period is over;
the counts stay."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cordon.accounts.permissions import SYSTEM
from cordon.deployment.models import Duty
from cordon.operations import services
from cordon.operations.models import Person
from tests.deployment.roster import publish_roster


def close(world, days_ago: int):
    world.op.status = "closed"
    world.op.ended_at = timezone.now() - timedelta(days=days_ago)
    world.op.started_at = world.op.ended_at - timedelta(days=24)
    world.op.retention_days = 30
    world.op.save()


def test_it_refuses_before_the_retention_period_ends(world):
    close(world, days_ago=10)
    with pytest.raises(ValidationError):
        services.operation_purge_personal_data(operation=world.op, by=SYSTEM)
    assert Person.objects.filter(name__startswith="Officer").count() == 7


def test_it_anonymises_people_and_keeps_the_counts(world, capsys):
    publish_roster(world)
    duties = Duty.objects.filter(operation=world.op).count()
    person = world.people_s1[0]
    services.person_update(person=person, by=SYSTEM, name="张三丰")
    close(world, days_ago=31)
    call_command("purge_personal_data")
    assert "Anonymised 7 people" in capsys.readouterr().out
    person.refresh_from_db()
    assert person.name != "张三丰" and person.work_phone == ""
    assert person.staff_number == f"ANON-{person.pk}"
    assert not person.history.exists()  # the audit trail held the old name
    assert not Person.objects.filter(name="张三丰").exists()
    assert Duty.objects.filter(operation=world.op).count() == duties
    world.users["dave"].refresh_from_db()
    assert world.users["dave"].person is None


def test_an_open_operation_is_never_purged(world, capsys):
    call_command("purge_personal_data")
    assert "No operation is due" in capsys.readouterr().out
