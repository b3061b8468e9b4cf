"""Each hard rule on a tiny scenario whose demand tempts the solver to break it: it never does.

Every scenario asks for more than the rule allows, so a solver that ignored the rule would
cover more; each test asserts the rule on the plan directly and has the validator check it too.
Both planning paths run: teams (one post per person) and one model over the whole staff.
"""

import itertools
from datetime import date, datetime, timedelta

import pytest

from .builders import (
    START,
    crew,
    day,
    demand,
    person,
    plan_for,
    post,
    runs,
    scenario,
    shifts_of,
    worked_days,
)

BOTH_PATHS = pytest.mark.parametrize("one_post", [True, False], ids=["teams", "whole-staff"])
EVERY_SHIFT = [demand(s, 1) for s in ("N", "D", "E")]


def _start_minutes(date_text: str, hhmm: str) -> int:
    moment = datetime.fromisoformat(f"{date_text}T{hhmm}")
    return int((moment - datetime.fromisoformat(f"{START}T00:00")).total_seconds() // 60)


@BOTH_PATHS
def test_it_never_gives_more_shifts_a_day_than_allowed(one_post):
    sc = scenario(
        [person("A")], [post("X", EVERY_SHIFT)], days=2, rules={"one_post_per_person": one_post}
    )
    plan = plan_for(sc)
    per_date = [d for d, _s in shifts_of(plan, "A")]
    assert len(per_date) == 2 and len(set(per_date)) == 2


def test_it_allows_two_shifts_a_day_when_the_rules_do():
    sc = scenario(
        [person("A")],
        [post("X", EVERY_SHIFT)],
        days=1,
        rules={"max_shifts_per_day": 2, "min_rest_minutes": 480},
    )
    plan = plan_for(sc)
    assert sorted(s for _d, s in shifts_of(plan, "A")) == ["E", "N"]


@BOTH_PATHS
def test_it_keeps_the_minimum_rest_between_shifts(one_post):
    sc = scenario(
        crew(2),
        [post("X", EVERY_SHIFT)],
        days=5,
        rules={"min_rest_minutes": 660, "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    start_of = {s["id"]: s["start"] for s in sc["shift_types"]}
    for pid in ("P1", "P2"):
        starts = [_start_minutes(d, start_of[s]) for d, s in shifts_of(plan, pid)]
        for first, second in itertools.pairwise(starts):
            assert second - (first + 480) >= 660, (pid, shifts_of(plan, pid))


def test_it_never_overlaps_two_shifts():
    shift_types = [
        {"id": "A", "start": "08:00", "minutes": 480},
        {"id": "B", "start": "12:00", "minutes": 480},
    ]
    sc = scenario(
        [person("P")],
        [post("X", [demand("A", 1), demand("B", 1)])],
        days=1,
        rules={"max_shifts_per_day": 2},
        shift_types=shift_types,
    )
    plan = plan_for(sc)
    assert len(shifts_of(plan, "P")) == 1
    assert len(plan["shortfall"]) == 1


@BOTH_PATHS
def test_it_never_plans_someone_on_a_date_they_are_unavailable(one_post):
    away = person("A", unavailable=[{"from": day(1), "to": day(2)}])
    sc = scenario(
        [away], [post("X", [demand("D", 1)])], days=4, rules={"one_post_per_person": one_post}
    )
    plan = plan_for(sc)
    assert [d for d, _s in shifts_of(plan, "A")] == [day(0), day(3)]
    assert [item["date"] for item in plan["shortfall"]] == [day(1), day(2)]


@BOTH_PATHS
def test_it_keeps_runs_of_work_within_the_maximum(one_post):
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1)])],
        days=10,
        rules={"max_consecutive_days": 3, "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    assert all(length <= 3 for _first, length in runs(worked_days(plan, "A"), 10))
    assert len(shifts_of(plan, "A")) == 8  # 3 on, 1 off, 3 on, 1 off, 2 on


def test_a_persons_own_limit_overrides_the_rule():
    tight = person("A", limits={"max_consecutive_days": 2})
    sc = scenario([tight], [post("X", [demand("D", 1)])], days=7, rules={"max_consecutive_days": 6})
    plan = plan_for(sc)
    assert all(length <= 2 for _first, length in runs(worked_days(plan, "A"), 7))


@BOTH_PATHS
def test_it_never_plans_a_short_run_of_work_inside_the_horizon(one_post):
    # Demand on two days in mid-week only: a run of 2 would break the minimum of 3.
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1, dates=[day(2), day(3)])])],
        days=7,
        rules={"min_consecutive_days": 3, "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    assert shifts_of(plan, "A") == []
    assert len(plan["shortfall"]) == 2
    assert all("rest rules" in item["reason"] for item in plan["shortfall"])


def test_a_short_run_touching_the_horizon_is_allowed():
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1, dates=[day(0), day(1)])])],
        days=7,
        rules={"min_consecutive_days": 3},
    )
    plan = plan_for(sc)
    assert len(shifts_of(plan, "A")) == 2


