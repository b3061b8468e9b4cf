"""Infeasible demand is an answer: the plan lists every gap, exactly, with an honest reason."""

import pytest

from cordon.planner import load_scenario
from cordon.planner.model import Assignment
from cordon.planner.plan import make_plan

from .builders import crew, day, demand, person, plan_for, post, scenario


def _reasons(plan, post_id=None):
    return {item["reason"] for item in plan["shortfall"] if post_id in (None, item["post"])}


def test_an_over_demanded_scenario_gets_an_honest_shortfall():
    people = [person("L1", leader=True), *crew(3)]
    sc = scenario(people, [post("X", [demand("D", 3, leaders=2)])], days=2)
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 6  # everyone works both days
    assert [(i["date"], i["people"], i["leaders"]) for i in plan["shortfall"]] == [
        (day(0), 0, 1),
        (day(1), 0, 1),
    ]
    assert _reasons(plan) == {"too few leaders"}
    assert plan["objective"]["cover"] == 2 * 100


def test_it_says_when_no_one_holds_a_skill():
    sc = scenario(crew(2), [post("X", [demand("D", 2, skills={"diver": 1})])], days=1)
    plan = plan_for(sc)
    (gap,) = plan["shortfall"]
    assert gap["skills"] == {"diver": 1} and gap["people"] == 0
    assert gap["reason"] == "no one with the skill diver"


def test_it_says_when_the_skilled_people_are_all_busy():
    medic = person("M", skills=["medical"])
    posts = [
        post("X", [demand("D", 1, skills={"medical": 1})]),
        post("Y", [demand("E", 1, skills={"medical": 1})]),
    ]
    sc = scenario([medic, *crew(2)], posts, days=1)
    plan = plan_for(sc)
    (gap,) = plan["shortfall"]
    assert gap["reason"] == "too few with the skill medical"


def test_it_says_when_a_bubble_has_too_few_people():
    sc = scenario(
        crew(3),
        [post("X", [demand("D", 2), demand("E", 2)], bubble="Z1")],
        days=1,
        rules={"one_post_per_person": True},
    )
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 3
    assert _reasons(plan) == {"too few people in the bubble"}
    assert sum(item["people"] for item in plan["shortfall"]) == 1


def test_it_says_when_rest_rules_leave_the_gap():
    sc = scenario(
        [person("A")], [post("X", [demand("D", 1)])], days=4, rules={"max_consecutive_days": 2}
    )
    plan = plan_for(sc)
    assert [i["date"] for i in plan["shortfall"]] == [day(2)] or len(plan["shortfall"]) == 1
    assert _reasons(plan) == {"rest rules"}


@pytest.mark.parametrize(
    "limits",
    [{"max_minutes": 2 * 480}, {"max_shifts": {"D": 2}}],
    ids=["total minutes", "shifts of the type"],
)
def test_it_says_rest_rules_when_a_persons_totals_are_used_up(limits):
    # A works two of the four days; the other two are short because of A's own limits, not
    # because the search stopped short.
    sc = scenario([person("A", limits=limits)], [post("X", [demand("D", 1)])], days=4)
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 2
    assert len(plan["shortfall"]) == 2
    assert _reasons(plan) == {"rest rules"}


def _reasons_by_day(sc: dict, worked: list[int]) -> dict[int, str]:
    """The reason of each gap of post X (shift D) when A works D on the days `worked`."""
    scenario_ = load_scenario(sc)
    plan = make_plan(scenario_, {Assignment("A", "X", d, "D") for d in worked}, {})
    days = {day(d): d for d in range(sc["days"])}
    return {days[item["date"]]: item["reason"] for item in plan["shortfall"]}


TIME = "not reached within the time limit"
RULES = "rest rules"


def test_a_gap_one_more_shift_could_fill_within_the_minimum_runs_is_the_time_limits():
    # A works days 0-1 of 5. Day 2 lengthens that run, day 4 starts one at the horizon's end
    # (exempt); day 3 alone would be a worked run of one day inside the horizon.
    sc = scenario(
        [person("A")], [post("X", [demand("D", 1)])], days=5, rules={"min_consecutive_days": 2}
    )
    assert _reasons_by_day(sc, [0, 1]) == {2: TIME, 3: RULES, 4: TIME}


def test_a_gap_that_would_split_days_off_below_their_minimum_is_the_rules():
    # A works days 0-1 and 4-5 of 7: days 2 and 3 are two days off, the least allowed.
    sc = scenario(
        [person("A")], [post("X", [demand("D", 1)])], days=7, rules={"min_consecutive_days_off": 2}
    )
    assert _reasons_by_day(sc, [0, 1, 4, 5]) == {2: RULES, 3: RULES, 6: TIME}


def test_a_gap_on_a_weekend_beyond_the_persons_limit_is_the_rules():
    # Days 5-6 and 12-13 are the weekends (day 0 is a Monday); A may work one and works day 5.
    weekend_days = [day(5), day(6), day(12), day(13)]
    sc = scenario(
        [person("A", limits={"max_weekends": 1})],
        [post("X", [demand("D", 1, dates=weekend_days)])],
        days=14,
    )
    assert _reasons_by_day(sc, [5]) == {6: TIME, 12: RULES, 13: RULES}


def test_where_two_shifts_a_day_are_allowed_someone_on_one_is_free_for_the_other():
    sc = scenario(
        [person("A")],
        [post("X", [demand("D", 1), demand("E", 1)]), post("Y", [demand("D", 1)])],
        days=1,
        rules={"max_shifts_per_day": 2},
    )
    scenario_ = load_scenario(sc)
    plan = make_plan(scenario_, {Assignment("A", "X", 0, "D")}, {})
    reasons = {(item["post"], item["shift"]): item["reason"] for item in plan["shortfall"]}
    # A could add the late shift; at the same hour at another post A is busy, not resting.
    assert reasons == {("X", "E"): TIME, ("Y", "D"): "too few people"}
    one_a_day = make_plan(
        load_scenario({**sc, "rules": {**sc["rules"], "max_shifts_per_day": 1}}),
        {Assignment("A", "X", 0, "D")},
        {},
    )
    assert {item["reason"] for item in one_a_day["shortfall"]} == {"too few people"}


def test_unavailable_people_are_not_counted_as_free():
    away = person("A", unavailable=[{"from": day(0), "to": day(0)}])
    sc = scenario([away], [post("X", [demand("D", 1)])], days=1)
    plan = plan_for(sc)
    assert _reasons(plan) == {"too few people"}


def test_a_covered_scenario_has_no_shortfall_and_its_cover_costs_nothing():
    sc = scenario(
        crew(4, leader=True),
        [post("X", [demand("D", 2, leaders=1)])],
        days=3,
        rules={"one_post_per_person": True},
    )
    plan = plan_for(sc)
    assert plan["shortfall"] == []
    assert plan["objective"]["cover"] == 0
