"""Semantic checks of a scenario that passed the JSON Schema.

Each function checks one part of the scenario and records `(json_path, message)` problems. Together
they guarantee what the model builder relies on: references resolve, ids are unique, dates are
real calendar dates inside the horizon, demand entries are coherent and do not overlap, and
locked or frozen assignments are possible at all.
"""

from __future__ import annotations

from datetime import date, timedelta

from .errors import json_path


class Problems:
    """Collects problems; `horizon` is (first date, last date) once the start date is known."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.horizon: tuple[date, date] | None = None

    def add(self, path: tuple, message: str) -> None:
        self.items.append((json_path(path), message))

    def date(self, value, path: tuple, *, inside: bool = True) -> date | None:
        """The date in `value`, or None after recording why it is not a usable one."""
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.add(path, f"{value!r} is not a calendar date (YYYY-MM-DD)")
            return None
        if inside and self.horizon and not self.horizon[0] <= parsed <= self.horizon[1]:
            first, last = self.horizon
            self.add(path, f"date {value} is outside the horizon {first} to {last}")
            return None
        return parsed


def check_scenario(raw: dict) -> list[tuple[str, str]]:
    """Every semantic problem of a schema-valid scenario dict, in document order."""
    problems = Problems()
    start = problems.date(raw["start"], ("start",), inside=False)
    if start is None:
        return problems.items
    problems.horizon = (start, start + timedelta(days=raw["days"] - 1))
    shift_ids = check_shift_types(raw, problems)
    check_rules(raw, problems, shift_ids)
    people = check_people(raw, problems, shift_ids)
    posts = check_posts(raw, problems, shift_ids)
    demand_slots = _demand_slots(raw, problems)
    check_locked(raw, problems, people, posts, shift_ids, demand_slots)
    check_previous(raw, problems, (people, posts, shift_ids), demand_slots)
    return problems.items


def _duplicates(items: list[dict], key: str, path: tuple, problems: Problems) -> dict[str, int]:
    """Index of first occurrence by `key`; each later duplicate is a problem."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = item[key]
        if value in seen:
            problems.add((*path, i, key), f"duplicate id {value!r} (first at index {seen[value]})")
        else:
            seen[value] = i
    return seen


def check_shift_types(raw: dict, problems: Problems) -> set[str]:
    shifts = raw["shift_types"]
    ids = _duplicates(shifts, "id", ("shift_types",), problems)
    for i, shift in enumerate(shifts):
        if shift["minutes"] <= 0:
            problems.add(
                ("shift_types", i, "minutes"),
                f"a shift lasts at least 1 minute, got {shift['minutes']}",
            )
        elif shift["minutes"] > 7 * 1440:
            problems.add(("shift_types", i, "minutes"), "a shift lasts at most 7 days")
    return set(ids)


def check_rules(raw: dict, problems: Problems, shift_ids: set[str]) -> None:
    rules = raw.get("rules") or {}
    for i, pair in enumerate(rules.get("forbidden_successions", [])):
        for j, shift in enumerate(pair):
            if shift not in shift_ids:
                problems.add(
                    ("rules", "forbidden_successions", i, j), f"unknown shift type {shift!r}"
                )


def check_people(raw: dict, problems: Problems, shift_ids: set[str]) -> dict[str, int]:
    people = raw["people"]
    ids = _duplicates(people, "id", ("people",), problems)
    for i, person in enumerate(people):
        path = ("people", i)
        for j, span in enumerate(person.get("unavailable", [])):
            # Unavailability may reach beyond the horizon (sick until after the operation).
            first = problems.date(span["from"], (*path, "unavailable", j, "from"), inside=False)
            last = problems.date(span["to"], (*path, "unavailable", j, "to"), inside=False)
            if first and last and first > last:
                problems.add((*path, "unavailable", j), f"'from' {first} is after 'to' {last}")
        _check_limits(person.get("limits") or {}, (*path, "limits"), problems, shift_ids)
        for j, request in enumerate(person.get("requests", [])):
            problems.date(request["date"], (*path, "requests", j, "date"))
            if request["shift"] not in shift_ids:
                problems.add(
                    (*path, "requests", j, "shift"), f"unknown shift type {request['shift']!r}"
                )
    return ids


def _check_limits(limits: dict, path: tuple, problems: Problems, shift_ids: set[str]) -> None:
    for shift in limits.get("max_shifts", {}):
        if shift not in shift_ids:
            problems.add((*path, "max_shifts", shift), f"unknown shift type {shift!r}")
    low, high = limits.get("min_minutes"), limits.get("max_minutes")
    if low is not None and high is not None and low > high:
        problems.add((*path, "min_minutes"), f"min_minutes {low} is above max_minutes {high}")


def check_posts(raw: dict, problems: Problems, shift_ids: set[str]) -> dict[str, int]:
    posts = raw["posts"]
    ids = _duplicates(posts, "id", ("posts",), problems)
    for i, post in enumerate(posts):
        for j, entry in enumerate(post["demand"]):
            _check_demand_entry(entry, ("posts", i, "demand", j), problems, shift_ids)
    return ids


