"""The plan validator (`cordon plan --check`): each hard rule on a tiny hand-made scenario.

Every plan here is written by hand; nothing runs the solver. A rule test builds a plan that
breaks exactly one rule and expects exactly that rule, naming the person. Its claims (shortfall,
objective, reserve) are made honest with `honest()`, which copies the validator's recomputation:
the recomputation itself is tested further down against hand-computed values.
"""

import ast
import copy
import sys
from datetime import date, timedelta
from pathlib import Path

from cordon.planner import validate
from cordon.planner.validate import CLAIM_RULES, check

from .builders import NO_RULES

START = "2026-11-02"  # a Monday

BASE = {
    "format": "cordon.scenario/1",
    "name": "tiny",
    "timezone": "Asia/Shanghai",
    "start": START,
    "days": 7,
    "shift_types": [
        {"id": "M", "start": "06:00", "minutes": 480},  # 06:00-14:00
        {"id": "D", "start": "08:00", "minutes": 480},  # 08:00-16:00
        {"id": "E", "start": "16:00", "minutes": 480},  # 16:00-24:00
        {"id": "N", "start": "22:00", "minutes": 600},  # 22:00-08:00, covers 03:00: a night
        {"id": "L", "start": "19:00", "minutes": 720},  # 19:00-07:00
    ],
    "rules": copy.deepcopy(NO_RULES),
    "people": [
        {"id": "alice", "name": "Alice", "unit": "S1", "leader": True, "skills": ["medical"]},
        {"id": "bob", "name": "Bob", "unit": "S1", "leader": False, "skills": []},
        {"id": "carol", "name": "Carol", "unit": "S2", "leader": False, "skills": []},
    ],
    "posts": [
        {
            "id": post,
            "name": post,
            "unit": unit,
            "bubble": bubble,
            "demand": [
                {"shift": s, "people": 1, "weight_under": 100, "weight_over": 1}
                for s in ("M", "D", "E", "N", "L")
            ],
        }
        for post, unit, bubble in (("G1", "S1", "Z01"), ("G2", "S1", "Z01"), ("H1", "S2", "Z02"))
    ]
    + [
        {
            "id": "X1",
            "name": "Gate",
            "unit": None,
            "bubble": None,
            "demand": [{"shift": "D", "people": 1, "weight_under": 100, "weight_over": None}],
        }
    ],
    "weights": {"fairness": 0, "nights": 0, "affinity": 0, "stability": 0},
    "locked": [],
    "previous": None,
    "freeze_before": None,
}


def scenario(*, rules=None, limits=None, **changes) -> dict:
    """The base scenario with some rules, per-person limits or top-level fields changed."""
    result = copy.deepcopy(BASE)
    result["rules"].update(rules or {})
    for person in result["people"]:
        if limits and person["id"] in limits:
            person["limits"] = limits[person["id"]]
    result.update(changes)
    return result


def on(day: int, start: str = START) -> str:
    return (date.fromisoformat(start) + timedelta(days=day)).isoformat()


def a(person: str, post: str, day: int, shift: str, start: str = START) -> dict:
    return {"person": person, "post": post, "date": on(day, start), "shift": shift}


def honest(scn: dict, assignments: list[dict]) -> dict:
    """A plan with these assignments whose claims agree with the validator's recomputation."""
    plan = bare(scn, assignments)
    report = check(scn, plan)
    plan["shortfall"], plan["objective"] = report.shortfall, report.objective
    return plan


def bare(scn: dict, assignments: list[dict]) -> dict:
    """A plan with these assignments, the true reserve and no claimed shortfall or objective."""
    working = {item["person"] for item in assignments}
    return {
        "format": "cordon.plan/1",
        "scenario": scn["name"],
        "assignments": assignments,
        "reserve": [p["id"] for p in scn["people"] if p["id"] not in working],
        "shortfall": [],
        "objective": {},
        "solver": {"status": "HAND", "seconds": 0, "bound": None},
    }


def rules_broken(report) -> set[str]:
    return {v.rule for v in report.violations if v.rule not in CLAIM_RULES}


def only(report, rule: str) -> list:
    """The violations of `rule`, after asserting that no other rule is broken."""
    assert rules_broken(report) == {rule}, report.format()
    assert not [v for v in report.violations if v.rule in CLAIM_RULES], report.format()
    return [v for v in report.violations if v.rule == rule]


# --- a valid plan, with every claim written by hand ----------------------------------------


