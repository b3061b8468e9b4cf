"""The Shift Scheduling Benchmark (Curtois & Qu) as cordon scenarios: our planner vs. a baseline.

    python bench/curtois.py ../shared/data/curtois --instances 1-12 --time-limit 60 --workers 2

For each instance: converts the instance file (read from the given folder, never copied into the
repository) into a `cordon.scenario/1`; plans it with our planner (`cordon.planner.solve`) and
with the straightforward baseline model (bench/curtois_baseline.py), each in a fresh process with
the same time limit and workers; checks both plans with the validator; and prints instance,
days, best known (read from the folder's README), objective, gap, seconds, validity and peak
memory. Each plan is also scored straight from the parsed instance file, without the scenario,
which cross-checks the conversion and the validator. It prints figures and exits 0.

The conversion (see `to_scenario`): one post, `one_post_per_person` false; each employee's
limits become per-person `limits`; days off become `unavailable`; shift on/off requests become
requests with want true/false; cover lines become demand with weight_under and weight_over;
"NotFollowedBy" becomes `forbidden_successions`. The horizon starts on a Monday. Every shift
type starts at 04:00: the longest lasts 12 hours, so no two shifts on consecutive days overlap
and none covers 03:00, and min rest is 0 (Curtois has none). The soft weights fairness, nights,
affinity and stability are 0, so the scenario's objective is exactly the instance's.
"""

import argparse
import multiprocessing
import re
import resource
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `cordon` importable
    sys.path.insert(0, str(ROOT))

from cordon.planner.validate import check  # noqa: E402

START = date(2024, 1, 1)  # a Monday: Curtois day 0 is a Monday
SHIFT_START = "04:00"
POST = "WARD"
SOLVERS = ("ours", "baseline")


@dataclass
class Employee:
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass
class Instance:
    """One instance file, as written: day indexes from 0, shift ids, weights."""

    name: str
    days: int = 0
    shifts: dict[str, int] = field(default_factory=dict)  # id -> minutes
    not_followed_by: dict[str, list[str]] = field(default_factory=dict)
    staff: list[Employee] = field(default_factory=list)
    days_off: dict[str, list[int]] = field(default_factory=dict)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(default_factory=list)


def parse(path) -> Instance:
    """Read an instance file (sections of comma-separated lines; `#` starts a comment)."""
    instance = Instance(name=Path(path).stem)
    section = None
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            section = line
            continue
        fields = [value.strip() for value in line.split(",")]
        if section == "SECTION_HORIZON":
            instance.days = int(fields[0])
        elif section == "SECTION_SHIFTS":
            instance.shifts[fields[0]] = int(fields[1])
            following = fields[2] if len(fields) > 2 else ""
            instance.not_followed_by[fields[0]] = [s for s in following.split("|") if s]
        elif section == "SECTION_STAFF":
            counts = dict(item.split("=") for item in fields[1].split("|") if item)
            instance.staff.append(
                Employee(fields[0], {k: int(v) for k, v in counts.items()}, *map(int, fields[2:8]))
            )
        elif section == "SECTION_DAYS_OFF":
            instance.days_off[fields[0]] = [int(day) for day in fields[1:] if day]
        elif section in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
            request = (fields[0], int(fields[1]), fields[2], int(fields[3]))
            on = section == "SECTION_SHIFT_ON_REQUESTS"
            (instance.on_requests if on else instance.off_requests).append(request)
        elif section == "SECTION_COVER":
            day, shift, required, under, over = fields[:5]
            instance.cover.append((int(day), shift, int(required), int(under), int(over)))
    return instance


def convert(path) -> dict:
    """The `cordon.scenario/1` dict of the instance file at `path`."""
    return to_scenario(parse(path))


