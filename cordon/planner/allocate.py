"""Stage 1 (one post per person): allocate people to post teams; whoever is left is the reserve.

People are grouped into classes of interchangeable people (same unit, leader flag, skills,
availability and limits). A small CP-SAT model chooses how many of each class go to each post so
that every team can cover its demand in person-shifts, its leader shifts and its skill shifts,
counting what each person can work under the rest rules (`rules.worked_day_limit`); shortfalls of
that capacity are allowed but cost far more than anything else; then people away from their home
unit, then each person taken from the reserve, leaders and skill holders more (a reserve that
keeps them can repair a team that loses one). Posts a person is locked to are respected. A greedy
allocation (post by post, the class that fills most of what is short) warm-starts the model and
stands in for it when the model finds nothing within its time.
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


def post_need(scenario: Scenario, post: Post, first_day: int = 0) -> PostNeed:
    """What the post asks for from `first_day` on."""
    slots = [(d, s) for d, s in post.slots() if d >= first_day]
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


def _can_work(mask: int, week_cap: int, run_cap: int) -> bool:
    """Whether one more worked day fits after the last 6 days in `mask` (bit 0: yesterday)."""
    if bin(mask).count("1") + 1 > week_cap:
        return False
    run = 0
    while run < 6 and mask & (1 << run):
        run += 1
    return run < run_cap


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
    """Chooses post teams; `pinned` maps a person id to the post they must belong to.

    By default every person may go to every post with demand, over the whole horizon. A re-plan
    (repair.py) narrows it: only `posts`, only `people` (the teams' members, pinned, and the
    reserve), and only the demand from `first_day` on; `history` holds the days each pinned
    person worked before `first_day` (a week of duty just done leaves less to give at first).
    """

    def __init__(
        self,
        scenario: Scenario,
        pinned: dict[str, str] | None = None,
        *,
        posts: list[Post] | None = None,
        people: list[Person] | None = None,
        first_day: int = 0,
        history: dict[str, set[int]] | None = None,
    ):
        self.scenario = scenario
        self.first_day = first_day
        self.history = history or {}
        posts = scenario.posts if posts is None else posts
        self.needs = {p.id: post_need(scenario, p, first_day) for p in posts}
        self.posts = [p for p in posts if self.needs[p.id].days]
        wanted = {p.id for p in self.posts}
        # People pinned to a post outside the allocation are not the allocator's to place.
        self.pinned = {k: v for k, v in (pinned or {}).items() if v in wanted}
        outside = {k for k in pinned or {} if k not in self.pinned}
        self.classes: dict[tuple, list[Person]] = defaultdict(list)
        for person in scenario.people if people is None else people:
            if person.id in outside:
                continue
            key = ("pinned", person.id) if person.id in self.pinned else None
            self.classes[key or _class_key(scenario, person)].append(person)
        self._capacity = cache(self._capacity_uncached)

    def _capacity_uncached(self, class_key: tuple, post_id: str) -> int:
        """Shifts one person of the class could work at the post (an upper bound)."""
        person = self.classes[class_key][0]
        need = self.needs[post_id]
        days = worked_day_limit(self.scenario, person, list(need.days), need.minutes)
        if class_key[0] == "pinned" and self.history.get(person.id):
            days = min(days, self._days_after_history(person, need))
        per_day = self.scenario.rules.max_shifts_per_day
        per_day = need.shift_types if per_day is None else min(per_day, need.shift_types)
        return days * max(1, per_day)

    def _days_after_history(self, person: Person, need: PostNeed) -> int:
        """Most days of `need` a person can work given the days they worked just before
        `first_day`: max consecutive days and the 7-day minutes (a dynamic programme over the
        last 6 days, as `rules.worked_day_limit`, started from the person's history)."""
        rules = person_rules(self.scenario.rules, person)
        week = rules.max_minutes_per_7_days
        week_cap = 7 if week is None or not need.minutes else week // need.minutes
        run_cap = rules.max_consecutive_days or 7
        allowed = set(need.days) - person.unavailable
        if not allowed:
            return 0
        history = self.history[person.id]
        start = sum(1 << (self.first_day - 1 - d) for d in history if 0 < self.first_day - d <= 6)
        best = {start: 0}
        for day in range(self.first_day, max(allowed) + 1):
            nxt: dict[int, int] = {}
            for mask, count in best.items():
                rest = (mask << 1) & 0b111111
                nxt[rest] = max(nxt.get(rest, -1), count)
                if day in allowed and _can_work(mask, week_cap, run_cap):
                    nxt[rest | 1] = max(nxt.get(rest | 1, -1), count + 1)
            best = nxt
        return max(best.values())

    def allocate(self, time_limit: float = 5.0) -> tuple[dict[str, list[Person]], list[Person]]:
        """(post id -> team, reserve). Every post with demand gets an entry.

        A greedy allocation warm-starts the model, and stands when the model finds nothing
        better within `time_limit` (on a busy machine its first solution can take seconds).
        """
        model = cp_model.CpModel()
        count = self._count_variables(model)
        objective = []
        for post in self.posts:
            objective += self._cover_capacity(model, post, count)
        for (key, post_id), var in count.items():
            objective.append(self._cost(key, post_id) * var)
        model.minimize(sum(objective))
        greedy = self._greedy(count)
        for key, var in count.items():
            model.add_hint(var, greedy.get(key, 0))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.num_workers = 1
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return self._teams({key: solver.value(var) for key, var in count.items()})
        return self._teams(greedy)

    def _cost(self, key: tuple, post_id: str) -> int:
        """Cost of one person of the class in the post's team (beyond any capacity shortfall)."""
        person = self.classes[key][0]
        post = self.scenario.post_by_id[post_id]
        away = post.unit and person.unit and post.unit != person.unit
        cost = PERSON_COST + (AWAY_COST if away else 0)
        return cost + LEADER_COST * person.leader + SKILL_COST * len(person.skills)

    def _mandatory(self, key: tuple) -> bool:
        """Whether everyone of the class must be in a team (pinned, or with minimum minutes)."""
        return key[0] == "pinned" or any(
            person_rules(self.scenario.rules, p).min_minutes for p in self.classes[key]
        )

    def _count_variables(self, model: cp_model.CpModel) -> dict[tuple, cp_model.IntVar]:
        count = {}
        for key, people in self.classes.items():
            targets = [self.pinned[key[1]]] if key[0] == "pinned" else [p.id for p in self.posts]
            chosen = []
            for post_id in targets:
                if self._capacity(key, post_id) == 0 and key[0] != "pinned":
                    continue
                var = model.new_int_var(0, len(people), f"n[{len(count)},{post_id}]")
                count[(key, post_id)] = var
                chosen.append(var)
            if self._mandatory(key):
                model.add(sum(chosen) == len(people))
            elif chosen:
                model.add(sum(chosen) <= len(people))
        return count

    def _wants(self, post: Post) -> list[tuple[str, int, object]]:
        """(name, person-shifts asked, who qualifies) for people, leaders and each skill."""
        need = self.needs[post.id]
        wants = [("people", need.shifts, lambda p: True)]
        if need.leaders:
            wants.append(("leaders", need.leaders, lambda p: p.leader))
        for skill, shifts in need.skills.items():
            wants.append((skill, shifts, lambda p, s=skill: s in p.skills))
        return wants

    def _cover_capacity(self, model, post: Post, count) -> list:
        """Capacity constraints of one post; returns the shortfall penalty terms."""
        members = [(key, var) for (key, post_id), var in count.items() if post_id == post.id]
        penalties = []
        for name, shifts, qualifies in self._wants(post):
            supply = [
                self._capacity(key, post.id) * var
                for key, var in members
                if qualifies(self.classes[key][0])
            ]
            short = model.new_int_var(0, shifts, f"short[{post.id},{name}]")
            model.add(sum(supply) + short >= shifts)
            penalties.append(CAPACITY_SHORT_COST * short)
        return penalties

    def _greedy(self, count) -> dict[tuple, int]:
        """A quick allocation: mandatory people first, then post by post the class that fills
        most of what is still short, cheapest first, until nothing more helps."""
        chosen: dict[tuple, int] = defaultdict(int)
        left = {key: len(people) for key, people in self.classes.items()}
        options: dict[str, list[tuple]] = defaultdict(list)
        for key, post_id in count:
            options[post_id].append(key)
        for key, post_id in count:
            if key[0] == "pinned":
                chosen[(key, post_id)] += left[key]
                left[key] = 0
        for post in self.posts:
            short = {name: shifts for name, shifts, _q in self._wants(post)}
            qualifies = {name: q for name, _s, q in self._wants(post)}
            for key in options[post.id]:
                self._take(key, post.id, chosen[(key, post.id)], short, qualifies)
            while True:
                best = self._best_class(post.id, options[post.id], left, short, qualifies)
                if best is None:
                    break
                chosen[(best, post.id)] += 1
                left[best] -= 1
                self._take(best, post.id, 1, short, qualifies)
        for key, post_id in count:  # minimum minutes: everyone of the class has a team
            if self._mandatory(key) and left[key]:
                chosen[(key, post_id)] += left[key]
                left[key] = 0
        return dict(chosen)

    def _take(self, key, post_id, people: int, short: dict, qualifies: dict) -> None:
        person = self.classes[key][0]
        for name in short:
            if qualifies[name](person):
                short[name] = max(0, short[name] - people * self._capacity(key, post_id))

    def _best_class(self, post_id, keys, left, short, qualifies):
        def gain(key) -> int:
            person = self.classes[key][0]
            return sum(1 for name, n in short.items() if n > 0 and qualifies[name](person))

        useful = [k for k in keys if left[k] > 0 and gain(k) > 0]
        if not useful:
            return None
        return min(useful, key=lambda k: (-gain(k), self._cost(k, post_id)))

    def _teams(self, counts: dict[tuple, int]) -> tuple[dict[str, list[Person]], list[Person]]:
        teams: dict[str, list[Person]] = {post.id: [] for post in self.posts}
        left = {key: list(people) for key, people in self.classes.items()}
        for (key, post_id), number in sorted(counts.items(), key=lambda item: item[0][1]):
            for _ in range(number):
                teams[post_id].append(left[key].pop(0))
        reserve = [p for people in left.values() for p in people]
        order = {p.id: i for i, p in enumerate(self.scenario.people)}
        reserve.sort(key=lambda p: order[p.id])
        return teams, reserve