def test_it_accepts_a_valid_hand_written_plan():
    scn = scenario(
        days=2,
        rules={"min_rest_minutes": 660, "max_consecutive_days": 5, "one_post_per_person": True},
    )
    scn["posts"] = [
        {
            "id": "G1",
            "unit": "S1",
            "bubble": "Z01",
            "demand": [{"shift": "D", "people": 2, "leaders": 1, "weight_under": 100}],
        }
    ]
    plan = {
        "format": "cordon.plan/1",
        "scenario": "tiny",
        "assignments": [a("alice", "G1", 0, "D"), a("bob", "G1", 0, "D"), a("alice", "G1", 1, "D")],
        "reserve": ["carol"],
        # Day 1 lacks one person; alice is the leader it needs.
        "shortfall": [
            {"post": "G1", "date": on(1), "shift": "D", "people": 1, "leaders": 0, "skills": {},
             "reason": "anything the solver likes"},
        ],
        "objective": {"total": 100, "cover": 100, "requests": 0, "fairness": 0, "nights": 0,
                      "affinity": 0, "stability": 0},
    }  # fmt: skip
    report = check(scn, plan)
    assert report.ok, report.format()
    assert report.objective["total"] == 100


def test_it_accepts_every_base_case_plan_made_honest():
    plan = honest(BASE, [a("alice", "G1", 0, "D"), a("carol", "H1", 0, "N")])
    assert check(BASE, plan).ok


# --- one test per hard rule ----------------------------------------------------------------


def test_it_rejects_two_shifts_starting_on_one_date():
    plan = honest(BASE, [a("alice", "G1", 0, "D"), a("alice", "G1", 0, "E")])
    (found,) = only(check(BASE, plan), "max_shifts_per_day")
    assert found.person == "alice" and found.date == on(0)
    assert "Alice" in found.message


def test_it_rejects_shifts_that_overlap_across_midnight():
    # L 19:00-07:00 on day 0 runs into M 06:00 on day 1.
    plan = honest(BASE, [a("alice", "G1", 0, "L"), a("alice", "G1", 1, "M")])
    (found,) = only(check(BASE, plan), "overlap")
    assert found.person == "alice" and found.date == on(1) and "60 min" in found.message


def test_it_rejects_the_same_shift_at_two_posts_as_overlap():
    scn = scenario(rules={"max_shifts_per_day": 2})
    plan = honest(scn, [a("bob", "G1", 0, "D"), a("bob", "G2", 0, "D")])
    (found,) = only(check(scn, plan), "overlap")
    assert found.person == "bob"


def test_it_rejects_too_little_rest_across_midnight():
    scn = scenario(rules={"min_rest_minutes": 660})
    # E ends at 24:00, D starts at 08:00: 480 minutes of rest.
    plan = honest(scn, [a("bob", "G1", 0, "E"), a("bob", "G1", 1, "D")])
    (found,) = only(check(scn, plan), "min_rest")
    assert found.person == "bob" and "480 min" in found.message


def test_it_accepts_enough_rest():
    scn = scenario(rules={"min_rest_minutes": 660})
    plan = honest(scn, [a("bob", "G1", 0, "D"), a("bob", "G1", 1, "D")])
    assert check(scn, plan).ok


def test_it_rejects_work_on_an_unavailable_date():
    scn = scenario()
    scn["people"][1]["unavailable"] = [{"from": on(2), "to": on(3)}]
    plan = honest(scn, [a("bob", "G1", 1, "D"), a("bob", "G1", 3, "D")])
    (found,) = only(check(scn, plan), "unavailable")
    assert found.person == "bob" and found.date == on(3)


def test_it_rejects_too_many_consecutive_days():
    scn = scenario(rules={"max_consecutive_days": 3})
    plan = honest(scn, [a("alice", "G1", d, "D") for d in range(4)])
    (found,) = only(check(scn, plan), "max_consecutive_days")
    assert found.person == "alice" and "4 days in a row" in found.message


def test_it_applies_a_persons_own_max_consecutive_days():
    scn = scenario(rules={"max_consecutive_days": 6}, limits={"bob": {"max_consecutive_days": 2}})
    plan = honest(
        scn, [a(p, post, d, "D") for p, post in (("alice", "G1"), ("bob", "G2")) for d in range(3)]
    )
    (found,) = only(check(scn, plan), "max_consecutive_days")
    assert found.person == "bob"


