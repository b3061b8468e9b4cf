"""Bad input: each case of issue 3 names the JSON path; `cordon plan` exits 2, writing nothing."""

import copy
import json

import pytest

from cordon.cli_plan import main
from cordon.planner import ScenarioError, load_scenario

from .builders import crew, day, demand, person, post, scenario

GOOD = scenario(
    [person("A", leader=True, skills=["medical"]), person("B")],
    [post("X", [demand("D", 2, leaders=1, skills={"medical": 1})])],
    days=3,
    locked=[{"person": "A", "post": "X", "date": day(0), "shift": "D"}],
)


def _broken(change) -> dict:
    raw = copy.deepcopy(GOOD)
    change(raw)
    return raw


def _set(path, value):
    def change(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


CASES = {
    "unknown format version": (_set(["format"], "cordon.scenario/9"), "$.format"),
    "unknown person in locked": (_set(["locked", 0, "person"], "Z"), "$.locked[0].person"),
    "unknown post in locked": (_set(["locked", 0, "post"], "Q"), "$.locked[0].post"),
    "unknown shift in demand": (
        _set(["posts", 0, "demand", 0, "shift"], "Q"),
        "$.posts[0].demand[0].shift",
    ),
    "unknown shift in a request": (
        _set(["people", 1, "requests"], [{"date": day(0), "shift": "Q", "want": True}]),
        "$.people[1].requests[0].shift",
    ),
    "duplicate person id": (_set(["people", 1, "id"], "A"), "$.people[1].id"),
    "duplicate post id": (
        lambda raw: raw["posts"].append(copy.deepcopy(raw["posts"][0])),
        "$.posts[1].id",
    ),
    "duplicate shift id": (
        lambda raw: raw["shift_types"].append(dict(raw["shift_types"][0])),
        "$.shift_types[3].id",
    ),
    "zero-minute shift": (_set(["shift_types", 1, "minutes"], 0), "$.shift_types[1].minutes"),
    "negative-minute shift": (_set(["shift_types", 0, "minutes"], -60), "$.shift_types[0].minutes"),
    "demand date before the horizon": (
        _set(["posts", 0, "demand", 0, "from"], "2026-10-30"),
        "$.posts[0].demand[0].from",
    ),
    "demand date after the horizon": (
        _set(["posts", 0, "demand", 0, "dates"], [day(3)]),
        "$.posts[0].demand[0].dates[0]",
    ),
    "locked date outside the horizon": (_set(["locked", 0, "date"], day(5)), "$.locked[0].date"),
    "request date outside the horizon": (
        _set(["people", 1, "requests"], [{"date": day(-1), "shift": "D", "want": True}]),
        "$.people[1].requests[0].date",
    ),
    "not a calendar date": (_set(["start"], "2026-02-30"), "$.start"),
    "more leaders than people": (
        _set(["posts", 0, "demand", 0, "leaders"], 3),
        "$.posts[0].demand[0].leaders",
    ),
    "more with a skill than people": (
        _set(["posts", 0, "demand", 0, "skills"], {"medical": 3}),
        "$.posts[0].demand[0].skills.medical",
    ),
    "two demand entries for one post, shift and date": (
        lambda raw: raw["posts"][0]["demand"].append(demand("D", 1, dates=[day(1)])),
        "$.posts[0].demand[1]",
    ),
    "missing required field": (lambda raw: raw.pop("days"), "$.days"),
    "wrong type": (_set(["people", 0, "leader"], "yes"), "$.people[0].leader"),
    "unknown field": (_set(["rules", "max_shift_per_day"], 1), "$.rules.max_shift_per_day"),
    "freeze date without a previous plan": (_set(["freeze_before"], day(1)), "$.freeze_before"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_it_names_the_json_path_of_bad_input(case):
    change, path = CASES[case]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_broken(change))
    paths = [p for p, _message in caught.value.problems]
    assert path in paths, caught.value.problems
    assert path in str(caught.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_command_exits_2_and_writes_nothing_on_bad_input(case, tmp_path, capsys):
    change, path = CASES[case]
    source = tmp_path / "scenario.json"
    source.write_text(json.dumps(_broken(change)), encoding="utf-8")
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output)]) == 2
    assert not output.exists()
    assert path in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [source]


def test_the_command_exits_2_on_malformed_json(tmp_path, capsys):
    source = tmp_path / "scenario.json"
    source.write_text('{"format": "cordon.scenario/1", "name": ', encoding="utf-8")
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output)]) == 2
    assert not output.exists()
    err = capsys.readouterr().err
    assert "$: malformed JSON" in err and "line 1" in err


def test_malformed_json_text_names_the_root():
    with pytest.raises(ScenarioError) as caught:
        load_scenario("{not json")
    assert caught.value.problems[0][0] == "$"


def test_the_command_exits_2_on_a_missing_file(tmp_path, capsys):
    output = tmp_path / "plan.json"
    assert main([str(tmp_path / "nowhere.json"), "-o", str(output)]) == 2
    assert not output.exists()
    assert "cannot read" in capsys.readouterr().err


def test_the_command_exits_2_on_bad_flags(tmp_path, capsys):
    source = tmp_path / "scenario.json"
    source.write_text(json.dumps(GOOD), encoding="utf-8")
    output = tmp_path / "plan.json"
    assert main([str(source), "-o", str(output), "--time-limit", "-1"]) == 2
    assert main([str(source), "-o", str(output), "--workers", "zero"]) == 2
    assert main([str(source)]) == 2
    assert not output.exists()


def test_every_problem_is_reported_at_once():
    raw = _broken(_set(["shift_types", 0, "minutes"], 0))
    raw["people"].append(person("A"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(raw)
    assert {p for p, _m in caught.value.problems} >= {"$.shift_types[0].minutes", "$.people[2].id"}


def test_a_good_scenario_loads_from_a_dict_text_or_path(tmp_path):
    source = tmp_path / "scenario.json"
    source.write_text(json.dumps(GOOD), encoding="utf-8")
    for given in (GOOD, json.dumps(GOOD), str(source), source):
        loaded = load_scenario(given)
        assert [p.id for p in loaded.people] == ["A", "B"]
        assert loaded.posts[0].demand_on(2, "D").leaders == 1


def test_unavailability_may_reach_beyond_the_horizon():
    raw = scenario(crew(1), [post("X", [demand("D", 1)])], days=3)
    raw["people"][0]["unavailable"] = [{"from": day(2), "to": day(30)}]
    assert load_scenario(raw).people[0].unavailable == frozenset({2})
