"""The planner's domain, as plain dataclasses built by `scenario.load_scenario`.

Dates are held as day indices: day 0 is the scenario's `start`, day `days - 1` its last date.
Shift start times are minutes after local midnight (naive local time, no DST arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

DEFAULT_WEIGHT_UNDER = 100
DEFAULT_WEIGHTS = {"fairness": 1, "nights": 1, "affinity": 1, "stability": 5}


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift: starts `start` minutes after local midnight of its date, lasts `minutes`."""

    id: str
    start: int
    minutes: int
    night: bool


@dataclass(frozen=True)
class Rules:
    """The operation's default hard rules; None means the rule is not enforced."""

    min_rest_minutes: int | None = None
    max_shifts_per_day: int | None = 1
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_minutes_per_7_days: int | None = None
    forbidden_successions: tuple[tuple[str, str], ...] = ()
    one_post_per_person: bool = False


@dataclass(frozen=True)
class Limits:
    """A person's own limits: override the rules' run and 7-day limits; add horizon totals."""

    max_minutes: int | None = None
    min_minutes: int | None = None
    max_shifts: dict[str, int] = field(default_factory=dict)
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    max_minutes_per_7_days: int | None = None


@dataclass(frozen=True)
class Request:
    """A wish to work (`want`) or not to work `shift` on day `day`; costs `weight` if unmet."""

    day: int
    shift: str
    want: bool
    weight: int


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    unit: str | None
    leader: bool
    skills: frozenset[str]
    unavailable: frozenset[int]
    limits: Limits
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class Demand:
    """Wanted cover of one shift type at one post on the days in `days`.

    `leaders` and `skills` count among `people`, not on top. Without `weight_over`, surplus
    people are forbidden.
    """

    shift: str
    people: int
    leaders: int
    skills: dict[str, int]
    days: frozenset[int]
    weight_under: int = DEFAULT_WEIGHT_UNDER
    weight_over: int | None = None


@dataclass
class Post:
    id: str
    name: str
    unit: str | None
    bubble: str | None
    kind: str | None
    demand: list[Demand]
    _by_slot: dict[tuple[int, str], Demand] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_slot = {(d, entry.shift): entry for entry in self.demand for d in entry.days}

    def demand_on(self, day: int, shift: str) -> Demand | None:
        """The demand entry that applies to (day, shift) here, or None (then no one may work it)."""
        return self._by_slot.get((day, shift))

    def slots(self) -> list[tuple[int, str]]:
        """Every (day, shift) with demand at this post, in time order."""
        return sorted(self._by_slot)


class Assignment(NamedTuple):
    person: str
    post: str
    day: int
    shift: str


@dataclass
class Scenario:
    """A validated `cordon.scenario/1`; `raw` keeps the JSON dict it was loaded from."""

    name: str
    timezone: str
    start: date
    days: int
    shift_types: list[ShiftType]
    rules: Rules
    people: list[Person]
    posts: list[Post]
    weights: dict[str, int]
    locked: list[Assignment]
    previous: list[Assignment] | None
    freeze_before: int | None
    raw: dict

    def __post_init__(self) -> None:
        self.shift_by_id = {s.id: s for s in self.shift_types}
        self.person_by_id = {p.id: p for p in self.people}
        self.post_by_id = {p.id: p for p in self.posts}

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, value: date) -> int:
        return (value - self.start).days

    def weight(self, term: str) -> int:
        return self.weights.get(term, DEFAULT_WEIGHTS[term])

    @property
    def is_repair(self) -> bool:
        return self.previous is not None and self.freeze_before is not None