def test_it_rejects_a_short_worked_run_inside_the_horizon():
    scn = scenario(rules={"min_consecutive_days": 2})
    plan = honest(scn, [a("alice", "G1", 3, "D")])
    (found,) = only(check(scn, plan), "min_consecutive_days")
    assert found.person == "alice" and found.date == on(3)


def test_it_exempts_short_worked_runs_touching_the_horizons_ends():
    scn = scenario(rules={"min_consecutive_days": 3})
    plan = honest(scn, [a("alice", "G1", 0, "D"), a("alice", "G1", 6, "D")])
    assert check(scn, plan).ok


def test_it_rejects_a_short_off_run_inside_the_horizon():
    scn = scenario(limits={"carol": {"min_consecutive_days_off": 2}})
    days = [0, 1, 2, 4, 5, 6]
    plan = honest(scn, [a("carol", "H1", d, "D") for d in days])
    (found,) = only(check(scn, plan), "min_consecutive_days_off")
    assert found.person == "carol" and found.date == on(3)


def test_it_exempts_short_off_runs_touching_the_horizons_ends():
    scn = scenario(rules={"min_consecutive_days_off": 2})
    plan = honest(scn, [a("carol", "H1", d, "D") for d in range(1, 6)])  # off on day 0 and day 6
    assert check(scn, plan).ok


def test_it_rejects_too_many_minutes_in_a_seven_day_window():
    scn = scenario(days=8, rules={"max_minutes_per_7_days": 2000})
    # Days 0-4: 2400 minutes in the window 0-6; the window 1-7 holds 1920.
    plan = honest(scn, [a("alice", "G1", d, "D") for d in range(5)])
    (found,) = only(check(scn, plan), "max_minutes_per_7_days")
    assert found.person == "alice" and found.date == on(0) and "2400 min" in found.message


def test_it_applies_a_persons_own_seven_day_limit():
    scn = scenario(
        rules={"max_minutes_per_7_days": 5000}, limits={"bob": {"max_minutes_per_7_days": 900}}
    )
    plan = honest(
        scn, [a(p, post, d, "D") for p, post in (("alice", "G1"), ("bob", "G2")) for d in (0, 1)]
    )
    (found,) = only(check(scn, plan), "max_minutes_per_7_days")
    assert found.person == "bob"


def test_it_rejects_a_forbidden_succession_across_posts():
    scn = scenario(rules={"forbidden_successions": [["E", "D"]]})
    plan = honest(scn, [a("bob", "G1", 2, "E"), a("bob", "G2", 3, "D")])
    (found,) = only(check(scn, plan), "forbidden_succession")
    assert found.person == "bob" and found.date == on(3)


def test_it_accepts_the_reverse_of_a_forbidden_succession():
    scn = scenario(rules={"forbidden_successions": [["E", "D"]]})
    plan = honest(scn, [a("bob", "G1", 2, "D"), a("bob", "G1", 3, "E")])
    assert check(scn, plan).ok


def test_it_rejects_too_many_minutes_over_the_horizon():
    scn = scenario(limits={"bob": {"max_minutes": 900}})
    plan = honest(scn, [a("bob", "G1", 0, "D"), a("bob", "G1", 2, "D")])
    (found,) = only(check(scn, plan), "max_minutes")
    assert found.person == "bob" and "960 min" in found.message


def test_it_rejects_too_few_minutes_over_the_horizon_even_with_no_shift():
    scn = scenario(limits={"bob": {"min_minutes": 480}})
    plan = honest(scn, [a("alice", "G1", 0, "D")])
    (found,) = only(check(scn, plan), "min_minutes")
    assert found.person == "bob"


def test_it_rejects_too_many_shifts_of_one_type():
    scn = scenario(limits={"alice": {"max_shifts": {"N": 1, "D": 5}}})
    plan = honest(
        scn, [a("alice", "G1", 0, "N"), a("alice", "G1", 2, "N"), a("alice", "G1", 4, "D")]
    )
    (found,) = only(check(scn, plan), "max_shifts")
    assert found.person == "alice" and found.shift == "N"


def test_it_rejects_a_shift_type_a_person_may_not_work():
    scn = scenario(limits={"carol": {"max_shifts": {"L": 0}}})
    plan = honest(scn, [a("carol", "H1", 0, "L")])
    (found,) = only(check(scn, plan), "max_shifts")
    assert found.person == "carol"


