"""Editing places through the pages: validated, scoped to the station, audited."""

import json

from django.urls import reverse

from cordon.sites.models import Post, Zone

POLYGON = {
    "type": "Polygon",
    "coordinates": [[[101.0, 36.0], [101.1, 36.0], [101.1, 36.1], [101.0, 36.0]]],
}


def zone_form(world, **changes):
    data = {
        "code": "L09",
        "name": "新区封控区",
        "kind": "lockdown",
        "station": world.s1.pk,
        "activated_at": "2026-11-03T09:00",
        "lifted_at": "",
        "boundary": json.dumps(POLYGON),
    }
    data.update(changes)
    return data


def test_a_station_chief_creates_a_zone_of_their_station(world):
    response = world.client("bob").post(reverse("sites:zone_create"), zone_form(world))
    zone = Zone.objects.get(code="L09")
    assert response.status_code == 302 and response["Location"] == zone.get_absolute_url()
    assert zone.history.first().history_user == world.users["bob"]


def test_a_zone_form_names_the_bad_field_and_saves_nothing(world):
    client = world.client("alice")
    response = client.post(
        reverse("sites:zone_create"),
        zone_form(world, boundary='{"type": "Point", "coordinates": [1, 2]}'),
    )
    assert response.status_code == 200
    assert "boundary" in response.context["form"].errors
    response = client.post(
        reverse("sites:zone_create"), zone_form(world, lifted_at="2026-11-02T09:00")
    )
    assert "lifted_at" in response.context["form"].errors
    assert not Zone.objects.filter(code="L09").exists()


def test_a_station_chief_cannot_edit_another_station_post(world):
    response = world.client("bob").post(
        reverse("sites:post_edit", args=[world.post2.pk]),
        {
            "code": "K01",
            "name": "renamed",
            "site": world.site2.pk,
            "shift_pattern": world.pattern.pk,
        },
    )
    assert response.status_code == 404
    assert Post.objects.get(pk=world.post2.pk).name != "renamed"


def test_a_planner_renames_a_post(world):
    response = world.client("alice").post(
        reverse("sites:post_edit", args=[world.post2.pk]),
        {
            "code": "K01",
            "name": "检查站查控",
            "site": world.site2.pk,
            "shift_pattern": world.pattern.pk,
        },
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=world.post2.pk).name == "检查站查控"
