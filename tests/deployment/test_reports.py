"""Reports on the published roster: the leader on duty, ICS 204, person-times, the workbooks and
the deployment map. Each figure must equal the Duty rows it counts."""

import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cordon.deployment import report_selectors, selectors
from cordon.deployment.models import Assignment, Duty, Plan
from tests import factories as f
from tests.deployment.roster import duty

D0 = date(2026, 11, 3)
D1 = D0 + timedelta(days=1)
D2 = D0 + timedelta(days=2)


@pytest.fixture
def roster(world):
    """A published roster on the world: reporting day D0 in full (the night shift of D1 00:00
    included) and a thinner D1; a duty-leader post at HQ; a gate post with no demand."""
    f.SkillFactory(operation=world.op, code="duty_leader", name="Duty leader")
    hq_site = f.SiteFactory(
        operation=world.op,
        station=world.hq,
        code="HQ",
        kind="command_post",
        latitude=36.63,
        longitude=101.79,
    )
    hq_post = f.PostFactory(
        operation=world.op,
        site=hq_site,
        shift_pattern=world.pattern,
        code="HQ-DL",
        name="24-hour duty leader",
    )
    for shift in (world.night, world.day, world.evening):
        f.PostDemandFactory(
            post=hq_post, shift_type=shift, headcount=1, leaders=1, skills={"duty_leader": 1}
        )
    idle_site = f.SiteFactory(
        operation=world.op, station=world.s1, code="L01-G2", kind="cordon_gate", zone=world.zone
    )
    idle_post = f.PostFactory(
        operation=world.op, site=idle_site, shift_pattern=world.pattern, code="L01-G2"
    )
    wang = f.PersonFactory(
        operation=world.op,
        home_unit=world.hq,
        name="Chief Wang",
        is_duty_leader=True,
        rank="Deputy director",
        work_phone="13911110000",
    )
    zhao = f.PersonFactory(
        operation=world.op, home_unit=world.hq, name="Chief Zhao", is_duty_leader=True
    )
    plan = Plan.objects.create(
        operation=world.op, number=1, first_day=D0, last_day=D1, scenario={}, status="published"
    )
    r = SimpleNamespace(
        op=world.op, plan=plan, hq_post=hq_post, idle_post=idle_post, wang=wang, zhao=zhao
    )
    s1, s2 = world.people_s1, world.people_s2
    p1, p2, hq = world.post1, world.post2, hq_post
    n, d, e = world.night, world.day, world.evening
    Duty.objects.bulk_create(
        [
            # reporting day D0: 6 at post1 (zone L01), 3 at post2, 3 duty leaders
            duty(plan, s1[0], p1, D0, d, True),
            duty(plan, s1[1], p1, D0, d),
            duty(plan, s2[0], p2, D0, d),
            duty(plan, s1[2], p1, D0, e, True),
            duty(plan, s1[3], p1, D0, e),
            duty(plan, s1[0], p1, D1, n, True),
            duty(plan, s1[1], p1, D1, n),
            duty(plan, s2[1], p2, D1, n, True),
            duty(plan, s2[2], p2, D1, n),
            duty(plan, wang, hq, D0, d, True),
            duty(plan, zhao, hq, D0, e, True),
            duty(plan, wang, hq, D1, n, True),
            # reporting day D1: 2 at post1, 1 duty leader
            duty(plan, s1[2], p1, D1, d, True),
            duty(plan, s1[3], p1, D1, d),
            duty(plan, zhao, hq, D1, d, True),
        ]
    )
    return r


def _features(response, layer="post") -> dict:
    assert response.status_code == 200, response.content[:300]
    return {
        f["properties"]["code"]: f["properties"]
        for f in response.json()["features"]
        if f["properties"]["layer"] == layer
    }


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


# Person-times


def test_it_counts_a_night_shift_after_midnight_to_the_reporting_day_before(world, roster):
    pt = selectors.person_times(operation=world.op, today=D0)
    assert dict(pt["by_day"]) == {D0: 12, D1: 3}
    assert pt["today"] == pt["total"] == 12
    assert pt["planned"] == Duty.objects.count() == 15


