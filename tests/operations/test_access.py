"""Who sees and edits whom: the same answers in pages and the API."""

import pytest
from django.urls import reverse

from cordon.operations.models import Person


def test_a_station_chief_sees_only_their_station(world):
    response = world.client("bob").get(reverse("operations:people"))
    shown = {p.staff_number for p in response.context["page"]}
    assert shown == {p.staff_number for p in world.people_s1}


def test_a_station_chief_edits_their_own_station_person(world):
    person = world.people_s1[1]
    response = world.client("bob").post(
        reverse("operations:person_edit", args=[person.pk]),
        {
            "staff_number": person.staff_number,
            "name": "Renamed",
            "category": "sworn",
            "home_unit": world.s1.pk,
            "rank": "",
            "work_phone": "",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Renamed"


def test_a_station_chief_may_not_edit_another_station_person(world):
    person = world.people_s2[0]
    client = world.client("bob")
    assert client.get(reverse("operations:person_edit", args=[person.pk])).status_code == 404
    response = client.patch(
        f"/api/people/{person.pk}", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.name != "X"


def test_a_station_chief_may_not_move_a_person_out_of_their_station(world):
    person = world.people_s1[1]
    response = world.client("bob").patch(
        f"/api/people/{person.pk}?operation={world.op.pk}",
        {"home_unit": "S2"},
        content_type="application/json",
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.home_unit == world.s1


def test_a_station_chief_gets_403_creating_a_person_elsewhere(world):
    response = world.client("bob").post(
        f"/api/people?operation={world.op.pk}",
        {"staff_number": "Z9", "name": "Z", "category": "sworn", "home_unit": "S2"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Person.objects.filter(staff_number="Z9").exists()


def test_a_viewer_reads_everyone_but_edits_no_one(world):
    client = world.client("carol")
    response = client.get(reverse("operations:people"))
    assert response.context["page"].paginator.count == 7
    person = world.people_s1[0]
    assert client.get(reverse("operations:person_edit", args=[person.pk])).status_code == 403
    response = client.patch(
        f"/api/people/{person.pk}?operation={world.op.pk}",
        {"name": "X"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_field_officer_sees_only_their_own_record(world):
    client = world.client("dave")
    response = client.get(reverse("operations:people"))
    assert [p.pk for p in response.context["page"]] == [world.people_s1[3].pk]
    other = world.people_s1[0]
    assert client.get(reverse("operations:person_detail", args=[other.pk])).status_code == 404
    assert client.get(f"/api/people/{other.pk}?operation={world.op.pk}").status_code == 404


def test_a_post_leader_reads_their_station_read_only(world):
    client = world.client("erin")
    response = client.get(f"/api/people?operation={world.op.pk}")
    assert response.json()["count"] == 4
    person = world.people_s1[0]
    assert client.get(reverse("operations:person_edit", args=[person.pk])).status_code == 403


@pytest.mark.parametrize("username", ["bob", "alice"])
def test_station_scoped_places_follow_the_same_rule(world, username):
    response = world.client(username).get(f"/api/posts?operation={world.op.pk}")
    codes = {p["code"] for p in response.json()["items"]}
    assert codes == ({"L01-G1"} if username == "bob" else {"L01-G1", "K01"})


def test_a_station_chief_may_not_change_another_station_post_demand(world):
    demand = world.post2.demands.first()
    response = world.client("bob").patch(
        f"/api/demand/{demand.pk}?operation={world.op.pk}",
        {"headcount": 9},
        content_type="application/json",
    )
    assert response.status_code == 404
    demand.refresh_from_db()
    assert demand.headcount == 2


def test_status_changes_are_dated_and_attributed(world):
    person = world.people_s1[0]
    response = world.client("bob").post(
        reverse("operations:person_status", args=[person.pk]),
        {"status": "sick", "effective_from": "2026-11-05T09:00", "note": "fever"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "sick"
    change = person.status_changes.get()
    assert change.recorded_by == world.users["bob"]
    assert change.effective_from.astimezone(world.op.tz).hour == 9
