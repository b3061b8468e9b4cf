"""Tiny hand-made scenarios for the planner's tests (plain dicts, as other systems write them)."""

import copy
from datetime import date, timedelta

START = "2026-11-02"  # a Monday

THREE_SHIFTS = [
    {"id": "N", "start": "00:00", "minutes": 480},
    {"id": "D", "start": "08:00", "minutes": 480},
    {"id": "E", "start": "16:00", "minutes": 480},
]

NO_RULES = {
    "min_rest_minutes": None,
    "max_shifts_per_day": 1,
    "max_consecutive_days": None,
    "min_consecutive_days": None,
    "min_consecutive_days_off": None,
    "max_minutes_per_7_days": None,
    "forbidden_successions": [],
    "one_post_per_person": False,
}

NO_SOFT_TERMS = {"fairness": 0, "nights": 0, "affinity": 0, "stability": 0}


def day(index: int) -> str:
    """The ISO date of day `index` of the horizon."""
    return (date.fromisoformat(START) + timedelta(days=index)).isoformat()


def person(pid: str, **fields) -> dict:
    return {"id": pid, "name": pid, "unit": "S1", "leader": False, "skills": [], **fields}


def post(pid: str, demand: list[dict], **fields) -> dict:
    return {"id": pid, "name": pid, "unit": "S1", "bubble": None, "demand": demand, **fields}


def demand(shift: str, people: int, **fields) -> dict:
    return {"shift": shift, "people": people, **fields}


def scenario(people, posts, *, days=7, rules=None, shift_types=None, **extra) -> dict:
    """A scenario with no rules beyond one shift a day unless `rules` says otherwise."""
    return {
        "format": "cordon.scenario/1",
        "name": "tiny",
        "timezone": "Asia/Shanghai",
        "start": START,
        "days": days,
        "shift_types": copy.deepcopy(shift_types or THREE_SHIFTS),
        "rules": {**NO_RULES, **(rules or {})},
        "people": people,
        "posts": posts,
        "weights": dict(NO_SOFT_TERMS),
        **extra,
    }


def crew(count: int, prefix: str = "P", **fields) -> list[dict]:
    return [person(f"{prefix}{i + 1}", **fields) for i in range(count)]


def shifts_of(plan: dict, pid: str) -> list[tuple[str, str]]:
    """(date, shift) of a person's assignments, in time order."""
    return sorted((a["date"], a["shift"]) for a in plan["assignments"] if a["person"] == pid)


def worked_days(plan: dict, pid: str) -> list[int]:
    first = date.fromisoformat(START)
    return sorted({(date.fromisoformat(d) - first).days for d, _s in shifts_of(plan, pid)})


def runs(days: list[int], horizon: int, worked: bool = True) -> list[tuple[int, int]]:
    """(first day, length) of each run of worked (or off) days inside [0, horizon)."""
    flags = [(d in days) == worked for d in range(horizon)]
    found, start = [], None
    for d, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = d
        elif not flag and start is not None:
            found.append((start, d - start))
            start = None
    return found


def assert_valid(scenario_dict: dict, plan: dict) -> None:
    """The independent validator accepts the plan: no hard rule broken, honest figures."""
    from cordon.planner import check

    report = check(scenario_dict, plan)
    assert report.ok, report.format()


def plan_for(scenario_dict: dict, *, time_limit: float = 10, workers: int = 1) -> dict:
    """Solve and validate: every plan the planner writes must pass the validator."""
    from cordon.planner import solve

    plan = solve(scenario_dict, time_limit=time_limit, workers=workers)
    assert_valid(scenario_dict, plan)
    return plan


def key(assignment: dict) -> tuple:
    """An assignment as a comparable tuple (person, post, date, shift)."""
    return assignment["person"], assignment["post"], assignment["date"], assignment["shift"]
