"""The hard rules on one person's schedule, one function per rule."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from .facts import MINUTES_PER_DAY, SATURDAY, Facts, PersonSchedule
from .report import Violation


def check_person(person: PersonSchedule) -> list[Violation]:
    """Every rule on one person's schedule, in a fixed order."""
    found = []
    for rule in (
        _check_times,
        _check_unavailable,
        _check_runs,
        _check_seven_day_windows,
        _check_successions,
        _check_totals,
        _check_weekends,
        _check_posts,
    ):
        found.extend(rule(person))
    return found


def _check_times(person: PersonSchedule) -> list[Violation]:
    """At most max_shifts_per_day shifts starting on a date; no overlap; min rest between."""
    facts = person.facts
    found = []
    per_day = facts.rules["max_shifts_per_day"]
    if per_day is not None:
        for day, count in sorted(Counter(day for day, _s, _p in person.schedule).items()):
            if count > per_day:
                text = f"works {count} shifts starting on {facts.dates[day]} (at most {per_day})"
                found.append(person.violation("max_shifts_per_day", text, date=facts.dates[day]))
    min_rest = facts.rules["min_rest_minutes"]
    latest = None  # the shift that ends last among those started so far: (end, day, shift, post)
    for day, shift, post in person.schedule:
        kind = facts.shifts[shift]
        start = day * MINUTES_PER_DAY + kind.start
        if latest is not None:
            end, prev_day, prev_shift, prev_post = latest
            gap = start - end
            earlier = f"{prev_shift} on {facts.dates[prev_day]} at {prev_post}"
            later = f"{shift} on {facts.dates[day]} at {post}"
            where = {"date": facts.dates[day], "shift": shift, "post": post}
            if gap < 0:
                text = f"works {earlier} overlapping {later} by {-gap} min"
                found.append(person.violation("overlap", text, **where))
            elif min_rest is not None and gap < min_rest:
                text = f"rests {gap} min between {earlier} and {later} (at least {min_rest})"
                found.append(person.violation("min_rest", text, **where))
        end = start + kind.minutes
        if latest is None or end > latest[0]:
            latest = (end, day, shift, post)
    return found


def _unavailable_days(facts: Facts, raw_person: dict) -> set[int]:
    days = set()
    for span in raw_person.get("unavailable") or []:
        first = date.fromisoformat(span["from"])
        last = date.fromisoformat(span.get("to") or span["from"])
        for offset in range((last - first).days + 1):
            day = facts.day_of.get((first + timedelta(days=offset)).isoformat())
            if day is not None:
                days.add(day)
    return days


