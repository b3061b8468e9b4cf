"""Stage 1 (one post per person): allocate people to post teams; whoever is left is the reserve.

People are grouped into classes of interchangeable people (same unit, leader flag, skills,
availability and limits). A small CP-SAT model chooses how many of each class go to each post so
that every team can cover its demand in person-shifts, its leader shifts and its skill shifts,
counting what each person can work under the rest rules (`rules.worked_day_limit`); shortfalls of
that capacity are allowed but cost far more than anything else; then people away from their home
unit, then each person taken from the reserve, leaders and skill holders more (a reserve that
keeps them can repair a team that loses one). Posts a person is locked to are respected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ortools.sat.python import cp_model

from .model import Person, Post, Scenario
from .rules import person_rules, worked_day_limit

CAPACITY_SHORT_COST = 1000
AWAY_COST = 3
PERSON_COST = 1
LEADER_COST = 4  # keep spare leaders in the reserve: a repair needs them most
SKILL_COST = 1  # likewise, a little, for each skill a person holds


@dataclass(frozen=True)
class PostNeed:
    """Person-shifts a post's demand asks for, in all and of leaders and of each skill."""

    shifts: int
    leaders: int
    skills: dict[str, int]
    days: tuple[int, ...]
    minutes: int
    shift_types: int


def post_need(scenario: Scenario, post: Post) -> PostNeed:
    slots = post.slots()
    entries = [post.demand_on(d, s) for d, s in slots]
    skills: dict[str, int] = defaultdict(int)
    for entry in entries:
        for skill, count in entry.skills.items():
            skills[skill] += count
    shift_ids = {s for _d, s in slots}
    return PostNeed(
        shifts=sum(e.people for e in entries),
        leaders=sum(e.leaders for e in entries),
        skills=dict(skills),
        days=tuple(sorted({d for d, _s in slots})),
        minutes=min((scenario.shift_by_id[s].minutes for s in shift_ids), default=0),
        shift_types=len(shift_ids),
    )


def _class_key(scenario: Scenario, person: Person) -> tuple:
    rules = person_rules(scenario.rules, person)
    return (
        person.unit,
        person.leader,
        tuple(sorted(person.skills)),
        tuple(sorted(person.unavailable)),
        repr(rules),
    )


class Allocator:
    """Chooses post teams; `pinned` maps a person id to the post they must belong to."""

    def __init__(self, scenario: Scenario, pinned: dict[str, str] | None = None):
        self.scenario = scenario
        self.pinned = pinned or {}
        self.posts = [p for p in scenario.posts if p.slots()]
        self.needs = {p.id: post_need(scenario, p) for p in self.posts}
        self.classes: dict[tuple, list[Person]] = defaultdict(list)
        for person in scenario.people:
            key = ("pinned", person.id) if person.id in self.pinned else None
            self.classes[key or _class_key(scenario, person)].append(person)
        self._capacity = cache(self._capacity_uncached)

    def _capacity_uncached(self, class_key: tuple, post_id: str) -> int:
        """Shifts one person of the class could work at the post (an upper bound)."""
        person = self.classes[class_key][0]
        need = self.needs[post_id]
        days = worked_day_limit(self.scenario, person, list(need.days), need.minutes)
        per_day = self.scenario.rules.max_shifts_per_day
        per_day = need.shift_types if per_day is None else min(per_day, need.shift_types)
        return days * max(1, per_day)

    def allocate(self, time_limit: float = 5.0) -> tuple[dict[str, list[Person]], list[Person]]:
        """(post id -> team, reserve). Every post with demand gets an entry."""
        model = cp_model.CpModel()
        count = self._count_variables(model)
        objective = []
        for post in self.posts:
            objective += self._cover_capacity(model, post, count)
        for (key, post_id), var in count.items():
            person = self.classes[key][0]
            post = self.scenario.post_by_id[post_id]
            away = post.unit and person.unit and post.unit != person.unit
            cost = PERSON_COST + (AWAY_COST if away else 0)
            cost += LEADER_COST * person.leader + SKILL_COST * len(person.skills)
            objective.append(cost * var)
        model.minimize(sum(objective))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.num_workers = 1
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"allocation failed: {solver.status_name(status)}")
        return self._teams(solver, count)

    def _count_variables(self, model: cp_model.CpModel) -> dict[tuple, cp_model.IntVar]:
        count = {}
        for key, people in self.classes.items():
            mandatory = key[0] == "pinned" or any(
                person_rules(self.scenario.rules, p).min_minutes for p in people
            )
            targets = [self.pinned[key[1]]] if key[0] == "pinned" else [p.id for p in self.posts]
            chosen = []
            for post_id in targets:
                if self._capacity(key, post_id) == 0 and key[0] != "pinned":
                    continue
                var = model.new_int_var(0, len(people), f"n[{len(count)},{post_id}]")
                count[(key, post_id)] = var
                chosen.append(var)
            if mandatory:
                model.add(sum(chosen) == len(people))
            elif chosen:
                model.add(sum(chosen) <= len(people))
        return count

    def _cover_capacity(self, model, post: Post, count) -> list:
        """Capacity constraints of one post; returns the shortfall penalty terms."""
        need = self.needs[post.id]
        members = [(key, var) for (key, post_id), var in count.items() if post_id == post.id]
        wants = [("people", need.shifts, lambda p: True)]
        if need.leaders:
            wants.append(("leaders", need.leaders, lambda p: p.leader))
        for skill, shifts in need.skills.items():
            wants.append((skill, shifts, lambda p, s=skill: s in p.skills))
        penalties = []
        for name, shifts, qualifies in wants:
            supply = [
                self._capacity(key, post.id) * var
                for key, var in members
                if qualifies(self.classes[key][0])
            ]
            short = model.new_int_var(0, shifts, f"short[{post.id},{name}]")
            model.add(sum(supply) + short >= shifts)
            penalties.append(CAPACITY_SHORT_COST * short)
        return penalties

    def _teams(self, solver, count) -> tuple[dict[str, list[Person]], list[Person]]:
        teams: dict[str, list[Person]] = {post.id: [] for post in self.posts}
        left = {key: list(people) for key, people in self.classes.items()}
        for (key, post_id), var in sorted(count.items(), key=lambda item: item[0][1]):
            for _ in range(solver.value(var)):
                teams[post_id].append(left[key].pop(0))
        reserve = [p for people in left.values() for p in people]
        order = {p.id: i for i, p in enumerate(self.scenario.people)}
        reserve.sort(key=lambda p: order[p.id])
        return teams, reserve
