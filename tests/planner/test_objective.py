"""The objective: cover and requests exactly when the soft weights are 0; each soft term as
documented otherwise (fairness, nights, affinity, stability), with `total` their plain sum."""

from .builders import crew, day, demand, person, plan_for, post, scenario


def test_with_soft_weights_at_zero_the_objective_is_cover_plus_requests():
    wishes = [
        {"date": day(0), "shift": "D", "want": True, "weight": 7},
        {"date": day(1), "shift": "D", "want": False, "weight": 3},
    ]
    people = [person("A", requests=wishes), person("B")]
    sc = scenario(people, [post("X", [demand("D", 1)])], days=3)
    plan = plan_for(sc)
    objective = plan["objective"]
    assert objective["fairness"] == objective["nights"] == objective["affinity"] == 0
    assert objective["total"] == objective["cover"] + objective["requests"] == 0
    assert (day(0), "D") in {
        (a["date"], a["shift"]) for a in plan["assignments"] if a["person"] == "A"
    }


def test_requests_are_honoured_when_cover_allows_and_costed_when_not():
    wishes = [{"date": day(0), "shift": "D", "want": False, "weight": 40}]
    sc = scenario([person("A", requests=wishes)], [post("X", [demand("D", 1)])], days=1)
    plan = plan_for(sc)
    assert len(plan["assignments"]) == 1  # cover (100) outweighs the wish (40)
    assert plan["objective"] == {
        "total": 40,
        "cover": 0,
        "requests": 40,
        "fairness": 0,
        "nights": 0,
        "affinity": 0,
        "stability": 0,
    }


def test_fairness_spreads_shifts_over_a_posts_team():
    # At most 2 days in a row: the post needs two people, and fairness splits the work evenly.
    sc = scenario(
        crew(3),
        [post("X", [demand("D", 1)])],
        days=4,
        rules={"one_post_per_person": True, "max_consecutive_days": 2},
    )
    sc["weights"] = {"fairness": 1, "nights": 0, "affinity": 0, "stability": 0}
    plan = plan_for(sc)
    counts = sorted(sum(a["person"] == p for a in plan["assignments"]) for p in ("P1", "P2", "P3"))
    assert counts == [0, 2, 2]
    assert plan["objective"]["fairness"] == 0


def test_fairness_counts_only_people_who_work_at_the_post():
    # The contract's definition: max - min over those with at least one shift there.
    sc = scenario(crew(2), [post("X", [demand("D", 1)])], days=3)
    sc["weights"] = {"fairness": 1, "nights": 0, "affinity": 0, "stability": 0}
    plan = plan_for(sc)
    counts = sorted(sum(a["person"] == p for a in plan["assignments"]) for p in ("P1", "P2"))
    assert plan["objective"]["fairness"] == (0 if counts[0] == 0 else counts[1] - counts[0])


def test_home_units_are_preferred():
    people = [person("A", unit="S2"), person("B", unit="S1")]
    sc = scenario(
        people,
        [post("X", [demand("D", 1)], unit="S1")],
        days=2,
        rules={"one_post_per_person": True},
    )
    sc["weights"] = {"fairness": 0, "nights": 0, "affinity": 1, "stability": 0}
    plan = plan_for(sc)
    assert {a["person"] for a in plan["assignments"]} == {"B"}
    assert plan["reserve"] == ["A"]
