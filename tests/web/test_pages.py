"""Every page renders for the roles that may see it, with the demo operation's figures."""

import pytest
from django.urls import reverse

from cordon.operations.models import Person
from cordon.sites.models import Post, Site, Zone


@pytest.fixture
def admin_client(demo, client):
    from cordon.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    return client


def test_it_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("operations:overview"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_the_demo_operation_on_the_overview(admin_client):
    response = admin_client.get(reverse("operations:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="people-total">610 ' in html
    zones = response.context["zones"]
    assert {(z["kind"], z["total"]) for z in zones} == {("lockdown", 15), ("controlled", 15)}
    hotels = next(r for r in response.context["sites"] if r["kind"] == "isolation_hotel")
    assert hotels["sites"] == 9
    assert response.context["day_number"] == 10
    assert response.context["demand"]["people"] > 0


@pytest.mark.parametrize(
    "name",
    [
        "operations:people",
        "operations:units",
        "sites:zones",
        "sites:sites",
        "sites:posts",
        "sites:map",
        "operations:people_import",
        "accounts:profile",
    ],
)
def test_it_renders_each_list_page(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_it_renders_detail_pages(admin_client):
    person = Person.objects.first()
    zone = Zone.objects.first()
    site = Site.objects.filter(kind="sampling_grid").first()
    post = Post.objects.first()
    for url in (
        person.get_absolute_url(),
        zone.get_absolute_url(),
        site.get_absolute_url(),
        post.get_absolute_url(),
        person.home_unit.get_absolute_url(),
        reverse("operations:person_edit", args=[person.pk]),
        reverse("sites:zone_edit", args=[zone.pk]),
        reverse("sites:post_edit", args=[post.pk]),
        reverse("sites:demand_create", args=[post.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_it_serves_map_data_with_every_zone(admin_client):
    data = admin_client.get(reverse("sites:map_data")).json()
    zones = [f for f in data["features"] if f["properties"]["layer"] == "zone"]
    assert len(zones) == 30
    assert all(f["geometry"]["type"] == "Polygon" for f in zones)
