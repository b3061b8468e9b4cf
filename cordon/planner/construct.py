"""A constructive plan for one team: greedy, day by day, used to warm-start the rotation model.

It keeps the rules a greedy can check as it goes (one shift a day, rest and overlap, forbidden
successions, runs, 7-day and total minutes, shift-type counts, availability, one post, bubbles)
and ignores the minimum run lengths; the model repairs what the hint gets wrong.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .model import Assignment, Person, Post, Scenario
from .rules import person_rules, rest_conflicts
from .team import Team


class _Roster:
    """What the greedy has given each person so far, and whether one more shift fits."""

    def __init__(self, scenario: Scenario, team: Team):
        self.scenario = scenario
        self.minutes = {s.id: s.minutes for s in scenario.shift_types}
        self.rules = {p.id: person_rules(scenario.rules, p) for p in team.people}
        self.conflicts = defaultdict(set)
        for first, second, offset in rest_conflicts(
            scenario.shift_types, scenario.rules.min_rest_minutes
        ):
            self.conflicts[(first, 0)].add((second, offset))
            self.conflicts[(second, 0)].add((first, -offset))
        for first, second in scenario.rules.forbidden_successions:
            self.conflicts[(first, 0)].add((second, 1))
            self.conflicts[(second, 0)].add((first, -1))
        self.shifts: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.post_of: dict[str, str] = {}
        self.bubble_of: dict[str, str] = {}
        self.count: dict[str, int] = defaultdict(int)
        # Running totals, so that a check does not add up a person's whole horizon again.
        self.total_minutes: dict[str, int] = defaultdict(int)
        self.of_type: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, a: Assignment, post: Post) -> None:
        self.shifts[a.person][a.day].add(a.shift)
        self.total_minutes[a.person] += self.minutes[a.shift]
        self.of_type[(a.person, a.shift)] += 1
        self.post_of.setdefault(a.person, a.post)
        if post.bubble:
            self.bubble_of.setdefault(a.person, post.bubble)
        self.count[a.person] += 1

    def fits(self, person: Person, post: Post, day: int, shift: str) -> bool:
        return (
            day not in person.unavailable
            and self._fits_post(person, post)
            and self._fits_day(person, day, shift)
            and self._fits_totals(person, day, shift)
        )

    def _fits_post(self, person: Person, post: Post) -> bool:
        one_post = self.scenario.rules.one_post_per_person
        if one_post and self.post_of.get(person.id, post.id) != post.id:
            return False
        return not post.bubble or self.bubble_of.get(person.id, post.bubble) == post.bubble

    def _fits_day(self, person: Person, day: int, shift: str) -> bool:
        worked = self.shifts[person.id]
        limit = self.scenario.rules.max_shifts_per_day
        if shift in worked[day] or (limit is not None and len(worked[day]) >= limit):
            return False
        for other, offset in self.conflicts[(shift, 0)]:
            if other in worked.get(day + offset, ()):
                return False
        run = self.rules[person.id].max_consecutive_days
        if run is not None and not worked[day]:
            before = _run(worked, day, -1)
            after = _run(worked, day, +1)
            if before + after + 1 > run:
                return False
        return True

    def _fits_totals(self, person: Person, day: int, shift: str) -> bool:
        rules = self.rules[person.id]
        worked = self.shifts[person.id]
        extra = self.minutes[shift]
        limit = rules.max_shifts.get(shift)
        if limit is not None and self.of_type[(person.id, shift)] + 1 > limit:
            return False
        if (
            rules.max_minutes is not None
            and self.total_minutes[person.id] + extra > rules.max_minutes
        ):
            return False
        week = rules.max_minutes_per_7_days
        if week is not None:
            for first in range(max(0, day - 6), min(day, self.scenario.days - 7) + 1):
                window = {d: worked.get(d, ()) for d in range(first, first + 7)}
                if self._minutes(window) + extra > week:
                    return False
        return True

    def _minutes(self, by_day) -> int:
        return sum(self.minutes[s] for shifts in by_day.values() for s in shifts)


def _run(worked, day: int, step: int) -> int:
    length = 0
    while worked.get(day + step * (length + 1)):
        length += 1
    return length


def construct(scenario: Scenario, team: Team, *, seconds: float = 10.0) -> set[Assignment]:
    """A greedy plan for the team that starts from its fixed assignments.

    On very large models it stops after `seconds` and returns the part built so far: a hint
    need not be complete, and the solver's time is worth more.
    """
    stop = time.perf_counter() + seconds
    roster = _Roster(scenario, team)
    posts = {p.id: p for p in team.posts}
    plan = set(team.fixed)
    for a in sorted(team.fixed, key=lambda a: a.day):
        roster.add(a, posts[a.post])
    order = sorted(
        ((day, shift, post) for post in team.posts for day, shift in post.slots()),
        key=lambda item: (item[0], scenario.shift_by_id[item[1]].start, item[2].id),
    )
    frozen = scenario.freeze_before if scenario.is_repair else None
    for day, shift, post in order:
        if frozen is not None and day < frozen:
            continue
        if time.perf_counter() > stop:
            break
        _fill_slot(scenario, team, roster, plan, post, day, shift)
    return plan


def _fill_slot(scenario, team, roster, plan, post: Post, day: int, shift: str) -> None:
    demand = post.demand_on(day, shift)
    here = [p for p in team.people if (p.id, post.id, day, shift) in plan]
    needs = [("leader", demand.leaders), *list(demand.skills.items())]
    for need, count in needs:
        have = sum(_has(p, need) for p in here)
        for person in _candidates(roster, team, post, day, shift, need, here, scenario):
            if have >= count or len(here) >= demand.people:
                break
            _take(roster, plan, here, post, person, day, shift)
            have += 1
    for person in _candidates(roster, team, post, day, shift, None, here, scenario):
        if len(here) >= demand.people:
            break
        _take(roster, plan, here, post, person, day, shift)


def _has(person: Person, need: str | None) -> bool:
    if need is None:
        return True
    return person.leader if need == "leader" else need in person.skills


def _candidates(roster, team, post, day, shift, need, here, scenario) -> list[Person]:
    chosen = {p.id for p in here}
    fitting = [
        p
        for p in team.people
        if p.id not in chosen and _has(p, need) and roster.fits(p, post, day, shift)
    ]
    # Fewest shifts first; then whoever worked this shift yesterday (steady rotations).
    return sorted(
        fitting,
        key=lambda p: (
            roster.count[p.id],
            shift not in roster.shifts[p.id].get(day - 1, ()),
            p.id,
        ),
    )


def _take(roster, plan, here, post, person, day, shift) -> None:
    assignment = Assignment(person.id, post.id, day, shift)
    plan.add(assignment)
    roster.add(assignment, post)
    here.append(person)