def test_it_splits_person_times_into_today_and_cumulative(world, roster):
    report = report_selectors.person_times_report(operation=world.op, today=D1)
    assert [(r["day"], r["today"], r["total"]) for r in report["days"]] == [
        (D0, 12, 12),
        (D1, 3, 15),
    ]
    assert {r["kind"]: (r["today"], r["total"]) for r in report["kinds"]} == {
        "lockdown": (2, 8),
        "checkpoint": (0, 3),
        "command_post": (1, 4),
    }
    assert {r["unit"].code: (r["today"], r["total"]) for r in report["units"]} == {
        "S1": (2, 8),
        "S2": (0, 3),
        "SB": (1, 4),
    }
    assert (report["today_total"], report["total"]) == (3, 15)


def test_each_persons_person_times_equal_their_duties(world, roster):
    people = report_selectors.person_times_by_person(people=world.op.people.all(), today=D1)
    for p in people:
        assert p.pt_total == Duty.objects.filter(person=p).count()
    dave = people.get(pk=world.people_s1[3].pk)
    assert (dave.pt_today, dave.pt_total) == (1, 2)
    as_of_d0 = report_selectors.person_times_by_person(people=world.op.people.all(), today=D0)
    first = as_of_d0.get(pk=world.people_s1[0].pk)
    assert (first.pt_today, first.pt_total) == (2, 2)  # the 00:00 night counts to D0


def test_the_person_times_page_shows_every_breakdown(world, roster):
    response = world.client("carol").get(reverse("deployment:person_times"), {"day": D1})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="pt-today">3 ' in html
    assert 'data-testid="pt-total">15 ' in html
    report = response.context["report"]
    assert sum(r["total"] for r in report["kinds"]) == sum(r["total"] for r in report["units"])
    people = {p.staff_number: p.pt_total for p in response.context["page"]}
    assert len(people) == 9 and sum(people.values()) == 15


def test_the_person_list_is_searchable(world, roster):
    dave = world.people_s1[3]
    response = world.client("alice").get(
        reverse("deployment:person_times"), {"day": D1, "q": dave.staff_number}
    )
    assert [p.pk for p in response.context["page"]] == [dave.pk]


def test_a_station_chief_sees_only_his_stations_people(world, roster):
    response = world.client("bob").get(reverse("deployment:person_times"), {"day": D1})
    staff = {p.staff_number for p in response.context["page"]}
    assert staff == {p.staff_number for p in world.people_s1}
    assert world.people_s2[0].name not in response.content.decode()


def test_a_field_officer_sees_only_himself(world, roster):
    response = world.client("dave").get(reverse("deployment:person_times"), {"day": D1})
    assert [p.pk for p in response.context["page"]] == [world.people_s1[3].pk]
    book = _workbook(world.client("dave").get(reverse("deployment:person_times_xlsx"), {"day": D1}))
    assert [r[0] for r in _rows(book.worksheets[3])] == [world.people_s1[3].staff_number]


def test_the_person_times_workbook_holds_the_same_numbers(world, roster):
    book = _workbook(
        world.client("alice").get(reverse("deployment:person_times_xlsx"), {"day": D1})
    )
    by_day, by_kind, by_unit, by_person = book.worksheets[:4]
    assert [(r[0].date(), r[1], r[2]) for r in _rows(by_day)] == [(D0, 12, 12), (D1, 3, 15)]
    kinds = {r[0]: (r[2], r[3]) for r in _rows(by_kind)}
    assert kinds["lockdown"] == (2, 8) and kinds[None] == (3, 15)
    units = {r[0]: (r[2], r[3]) for r in _rows(by_unit)}
    assert units["S1"] == (2, 8) and units[None] == (3, 15)
    people = {r[0]: r[5] for r in _rows(by_person)}
    assert sum(people.values()) == 15 and len(people) == 9


def test_a_station_chiefs_workbook_lists_only_his_people(world, roster):
    book = _workbook(world.client("bob").get(reverse("deployment:person_times_xlsx"), {"day": D1}))
    assert {r[0] for r in _rows(book.worksheets[3])} == {p.staff_number for p in world.people_s1}


# Leader on duty


