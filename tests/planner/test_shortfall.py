"""Infeasible demand is an answer: the plan lists every gap, exactly, with an honest reason."""

import pytest

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
