"""End to end on the demo operation: plan a week, publish, a person falls sick, repair, publish.

Every published plan passes the planner's independent validator (`cordon plan --check`).
"""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cordon.accounts.models import User
from cordon.deployment import checks, services
from cordon.deployment.models import Duty, Plan
from cordon.deployment.selectors import in_reporting_day
from cordon.operations import reporting_day
from cordon.operations.models import Operation
from cordon.planner import check

pytestmark = pytest.mark.slow


@pytest.fixture
def planner(demo):
    return User.objects.get(username="planner")


def make_plan(op, by, first, last, settings):
    settings.CORDON_PLAN_TIME_LIMIT = 15
    plan = services.plan_request(operation=op, first_day=first, last_day=last, by=by, enqueue=False)
    return services.plan_run(plan_id=plan.pk)


@pytest.fixture
def published_week(demo, planner, settings):
    op = Operation.objects.get()
    today = op.reporting_day()
    plan = make_plan(op, planner, today, today + timedelta(days=5), settings)
    assert plan.status == "draft", plan.error
    return services.plan_publish(plan=plan, by=planner)


def test_plan_publish_sick_repair_publish(published_week, planner, settings):
    op = published_week.operation
    assert published_week.coverage == 100.0
    assert check(published_week.scenario, checks.plan_export(published_week)).ok
    assert Duty.objects.filter(operation=op).count() == published_week.assignments.count()

    # A person with duties in three days' time falls sick from then on.
    sick_day = published_week.first_day + timedelta(days=3)
    duty = Duty.objects.filter(operation=op, date=sick_day + timedelta(days=1)).first()
    person = duty.person
    lost = Duty.objects.filter(person=person, date__gte=sick_day).count()
    moment = datetime.combine(sick_day, time(0), tzinfo=op.tz)
    services.mark_unavailable(person=person, status="sick", from_moment=moment, by=planner)
    settings.CORDON_REPAIR_TIME_LIMIT = 5
    repair = services.repair_request(operation=op, from_day=sick_day, by=planner, enqueue=False)
    repair = services.plan_run(plan_id=repair.pk)
    assert repair.status == "draft", repair.error
    assert repair.based_on == published_week
    changes = {c["person"].pk: c for c in services_changes(repair)}
    assert person.pk in changes and len(changes[person.pk]["removed"]) == lost
    assert not changes[person.pk]["added"]
    added = sum(len(c["added"]) for c in changes.values())
    assert added >= lost  # the sick person's shifts are re-staffed ...
    assert repair.coverage == 100.0
    before = set(
        Duty.objects.filter(operation=op, date__lt=sick_day).values_list(
            "person_id", "post_id", "date", "shift_type_id"
        )
    )

    # The duty sheet everyone reads (a cached copy) shows the sick person until the repair is
    # published, and not after.
    client = Client()
    client.force_login(planner)
    sheet_day = duty.date  # the reporting day of the sick person's duty (from 08:00)
    if duty.shift_type.start < reporting_day.DAY_START:
        sheet_day -= timedelta(days=1)
    url = reverse("deployment:roster_day") + f"?day={sheet_day}"

    def on_sheet() -> tuple[int, int]:
        html = client.get(url).content.decode()
        in_db = Duty.objects.filter(in_reporting_day(sheet_day), person__name=person.name)
        return html.count(f"{person.name}</span>"), in_db.count()

    shown, in_db = on_sheet()
    assert shown == in_db >= 1 and on_sheet() == (shown, in_db)
    services.plan_publish(plan=repair, by=planner)
    assert on_sheet() == (shown - 1, in_db - 1)
    after = set(
        Duty.objects.filter(operation=op, date__lt=sick_day).values_list(
            "person_id", "post_id", "date", "shift_type_id"
        )
    )
    assert before == after  # ... and nothing before the sick day changes
    assert not Duty.objects.filter(person=person, date__gte=sick_day).exists()
    assert check(repair.scenario, checks.plan_export(repair)).ok
    published_week.refresh_from_db()
    assert published_week.status == "superseded"


