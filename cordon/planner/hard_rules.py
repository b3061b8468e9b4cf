"""The hard rules of a rotation model, one function per rule.

Each function adds its rule for one person to a RotationModel and returns nothing: a hard rule
costs nothing, it holds. Literals that cannot be true (no variable) are treated as false.
"""

from __future__ import annotations

from .cpmodel import RotationModel, add_one_group_only
from .model import Person
from .rules import rest_conflicts, seven_day_windows, weekends


def add_hard_rules(rm: RotationModel) -> None:
    """Every hard rule for every person of the team."""
    scenario = rm.scenario
    conflicts = rest_conflicts(scenario.shift_types, scenario.rules.min_rest_minutes)
    for person in rm.team.people:
        add_max_shifts_per_day(rm, person)
        add_no_overlap_and_min_rest(rm, person, conflicts)
        add_forbidden_successions(rm, person)
        add_max_consecutive_days(rm, person)
        add_min_consecutive_days(rm, person)
        add_min_consecutive_days_off(rm, person)
        add_max_minutes_per_7_days(rm, person)
        add_total_minutes(rm, person)
        add_max_shifts_per_type(rm, person)
        add_max_weekends(rm, person)
        add_one_post_per_person(rm, person)
        add_one_bubble_per_person(rm, person)


def add_max_shifts_per_day(rm: RotationModel, person: Person) -> None:
    """At most `max_shifts_per_day` shifts start on one date."""
    limit = rm.scenario.rules.max_shifts_per_day
    if limit is None:
        return
    for day in range(rm.scenario.days):
        literals = _present(rm.work_on(person.id, day, s.id) for s in rm.scenario.shift_types)
        if len(literals) <= limit:
            continue
        if limit == 1:
            rm.model.add_at_most_one(literals)
        else:
            rm.model.add(sum(literals) <= limit)


def add_no_overlap_and_min_rest(rm: RotationModel, person: Person, conflicts) -> None:
    """No two shifts overlap, and at least `min_rest_minutes` lie between consecutive shifts."""
    for first, second, offset in conflicts:
        for day in range(rm.scenario.days - offset):
            a = rm.work_on(person.id, day, first)
            b = rm.work_on(person.id, day + offset, second)
            if a is not None and b is not None:
                rm.model.add_bool_or([a.Not(), b.Not()])


def add_forbidden_successions(rm: RotationModel, person: Person) -> None:
    """No shift Y on the day after a shift X, for each forbidden succession [X, Y].

    With one shift a day the successors of X on a date exclude each other anyway, so X and all
    its forbidden successors form one at-most-one (a clique: fewer, stronger constraints than one
    clause per pair, which matters with many shift types).
    """
    successors: dict[str, list[str]] = {}
    for first, second in rm.scenario.rules.forbidden_successions:
        successors.setdefault(first, []).append(second)
    one_a_day = rm.scenario.rules.max_shifts_per_day == 1
    for first, seconds in successors.items():
        for day in range(rm.scenario.days - 1):
            a = rm.work_on(person.id, day, first)
            if a is None:
                continue
            after = _present(rm.work_on(person.id, day + 1, second) for second in seconds)
            if one_a_day and len(after) > 1:
                rm.model.add_at_most_one([a, *after])
                continue
            for b in after:
                rm.model.add_bool_or([a.Not(), b.Not()])


def add_max_consecutive_days(rm: RotationModel, person: Person) -> None:
    """At most k worked dates in a row: every k + 1 consecutive days hold a day off."""
    limit = rm.rules[person.id].max_consecutive_days
    if limit is None:
        return
    for first in range(rm.scenario.days - limit):
        literals = [rm.on_day(person.id, d) for d in range(first, first + limit + 1)]
        if all(lit is not None for lit in literals):
            rm.model.add_bool_or([lit.Not() for lit in literals])


def add_min_consecutive_days(rm: RotationModel, person: Person) -> None:
    """A worked run not touching the horizon's first or last day lasts at least m days.

    Posted as: a run that starts on day d (off on d - 1, on on d) continues through d + m - 1;
    three-literal clauses that propagate better than forbidding each short pattern.
    """
    length = rm.rules[person.id].min_consecutive_days
    if not length or length < 2:
        return
    days = rm.scenario.days
    for day in range(1, days):
        starts = rm.on_day(person.id, day)
        if starts is None:
            continue
        before = rm.on_day(person.id, day - 1)
        for later in range(day + 1, min(day + length, days)):
            clause = [starts.Not()]
            if before is not None:
                clause.append(before)
            after = rm.on_day(person.id, later)
            if after is not None:
                clause.append(after)
            rm.model.add_bool_or(clause)


