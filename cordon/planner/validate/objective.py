"""The objective recomputed term by term, as the planner contract defines each term."""

from collections import Counter, defaultdict

from .facts import REQUEST_WEIGHT_DEFAULT, Facts, previous_keys


def objective_terms(facts: Facts, assignments: list, cover: int) -> dict:
    """Every objective term, weighted, and their total (the planner contract's definitions)."""
    weights = facts.weights
    objective = {
        "cover": cover,
        "requests": _request_cost(facts, assignments),
        "fairness": weights["fairness"] * _spread(facts, assignments, nights_only=False),
        "nights": weights["nights"] * _spread(facts, assignments, nights_only=True),
        "affinity": weights["affinity"] * _people_away_from_home(facts, assignments),
        "stability": weights["stability"] * _changes(facts, assignments),
    }
    objective["total"] = sum(objective.values())
    return objective


def _request_cost(facts: Facts, assignments: list) -> int:
    """Weights of requests not honoured: wanted and not worked (at any post), or the reverse."""
    worked = {(person, day, shift) for person, _post, day, shift in assignments}
    cost = 0
    for person_id, person in facts.people.items():
        for request in person.get("requests") or []:
            works = (person_id, facts.day_of.get(request["date"]), request["shift"]) in worked
            if works != bool(request.get("want", True)):
                weight = request.get("weight")
                cost += REQUEST_WEIGHT_DEFAULT if weight is None else weight
    return cost


def _spread(facts: Facts, assignments: list, *, nights_only: bool) -> int:
    """Sum over posts of max - min shifts (or night shifts) among the people working there."""
    counts = defaultdict(Counter)  # post -> person -> shifts counted
    for person, post, _day, shift in assignments:
        counts[post][person] += 1 if not nights_only or facts.shifts[shift].night else 0
    return sum(max(c.values()) - min(c.values()) for c in counts.values())


def _people_away_from_home(facts: Facts, assignments: list) -> int:
    """People who work at a post of a unit other than their own (no unit: never counted)."""
    away = set()
    for person, post, _day, _shift in assignments:
        home, unit = facts.people[person].get("unit"), facts.posts[post].get("unit")
        if home and unit and home != unit:
            away.add(person)
    return len(away)


def _changes(facts: Facts, assignments: list) -> int:
    """Assignments on or after freeze_before that differ from `previous` (both directions)."""
    previous, freeze = facts.scenario.get("previous"), facts.scenario.get("freeze_before")
    if not previous or not freeze:
        return 0
    before = {key for key in previous_keys(previous) if key[2] >= freeze}
    planned = {(p, post, facts.dates[d], s) for p, post, d, s in assignments}
    planned = {key for key in planned if key[2] >= freeze}
    return len(before ^ planned)
