"""Repair: frozen assignments stay, only teams that lost someone change, the reserve comes first."""

import copy

import pytest

from cordon.planner import ScenarioError, load_scenario

from .builders import crew, day, demand, key, person, plan_for, post, scenario

DAYS = 8


def _operation() -> dict:
    """Two posts of one leader each a shift, a reserve of two (a leader among them)."""
    people = [
        *crew(5, prefix="X", leader=True),
        *crew(5, prefix="Y", leader=True),
        person("R1", leader=True),
        person("R2"),
    ]
    posts = [
        post("PX", [demand("D", 1, leaders=1), demand("E", 1, leaders=1)]),
        post("PY", [demand("D", 1, leaders=1), demand("E", 1, leaders=1)]),
    ]
    return scenario(
        people,
        posts,
        days=DAYS,
        rules={"one_post_per_person": True, "max_consecutive_days": 4, "min_rest_minutes": 600},
    )


def _sick_from(sc: dict, plan: dict, freeze: int, count: int = 1):
    """The repair scenario: the first `count` people working after `freeze` fall sick."""
    later = sorted({a["person"] for a in plan["assignments"] if a["date"] >= day(freeze)})
    sick = later[:count]
    repair = copy.deepcopy(sc)
    for p in repair["people"]:
        if p["id"] in sick:
            p["unavailable"] = [{"from": day(freeze), "to": day(DAYS - 1)}]
    repair["previous"] = plan
    repair["freeze_before"] = day(freeze)
    repair["weights"]["stability"] = 5
    return repair, sick


@pytest.mark.parametrize("freeze", [2, 5])
def test_a_repair_keeps_every_frozen_assignment_and_adds_none_before(freeze):
    sc = _operation()
    plan = plan_for(sc)
    repair, sick = _sick_from(sc, plan, freeze)
    repaired = plan_for(repair)
    before = {key(a) for a in plan["assignments"] if a["date"] < day(freeze)}
    after = {key(a) for a in repaired["assignments"] if a["date"] < day(freeze)}
    assert before == after
    assert not [
        a for a in repaired["assignments"] if a["person"] in sick and a["date"] >= day(freeze)
    ]


def test_a_repair_touches_only_the_team_that_lost_someone_and_draws_on_the_reserve():
    sc = _operation()
    plan = plan_for(sc)
    repair, (sick,) = _sick_from(sc, plan, 3)
    repaired = plan_for(repair)
    lost_post = next(a["post"] for a in plan["assignments"] if a["person"] == sick)
    changed = {key(a) for a in plan["assignments"]} ^ {key(a) for a in repaired["assignments"]}
    assert {post_id for _p, post_id, _d, _s in changed} == {lost_post}
    assert repaired["shortfall"] == []
    newcomers = {p for p, _post, _d, _s in changed} - {sick}
    assert newcomers <= {"R1", "R2"} | {
        a["person"] for a in plan["assignments"] if a["post"] == lost_post
    }
    lost = [a for a in plan["assignments"] if a["person"] == sick and a["date"] >= day(3)]
    assert len(changed) <= 3 * len(lost)


def test_a_repair_without_one_post_per_person_keeps_the_frozen_part_too():
    sc = _operation()
    sc["rules"]["one_post_per_person"] = False
    plan = plan_for(sc)
    repair, _sick = _sick_from(sc, plan, 4, count=2)
    repaired = plan_for(repair, time_limit=3)
    before = {key(a) for a in plan["assignments"] if a["date"] < day(4)}
    assert before == {key(a) for a in repaired["assignments"] if a["date"] < day(4)}
    assert repaired["objective"]["stability"] > 0


def test_a_frozen_assignment_on_a_date_now_unavailable_is_bad_input():
    sc = _operation()
    plan = plan_for(sc)
    repair, (sick,) = _sick_from(sc, plan, 4)
    first = min(a["date"] for a in plan["assignments"] if a["person"] == sick)
    for p in repair["people"]:
        if p["id"] == sick:
            p["unavailable"] = [{"from": first, "to": day(DAYS - 1)}]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(repair)
    assert any(path.startswith("$.previous.assignments[") for path, _m in caught.value.problems)
