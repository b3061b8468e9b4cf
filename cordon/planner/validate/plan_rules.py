"""The rules on the plan as a whole: locked and frozen assignments, demand, cover and surplus."""

from collections import defaultdict

from .facts import WEIGHT_UNDER_DEFAULT, Facts, previous_keys
from .report import Violation, violation, where_of


def check_locked(facts: Facts, assignments: list) -> list[Violation]:
    held = set(assignments)
    found = []
    for item in facts.scenario.get("locked") or []:
        key = (item["person"], item["post"], facts.day_of.get(item["date"]), item["shift"])
        if key not in held:
            text = (
                f"{facts.who(item['person'])} is locked to {item['post']} on {item['date']} "
                f"shift {item['shift']} but the plan does not assign it"
            )
            found.append(violation("locked", text, **where_of(item)))
    return found


def check_frozen(facts: Facts, assignments: list) -> list[Violation]:
    """Before freeze_before the plan is exactly `previous`: nothing dropped, nothing added."""
    previous, freeze = facts.scenario.get("previous"), facts.scenario.get("freeze_before")
    if not previous or not freeze:
        return []
    before = {key for key in previous_keys(previous) if key[2] < freeze}
    planned = {(p, post, facts.dates[d], s) for p, post, d, s in assignments}
    planned_before = {key for key in planned if key[2] < freeze}
    found = []
    for person, post, iso, shift in sorted(before - planned, key=lambda k: (k[2], k[0])):
        text = (
            f"{facts.who(person)} loses the frozen assignment {post} on {iso} shift {shift} "
            f"(before {freeze})"
        )
        found.append(violation("frozen", text, person=person, post=post, date=iso, shift=shift))
    for person, post, iso, shift in sorted(planned_before - before, key=lambda k: (k[2], k[0])):
        text = (
            f"{facts.who(person)} gets {post} on {iso} shift {shift}, added before the freeze "
            f"date {freeze}"
        )
        found.append(violation("frozen", text, person=person, post=post, date=iso, shift=shift))
    return found


def people_by_slot(assignments: list) -> dict:
    """(post, day, shift) -> the people assigned there."""
    teams = defaultdict(list)
    for person, post, day, shift in assignments:
        teams[(post, day, shift)].append(person)
    return teams


def check_no_demand(facts: Facts, teams: dict) -> list[Violation]:
    found = []
    for (post, day, shift), team in sorted(teams.items(), key=lambda kv: (kv[0][1], kv[0])):
        if (post, day, shift) in facts.demand:
            continue
        iso = facts.dates[day]
        for person in team:
            text = f"{facts.who(person)} is assigned to {post} on {iso} shift {shift}, "
            text += "where no demand applies"
            where = {"person": person, "post": post, "date": iso, "shift": shift}
            found.append(violation("no_demand", text, **where))
    return found


def _missing(entry: dict, people: list[dict]) -> tuple[int, int, dict]:
    """Missing people, missing leaders and missing holders of each skill for a demand entry."""
    missing_people = max(0, entry["people"] - len(people))
    leaders = sum(bool(person.get("leader")) for person in people)
    missing_leaders = max(0, (entry.get("leaders") or 0) - leaders)
    missing_skills = {}
    for skill, needed in sorted((entry.get("skills") or {}).items()):
        have = sum(skill in (person.get("skills") or ()) for person in people)
        if needed > have:
            missing_skills[skill] = needed - have
    return missing_people, missing_leaders, missing_skills


def cover_and_shortfall(facts: Facts, teams: dict, found: list) -> tuple[int, list[dict]]:
    """Cover cost and shortfall of every (post, date, shift) with demand; forbidden surplus."""
    cost = 0
    shortfall = []
    for (post, day, shift), entry in sorted(facts.demand.items(), key=lambda kv: (kv[0][1], kv[0])):
        team = teams.get((post, day, shift), [])
        people, leaders, skills = _missing(entry, [facts.people[person] for person in team])
        weight_under = entry.get("weight_under")
        weight_under = WEIGHT_UNDER_DEFAULT if weight_under is None else weight_under
        cost += weight_under * (people + leaders + sum(skills.values()))
        iso = facts.dates[day]
        surplus = max(0, len(team) - entry["people"])
        if surplus and entry.get("weight_over") is None:
            names = ", ".join(facts.who(person) for person in team)
            text = (
                f"{post} on {iso} shift {shift} has {len(team)} people for {entry['people']} "
                f"and surplus is forbidden there: {names}"
            )
            found.append(violation("surplus", text, post=post, date=iso, shift=shift))
        elif surplus:
            cost += entry["weight_over"] * surplus
        if people or leaders or skills:
            shortfall.append(
                {"post": post, "date": iso, "shift": shift, "people": people, "leaders": leaders,
                 "skills": skills}
            )  # fmt: skip
    return cost, shortfall
