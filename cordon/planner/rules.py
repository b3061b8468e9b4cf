"""The hard rules in the form the solver uses: per-person limits, shift timing, day windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .model import Person, Rules, Scenario, ShiftType

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class PersonRules:
    """The rules that bind one person: the operation's rules overridden by the person's limits."""

    max_consecutive_days: int | None
    min_consecutive_days: int | None
    min_consecutive_days_off: int | None
    max_minutes_per_7_days: int | None
    max_minutes: int | None
    min_minutes: int | None
    max_shifts: dict[str, int]
    max_weekends: int | None


def person_rules(rules: Rules, person: Person) -> PersonRules:
    """A person's effective rules: a limit set on the person replaces the operation's rule."""
    limits = person.limits

    def pick(name: str) -> int | None:
        own = getattr(limits, name)
        return own if own is not None else getattr(rules, name)

    return PersonRules(
        max_consecutive_days=pick("max_consecutive_days"),
        min_consecutive_days=pick("min_consecutive_days"),
        min_consecutive_days_off=pick("min_consecutive_days_off"),
        max_minutes_per_7_days=pick("max_minutes_per_7_days"),
        max_minutes=limits.max_minutes,
        min_minutes=limits.min_minutes,
        max_shifts=dict(limits.max_shifts),
        max_weekends=limits.max_weekends,
    )


def shift_span(shift: ShiftType, day: int) -> tuple[int, int]:
    """(start, end) of shift `shift` on day `day`, in minutes from the horizon's first midnight."""
    start = day * MINUTES_PER_DAY + shift.start
    return start, start + shift.minutes


def rest_conflicts(
    shift_types: list[ShiftType], min_rest_minutes: int | None
) -> list[tuple[str, str, int]]:
    """Shift pairs no one may work both of: overlapping, or with less than the minimum rest.

    Each (s, t, k) means: shift s on some day d and shift t on day d + k (k >= 0) are too close.
    For k = 0 each unordered pair appears once. Checking every such pair is equivalent to checking
    consecutive shifts only: a conflict between two shifts implies one between neighbours.
    """
    rest = min_rest_minutes or 0
    conflicts = []
    longest = max(s.minutes + s.start for s in shift_types)
    reach = (longest + rest) // MINUTES_PER_DAY + 1
    for i, first in enumerate(shift_types):
        for j, second in enumerate(shift_types):
            for k in range(reach + 1):
                if k == 0 and j <= i:
                    continue
                if _too_close(shift_span(first, 0), shift_span(second, k), rest):
                    conflicts.append((first.id, second.id, k))
    return conflicts


def _too_close(a: tuple[int, int], b: tuple[int, int], rest: int) -> bool:
    (_a_start, a_end), (b_start, _b_end) = sorted([a, b])
    return b_start < a_end + rest


def weekends(start: date, days: int) -> list[list[int]]:
    """Day indices of each Saturday+Sunday pair that has a day inside the horizon."""
    groups: dict[date, list[int]] = {}
    for d in range(days):
        day = start + timedelta(days=d)
        if day.weekday() >= 5:
            saturday = day - timedelta(days=day.weekday() - 5)
            groups.setdefault(saturday, []).append(d)
    return [groups[k] for k in sorted(groups)]


def seven_day_windows(days: int) -> list[range]:
    """Windows of 7 consecutive days fully inside the horizon."""
    return [range(d, d + 7) for d in range(days - 6)]


def worked_day_limit(scenario: Scenario, person: Person, days: list[int], minutes: int) -> int:
    """Most days out of `days` a person could work, each with a shift of `minutes`.

    An upper bound used to size teams: availability, max consecutive days, the 7-day minute
    limit, max total minutes. Exact over those rules (dynamic programme over the last 6 days).
    """
    rules = person_rules(scenario.rules, person)
    allowed = [d for d in days if d not in person.unavailable]
    if not allowed:
        return 0
    per_week = rules.max_minutes_per_7_days
    week_cap = 7 if per_week is None else per_week // minutes
    run_cap = rules.max_consecutive_days or 10**6
    total_cap = 10**6 if rules.max_minutes is None else rules.max_minutes // minutes
    first = min(allowed)
    return min(_most_days(tuple(d - first for d in allowed), week_cap, run_cap), total_cap)


@cache
def _most_days(allowed: tuple[int, ...], week_cap: int, run_cap: int) -> int:
    """Most of the `allowed` days workable; state: bitmask of the last 6 days worked."""
    allowed_set = set(allowed)
    best = {0: 0}
    for d in range(allowed[-1] + 1):
        nxt: dict[int, int] = {}
        for mask, count in best.items():
            _keep(nxt, (mask << 1) & 0b111111, count)
            if d in allowed_set and _can_work(mask, week_cap, run_cap):
                _keep(nxt, ((mask << 1) | 1) & 0b111111, count + 1)
        best = nxt
    return max(best.values())


def _keep(states: dict[int, int], mask: int, count: int) -> None:
    if states.get(mask, -1) < count:
        states[mask] = count


def _can_work(mask: int, week_cap: int, run_cap: int) -> bool:
    if bin(mask).count("1") + 1 > week_cap:
        return False
    run = 0
    while mask & (1 << run) and run < 6:
        run += 1
    return run + 1 <= run_cap if run < 6 else run_cap > 6