def test_the_leader_schedule_names_the_duty_leader_of_every_shift(world, roster):
    response = world.client("erin").get(reverse("deployment:leaders"), {"from": D0, "days": 2})
    assert response.status_code == 200
    schedule = response.context["schedule"]
    assert [p.code for p in schedule["posts"]] == ["HQ-DL"]
    assert [s.code for s in schedule["shifts"]] == ["D", "E", "N"]
    names = [
        [[d.person.name for d in c["duties"]] for c in row["cells"]] for row in schedule["rows"]
    ]
    assert names == [[["Chief Wang"], ["Chief Zhao"], ["Chief Wang"]], [["Chief Zhao"], [], []]]
    assert schedule["missing"] == 2
    html = response.content.decode()
    assert "13911110000" in html and "no duty leader" in html


def test_the_leader_schedule_shows_the_published_days_by_default(world, roster):
    response = world.client("alice").get(reverse("deployment:leaders"))
    assert (response.context["first"], response.context["last"]) == (D0, D1)


def test_it_counts_per_post_the_shifts_without_a_leader(world, roster):
    response = world.client("alice").get(reverse("deployment:leaders"), {"from": D0, "days": 1})
    gaps = {r["post"].code: r for r in response.context["gaps"]}
    assert (gaps["K01"]["wanted"], gaps["K01"]["led"]) == (3, 1)
    assert [g["shift"].code for g in gaps["K01"]["missing"]] == ["D", "E"]
    assert gaps["L01-G1"]["missing"] == [] and gaps["HQ-DL"]["led"] == 3
    assert response.context["gaps"][0]["post"].code == "K01"  # gaps first
    assert dict((p.name, n) for p, n in gaps["L01-G1"]["leaders"]) == {
        world.people_s1[0].name: 2,
        world.people_s1[2].name: 1,
    }


def test_a_station_chief_sees_leader_gaps_of_his_posts_only(world, roster):
    response = world.client("bob").get(reverse("deployment:leaders"), {"from": D0, "days": 1})
    assert {r["post"].code for r in response.context["gaps"]} == {"L01-G1"}


# ICS 204


def test_the_ics204_lists_each_zones_posts_with_people_and_the_leader(world, roster):
    response = world.client("alice").get(reverse("deployment:ics204"), {"day": D0})
    assert response.status_code == 200
    pages = response.context["pages"]
    assert [p["zone"].code if p["zone"] else None for p in pages] == ["L01", None]
    zone_posts = {row["post"].code: row for row in pages[0]["posts"]}
    assert set(zone_posts) == {"L01-G1"}
    slots = {s.shift.code: s for s in zone_posts["L01-G1"]["slots"]}
    assert [s.shift.code for s in zone_posts["L01-G1"]["slots"]] == ["D", "E", "N"]
    assert slots["N"].date == D1
    assert slots["D"].leader == world.people_s1[0]
    assert {row["post"].code for row in pages[1]["posts"]} == {"K01", "HQ-DL"}
    html = response.content.decode()
    assert html.count('class="ics-page"') == 2
    assert "page-break-after: always" in html
    leader = world.people_s1[0]
    assert (
        f'class="person leader" data-staff="{leader.staff_number}"><span class="ics-lead"'
    ) in html
    assert world.people_s1[3].work_phone in html and "2026-11-03 08:00" in html


def test_the_ics204_of_one_zone_is_one_page(world, roster):
    response = world.client("alice").get(reverse("deployment:ics204"), {"day": D0, "zone": "L01"})
    assert [p["zone"].code for p in response.context["pages"]] == ["L01"]
    assert (
        world.client("alice").get(reverse("deployment:ics204"), {"zone": "NOPE"}).status_code == 404
    )


def test_a_field_officer_reads_only_his_own_name_on_the_ics204(world, roster):
    response = world.client("dave").get(reverse("deployment:ics204"), {"day": D0})
    html = response.content.decode()
    assert world.people_s1[3].name in html
    assert world.people_s1[0].name not in html and "and 1 other" in html


# Deployment map