def test_it_rejects_too_many_weekends():
    scn = scenario(days=14, limits={"alice": {"max_weekends": 1}})
    # Sunday of the first weekend (day 6) and Saturday of the second (day 12).
    plan = honest(scn, [a("alice", "G1", 6, "D"), a("alice", "G1", 12, "D")])
    (found,) = only(check(scn, plan), "max_weekends")
    assert found.person == "alice" and "2 weekends" in found.message


def test_it_counts_both_days_of_one_weekend_once():
    scn = scenario(days=14, limits={"alice": {"max_weekends": 1}})
    plan = honest(scn, [a("alice", "G1", 5, "D"), a("alice", "G1", 6, "D")])
    assert check(scn, plan).ok


def test_it_counts_a_weekend_only_partly_inside_the_horizon():
    # Starting on a Sunday: day 0 is the end of one weekend, day 6 the start of the next.
    sunday = "2026-11-01"
    scn = scenario(start=sunday, limits={"bob": {"max_weekends": 1}})
    plan = honest(scn, [a("bob", "G1", 0, "D", sunday), a("bob", "G1", 6, "D", sunday)])
    (found,) = only(check(scn, plan), "max_weekends")
    assert found.person == "bob"


def test_it_rejects_two_posts_for_one_person_when_one_post_per_person():
    scn = scenario(rules={"one_post_per_person": True})
    plan = honest(scn, [a("alice", "G1", 0, "D"), a("alice", "G2", 1, "D")])
    (found,) = only(check(scn, plan), "one_post_per_person")
    assert found.person == "alice" and "G1, G2" in found.message


def test_it_rejects_posts_of_two_bubbles():
    plan = honest(BASE, [a("alice", "G1", 0, "D"), a("alice", "H1", 1, "D")])
    (found,) = only(check(BASE, plan), "bubble")
    assert found.person == "alice" and "Z01" in found.message and "Z02" in found.message


def test_it_lets_posts_without_bubble_mix_with_one_bubble():
    plan = honest(BASE, [a("alice", "G1", 0, "D"), a("alice", "X1", 1, "D")])
    assert check(BASE, plan).ok


def test_it_rejects_a_plan_missing_a_locked_assignment():
    scn = scenario(locked=[a("bob", "G2", 1, "D")])
    plan = honest(scn, [a("bob", "G1", 1, "D")])
    (found,) = only(check(scn, plan), "locked")
    assert found.person == "bob" and found.post == "G2"


def test_it_accepts_a_plan_holding_its_locked_assignments():
    scn = scenario(locked=[a("bob", "G2", 1, "D")])
    assert check(scn, honest(scn, [a("bob", "G2", 1, "D")])).ok


def repair_scenario() -> dict:
    previous = bare(
        BASE, [a("alice", "G1", 0, "D"), a("bob", "G1", 1, "D"), a("bob", "G1", 2, "D")]
    )
    return scenario(previous=previous, freeze_before=on(2))


def test_it_rejects_a_repair_dropping_a_frozen_assignment():
    scn = repair_scenario()
    plan = honest(scn, [a("alice", "G1", 0, "D"), a("carol", "G1", 2, "D")])
    (found,) = only(check(scn, plan), "frozen")
    assert found.person == "bob" and found.date == on(1)


def test_it_rejects_a_repair_adding_an_assignment_before_the_freeze():
    scn = repair_scenario()
    frozen = [a("alice", "G1", 0, "D"), a("bob", "G1", 1, "D")]
    plan = honest(scn, [*frozen, a("carol", "H1", 1, "E")])
    (found,) = only(check(scn, plan), "frozen")
    assert found.person == "carol"


def test_it_accepts_a_repair_that_changes_only_after_the_freeze():
    scn = repair_scenario()
    plan = honest(scn, [a("alice", "G1", 0, "D"), a("bob", "G1", 1, "D"), a("carol", "G1", 2, "D")])
    assert check(scn, plan).ok


def test_it_rejects_an_assignment_where_no_demand_applies():
    plan = honest(BASE, [a("carol", "X1", 0, "N")])
    (found,) = only(check(BASE, plan), "no_demand")
    assert found.person == "carol" and found.post == "X1" and found.shift == "N"


def test_it_rejects_a_date_outside_a_demand_entrys_dates():
    scn = scenario()
    scn["posts"][3]["demand"][0].update({"from": on(1), "to": on(5), "dates": [on(2), on(4)]})
    plan = honest(scn, [a("carol", "X1", 2, "D"), a("carol", "X1", 3, "D")])
    (found,) = only(check(scn, plan), "no_demand")
    assert found.date == on(3)