def services_changes(plan):
    from cordon.deployment.selectors import plan_changes

    old = Duty.objects.filter(operation=plan.operation, date__gte=plan.first_day)
    return plan_changes(old=old, new=plan.assignments.all())


def test_a_stale_draft_is_refused(published_week, planner, settings):
    op = published_week.operation
    first = published_week.first_day + timedelta(days=2)
    settings.CORDON_REPAIR_TIME_LIMIT = 3
    a = services.plan_run(
        plan_id=services.repair_request(operation=op, from_day=first, by=planner, enqueue=False).pk
    )
    b = services.plan_run(
        plan_id=services.repair_request(operation=op, from_day=first, by=planner, enqueue=False).pk
    )
    services.plan_publish(plan=b, by=planner)
    with pytest.raises(ValidationError, match="published since"):
        services.plan_publish(plan=a, by=planner)
    a.refresh_from_db()
    assert a.status == "draft"


def test_a_hand_edit_that_breaks_a_rule_is_refused_and_changes_nothing(
    published_week, planner, settings
):
    op = published_week.operation
    settings.CORDON_REPAIR_TIME_LIMIT = 3
    draft = services.plan_run(
        plan_id=services.repair_request(
            operation=op, from_day=published_week.first_day, by=planner, enqueue=False
        ).pk
    )
    # Move a day-shift assignment to the night before the same person's next day shift:
    # the rest between them is too short.
    a = draft.assignments.filter(shift_type__code="D").select_related("post").first()
    night = a.shift_type.operation.shift_types.get(code="N")
    with pytest.raises(ValidationError) as exc:
        services.assignment_move(assignment=a, by=planner, shift_type=night, day=a.date)
    assert any("shift" in m or "rest" in m or "demand" in m for m in exc.value.messages)
    a.refresh_from_db()
    assert a.shift_type.code == "D"


def test_a_failed_run_shows_its_error_and_leaves_the_roster(published_week, planner):
    op = published_week.operation
    duties = Duty.objects.filter(operation=op).count()
    plan = services.plan_request(
        operation=op,
        first_day=published_week.first_day,
        last_day=published_week.last_day,
        by=planner,
        enqueue=False,
    )
    bad = {"format": "cordon.scenario/9"}
    Plan.objects.filter(pk=plan.pk).update(scenario=bad, lookahead=bad)
    plan = services.plan_run(plan_id=plan.pk)
    assert plan.status == "failed"
    assert "format" in plan.error
    assert Duty.objects.filter(operation=op).count() == duties
    with pytest.raises(ValidationError):
        services.plan_publish(plan=plan, by=planner)


def test_repairing_a_closed_operation_is_refused(published_week, planner):
    op = published_week.operation
    op.status = "closed"
    op.save()
    with pytest.raises(ValidationError, match="closed"):
        services.repair_request(
            operation=op, from_day=published_week.first_day, by=planner, enqueue=False
        )


def test_a_field_officer_sees_their_own_duties_and_not_others(published_week, client):
    op = published_week.operation
    officer = User.objects.get(username="officer")
    client.force_login(officer)
    response = client.get(reverse("deployment:mine"))
    assert response.status_code == 200
    mine = Duty.objects.filter(person=officer.person, date__gte=op.reporting_day()).count()
    assert len(response.context["rows"]) == mine
    other = Duty.objects.exclude(person=officer.person).first().person
    assert client.get(reverse("deployment:roster_person", args=[other.pk])).status_code == 404
    # The feed is secret and personal: make it, read it, replace it.
    client.post(reverse("deployment:my_feed"))
    token = officer.person.calendar_feed.token
    feed = client.get(reverse("deployment:calendar", args=[token]))
    assert (
        feed.status_code == 200
        and feed.content.count(b"BEGIN:VEVENT")
        == Duty.objects.filter(person=officer.person).count()
    )
    client.post(reverse("deployment:my_feed"))
    assert client.get(reverse("deployment:calendar", args=[token])).status_code == 404