def _check_unavailable(person: PersonSchedule) -> list[Violation]:
    facts = person.facts
    off = _unavailable_days(facts, facts.people[person.id])
    return [
        person.violation(
            "unavailable",
            f"works {shift} on {facts.dates[day]} at {post} but is unavailable that day",
            date=facts.dates[day],
            shift=shift,
            post=post,
        )
        for day, shift, post in person.schedule
        if day in off
    ]


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs of `value` in flags, as (first day, last day)."""
    runs = []
    first = None
    for day, flag in enumerate([*flags, not value]):
        if flag == value and first is None:
            first = day
        elif flag != value and first is not None:
            runs.append((first, day - 1))
            first = None
    return runs


def _check_runs(person: PersonSchedule) -> list[Violation]:
    """Max consecutive worked days; min worked and off runs (not touching the horizon's ends)."""
    facts = person.facts
    found = []
    last_day = facts.days - 1
    maximum = person.limits["max_consecutive_days"]
    for first, last in _runs(person.worked, True):
        length = last - first + 1
        span = f"{facts.dates[first]} to {facts.dates[last]}"
        if maximum is not None and length > maximum:
            text = f"works {length} days in a row, {span} (at most {maximum})"
            found.append(person.violation("max_consecutive_days", text, date=facts.dates[first]))
    for rule, value, what in (
        ("min_consecutive_days", True, "worked"),
        ("min_consecutive_days_off", False, "off"),
    ):
        minimum = person.limits[rule]
        if minimum is None:
            continue
        for first, last in _runs(person.worked, value):
            length = last - first + 1
            if first == 0 or last == last_day or length >= minimum:
                continue
            span = f"{facts.dates[first]} to {facts.dates[last]}"
            text = f"has a {what} run of {length} day(s), {span} (at least {minimum})"
            found.append(person.violation(rule, text, date=facts.dates[first]))
    return found


def _check_seven_day_windows(person: PersonSchedule) -> list[Violation]:
    facts = person.facts
    maximum = person.limits["max_minutes_per_7_days"]
    if maximum is None or not person.schedule:
        return []
    found = []
    window = sum(person.minutes_on[:7])
    for first in range(facts.days - 6):
        if first:
            window += person.minutes_on[first + 6] - person.minutes_on[first - 1]
        if window > maximum:
            span = f"{facts.dates[first]} to {facts.dates[first + 6]}"
            text = f"works {window} min in the 7 days {span} (at most {maximum})"
            found.append(person.violation("max_minutes_per_7_days", text, date=facts.dates[first]))
    return found


def _check_successions(person: PersonSchedule) -> list[Violation]:
    facts = person.facts
    if not facts.successions:
        return []
    on_day = defaultdict(set)
    for day, shift, _post in person.schedule:
        on_day[day].add(shift)
    found = []
    for day, shift, post in person.schedule:
        for before in sorted(on_day.get(day - 1, ())):
            if (before, shift) in facts.successions:
                text = (
                    f"works {before} on {facts.dates[day - 1]} then {shift} on "
                    f"{facts.dates[day]} (forbidden succession {before} -> {shift})"
                )
                where = {"date": facts.dates[day], "shift": shift, "post": post}
                found.append(person.violation("forbidden_succession", text, **where))
    return found


def _check_totals(person: PersonSchedule) -> list[Violation]:
    """Total minutes over the horizon within [min_minutes, max_minutes]; max shifts per type."""
    found = []
    total = sum(person.minutes_on)
    maximum, minimum = person.limits["max_minutes"], person.limits["min_minutes"]
    if maximum is not None and total > maximum:
        text = f"works {total} min in the horizon (at most {maximum})"
        found.append(person.violation("max_minutes", text))
    if minimum is not None and total < minimum:
        text = f"works {total} min in the horizon (at least {minimum})"
        found.append(person.violation("min_minutes", text))
    counts = Counter(shift for _d, shift, _p in person.schedule)
    for shift, limit in person.limits["max_shifts"].items():
        if limit is not None and counts[shift] > limit:
            text = f"works {counts[shift]} {shift} shifts (at most {limit})"
            found.append(person.violation("max_shifts", text, shift=shift))
    return found


def _check_weekends(person: PersonSchedule) -> list[Violation]:
    """A weekend (Saturday and Sunday, even partly inside the horizon) is worked if a day is."""
    maximum = person.limits["max_weekends"]
    if maximum is None:
        return []
    facts = person.facts
    saturdays = {
        day - (facts.weekday[day] - SATURDAY)
        for day, worked in enumerate(person.worked)
        if worked and facts.weekday[day] >= SATURDAY
    }
    if len(saturdays) <= maximum:
        return []
    listed = ", ".join(
        (facts.start + timedelta(days=saturday)).isoformat() for saturday in sorted(saturdays)
    )
    text = f"works {len(saturdays)} weekends (at most {maximum}): those of {listed}"
    return [person.violation("max_weekends", text)]


def _check_posts(person: PersonSchedule) -> list[Violation]:
    """One post per person (when the rule says so); posts of one bubble only."""
    facts = person.facts
    found = []
    posts = sorted({post for _d, _s, post in person.schedule})
    if facts.rules["one_post_per_person"] and len(posts) > 1:
        text = f"works at {len(posts)} posts: {', '.join(posts)}"
        found.append(person.violation("one_post_per_person", text))
    bubbles = defaultdict(list)
    for post in posts:
        bubble = facts.posts[post].get("bubble")
        if bubble is not None:
            bubbles[bubble].append(post)
    if len(bubbles) > 1:
        listed = "; ".join(f"{b}: {', '.join(p)}" for b, p in sorted(bubbles.items()))
        text = f"works in {len(bubbles)} bubbles ({listed})"
        found.append(person.violation("bubble", text))
    return found
