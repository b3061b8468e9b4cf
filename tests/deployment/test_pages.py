"""Deployment pages: rosters, the plan page's progress, sick-out, with query ceilings."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordon.deployment import services
from cordon.deployment.models import Duty, Plan
from tests.deployment.roster import publish_roster

DAY = date(2026, 11, 2)


@pytest.fixture
def roster(world):
    return publish_roster(world, first=DAY, days=3)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_duty_sheet_shows_today_and_tonight(world, roster):
    _n, response = count_queries(
        world.client("alice"), reverse("deployment:roster_day") + f"?day={DAY}"
    )
    sheet = {row["post"].code: row for row in response.context["sheet"]}
    assert set(sheet) == {"L01-G1", "K01"}
    slots = sheet["L01-G1"]["slots"]
    # Day and evening of the 2nd, then the night shift that starts at 00:00 on the 3rd.
    assert [(s.shift.code, s.date.day) for s in slots] == [("D", 2), ("E", 2), ("N", 3)]
    night = Duty.objects.filter(post=world.post1, date=date(2026, 11, 3), shift_type__code="N")
    assert {p.pk for p, _lead in slots[2].people} == {d.person_id for d in night}


def test_roster_pages_have_a_query_ceiling(world, roster):
    client = world.client("alice")
    for url in (
        reverse("deployment:roster_day") + f"?day={DAY}",
        reverse("deployment:roster_post", args=[world.post1.pk]) + f"?from={DAY}",
        reverse("deployment:roster_person", args=[world.people_s1[0].pk]),
        reverse("deployment:home"),
    ):
        n, _response = count_queries(client, url)
        assert n <= 16, url


def test_a_station_chief_sees_only_their_station_on_the_duty_sheet(world, roster):
    _n, response = count_queries(
        world.client("bob"), reverse("deployment:roster_day") + f"?day={DAY}"
    )
    assert [row["post"].code for row in response.context["sheet"]] == ["L01-G1"]


def _sheet_part(response) -> bytes:
    """The duty sheet's own part of the page (the rest holds CSRF tokens that vary)."""
    html = response.content
    return html[html.index(b"person-shifts on duty") : html.index(b"leads the shift")]


def test_the_cached_duty_sheet_follows_every_change(world, roster):
    """The sheet is served from a cache; a rename, a deletion or another user's scope is never
    answered with an old copy."""
    url = reverse("deployment:roster_day") + f"?day={DAY}"
    client = world.client("alice")
    person = world.people_s1[0]
    first = client.get(url)
    assert "sheet" in first.context  # rendered
    again = client.get(url)
    assert "sheet" not in again.context  # served from the cache ...
    assert _sheet_part(again) == _sheet_part(first)  # ... as it was
    person.name = "改名测试"
    person.save()
    renamed = client.get(url).content.decode()
    assert "改名测试</span>" in renamed
    world.post2.delete()
    assert "K01" not in client.get(url).content.decode()
    chiefs = world.client("bob").get(url)  # a station chief's sheet is his own, not alice's
    assert [row["post"].code for row in chiefs.context["sheet"]] == ["L01-G1"]


def test_the_plan_page_polls_while_the_planner_works(world, roster):
    plan = services.plan_request(
        operation=world.op, first_day=DAY, last_day=DAY, by=world.users["alice"], enqueue=False
    )
    client = world.client("alice")
    page = client.get(plan.get_absolute_url())
    assert b'hx-trigger="every 1s"' in page.content
    part = client.get(plan.get_absolute_url() + "?part=status", headers={"HX-Request": "true"})
    assert b'data-status="queued"' in part.content
    Plan.objects.filter(pk=plan.pk).update(status="failed", error="boom")
    done = client.get(plan.get_absolute_url() + "?part=status", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert b"boom" in client.get(plan.get_absolute_url()).content


def test_sickout_records_the_status_and_queues_a_repair(
    world, roster, django_capture_on_commit_callbacks
):
    person = Duty.objects.filter(person__home_unit=world.s1).first().person
    client = world.client("bob")  # a station chief, for a person of their station
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deployment:sickout", args=[person.pk]),
            {"status": "sick", "from_moment": "2026-11-03T00:00", "repair": "on"},
        )
    repair = Plan.objects.get(kind="repair")
    assert response.status_code == 302 and response["Location"] == repair.get_absolute_url()
    assert (repair.first_day, repair.last_day) == (date(2026, 11, 3), date(2026, 11, 4))
    person.refresh_from_db()
    assert person.status == "sick"
    assert repair.task_id


def test_a_station_chief_may_not_sick_out_another_station(world, roster):
    person = world.people_s2[0]
    response = world.client("bob").post(
        reverse("deployment:sickout", args=[person.pk]),
        {"status": "sick", "from_moment": "2026-11-03T00:00"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.status == "on_duty"


def test_a_viewer_cannot_publish(world, roster):
    plan = services.plan_request(
        operation=world.op, first_day=DAY, last_day=DAY, by=world.users["alice"], enqueue=False
    )
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    response = world.client("carol").post(reverse("deployment:plan_publish", args=[plan.pk]))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_plan_interrupted_by_a_stopped_worker_is_queued_again(world):
    plan = services.plan_request(
        operation=world.op, first_day=DAY, last_day=DAY, by=world.users["alice"], enqueue=False
    )
    Plan.objects.filter(pk=plan.pk).update(status="running")
    assert services.plans_requeue_interrupted() == 1
    plan.refresh_from_db()
    assert plan.status == "queued" and plan.task_id