def test_it_rejects_surplus_where_the_demand_forbids_it():
    plan = honest(BASE, [a("alice", "X1", 0, "D"), a("carol", "X1", 0, "D")])
    (found,) = only(check(BASE, plan), "surplus")
    assert found.post == "X1" and "Alice" in found.message and "Carol" in found.message


def test_it_rejects_unknown_references():
    plan = honest(
        BASE,
        [
            a("zed", "G1", 0, "D"),
            a("alice", "nowhere", 0, "D"),
            a("alice", "G1", 0, "Q"),
            a("alice", "G1", 7, "D"),  # the horizon ends on day 6
        ],
    )
    found = only(check(BASE, plan), "unknown_reference")
    assert len(found) == 4
    assert "'zed'" in found[0].message and "horizon" in found[3].message


def test_it_rejects_a_duplicate_assignment():
    plan = honest(BASE, [a("alice", "G1", 0, "D"), a("alice", "G1", 0, "D")])
    (found,) = only(check(BASE, plan), "duplicate_assignment")
    assert found.person == "alice"


# --- the claims a plan makes ---------------------------------------------------------------


def test_it_rejects_a_hidden_shortfall():
    plan = honest(BASE, [a("alice", "G1", 0, "D")])
    hidden = plan["shortfall"].pop(0)
    violations = check(BASE, plan).violations
    assert [v.rule for v in violations] == ["shortfall_mismatch"]
    assert violations[0].post == hidden["post"] and "hides" in violations[0].message


def test_it_rejects_a_padded_or_wrong_shortfall():
    scn = scenario(days=1)
    plan = honest(scn, [a("alice", "G1", 0, "D")])
    plan["shortfall"].append(
        {"post": "G1", "date": on(0), "shift": "D", "people": 0, "leaders": 0, "skills": {}}
    )
    wrong = next(e for e in plan["shortfall"] if e["post"] == "G2" and e["shift"] == "D")
    wrong["people"] = 2
    messages = [v.message for v in check(scn, plan).violations]
    assert len(messages) == 2
    assert all(m.startswith("shortfall_mismatch") for m in messages)


def test_it_ignores_the_reason_and_zero_skills_of_shortfall_entries():
    scn = scenario(days=1)
    plan = honest(scn, [])
    for entry in plan["shortfall"]:
        entry["reason"] = "nobody"
        entry["skills"] = {"medical": 0}
    assert check(scn, plan).ok


def test_it_rejects_a_false_objective():
    plan = honest(BASE, [a("alice", "G1", 0, "D")])
    plan["objective"]["total"] -= 1
    (found,) = check(BASE, plan).violations
    assert found.rule == "objective_mismatch" and "total" in found.message


def test_it_rejects_a_false_reserve():
    plan = honest(BASE, [a("alice", "G1", 0, "D")])
    plan["reserve"] = ["alice", "bob"]  # alice works; carol is missing
    found = check(BASE, plan).violations
    assert {(v.rule, v.person) for v in found} == {
        ("reserve_mismatch", "alice"),
        ("reserve_mismatch", "carol"),
    }


# --- the recomputed objective and shortfall, by hand ---------------------------------------


def one_post(demand: list[dict], **changes) -> dict:
    scn = scenario(days=2, **changes)
    scn["posts"] = [{"id": "G1", "unit": "S1", "bubble": None, "demand": demand}]
    return scn


def test_it_counts_missing_people_leaders_and_skills_separately():
    demand = [{"shift": "D", "people": 2, "leaders": 1, "skills": {"medical": 1},
               "weight_under": 10, "dates": [on(0)]}]  # fmt: skip
    scn = one_post(demand)
    report = check(scn, bare(scn, [a("bob", "G1", 0, "D")]))
    assert report.shortfall == [
        {"post": "G1", "date": on(0), "shift": "D", "people": 1, "leaders": 1,
         "skills": {"medical": 1}}
    ]  # fmt: skip
    assert report.objective["cover"] == 30


def test_it_counts_a_leader_with_the_skill_towards_all_three():
    demand = [{"shift": "D", "people": 2, "leaders": 1, "skills": {"medical": 1}, "dates": [on(0)]}]
    scn = one_post(demand)
    report = check(scn, bare(scn, [a("alice", "G1", 0, "D")]))
    assert report.shortfall == [
        {"post": "G1", "date": on(0), "shift": "D", "people": 1, "leaders": 0, "skills": {}}
    ]
    assert report.objective["cover"] == 100  # weight_under defaults to 100


