"""Property tests: random small scenarios give plans the validator accepts, honest to the letter.

Scenarios hold no locked assignments and no minimum minutes, so an empty plan always keeps the
hard rules and a plan must exist; every other rule, limit and soft term is drawn at random.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordon.planner import check, solve

from .builders import START, day

SHIFT_SETS = [
    [
        {"id": "N", "start": "00:00", "minutes": 480},
        {"id": "D", "start": "08:00", "minutes": 480},
        {"id": "E", "start": "16:00", "minutes": 480},
    ],
    [{"id": "D", "start": "07:00", "minutes": 720}, {"id": "N", "start": "19:00", "minutes": 720}],
    [
        {"id": "M", "start": "06:00", "minutes": 480},
        {"id": "L", "start": "12:00", "minutes": 600, "night": True},
    ],
]
SKILLS = ["medic", "driver"]


@st.composite
def scenarios(draw):
    days = draw(st.integers(3, 9))
    shift_types = draw(st.sampled_from(SHIFT_SETS))
    shift_ids = [s["id"] for s in shift_types]
    maybe = lambda values: st.one_of(st.none(), st.sampled_from(values))  # noqa: E731
    rules = {
        "min_rest_minutes": draw(maybe([0, 480, 660])),
        "max_shifts_per_day": draw(st.sampled_from([1, 1, 2])),
        "max_consecutive_days": draw(maybe([2, 3, 5])),
        "min_consecutive_days": draw(maybe([2, 3])),
        "min_consecutive_days_off": draw(maybe([2])),
        "max_minutes_per_7_days": draw(maybe([3 * 480, 5 * 480])),
        "forbidden_successions": draw(
            st.lists(
                st.tuples(st.sampled_from(shift_ids), st.sampled_from(shift_ids)),
                max_size=2,
                unique=True,
            ).map(lambda pairs: [list(p) for p in pairs])
        ),
        "one_post_per_person": draw(st.booleans()),
    }
    people = [draw(_person(f"P{i}", days, shift_ids)) for i in range(draw(st.integers(1, 6)))]
    posts = [draw(_post(f"X{i}", days, shift_ids)) for i in range(draw(st.integers(1, 3)))]
    weights = {term: draw(st.integers(0, 2)) for term in ("fairness", "nights", "affinity")}
    return {
        "format": "cordon.scenario/1",
        "name": "random",
        "start": START,
        "days": days,
        "shift_types": shift_types,
        "rules": rules,
        "people": people,
        "posts": posts,
        "weights": weights,
    }


@st.composite
def _person(draw, pid, days, shift_ids):
    first = draw(st.integers(0, days - 1))
    unavailable = [{"from": day(first), "to": day(draw(st.integers(first, days + 2)))}]
    limits = {
        "max_minutes": draw(st.one_of(st.none(), st.sampled_from([960, 2400]))),
        "max_shifts": draw(
            st.dictionaries(st.sampled_from(shift_ids), st.integers(0, 3), max_size=1)
        ),
        "max_weekends": draw(st.one_of(st.none(), st.integers(0, 1))),
        "max_consecutive_days": draw(st.one_of(st.none(), st.integers(1, 4))),
    }
    requests = [
        {
            "date": day(draw(st.integers(0, days - 1))),
            "shift": draw(st.sampled_from(shift_ids)),
            "want": draw(st.booleans()),
            "weight": draw(st.integers(1, 150)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {
        "id": pid,
        "unit": draw(st.sampled_from(["S1", "S2", None])),
        "leader": draw(st.booleans()),
        "skills": draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2)),
        "unavailable": unavailable if draw(st.booleans()) else [],
        "limits": limits,
        "requests": requests,
    }


@st.composite
def _post(draw, pid, days, shift_ids):
    demand = []
    for shift in draw(st.lists(st.sampled_from(shift_ids), unique=True, min_size=1)):
        people = draw(st.integers(0, 3))
        first = draw(st.integers(0, days - 1))
        demand.append(
            {
                "shift": shift,
                "people": people,
                "leaders": draw(st.integers(0, people)),
                "skills": {
                    s: draw(st.integers(0, people))
                    for s in draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=1))
                },
                "from": day(first),
                "to": day(draw(st.integers(first, days - 1))),
                "weight_under": draw(st.sampled_from([1, 100])),
                "weight_over": draw(st.one_of(st.none(), st.integers(0, 5))),
            }
        )
    return {
        "id": pid,
        "unit": draw(st.sampled_from(["S1", "S2", None])),
        "bubble": draw(st.sampled_from(["Z1", "Z2", None])),
        "demand": demand,
    }


def _without_reason(items):
    """Shortfall lines without their reason (text and codes), in one order (the format fixes
    none)."""
    lines = [{k: v for k, v in item.items() if k not in ("reason", "codes")} for item in items]
    return sorted(lines, key=lambda line: (line["post"], line["date"], line["shift"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_give_plans_the_validator_accepts(raw):
    plan = solve(raw, time_limit=4, workers=1)
    report = check(raw, plan)
    assert report.ok, report.format()
    assert _without_reason(plan["shortfall"]) == _without_reason(report.shortfall)
    assert plan["objective"] == report.objective
    assert all(item["reason"] for item in plan["shortfall"])
