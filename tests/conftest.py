"""Shared fixtures: a small operation (`world`) with one login per role, and the demo operation.

The people in charge, as in healthchecks' tests: alice plans, bob is chief of station S1, carol
views, dave is a field officer of S1 with his own staff record, erin leads posts in S1, root
administers.
"""

from dataclasses import dataclass
from datetime import time

import pytest
from django.test import Client

from tests import factories as f


@dataclass
class World:
    op: object
    s1: object
    s2: object
    hq: object
    team: object
    first_aid: object
    pattern: object
    day: object
    night: object
    evening: object
    zone: object
    site1: object
    site2: object
    post1: object
    post2: object
    people_s1: list
    people_s2: list
    users: dict

    def client(self, username: str) -> Client:
        client = Client()
        client.force_login(self.users[username])
        return client


@pytest.fixture
def world(db) -> World:
    op = f.OperationFactory()
    hq = f.UnitFactory(operation=op, code="SB", name="Sub-bureau", kind="sub_bureau")
    s1 = f.UnitFactory(operation=op, code="S1", name="Xinghai Road station", parent=hq)
    s2 = f.UnitFactory(operation=op, code="S2", name="Pengjiazhai station", parent=hq)
    team = f.UnitFactory(
        operation=op, code="T01", name="Shock team 1", kind="shock_team", parent=hq
    )
    first_aid = f.SkillFactory(operation=op, code="first_aid", name="First aid")
    pattern = f.ShiftPatternFactory(operation=op, code="3x8")
    night = f.ShiftTypeFactory(pattern=pattern, code="N", name="Night", start=time(0))
    day = f.ShiftTypeFactory(pattern=pattern, code="D", name="Day", start=time(8))
    evening = f.ShiftTypeFactory(pattern=pattern, code="E", name="Evening", start=time(16))
    zone = f.ZoneFactory(operation=op, station=s1, code="L01")
    site1 = f.SiteFactory(operation=op, station=s1, code="L01-G1", kind="cordon_gate", zone=zone)
    site2 = f.SiteFactory(operation=op, station=s2, code="K01")
    post1 = f.PostFactory(operation=op, site=site1, shift_pattern=pattern, code="L01-G1")
    post2 = f.PostFactory(operation=op, site=site2, shift_pattern=pattern, code="K01")
    for post in (post1, post2):
        for shift in (night, day, evening):
            f.PostDemandFactory(post=post, shift_type=shift, headcount=2, leaders=1)
    people_s1 = [
        f.PersonFactory(operation=op, home_unit=s1, is_post_leader=i < 2) for i in range(4)
    ]
    people_s2 = [f.PersonFactory(operation=op, home_unit=s2) for i in range(3)]
    people_s1[0].skills.add(first_aid)
    users = {
        "alice": f.UserFactory(username="alice", role="planner"),
        "bob": f.UserFactory(username="bob", role="station_chief", station=s1),
        "carol": f.UserFactory(username="carol", role="viewer"),
        "dave": f.UserFactory(
            username="dave", role="field_officer", station=s1, person=people_s1[3]
        ),
        "erin": f.UserFactory(username="erin", role="post_leader", station=s1),
        "root": f.UserFactory(
            username="root", role="administrator", is_superuser=True, is_staff=True
        ),
    }
    return World(
        op,
        s1,
        s2,
        hq,
        team,
        first_aid,
        pattern,
        day,
        night,
        evening,
        zone,
        site1,
        site2,
        post1,
        post2,
        people_s1,
        people_s2,
        users,
    )


@pytest.fixture
def demo(db):
    """The full demo operation (610 people), loaded into this test's database."""
    from cordon.demo import demo_load

    return demo_load()


DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config, items):
    """Mark the tests that touch no database, so the PostgreSQL run can leave them out."""
    for item in items:
        if item.get_closest_marker("django_db") is None and not DB_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.no_database)