def test_it_charges_weight_over_for_surplus():
    scn = one_post([{"shift": "D", "people": 1, "weight_under": 100, "weight_over": 3}])
    # Day 0: three people for one (surplus 2); day 1: nobody (one missing).
    plan = bare(scn, [a(p, "G1", 0, "D") for p in ("alice", "bob", "carol")])
    report = check(scn, plan)
    assert report.objective["cover"] == 2 * 3 + 100
    assert [e["date"] for e in report.shortfall] == [on(1)]


def test_it_charges_requests_by_want():
    scn = one_post([{"shift": s, "people": 0, "weight_over": 0} for s in ("D", "E")])
    scn["people"][0]["requests"] = [
        {"date": on(0), "shift": "D", "want": True, "weight": 2},  # granted
        {"date": on(1), "shift": "D", "want": True, "weight": 3},  # works E instead: charged
        {"date": on(0), "shift": "E", "want": False, "weight": 5},  # not worked: granted
        {"date": on(1), "shift": "E", "want": False, "weight": 7},  # worked: charged
    ]
    plan = bare(scn, [a("alice", "G1", 0, "D"), a("alice", "G1", 1, "E")])
    report = check(scn, plan)
    assert report.objective["requests"] == 3 + 7
    assert report.objective["total"] == 10


def test_it_honours_a_request_worked_at_any_post():
    scn = scenario(days=1)
    scn["people"][0]["requests"] = [{"date": on(0), "shift": "D", "want": True, "weight": 4}]
    report = check(scn, bare(scn, [a("alice", "G2", 0, "D")]))
    assert report.objective["requests"] == 0


def test_it_computes_the_soft_terms_with_their_weights():
    scn = scenario(weights={"fairness": 2, "nights": 3, "affinity": 4, "stability": 5})
    plan = bare(
        scn,
        [
            a("alice", "G1", 0, "N"),
            a("alice", "G1", 2, "N"),
            a("alice", "G1", 4, "D"),
            a("bob", "G1", 0, "D"),
            a("carol", "G2", 1, "D"),  # carol (S2) at a post of S1
        ],
    )
    objective = check(scn, plan).objective
    # G1: alice 3 shifts (2 nights), bob 1 (0 nights); G2: carol alone.
    assert objective["fairness"] == 2 * (3 - 1)
    assert objective["nights"] == 3 * (2 - 0)
    assert objective["affinity"] == 4 * 1
    assert objective["stability"] == 0
    assert objective["total"] == sum(v for k, v in objective.items() if k != "total")


def test_it_counts_stability_changes_after_the_freeze_both_ways():
    scn = repair_scenario()
    scn["weights"]["stability"] = 5
    # bob's day-2 assignment goes to carol: one dropped plus one added.
    plan = bare(scn, [a("alice", "G1", 0, "D"), a("bob", "G1", 1, "D"), a("carol", "G1", 2, "D")])
    assert check(scn, plan).objective["stability"] == 5 * 2


def test_it_formats_violations_objective_and_shortfall():
    scn = scenario(rules={"min_rest_minutes": 660})
    plan = honest(scn, [a("bob", "G1", 0, "E"), a("bob", "G1", 1, "D")])
    text = check(scn, plan).format()
    assert "min_rest (1):" in text and "bob (Bob)" in text
    assert "Objective (recomputed):" in text and "cover" in text and "total" in text
    assert "Shortfall (recomputed):" in text and "people" in text


def test_it_formats_a_clean_plan():
    plan = honest(BASE, [])
    text = check(BASE, plan).format(shortfall_lines=2)
    assert text.startswith("Hard rules: no violation.")
    assert "... and " in text


def test_it_imports_nothing_but_the_standard_library_and_itself():
    """Every file of the validator package imports the standard library and its own parts only:
    nothing of the solver, not even a helper (import-linter keeps the same contract)."""
    package = Path(validate.__file__).parent
    files = sorted(package.glob("*.py"))
    assert len(files) >= 6
    for path in files:
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                assert node.level in (0, 1), f"{path.name}: imports from outside the validator"
                if node.level == 0:
                    imported.add(node.module.split(".")[0])
        outside = imported - sys.stdlib_module_names
        assert not outside, f"{path.name} imports {outside}"