def add_min_consecutive_days_off(rm: RotationModel, person: Person) -> None:
    """An off run not touching the horizon's first or last day lasts at least m days."""
    length = rm.rules[person.id].min_consecutive_days_off
    if not length or length < 2:
        return
    days = rm.scenario.days
    for day in range(1, days):
        before = rm.on_day(person.id, day - 1)
        if before is None:
            continue  # no run of days off starts on `day` after a worked day
        today = rm.on_day(person.id, day)
        for later in range(day + 1, min(day + length, days)):
            after = rm.on_day(person.id, later)
            if after is None:
                continue
            clause = [before.Not(), after.Not()]
            if today is not None:
                clause.append(today)
            rm.model.add_bool_or(clause)


def add_max_minutes_per_7_days(rm: RotationModel, person: Person) -> None:
    """At most `max_minutes_per_7_days` in every window of 7 days inside the horizon."""
    limit = rm.rules[person.id].max_minutes_per_7_days
    if limit is None:
        return
    minutes = {s.id: s.minutes for s in rm.scenario.shift_types}
    for window in seven_day_windows(rm.scenario.days):
        terms = [
            (lit, minutes[s.id])
            for d in window
            for s in rm.scenario.shift_types
            if (lit := rm.work_on(person.id, d, s.id)) is not None
        ]
        if _most_per_day(rm, terms, len(window)) > limit:
            rm.model.add(sum(m * lit for lit, m in terms) <= limit)


def _most_per_day(rm: RotationModel, terms, days: int) -> int:
    """A quick upper bound of the minutes `terms` could sum to."""
    total = sum(m for _lit, m in terms)
    if rm.scenario.rules.max_shifts_per_day == 1 and terms:
        total = min(total, days * max(m for _lit, m in terms))
    return total


def add_total_minutes(rm: RotationModel, person: Person) -> None:
    """Between `min_minutes` and `max_minutes` over the horizon (a person's own limits)."""
    rules = rm.rules[person.id]
    if rules.max_minutes is None and not rules.min_minutes:
        return
    minutes = {s.id: s.minutes for s in rm.scenario.shift_types}
    total = sum(minutes[s] * lit for _d, s, lit in rm.shifts_of(person.id))
    if rules.max_minutes is not None:
        rm.model.add(total <= rules.max_minutes)
    if rules.min_minutes:
        rm.model.add(total >= rules.min_minutes)


def add_max_shifts_per_type(rm: RotationModel, person: Person) -> None:
    """At most `max_shifts[s]` shifts of type s over the horizon (0 is handled by no variable)."""
    for shift, limit in rm.rules[person.id].max_shifts.items():
        literals = [lit for _d, s, lit in rm.shifts_of(person.id) if s == shift]
        if len(literals) > limit:
            rm.model.add(sum(literals) <= limit)


def add_max_weekends(rm: RotationModel, person: Person) -> None:
    """At most `max_weekends` worked weekends (worked when its Saturday or Sunday is)."""
    limit = rm.rules[person.id].max_weekends
    if limit is None:
        return
    worked = []
    for index, weekend in enumerate(weekends(rm.scenario.start, rm.scenario.days)):
        days = _present(rm.on_day(person.id, d) for d in weekend)
        if not days:
            continue
        if len(days) == 1:
            worked.append(days[0])
            continue
        literal = rm.model.new_bool_var(f"weekend[{person.id},w{index}]")
        for day in days:
            rm.model.add_implication(day, literal)
        rm.model.add_bool_or([*days, literal.Not()])
        worked.append(literal)
    if len(worked) > limit:
        rm.model.add(sum(worked) <= limit)


def add_one_post_per_person(rm: RotationModel, person: Person) -> None:
    """With `one_post_per_person`, all of a person's shifts are at one post."""
    if not rm.scenario.rules.one_post_per_person or len(rm.team.posts) < 2:
        return
    by_post = _literals_by(rm, person, lambda post: post.id)
    add_one_group_only(rm.model, by_post, lambda post_id: f"post[{person.id},{post_id}]")


def add_one_bubble_per_person(rm: RotationModel, person: Person) -> None:
    """A person works at posts of one bubble only (posts without a bubble are free)."""
    by_bubble = _literals_by(rm, person, lambda post: post.bubble)
    by_bubble.pop(None, None)
    add_one_group_only(rm.model, by_bubble, lambda bubble: f"bubble[{person.id},{bubble}]")


def _literals_by(rm: RotationModel, person: Person, key) -> dict:
    posts = {post.id: post for post in rm.team.posts}
    groups: dict = {}
    for assignment, literal in rm.x.items():
        if assignment.person == person.id:
            groups.setdefault(key(posts[assignment.post]), []).append(literal)
    return groups


def _present(literals) -> list:
    return [lit for lit in literals if lit is not None]