def _check_demand_entry(entry: dict, path: tuple, problems: Problems, shift_ids: set[str]):
    if entry["shift"] not in shift_ids:
        problems.add((*path, "shift"), f"unknown shift type {entry['shift']!r}")
    people = entry["people"]
    if entry.get("leaders", 0) > people:
        problems.add(
            (*path, "leaders"), f"{entry['leaders']} leaders asked among only {people} people"
        )
    for skill, count in (entry.get("skills") or {}).items():
        if count > people:
            problems.add(
                (*path, "skills", skill), f"{count} with skill {skill!r} among only {people} people"
            )
    first = problems.date(entry.get("from"), (*path, "from"))
    last = problems.date(entry.get("to"), (*path, "to"))
    if first and last and first > last:
        problems.add((*path, "from"), f"'from' {first} is after 'to' {last}")
    for k, value in enumerate(entry.get("dates") or []):
        problems.date(value, (*path, "dates", k))


def demand_dates(entry: dict, first_day: date, last_day: date) -> list[date]:
    """The dates a demand entry applies to: [from, to] (default the horizon), `dates` if given."""
    first = date.fromisoformat(entry["from"]) if entry.get("from") else first_day
    last = date.fromisoformat(entry["to"]) if entry.get("to") else last_day
    if entry.get("dates") is not None:
        chosen = {date.fromisoformat(value) for value in entry["dates"]}
        return sorted(d for d in chosen if first <= d <= last)
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _demand_slots(raw: dict, problems: Problems) -> set[tuple[str, str, str]]:
    """(post, date, shift) with demand; two entries on one slot are a problem."""
    if problems.items:  # dates or references already broken: overlaps would only add noise
        return set()
    first_day, last_day = problems.horizon
    owner: dict[tuple[str, str, str], int] = {}
    for i, post in enumerate(raw["posts"]):
        for j, entry in enumerate(post["demand"]):
            for day in demand_dates(entry, first_day, last_day):
                slot = (post["id"], day.isoformat(), entry["shift"])
                if slot in owner and owner[slot] != (i, j):
                    problems.add(
                        ("posts", i, "demand", j),
                        f"a second demand entry for shift {entry['shift']} on {day} "
                        f"(first: demand[{owner[slot][1]}])",
                    )
                    break
                owner[slot] = (i, j)
    return set(owner)


def _check_assignment_refs(item: dict, path: tuple, problems: Problems, refs) -> bool:
    people, posts, shift_ids = refs
    ok = True
    for key, known, what in (
        ("person", people, "person"),
        ("post", posts, "post"),
        ("shift", shift_ids, "shift type"),
    ):
        if item[key] not in known:
            problems.add((*path, key), f"unknown {what} {item[key]!r}")
            ok = False
    return problems.date(item["date"], (*path, "date")) is not None and ok


def check_locked(raw, problems, people, posts, shift_ids, demand_slots) -> None:
    refs = (people, posts, shift_ids)
    for i, item in enumerate(raw.get("locked") or []):
        path = ("locked", i)
        if not _check_assignment_refs(item, path, problems, refs):
            continue
        if demand_slots and (item["post"], item["date"], item["shift"]) not in demand_slots:
            problems.add(path, "no demand applies to this post, date and shift")
        if _is_unavailable(raw["people"][people[item["person"]]], item["date"]):
            problems.add(path, f"{item['person']} is unavailable on {item['date']}")
        if _frozen(raw, item["date"]) and _key(item) not in _previous_keys(raw):
            problems.add(path, "locked before freeze_before but not in the previous plan")


def _frozen(raw: dict, day: str) -> bool:
    return raw.get("freeze_before") is not None and day < raw["freeze_before"]


def _key(item: dict) -> tuple[str, str, str, str]:
    return item["person"], item["post"], item["date"], item["shift"]


def _previous_keys(raw: dict) -> set[tuple[str, str, str, str]]:
    return {_key(item) for item in (raw.get("previous") or {}).get("assignments", [])}


def check_previous(raw, problems, refs, demand_slots) -> None:
    previous, freeze = raw.get("previous"), raw.get("freeze_before")
    if freeze is not None:
        if previous is None:
            problems.add(("freeze_before",), "freeze_before needs a previous plan")
        first_day, last_day = problems.horizon
        horizon_end = last_day + timedelta(days=1)
        frozen = problems.date(freeze, ("freeze_before",), inside=False)
        if frozen and not first_day <= frozen <= horizon_end:
            problems.add(("freeze_before",), f"date {freeze} is outside {first_day}..{horizon_end}")
    if previous is None:
        return
    people = refs[0]
    for i, item in enumerate(previous["assignments"]):
        path = ("previous", "assignments", i)
        if not _assignment_shape(item, path, problems):
            continue
        if not _check_assignment_refs(item, path, problems, refs) or not _frozen(raw, item["date"]):
            continue
        if demand_slots and (item["post"], item["date"], item["shift"]) not in demand_slots:
            problems.add(path, "frozen assignment where no demand applies any more")
        if _is_unavailable(raw["people"][people[item["person"]]], item["date"]):
            problems.add(
                path,
                f"frozen assignment of {item['person']} on {item['date']} falls on a date "
                "marked unavailable; mark unavailability only from freeze_before on",
            )


def _assignment_shape(item: dict, path: tuple, problems: Problems) -> bool:
    """The fields of a plan's assignment (checked here: the schema leaves big plans alone)."""
    ok = True
    for key in ("person", "post", "date", "shift"):
        if not isinstance(item.get(key), str) or not item[key]:
            problems.add((*path, key), "required text field is missing or empty")
            ok = False
    return ok


def _is_unavailable(person: dict, day: str) -> bool:
    return any(span["from"] <= day <= span["to"] for span in person.get("unavailable", []))
