"""The deployment API: jobs, plans, publishing, repair and rosters, with the pages' permissions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordon.deployment.models import Duty, Plan
from tests.deployment.roster import publish_roster


@pytest.fixture
def roster(world):
    return publish_roster(world, days=3)


def call(world, username, method, path, data=None):
    client = world.client(username)
    sep = "&" if "?" in path else "?"
    return getattr(client, method)(
        f"/api{path}{sep}operation={world.op.pk}", data, content_type="application/json"
    )


def test_a_planning_job_is_queued_and_reported(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = call(
            world, "alice", "post", "/plans", {"first_day": "2026-11-02", "last_day": "2026-11-04"}
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    plan = Plan.objects.get(pk=body["id"])
    assert plan.task_id  # enqueued for the worker
    assert call(world, "alice", "get", f"/plans/{plan.pk}").json()["status"] == "queued"


def test_bad_periods_are_422_naming_the_field(world):
    response = call(
        world, "alice", "post", "/plans", {"first_day": "2026-11-04", "last_day": "2026-11-02"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "last_day"
    response = call(world, "alice", "post", "/plans", {"first_day": "nope", "last_day": "x"})
    assert response.status_code == 422
    assert not Plan.objects.exists()


def test_only_planners_plan(world):
    response = call(
        world, "carol", "post", "/plans", {"first_day": "2026-11-02", "last_day": "2026-11-04"}
    )
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_rosters_by_day_post_and_person(world, roster):
    day = roster.first_day
    rows = call(world, "alice", "get", f"/roster/day/{day.isoformat()}").json()
    assert (
        len(rows)
        == Duty.objects.filter(date=day, shift_type__start__gte="08:00").count()
        + Duty.objects.filter(date=day + timedelta(days=1), shift_type__start__lt="08:00").count()
    )
    rows = call(
        world, "alice", "get", f"/roster/post/{world.post1.pk}?first_day={day.isoformat()}&days=3"
    ).json()
    assert {r["post"] for r in rows} == {world.post1.code}
    person = world.people_s1[0]
    rows = call(world, "alice", "get", f"/roster/person/{person.pk}").json()
    assert len(rows) == Duty.objects.filter(person=person).count()


def test_a_field_officer_may_not_read_another_officers_duties(world, roster):
    other = world.people_s1[0]
    response = call(world, "dave", "get", f"/roster/person/{other.pk}")
    assert response.status_code == 403
    own = call(world, "dave", "get", f"/roster/person/{world.people_s1[3].pk}")
    assert own.status_code == 200
    day = call(world, "dave", "get", f"/roster/day/{roster.first_day.isoformat()}").json()
    assert {r["person"] for r in day} <= {world.people_s1[3].staff_number}


def test_the_roster_query_count_does_not_grow_with_the_roster(world, roster):
    client = world.client("alice")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            f"/api/roster/day/{roster.first_day.isoformat()}?operation={world.op.pk}"
        )
    assert response.status_code == 200
    assert len(queries) <= 8


def test_publish_of_a_non_draft_is_422(world, roster):
    duties = Duty.objects.filter(plan=roster).count()
    response = call(world, "alice", "post", f"/plans/{roster.pk}/publish")
    assert response.status_code == 422
    assert "draft" in response.json()["detail"][0]["msg"]
    assert Duty.objects.filter(plan=roster).count() == duties > 0