@BOTH_PATHS
def test_it_never_plans_a_short_run_of_days_off_inside_the_horizon(one_post):
    dates = [day(d) for d in (0, 1, 2, 4, 5, 6)]  # no demand on day 3
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1, dates=dates)])],
        days=7,
        rules={"min_consecutive_days_off": 2, "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    worked = worked_days(plan, "A")
    for first, length in runs(worked, 7, worked=False):
        assert length >= 2 or first == 0 or first + length == 7
    assert len(worked) == 5  # gives up one more day to make the break two days long


@BOTH_PATHS
def test_it_keeps_every_seven_day_window_within_its_minutes(one_post):
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1)])],
        days=10,
        rules={"max_minutes_per_7_days": 4 * 480, "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    worked = worked_days(plan, "A")
    for first in range(10 - 6):
        assert sum(first <= d < first + 7 for d in worked) <= 4


@BOTH_PATHS
def test_it_never_plans_a_forbidden_succession(one_post):
    sc = scenario(
        [person("A")],
        [post("X", [demand("E", 1, dates=[day(0)]), demand("D", 1, dates=[day(1)])])],
        days=2,
        rules={"forbidden_successions": [["E", "D"]], "one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    assert len(shifts_of(plan, "A")) == 1


def test_it_keeps_total_minutes_within_a_persons_limits():
    capped = person("A", limits={"max_minutes": 3 * 480})
    keen = person("B", limits={"min_minutes": 4 * 480})
    sc = scenario([capped, keen], [post("X", [demand("D", 1)])], days=7)
    plan = plan_for(sc)
    assert len(shifts_of(plan, "A")) <= 3
    assert len(shifts_of(plan, "B")) >= 4


@BOTH_PATHS
def test_it_keeps_shift_type_counts_within_a_persons_limits(one_post):
    few_nights = person("A", limits={"max_shifts": {"N": 1, "E": 0}})
    sc = scenario(
        [few_nights],
        [post("X", [demand("N", 1), demand("E", 1)])],
        days=5,
        rules={"one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    shifts = [s for _d, s in shifts_of(plan, "A")]
    assert shifts.count("N") == 1 and "E" not in shifts


@BOTH_PATHS
def test_it_keeps_worked_weekends_within_a_persons_limit(one_post):
    once = person("A", limits={"max_weekends": 1})
    sc = scenario(
        [once], [post("X", [demand("D", 1)])], days=14, rules={"one_post_per_person": one_post}
    )
    plan = plan_for(sc)
    first = date.fromisoformat(START)
    weekends = {
        (d - 5) // 7 for d in worked_days(plan, "A") if (first + timedelta(d)).weekday() >= 5
    }
    assert len(weekends) == 1
    assert len(shifts_of(plan, "A")) == 12


def test_with_one_post_per_person_everyone_stays_at_one_post():
    posts = [
        post("X", [demand("D", 1, dates=[day(0), day(2)])]),
        post("Y", [demand("D", 1, dates=[day(1), day(3)])]),
    ]
    sc = scenario([person("A")], posts, days=4, rules={"one_post_per_person": True})
    plan = plan_for(sc)
    assert len({a["post"] for a in plan["assignments"]}) == 1
    assert len(plan["assignments"]) == 2


def test_without_one_post_per_person_someone_may_work_two_posts():
    posts = [
        post("X", [demand("D", 1, dates=[day(0), day(2)])]),
        post("Y", [demand("D", 1, dates=[day(1), day(3)])]),
    ]
    sc = scenario([person("A")], posts, days=4)
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 4


def test_a_person_works_in_one_bubble_only():
    posts = [
        post("X", [demand("D", 1, dates=[day(0), day(2)])], bubble="Z1"),
        post("Y", [demand("D", 1, dates=[day(1), day(3)])], bubble="Z2"),
        post("F", [demand("E", 1, dates=[day(1)])]),
    ]  # no bubble: free to work
    sc = scenario([person("A")], posts, days=4)
    plan = plan_for(sc)
    bubbles = {p["id"]: p["bubble"] for p in posts}
    worked = {bubbles[a["post"]] for a in plan["assignments"]} - {None}
    assert len(worked) == 1
    assert len(plan["assignments"]) == 3


@BOTH_PATHS
def test_locked_assignments_hold_even_against_a_request(one_post):
    unwilling = person("A", requests=[{"date": day(1), "shift": "D", "want": False, "weight": 500}])
    locked = [{"person": "A", "post": "X", "date": day(1), "shift": "D"}]
    sc = scenario(
        [unwilling, person("B")],
        [post("X", [demand("D", 1)])],
        days=3,
        rules={"one_post_per_person": one_post},
        locked=locked,
    )
    plan = plan_for(sc)
    assert (day(1), "D") in shifts_of(plan, "A")
    assert plan["objective"]["requests"] == 500


@BOTH_PATHS
def test_it_never_assigns_where_no_demand_applies_nor_beyond_the_demand(one_post):
    sc = scenario(
        crew(4),
        [post("X", [demand("D", 2, dates=[day(1)])])],
        days=3,
        rules={"one_post_per_person": one_post},
    )
    plan = plan_for(sc)
    assert sorted((a["date"], a["shift"]) for a in plan["assignments"]) == [(day(1), "D")] * 2


def test_surplus_is_allowed_and_costed_when_the_demand_has_weight_over():
    keen = [
        person(f"P{i}", requests=[{"date": day(0), "shift": "D", "want": True, "weight": 10}])
        for i in range(3)
    ]
    sc = scenario(keen, [post("X", [demand("D", 1, weight_over=4)])], days=1)
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 3  # each surplus costs 4, each unmet wish 10
    assert plan["objective"] == {
        "total": 8,
        "cover": 8,
        "requests": 0,
        "fairness": 0,
        "nights": 0,
        "affinity": 0,
        "stability": 0,
    }
