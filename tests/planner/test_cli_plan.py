"""`cordon plan` (cordon/cli_plan.py): plan, print the figures, check; exit codes 0, 1 and 2."""

import json
import subprocess
import sys
from pathlib import Path

from cordon.cli_plan import main, summary
from cordon.planner import load_scenario

from .builders import crew, day, demand, person, post, scenario

ROOT = Path(__file__).resolve().parents[2]


def _scenario_file(tmp_path: Path) -> Path:
    people = [*crew(3, leader=True), person("M", skills=["medical"]), *crew(2, prefix="Q")]
    posts = [
        post("X", [demand("D", 2, leaders=1), demand("E", 1)], bubble="Z1", kind="gate"),
        post("Y", [demand("D", 1, skills={"diver": 1})], kind="hotel"),
    ]
    source = tmp_path / "scenario.json"
    raw = scenario(people, posts, days=3, rules={"one_post_per_person": True})
    source.write_text(json.dumps(raw), encoding="utf-8")
    return source


def test_it_plans_and_prints_coverage_shortfall_person_times_objective_and_time(tmp_path, capsys):
    source = _scenario_file(tmp_path)
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output), "--time-limit", "5", "--workers", "1"]) == 0
    plan = json.loads(output.read_text(encoding="utf-8"))
    assert plan["format"] == "cordon.plan/1"
    printed = capsys.readouterr().out
    assert "coverage: 12/12 person-shifts (100.00%)" in printed  # people; the skill is short
    assert "shortfall: 3 post-shifts lack 0 people, 0 leaders, 3 with diver" in printed
    assert "3 x no one with the skill diver" in printed
    assert "by post kind: gate 9" in printed
    assert "by bubble: (none) 0" not in printed and "Z1 9" in printed
    assert "objective: total" in printed and "solver:" in printed


def test_the_figures_say_when_the_run_went_beyond_the_time_limit(tmp_path, capsys):
    source = _scenario_file(tmp_path)
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output), "--time-limit", "5", "--workers", "1"]) == 0
    capsys.readouterr()
    plan = json.loads(output.read_text(encoding="utf-8"))
    sc = load_scenario(json.loads(source.read_text(encoding="utf-8")))
    plan["solver"]["seconds"] = 14.5
    assert "beyond the 5 s time limit: each of the" in summary(sc, plan, time_limit=5)
    assert "beyond" not in summary(sc, plan, time_limit=14)
    assert "beyond" not in summary(sc, plan)


def test_its_plans_pass_the_check(tmp_path, capsys):
    source = _scenario_file(tmp_path)
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output), "--time-limit", "5"]) == 0
    capsys.readouterr()
    assert main(["--check", str(source), str(output)]) == 0
    assert "no violation" in capsys.readouterr().out


def test_the_check_exits_1_on_a_broken_plan(tmp_path, capsys):
    source = _scenario_file(tmp_path)
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output), "--time-limit", "5"]) == 0
    plan = json.loads(output.read_text(encoding="utf-8"))
    first = plan["assignments"][0]
    plan["assignments"].append({**first, "date": day(0), "shift": "E", "post": "X"})
    plan["assignments"].append({**first, "date": day(0), "shift": "D", "post": "Y"})
    output.write_text(json.dumps(plan), encoding="utf-8")
    capsys.readouterr()
    assert main(["--check", str(source), str(output)]) == 1
    assert capsys.readouterr().out


def test_the_check_exits_2_on_a_plan_that_is_not_json(tmp_path, capsys):
    source = _scenario_file(tmp_path)
    broken = tmp_path / "plan.json"
    broken.write_text("[1, 2", encoding="utf-8")
    assert main(["--check", str(source), str(broken)]) == 2
    assert "malformed JSON" in capsys.readouterr().err


def test_it_runs_as_a_module(tmp_path):
    source = _scenario_file(tmp_path)
    output = tmp_path / "plan.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cordon.cli_plan",
            str(source),
            "-o",
            str(output),
            "--time-limit",
            "5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert output.exists() and "coverage:" in done.stdout