def to_scenario(instance: Instance) -> dict:
    def on(day: int) -> str:
        return (START + timedelta(days=day)).isoformat()

    people = []
    for employee in instance.staff:
        requests = [
            {"date": on(day), "shift": shift, "want": want, "weight": weight}
            for want, listed in ((True, instance.on_requests), (False, instance.off_requests))
            for who, day, shift, weight in listed
            if who == employee.id
        ]
        people.append(
            {
                "id": employee.id,
                "name": f"Employee {employee.id}",
                "leader": False,
                "skills": [],
                "unavailable": [
                    {"from": on(first), "to": on(last)}
                    for first, last in _spans(instance.days_off.get(employee.id, []))
                ],
                "limits": {
                    "max_shifts": employee.max_shifts,
                    "max_minutes": employee.max_minutes,
                    "min_minutes": employee.min_minutes,
                    "max_consecutive_days": employee.max_consecutive,
                    "min_consecutive_days": employee.min_consecutive,
                    "min_consecutive_days_off": employee.min_consecutive_off,
                    "max_weekends": employee.max_weekends,
                },
                "requests": sorted(requests, key=lambda r: (r["date"], r["shift"])),
            }
        )
    return {
        "format": "cordon.scenario/1",
        "name": f"Curtois {instance.name}",
        "timezone": "UTC",
        "start": START.isoformat(),
        "days": instance.days,
        "shift_types": [
            {"id": shift, "start": SHIFT_START, "minutes": minutes}
            for shift, minutes in instance.shifts.items()
        ],
        "rules": {
            "min_rest_minutes": 0,
            "max_shifts_per_day": 1,
            "max_consecutive_days": None,
            "min_consecutive_days": None,
            "min_consecutive_days_off": None,
            "max_minutes_per_7_days": None,
            "forbidden_successions": [
                [shift, later]
                for shift, followers in instance.not_followed_by.items()
                for later in followers
            ],
            "one_post_per_person": False,
        },
        "people": people,
        "posts": [{"id": POST, "name": "Ward", "bubble": None, "demand": _demand(instance, on)}],
        "weights": {"fairness": 0, "nights": 0, "affinity": 0, "stability": 0},
        "locked": [],
        "previous": None,
        "freeze_before": None,
    }


def _spans(days: list[int]) -> list[tuple[int, int]]:
    """Sorted days as runs of consecutive days (first, last)."""
    spans = []
    for day in sorted(set(days)):
        if spans and spans[-1][1] == day - 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _demand(instance: Instance, on) -> list[dict]:
    """One demand entry per shift and (requirement, weights), listing its dates.

    A (day, shift) without a cover line costs nothing in Curtois either way: people 0, weight
    over 0 (in a cordon scenario an assignment where no demand applies would be invalid).
    """
    groups: dict[tuple, list[int]] = {}
    covered = set()
    for day, shift, required, under, over in instance.cover:
        groups.setdefault((shift, required, under, over), []).append(day)
        covered.add((day, shift))
    for shift in instance.shifts:
        for day in range(instance.days):
            if (day, shift) not in covered:
                groups.setdefault((shift, 0, 0, 0), []).append(day)
    return [
        {"shift": shift, "people": required, "dates": [on(day) for day in sorted(days)],
         "weight_under": under, "weight_over": over}
        for (shift, required, under, over), days in groups.items()
    ]  # fmt: skip


# --- scoring a plan straight from the instance, without the scenario ----------------------


def curtois_score(instance: Instance, plan: dict) -> tuple[int, list[str]]:
    """The Curtois objective of the plan's roster and the Curtois hard constraints it breaks.

    Written from the benchmark's README alone, not from the scenario or the validator, with
    the boundary reading for minimum runs (runs touching the horizon's ends are exempt).
    """
    roster: dict[tuple[str, int], set[str]] = {}  # (employee, day) -> shifts worked
    problems = []
    for item in plan["assignments"]:
        key = (item["person"], (date.fromisoformat(item["date"]) - START).days)
        roster.setdefault(key, set()).add(item["shift"])
        if len(roster[key]) == 2:
            problems.append(f"{key[0]} works two shifts on day {key[1]}")
    count = {(d, s): 0 for d in range(instance.days) for s in instance.shifts}
    for (_employee, day), shifts in roster.items():
        for shift in shifts:
            count[(day, shift)] += 1
    objective = 0
    for day, shift, required, under, over in instance.cover:
        objective += under * max(0, required - count[(day, shift)])
        objective += over * max(0, count[(day, shift)] - required)
    for who, day, shift, weight in instance.on_requests:
        objective += weight * (shift not in roster.get((who, day), ()))
    for who, day, shift, weight in instance.off_requests:
        objective += weight * (shift in roster.get((who, day), ()))
    for employee in instance.staff:
        problems += _employee_problems(instance, employee, roster)
    return objective, problems


