"""The JSON API: authentication, validation naming the field, permissions, and query ceilings."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cordon.accounts.models import ApiToken
from cordon.operations.models import Person
from cordon.sites.models import PostDemand, Zone

POLYGON = {
    "type": "Polygon",
    "coordinates": [[[101.0, 36.0], [101.1, 36.0], [101.1, 36.1], [101.0, 36.0]]],
}


def api(world, username):
    client = world.client(username)

    def call(method, path, data=None):
        sep = "&" if "?" in path else "?"
        url = f"/api{path}{sep}operation={world.op.pk}"
        return getattr(client, method)(url, data, content_type="application/json")

    return call


def fields_of(response) -> set[str]:
    return {item["loc"][-1] for item in response.json()["detail"]}


def test_it_refuses_anonymous_requests(world):
    assert Client().get(f"/api/people?operation={world.op.pk}").status_code == 401


def test_it_accepts_a_bearer_token_and_refuses_a_revoked_one(world):
    token, key = ApiToken.issue(user=world.users["alice"], name="ci")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get(f"/api/people?operation={world.op.pk}").status_code == 200
    token.revoked_at = token.created_at
    token.save()
    assert client.get(f"/api/people?operation={world.op.pk}").status_code == 401


def test_a_token_write_is_attributed_to_its_user(world):
    _token, key = ApiToken.issue(user=world.users["alice"], name="ci")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    person = world.people_s1[0]
    response = client.patch(
        f"/api/people/{person.pk}?operation={world.op.pk}",
        {"rank": "一级警长"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert person.history.first().history_user == world.users["alice"]


def test_it_creates_a_person_with_codes(world):
    response = api(world, "alice")(
        "post",
        "/people",
        {
            "staff_number": "A1",
            "name": "周敏",
            "category": "auxiliary",
            "home_unit": "S2",
            "skills": ["first_aid"],
            "teams": ["T01"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["home_unit"], body["skills"], body["teams"]) == ("S2", ["first_aid"], ["T01"])


def test_wrong_types_get_422_naming_the_field(world):
    response = api(world, "alice")(
        "post",
        "/people",
        {
            "staff_number": "A1",
            "name": "X",
            "category": "pirate",
            "home_unit": "S1",
            "is_post_leader": "perhaps",
        },
    )
    assert response.status_code == 422
    assert {"category", "is_post_leader"} <= fields_of(response)
    assert not Person.objects.filter(staff_number="A1").exists()


def test_unknown_codes_and_duplicates_get_422_naming_the_field(world):
    call = api(world, "alice")
    response = call(
        "post",
        "/people",
        {"staff_number": "A1", "name": "X", "category": "sworn", "home_unit": "NOPE"},
    )
    assert response.status_code == 422 and fields_of(response) == {"home_unit"}
    taken = world.people_s1[0].staff_number
    response = call(
        "post",
        "/people",
        {"staff_number": taken, "name": "X", "category": "sworn", "home_unit": "S1"},
    )
    assert response.status_code == 422 and fields_of(response) == {"staff_number"}


def test_a_write_without_permission_is_403_and_changes_nothing(world):
    response = api(world, "carol")(
        "post",
        "/zones",
        {
            "code": "L99",
            "name": "Z",
            "kind": "lockdown",
            "station": "S1",
            "boundary": POLYGON,
            "activated_at": "2026-11-02T10:00:00+08:00",
        },
    )
    assert response.status_code == 403
    assert not Zone.objects.filter(code="L99").exists()


@pytest.mark.parametrize(
    ("boundary", "why"),
    [
        ({"type": "Point", "coordinates": [101, 36]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[101, 36], [101.1, 36], [101.1, 36.1]]]}, "4"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[101, 36], [101.1, 36], [101.1, 36.1], [101, 36.2]]],
            },
            "closed",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[201, 36], [101.1, 36], [101.1, 36.1], [201, 36]]],
            },
            "range",
        ),
    ],
)
def test_a_zone_with_invalid_geojson_is_refused(world, boundary, why):
    response = api(world, "alice")(
        "post",
        "/zones",
        {
            "code": "L99",
            "name": "Z",
            "kind": "lockdown",
            "station": "S1",
            "boundary": boundary,
            "activated_at": "2026-11-02T10:00:00+08:00",
        },
    )
    assert response.status_code == 422
    assert fields_of(response) == {"boundary"}
    assert why in str(response.json())
    assert not Zone.objects.filter(code="L99").exists()


def test_a_zone_lifted_before_activation_is_refused(world):
    response = api(world, "alice")(
        "post",
        "/zones",
        {
            "code": "L99",
            "name": "Z",
            "kind": "lockdown",
            "station": "S1",
            "boundary": POLYGON,
            "activated_at": "2026-11-02T10:00:00+08:00",
            "lifted_at": "2026-11-01T10:00:00+08:00",
        },
    )
    assert response.status_code == 422
    assert fields_of(response) == {"lifted_at"}


def test_a_valid_zone_is_created(world):
    response = api(world, "alice")(
        "post",
        "/zones",
        {
            "code": "L99",
            "name": "Z",
            "kind": "lockdown",
            "station": "S1",
            "boundary": POLYGON,
            "activated_at": "2026-11-02T10:00:00+08:00",
        },
    )
    assert response.status_code == 201
    assert response.json()["state"] in ("active", "planned")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"shift": "D", "headcount": 2, "leaders": 3}, "leaders"),
        ({"shift": "D", "headcount": -1}, "headcount"),
        ({"shift": "D", "headcount": 2, "skills": {"first_aid": 3}}, "skills"),
        ({"shift": "D", "headcount": 2, "skills": {"flying": 1}}, "skills"),
        ({"shift": "X", "headcount": 2}, "shift"),
        (
            {"shift": "D", "headcount": 2, "first_day": "2026-11-05", "last_day": "2026-11-01"},
            "last_day",
        ),
    ],
)
def test_bad_demand_is_refused_naming_the_field(world, payload, field):
    post = world.post2  # demand exists for every shift over all dates: use a new post's pattern
    post.demands.all().delete()
    before = PostDemand.objects.count()
    response = api(world, "alice")("post", f"/posts/{post.pk}/demand", payload)
    assert response.status_code == 422, response.content
    assert field in fields_of(response)
    assert PostDemand.objects.count() == before


def test_overlapping_demand_for_the_same_shift_is_refused(world):
    response = api(world, "alice")(
        "post",
        f"/posts/{world.post1.pk}/demand",
        {"shift": "D", "headcount": 1, "first_day": "2026-11-03"},
    )
    assert response.status_code == 422
    assert fields_of(response) == {"first_day"}


def test_people_list_is_paginated_and_filtered(world):
    call = api(world, "alice")
    body = call("get", "/people?limit=2").json()
    assert body["count"] == 7 and len(body["items"]) == 2
    body = call("get", "/people?unit=S2").json()
    assert {p["home_unit"] for p in body["items"]} == {"S2"}
    assert call("get", "/people?leader=post").json()["count"] == 2


@pytest.mark.parametrize("path", ["/people", "/posts", "/sites", "/zones", "/units"])
def test_list_endpoints_have_a_query_ceiling(demo, path):
    from cordon.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api{path}?limit=100")
    assert response.status_code == 200
    assert len(queries) <= 10, [q["sql"][:120] for q in queries]


def test_openapi_schema_is_served(world):
    response = world.client("alice").get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/people" in response.json()["paths"]