def test_the_map_colours_each_post_by_coverage(world, roster):
    client = world.client("alice")
    posts = _features(client.get(reverse("deployment:map_data"), {"day": D0}))
    assert {c: p["coverage"] for c, p in posts.items()} == {
        "L01-G1": "ok",
        "K01": "part",
        "HQ-DL": "ok",
        "L01-G2": "idle",
    }
    assert (posts["K01"]["wanted"], posts["K01"]["staffed"], posts["K01"]["missing"]) == (6, 3, 3)
    assert posts["L01-G1"]["leader"] == f"{world.people_s1[0].name}, {world.people_s1[2].name}"
    assert set(posts["L01-G1"]["people"]) == {p.name for p in world.people_s1}
    assert posts["L01-G1"]["url"] == (
        reverse("deployment:roster_post", args=[world.post1.pk]) + "?from=2026-11-03"
    )
    later = _features(client.get(reverse("deployment:map_data"), {"day": D1}))
    assert {c: p["coverage"] for c, p in later.items()} == {
        "L01-G1": "part",
        "K01": "none",
        "HQ-DL": "part",
        "L01-G2": "idle",
    }


def test_the_map_data_follows_a_change_of_demand(world, roster):
    client = world.client("alice")
    url = reverse("deployment:map_data")
    assert _features(client.get(url, {"day": D0}))["K01"]["wanted"] == 6
    assert _features(client.get(url, {"day": D0}))["K01"]["wanted"] == 6  # cached copy
    demand = world.post2.demands.filter(shift_type=world.day).get()
    demand.headcount = 3
    demand.save()
    assert _features(client.get(url, {"day": D0}))["K01"]["wanted"] == 7


def test_the_map_draws_the_zones_as_the_zone_map_does(world, roster):
    zones = _features(
        world.client("alice").get(reverse("deployment:map_data"), {"day": D0}), "zone"
    )
    assert zones["L01"]["state"] == "active" and zones["L01"]["kind"] == "lockdown"


def test_the_map_shows_a_station_chief_his_posts_and_a_field_officer_his_name(world, roster):
    bobs = _features(world.client("bob").get(reverse("deployment:map_data"), {"day": D0}))
    assert set(bobs) == {"L01-G1", "L01-G2"}
    daves = _features(world.client("dave").get(reverse("deployment:map_data"), {"day": D0}))
    assert daves["L01-G1"]["people"] == [world.people_s1[3].name]
    assert daves["L01-G1"]["staffed"] == 6 and daves["L01-G1"]["coverage"] == "ok"


def test_the_map_page_has_a_day_selector_and_lists_short_posts(world, roster):
    response = world.client("alice").get(reverse("deployment:map"), {"day": D0})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="?day=2026-11-02"' in html and 'href="?day=2026-11-04"' in html
    assert f"{reverse('deployment:map_data')}?day=2026-11-03" in html
    assert "deploy-map.js" in html
    assert [p["code"] for p in response.context["short"]] == ["K01"]


# Roster workbook


def test_the_roster_workbook_has_posts_people_and_every_duty(world, roster):
    book = _workbook(world.client("alice").get(reverse("deployment:roster_xlsx")))
    by_post, by_person, flat = book.worksheets
    s1 = world.people_s1
    header = [c.value for c in by_post[1]]
    assert header == [
        "Post",
        "Name",
        "Zone",
        "Reporting day",
        "Day 08:00",
        "Evening 16:00",
        "Night 00:00",
    ]
    rows = {(r[0], r[3].date()): r[4:] for r in _rows(by_post)}
    pair = f"★{s1[0].name}, {s1[1].name}"
    assert rows[("L01-G1", D0)] == (pair, f"★{s1[2].name}, {s1[3].name}", pair)
    assert rows[("L01-G1", D1)] == (f"★{s1[2].name}, {s1[3].name}", None, None)
    people = {r[0]: r for r in _rows(by_person)}
    assert people[s1[3].staff_number][3:] == ("L01-G1 E", "L01-G1 D", 2)
    assert people[s1[0].staff_number][3:] == ("L01-G1 D★; L01-G1 N★", None, 2)
    assert len(_rows(flat)) == Duty.objects.count() == 15
    assert sum(1 for r in _rows(flat) if r[14] == "★") == Duty.objects.filter(leads=True).count()
    night = next(r for r in _rows(flat) if r[2] == "N" and r[11] == s1[0].name)
    assert (night[0].date(), night[1].date()) == (D1, D0)


def test_a_one_day_roster_workbook_holds_that_reporting_days_duties(world, roster):
    book = _workbook(
        world.client("alice").get(reverse("deployment:roster_xlsx"), {"from": D0, "days": 1})
    )
    assert len(_rows(book.worksheets[2])) == 12  # the duty sheet of D0, tonight included