def _employee_problems(instance: Instance, employee: Employee, roster: dict) -> list[str]:
    who, days = employee.id, instance.days
    shifts = [roster.get((who, day), set()) for day in range(days)]
    problems = [f"{who} works day {d} off" for d in instance.days_off.get(who, []) if shifts[d]]
    for shift, limit in employee.max_shifts.items():
        if sum(shift in worked for worked in shifts) > limit:
            problems.append(f"{who} works {shift} more than {limit} times")
    minutes = sum(instance.shifts[shift] for worked in shifts for shift in worked)
    if not employee.min_minutes <= minutes <= employee.max_minutes:
        problems.append(f"{who} works {minutes} minutes")
    for day in range(days - 1):
        for shift in shifts[day]:
            for later in shifts[day + 1] & set(instance.not_followed_by[shift]):
                problems.append(f"{who} works {shift} then {later} on day {day}")
    pattern = "".join("W" if worked else "-" for worked in shifts)
    for run in re.finditer(r"W+", pattern):
        if len(run.group()) > employee.max_consecutive:
            problems.append(f"{who} works {len(run.group())} days in a row")
    for letter, minimum in (("W", employee.min_consecutive), ("-", employee.min_consecutive_off)):
        for run in re.finditer(f"{re.escape(letter)}+", pattern):
            inside = run.start() > 0 and run.end() < days
            if inside and len(run.group()) < minimum:
                problems.append(f"{who} has a run of {len(run.group())} {letter} at {run.start()}")
    weekends = sum(1 for w in range(days // 7) if shifts[7 * w + 5] or shifts[7 * w + 6])
    if weekends > employee.max_weekends:
        problems.append(f"{who} works {weekends} weekends")
    return problems


# --- running the solvers -------------------------------------------------------------------


def best_known(folder: Path) -> dict[int, int]:
    """Best known objective by instance number, from the folder's README table."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    best = {}
    for row in re.findall(r"^\|(.+)\|\s*$", text, flags=re.MULTILINE):
        cells = [cell.strip() for cell in row.split("|")]
        for i in range(0, len(cells) - 3, 4):
            if cells[i].isdigit() and cells[i + 1].isdigit() and cells[i + 2].isdigit():
                best[int(cells[i])] = int(cells[i + 2])
    return best


def _solve_in_child(connection, which: str, path: str, time_limit: float, workers: int) -> None:
    """Runs in a fresh process, so that its peak memory is this solver's alone."""
    result = {"plan": None, "seconds": None, "error": None}
    try:
        scenario = convert(path)
        if which == "ours":
            from cordon.planner import solve

            started = time.perf_counter()
            result["plan"] = solve(scenario, time_limit=time_limit, workers=workers)
        else:
            from bench.curtois_baseline import solve_baseline

            started = time.perf_counter()
            result["plan"] = solve_baseline(scenario, time_limit=time_limit, workers=workers)
        result["seconds"] = time.perf_counter() - started
    except Exception:  # a failing solver is a figure to print, not a reason to stop
        result["error"] = traceback.format_exc(limit=3)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.send(result)
    connection.close()


def run_solver(which: str, path: Path, time_limit: float, workers: int) -> dict:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    args = (sender, which, str(path), time_limit, workers)
    child = context.Process(target=_solve_in_child, args=args)
    child.start()
    sender.close()
    grace = 3 * time_limit + 120
    if receiver.poll(grace):
        try:
            result = receiver.recv()
        except EOFError:
            result = {"error": f"the {which} process died (exit code {child.exitcode})"}
    else:
        child.terminate()
        result = {"error": f"no answer within {grace:.0f} s; stopped"}
    child.join()
    if child.exitcode and not result.get("error"):
        result["error"] = f"exit code {child.exitcode}"
    return result


def planner_available() -> str | None:
    """None if `cordon.planner.solve` can be imported, else why not."""
    try:
        from cordon.planner import solve  # noqa: F401
    except ImportError as error:
        return str(error)
    return None


def evaluate(instance: Instance, scenario: dict, result: dict) -> dict:
    """Objective, validity and the independent cross-check of one solver's result."""
    plan = result.get("plan")
    if not plan:
        return {"objective": None, "valid": "error", "notes": [result.get("error") or "no plan"]}
    report = check(scenario, plan)
    direct, problems = curtois_score(instance, plan)
    notes = [v.message for v in report.violations[:5]]
    if len(report.violations) > 5:
        notes.append(f"... {len(report.violations) - 5} more violations")
    recomputed = report.objective["total"]
    if direct != recomputed or bool(problems) == report.ok:
        notes.append(
            f"cross-check differs: validator total {recomputed}, ok={report.ok}; "
            f"Curtois objective {direct}, {len(problems)} hard problems {problems[:3]}"
        )
    if not plan["assignments"]:
        notes.append(f"no assignment (solver status {plan.get('solver', {}).get('status')})")
    return {
        "objective": plan.get("objective", {}).get("total"),
        "recomputed": recomputed,
        "valid": "yes" if report.ok else f"NO({len(report.violations)})",
        "crosscheck": direct == recomputed and bool(problems) != report.ok,
        "notes": notes,
    }


def parse_instances(text: str) -> list[int]:
    numbers = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding InstanceN.txt and README.md")
    parser.add_argument("--instances", default="1-12", help="e.g. 1-12,15 (default 1-12)")
    parser.add_argument("--time-limit", type=float, default=60, help="seconds per solve")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers per solve")
    parser.add_argument("--only", choices=SOLVERS, help="run only one of the two")
    args = parser.parse_args(argv)

    best = best_known(args.folder)
    solvers = [args.only] if args.only else list(SOLVERS)
    missing = planner_available() if "ours" in solvers else None
    if missing:
        print(f"our planner is not importable yet ({missing}): its columns read n/a")
    print(
        f"Curtois & Qu instances {args.instances}: time limit {args.time_limit:g} s, "
        f"{args.workers} workers"
    )
    header = (
        f"{'inst':>4} {'days':>4} {'best':>6} | {'ours':>6} {'gap%':>6} {'s':>6} {'valid':>5} "
        f"{'MB':>5} | {'base':>6} {'gap%':>6} {'s':>6} {'valid':>5} {'MB':>5}"
    )
    print(header)
    print("-" * len(header))
    notes, checked, agreed = [], 0, 0
    for number in parse_instances(args.instances):
        path = args.folder / f"Instance{number}.txt"
        instance = parse(path)
        scenario = to_scenario(instance)
        cells = []
        for which in SOLVERS:
            if which not in solvers or (which == "ours" and missing):
                cells.append(_cells(None, None, None))
                continue
            result = run_solver(which, path, args.time_limit, args.workers)
            outcome = evaluate(instance, scenario, result)
            checked += "crosscheck" in outcome
            agreed += bool(outcome.get("crosscheck"))
            notes += [f"instance {number} {which}: {note}" for note in outcome["notes"]]
            cells.append(_cells(result, outcome, best.get(number)))
        row = f"{number:>4} {instance.days:>4} {best.get(number, 'n/a'):>6} | "
        print(row + " | ".join(cells), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"MB: peak resident memory of each solve's process; this process: {peak:.0f} MB")
    if checked:
        print(
            f"cross-check: on {agreed} of {checked} plans the validator's objective and verdict "
            "equal those computed straight from the instance file"
        )
    for note in notes:
        print(note)
    return 0


def _cells(result: dict | None, outcome: dict | None, best: int | None) -> str:
    if result is None:
        return f"{'n/a':>6} {'n/a':>6} {'n/a':>6} {'n/a':>5} {'n/a':>5}"
    objective = outcome.get("objective")
    gap = f"{100 * (objective - best) / best:.2f}" if objective is not None and best else "n/a"
    seconds = f"{result['seconds']:.1f}" if result.get("seconds") is not None else "n/a"
    memory = f"{result['peak_mb']:.0f}" if result.get("peak_mb") else "n/a"
    shown = objective if objective is not None else "n/a"
    return f"{shown:>6} {gap:>6} {seconds:>6} {outcome['valid']:>5} {memory:>5}"


if __name__ == "__main__":
    sys.exit(main())
