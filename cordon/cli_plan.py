"""`cordon plan`: make, repair or check a deployment plan from the command line (no database).

    cordon plan SCENARIO.json -o PLAN.json [--time-limit S] [--workers N]
    cordon plan --check SCENARIO.json PLAN.json

Exit codes: 0 done (or the plan passes the check), 1 the check found violations, 2 bad input
(the message names the JSON path; no output file is written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from cordon.planner import ScenarioError, load_scenario, solve
from cordon.planner.model import Scenario
from cordon.planner.plan import coverage

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2
LIMIT_TOLERANCE = 1.0  # seconds over --time-limit that the summary lets pass without a word


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cordon plan",
        description="Make a deployment plan from a cordon.scenario/1 file, or check one.",
    )
    parser.add_argument("scenario", help="the scenario file (cordon.scenario/1 JSON)")
    parser.add_argument("plan", nargs="?", help="with --check: the plan file to check")
    parser.add_argument("-o", "--output", help="where to write the plan (cordon.plan/1 JSON)")
    parser.add_argument("--check", action="store_true", help="check PLAN against SCENARIO")
    parser.add_argument("--time-limit", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="solver threads (default 2)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print solver progress")
    return parser


class _UsageError(Exception):
    pass


def main(argv: list[str]) -> int:
    """Run `cordon plan` with `argv` (the arguments after `plan`); returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse already printed the usage message
        return EXIT_OK if stop.code == 0 else EXIT_BAD_INPUT
    try:
        _validate_arguments(args)
        if args.check:
            return _check(args.scenario, args.plan)
        return _plan(args)
    except _UsageError as error:
        print(f"cordon plan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ScenarioError as error:
        source = getattr(error, "source", args.scenario)
        print(f"cordon plan: bad input in {source}:", file=sys.stderr)
        for path, message in error.problems:
            print(f"  {path}: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _validate_arguments(args) -> None:
    if args.check:
        if not args.plan:
            raise _UsageError("--check needs SCENARIO.json and PLAN.json")
        if args.output:
            raise _UsageError("--check writes nothing; leave out -o")
        return
    if args.plan:
        raise _UsageError(f"unexpected argument {args.plan!r} (did you mean -o {args.plan}?)")
    if not args.output:
        raise _UsageError("say where to write the plan: -o PLAN.json")
    if args.time_limit <= 0:
        raise _UsageError("--time-limit must be a positive number of seconds")
    if args.workers < 1:
        raise _UsageError("--workers must be at least 1")
    if Path(args.output).resolve() == Path(args.scenario).resolve():
        raise _UsageError("the plan would overwrite the scenario; choose another -o")


def _read_json(path: str, what: str) -> dict:
    try:
        return _parse_json(path, what)
    except ScenarioError as error:
        error.source = path
        raise


def _parse_json(path: str, what: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError([("$", f"cannot read the {what}: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([("$", f"the {what} is not UTF-8 text")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise ScenarioError([("$", f"malformed JSON in {what} at {where}: {error.msg}")]) from None
    if not isinstance(data, dict):
        raise ScenarioError([("$", f"the {what} is not a JSON object")])
    return data


def _plan(args) -> int:
    raw = _read_json(args.scenario, "scenario")
    scenario = load_scenario(raw)
    log = (lambda line: print(line, file=sys.stderr)) if args.verbose else None
    plan = solve(scenario, time_limit=args.time_limit, workers=args.workers, log=log)
    _write_atomically(Path(args.output), plan)
    print(summary(scenario, plan, time_limit=args.time_limit))
    print(f"plan written to {args.output}")
    return EXIT_OK


def _write_atomically(path: Path, plan: dict) -> None:
    """Write the plan whole or not at all (a temporary file renamed into place)."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=".plan-", suffix=".json", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(plan, out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def summary(scenario: Scenario, plan: dict, time_limit: float | None = None) -> str:
    """The figures `cordon plan` prints: coverage, shortfall, person-times, objective, time."""
    covered, demanded = coverage(scenario, plan)
    share = 100.0 * covered / demanded if demanded else 100.0
    lines = [
        f"scenario {scenario.name}: {len(scenario.people)} people, {len(scenario.posts)} posts, "
        f"{scenario.days} days",
        f"coverage: {covered}/{demanded} person-shifts ({share:.2f}%)",
        f"people with assignments: {len(scenario.people) - len(plan['reserve'])}, "
        f"reserve: {len(plan['reserve'])}",
    ]
    lines += _shortfall_lines(plan)
    lines += _person_time_lines(scenario, plan)
    objective = plan["objective"]
    lines.append("objective: " + ", ".join(f"{k} {v}" for k, v in objective.items()))
    solver = plan["solver"]
    lines.append(
        f"solver: {solver['status']}, {solver['seconds']:.1f} s, bound {solver['bound']:g}"
    )
    if time_limit is not None and solver["seconds"] > time_limit + LIMIT_TOLERANCE:
        lines.append(
            f"  beyond the {time_limit:g} s time limit: each of the {solver.get('models', 0)} "
            "models gets a minimum time however short the limit"
        )
    return "\n".join(lines)


def _shortfall_lines(plan: dict) -> list[str]:
    shortfall = plan["shortfall"]
    if not shortfall:
        return ["shortfall: none"]
    people = sum(item["people"] for item in shortfall)
    leaders = sum(item["leaders"] for item in shortfall)
    skills = Counter()
    for item in shortfall:
        skills.update(item["skills"])
    lacking = [f"{people} people", f"{leaders} leaders"]
    lacking += [f"{n} with {skill}" for skill, n in sorted(skills.items())]
    lines = [f"shortfall: {len(shortfall)} post-shifts lack " + ", ".join(lacking)]
    for reason, n in Counter(item["reason"] for item in shortfall).most_common():
        lines.append(f"  {n} x {reason}")
    posts = Counter(item["post"] for item in shortfall)
    lines.append("  worst posts: " + ", ".join(f"{p} ({n})" for p, n in posts.most_common(5)))
    return lines


def _person_time_lines(scenario: Scenario, plan: dict) -> list[str]:
    """Person-times (assignments) by post kind and by bubble, where the scenario names them."""
    lines = [f"person-times: {len(plan['assignments'])}"]
    for label, attribute in (("post kind", "kind"), ("bubble", "bubble")):
        counts = Counter(
            getattr(scenario.post_by_id[a["post"]], attribute) or "(none)"
            for a in plan["assignments"]
        )
        if set(counts) - {"(none)"}:
            ordered = sorted(counts.items())
            lines.append(f"  by {label}: " + ", ".join(f"{k} {n}" for k, n in ordered))
    return lines


def _check(scenario_path: str, plan_path: str) -> int:
    from cordon.planner import check

    raw = _read_json(scenario_path, "scenario")
    load_scenario(raw)  # the validator takes only scenarios that load
    plan = _read_json(plan_path, "plan")
    report = check(raw, plan)
    print(report.format())
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
