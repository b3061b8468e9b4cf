"""Load a `cordon.scenario/1`: read, validate (JSON Schema, then semantics), build the model."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema

from .errors import ScenarioError, json_path
from .model import (
    DEFAULT_WEIGHT_UNDER,
    Assignment,
    Demand,
    Limits,
    Person,
    Post,
    Request,
    Rules,
    Scenario,
    ShiftType,
)
from .semantics import check_scenario, demand_dates

FORMAT = "cordon.scenario/1"
NIGHT_PROBE_MINUTE = 3 * 60  # a shift type is a night shift when it covers 03:00 local


def load_scenario(source) -> Scenario:
    """A validated Scenario from a dict, a JSON string, a path or a Scenario.

    Raises ScenarioError listing every problem with its JSON path; nothing is half-loaded.
    """
    if isinstance(source, Scenario):
        return source
    raw = _read(source)
    problems = schema_problems(raw)
    if not problems:
        problems = check_scenario(raw)
    if problems:
        raise ScenarioError(problems)
    return build_scenario(raw)


def _read(source) -> dict:
    if isinstance(source, dict):
        return source
    if isinstance(source, Path) or (isinstance(source, str) and source.lstrip()[:1] not in "{["):
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise ScenarioError([("$", f"cannot read {source}: {error.strerror}")]) from None
        except UnicodeDecodeError:
            raise ScenarioError([("$", f"{source} is not UTF-8 text")]) from None
    elif isinstance(source, bytes | str):
        text = source.decode("utf-8") if isinstance(source, bytes) else source
    else:
        raise ScenarioError([("$", f"expected a dict, JSON text or a path, got {type(source)}")])
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise ScenarioError([("$", f"malformed JSON at {where}: {error.msg}")]) from None
    if not isinstance(raw, dict):
        raise ScenarioError([("$", "a scenario is a JSON object")])
    return raw


@cache
def _validator() -> jsonschema.Draft202012Validator:
    text = resources.files(__package__).joinpath("scenario.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def schema_problems(raw: dict) -> list[tuple[str, str]]:
    """JSON Schema problems, each with the JSON path of the offending field."""
    if "format" in raw and raw["format"] != FORMAT:
        return [("$.format", f"unknown format version {raw['format']!r}; expected {FORMAT!r}")]
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    return [_describe(error) for error in errors]


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return json_path([*path, missing[0]]), "required field is missing"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return json_path([*path, extra[0]]), "unknown field"
    if error.validator == "pattern":
        form = "HH:MM" if ":" in error.validator_value else "YYYY-MM-DD"
        return json_path(path), f"{error.instance!r} is not of the form {form}"
    return json_path(path), error.message


# ---- building the model from a validated dict --------------------------------------------------


def build_scenario(raw: dict) -> Scenario:
    start = date.fromisoformat(raw["start"])
    days = raw["days"]

    def day(value: str) -> int:
        return (date.fromisoformat(value) - start).days

    previous = raw.get("previous")
    return Scenario(
        name=raw["name"],
        timezone=raw.get("timezone") or "UTC",
        start=start,
        days=days,
        shift_types=[_shift_type(s) for s in raw["shift_types"]],
        rules=_rules(raw.get("rules") or {}),
        people=[_person(p, day, days) for p in raw["people"]],
        posts=[_post(p, start, days) for p in raw["posts"]],
        weights=dict(raw.get("weights") or {}),
        locked=[_assignment(a, day) for a in raw.get("locked") or []],
        previous=[_assignment(a, day) for a in previous["assignments"]] if previous else None,
        freeze_before=day(raw["freeze_before"]) if raw.get("freeze_before") else None,
        raw=raw,
    )


def _minutes(hhmm: str) -> int:
    value = time.fromisoformat(hhmm)
    return value.hour * 60 + value.minute


def _covers_night_probe(start: int, minutes: int) -> bool:
    return any(start <= probe < start + minutes for probe in (NIGHT_PROBE_MINUTE, 1440 + 180))


def _shift_type(raw: dict) -> ShiftType:
    start = _minutes(raw["start"])
    night = raw.get("night")
    if night is None:
        night = _covers_night_probe(start, raw["minutes"])
    return ShiftType(raw["id"], start, raw["minutes"], bool(night))


def _rules(raw: dict) -> Rules:
    defaults = Rules()
    return Rules(
        min_rest_minutes=raw.get("min_rest_minutes", defaults.min_rest_minutes),
        max_shifts_per_day=raw.get("max_shifts_per_day", defaults.max_shifts_per_day),
        max_consecutive_days=raw.get("max_consecutive_days"),
        min_consecutive_days=raw.get("min_consecutive_days"),
        min_consecutive_days_off=raw.get("min_consecutive_days_off"),
        max_minutes_per_7_days=raw.get("max_minutes_per_7_days"),
        forbidden_successions=tuple(tuple(p) for p in raw.get("forbidden_successions", [])),
        one_post_per_person=bool(raw.get("one_post_per_person", False)),
    )


def _person(raw: dict, day, days: int) -> Person:
    unavailable: set[int] = set()
    for span in raw.get("unavailable", []):
        first, last = max(day(span["from"]), 0), min(day(span["to"]), days - 1)
        unavailable.update(range(first, last + 1))
    limits = raw.get("limits") or {}
    return Person(
        id=raw["id"],
        name=raw.get("name", raw["id"]),
        unit=raw.get("unit"),
        leader=bool(raw.get("leader", False)),
        skills=frozenset(raw.get("skills", [])),
        unavailable=frozenset(unavailable),
        limits=Limits(
            max_minutes=limits.get("max_minutes"),
            min_minutes=limits.get("min_minutes"),
            max_shifts=dict(limits.get("max_shifts") or {}),
            max_consecutive_days=limits.get("max_consecutive_days"),
            min_consecutive_days=limits.get("min_consecutive_days"),
            min_consecutive_days_off=limits.get("min_consecutive_days_off"),
            max_weekends=limits.get("max_weekends"),
            max_minutes_per_7_days=limits.get("max_minutes_per_7_days"),
        ),
        requests=tuple(
            Request(day(r["date"]), r["shift"], r["want"], r.get("weight", 1))
            for r in raw.get("requests", [])
        ),
    )


def _post(raw: dict, start: date, days: int) -> Post:
    last = start + timedelta(days=days - 1)
    demand = []
    for entry in raw["demand"]:
        dates = demand_dates(entry, start, last)
        demand.append(
            Demand(
                shift=entry["shift"],
                people=entry["people"],
                leaders=entry.get("leaders", 0),
                skills={k: v for k, v in (entry.get("skills") or {}).items() if v > 0},
                days=frozenset((d - start).days for d in dates),
                weight_under=entry.get("weight_under", DEFAULT_WEIGHT_UNDER),
                weight_over=entry.get("weight_over"),
            )
        )
    return Post(
        id=raw["id"],
        name=raw.get("name", raw["id"]),
        unit=raw.get("unit"),
        bubble=raw.get("bubble"),
        kind=raw.get("kind"),
        demand=demand,
    )


def _assignment(raw: dict, day) -> Assignment:
    return Assignment(raw["person"], raw["post"], day(raw["date"]), raw["shift"])