def test_the_roster_workbook_of_a_station_chief_holds_his_posts(world, roster):
    book = _workbook(
        world.client("bob").get(reverse("deployment:roster_xlsx"), {"from": D0, "days": 2})
    )
    assert {r[6] for r in _rows(book.worksheets[2])} == {"L01-G1"}


def test_a_drafts_roster_is_for_planners_only(world, roster):
    draft = Plan.objects.create(
        operation=world.op, number=2, first_day=D2, last_day=D2, scenario={}, status="draft"
    )
    Assignment.objects.create(
        plan=draft,
        person=world.people_s2[0],
        post=world.post2,
        date=D2,
        shift_type=world.day,
        leads=True,
    )
    url = reverse("deployment:roster_xlsx")
    assert world.client("carol").get(url, {"plan": draft.pk}).status_code == 403
    assert world.client("alice").get(url, {"plan": "x"}).status_code == 404
    book = _workbook(world.client("alice").get(url, {"plan": draft.pk}))
    assert [(r[6], r[11]) for r in _rows(book.worksheets[2])] == [("K01", world.people_s2[0].name)]


# Query ceilings on the demo operation


def _demo_roster(op, days: int = 3) -> int:
    """Fill every demand of `days` reporting days around today with people, leader first, each
    person on at most one shift a date; return the number of duties."""
    from cordon.operations.models import Person

    today = op.reporting_day()
    first, last = today - timedelta(days=1), today + timedelta(days=days - 2)
    plan = Plan.objects.create(
        operation=op,
        number=1,
        first_day=first,
        last_day=last + timedelta(days=1),
        scenario={},
        status="published",
    )
    types = {s.pk: s for s in selectors.shift_types(op)}
    people = list(Person.objects.filter(operation=op).order_by("staff_number"))
    leaders = [p for p in people if p.is_post_leader]
    used: dict[date, set] = {}
    duties = []
    for (post_id, when, shift_id), (headcount, wanted_leaders) in sorted(
        selectors.demand_index(op, first, last + timedelta(days=1)).items(),
        key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]),
    ):
        if not first <= selectors.reporting_day_of(when, types[shift_id].start) <= last:
            continue
        taken = used.setdefault(when, set())
        pool = [p for p in leaders if p.pk not in taken][:wanted_leaders] + [
            p for p in people if p.pk not in taken
        ]
        chosen = []
        for p in pool:
            if len(chosen) == headcount:
                break
            if p not in chosen:
                chosen.append(p)
        for i, p in enumerate(chosen):
            taken.add(p.pk)
            duties.append(
                Duty(
                    operation=op,
                    plan=plan,
                    person=p,
                    post_id=post_id,
                    date=when,
                    shift_type_id=shift_id,
                    leads=i < wanted_leaders,
                )
            )
    Duty.objects.bulk_create(duties, batch_size=2000)
    return len(duties)


@pytest.fixture
def demo_admin(demo):
    from cordon.accounts.models import User

    count = _demo_roster(demo)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return SimpleNamespace(op=demo, client=client, duties=count)


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [
        ("deployment:person_times", 8),
        ("deployment:map_data", 10),
        ("deployment:ics204", 9),
        ("deployment:leaders", 11),
        ("deployment:map", 9),
    ],
)
def test_report_pages_have_a_query_ceiling(demo_admin, name, ceiling):
    with CaptureQueriesContext(connection) as queries:
        response = demo_admin.client.get(reverse(name))
    assert response.status_code == 200
    assert len(queries) <= ceiling, [q["sql"][:120] for q in queries]


def test_the_demo_rosters_person_times_equal_its_duties(demo_admin):
    op = demo_admin.op
    report = report_selectors.person_times_report(operation=op, today=op.reporting_day())
    assert report["planned"] == demo_admin.duties == Duty.objects.filter(operation=op).count()
    assert report["days"][-1]["total"] == demo_admin.duties
    features = _features(demo_admin.client.get(reverse("deployment:map_data")))
    assert len(features) == op.posts.count()
    assert sum(p["staffed"] for p in features.values()) == report["today_total"]
    assert {p["coverage"] for p in features.values()} <= {"ok", "idle"}
