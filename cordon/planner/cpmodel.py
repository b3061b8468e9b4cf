"""The rotation model: one CP-SAT model of who works which shift at which post, for one team.

Variables (named as in OR-Tools' shift_scheduling_sat.py, so a model explains itself):
- `x[P0001,Z01-G1,d3,D]`: person P0001 works shift D on day 3 at post Z01-G1; created only where
  demand applies, the person is available, and the person may work that shift type at all.
- `work[P0001,d3,D]`: the person works shift D on day 3 (at any post; the x itself at one post).
- `on[P0001,d3]`: the person works on day 3.
The hard rules are added by `constraints.add_hard_rules`, the soft terms by
`constraints.add_soft_terms`; each term's penalties are kept apart so a plan can explain its cost.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .model import Assignment, Person, Scenario
from .rules import PersonRules, person_rules
from .team import Team

Literal = cp_model.IntVar


def add_one_group_only(model: cp_model.CpModel, groups: dict, name) -> None:
    """At most one of `groups` (key -> literals) has a true literal: a person at one post only,
    or in one bubble. `name(key)` names the group's indicator variable."""
    if len(groups) < 2:
        return
    chosen = []
    for key, literals in groups.items():
        inside = model.new_bool_var(name(key))
        for literal in literals:
            model.add_implication(literal, inside)
        chosen.append(inside)
    model.add_at_most_one(chosen)


class RotationModel:
    """Variables and penalty terms of one team's rotation model."""

    def __init__(self, scenario: Scenario, team: Team, *, cover_is_hard: bool = False):
        self.scenario = scenario
        self.team = team
        self.cover_is_hard = cover_is_hard
        self.model = cp_model.CpModel()
        self.rules: dict[str, PersonRules] = {
            p.id: person_rules(scenario.rules, p) for p in team.people
        }
        self.x: dict[Assignment, Literal] = {}
        self.work: dict[tuple[str, int, str], Literal] = {}
        self.on: dict[tuple[str, int], Literal] = {}
        self.penalties: dict[str, list[tuple[cp_model.LinearExprT, int]]] = defaultdict(list)
        self.constants: dict[str, int] = defaultdict(int)
        self._add_assignment_variables()
        self._add_work_literals()
        self._add_worked_day_literals()

    # ---- variables ----------------------------------------------------------------------------

    def _frozen(self, day: int) -> bool:
        freeze = self.scenario.freeze_before
        return self.scenario.is_repair and freeze is not None and day < freeze

    def _may_work(self, person: Person, day: int, shift: str) -> bool:
        if day in person.unavailable:
            return False
        return self.rules[person.id].max_shifts.get(shift) != 0

    def _add_assignment_variables(self) -> None:
        fixed = self.team.fixed
        for post in self.team.posts:
            for day, shift in post.slots():
                for person in self.team.people:
                    key = Assignment(person.id, post.id, day, shift)
                    if self._frozen(day) and key not in fixed:
                        continue  # before the freeze date only the frozen assignments exist
                    if key not in fixed and not self._may_work(person, day, shift):
                        continue
                    date = self.scenario.date_of(day).isoformat()
                    self.x[key] = self.model.new_bool_var(
                        f"x[{person.id},{post.id},{date},{shift}]"
                    )
        for key in fixed:
            if key not in self.x:
                raise KeyError(f"fixed assignment {key} has no variable")
            self.model.add(self.x[key] == 1)

    def _add_work_literals(self) -> None:
        by_occurrence: dict[tuple[str, int, str], list[Literal]] = defaultdict(list)
        for key, var in self.x.items():
            by_occurrence[(key.person, key.day, key.shift)].append(var)
        for occurrence, literals in by_occurrence.items():
            if len(literals) == 1:
                self.work[occurrence] = literals[0]
                continue
            person, day, shift = occurrence
            work = self.model.new_bool_var(f"work[{person},d{day},{shift}]")
            self.model.add(sum(literals) == work)  # one post at a time for one shift
            self.work[occurrence] = work
        self._shifts_by_person: dict[str, list[tuple[int, str, Literal]]] = defaultdict(list)
        for (person, day, shift), literal in sorted(self.work.items(), key=lambda i: i[0][1]):
            self._shifts_by_person[person].append((day, shift, literal))

    def _add_worked_day_literals(self) -> None:
        by_day: dict[tuple[str, int], list[Literal]] = defaultdict(list)
        for (person, day, _shift), literal in self.work.items():
            by_day[(person, day)].append(literal)
        exclusive = self.scenario.rules.max_shifts_per_day == 1
        for (person, day), literals in by_day.items():
            if len(literals) == 1:
                self.on[(person, day)] = literals[0]
                continue
            on = self.model.new_bool_var(f"on[{person},d{day}]")
            if exclusive:
                self.model.add(sum(literals) == on)
            else:
                for literal in literals:
                    self.model.add_implication(literal, on)
                self.model.add_bool_or([*literals, on.Not()])
            self.on[(person, day)] = on

    # ---- helpers for the constraint functions --------------------------------------------------

    def work_on(self, person: str, day: int, shift: str) -> Literal | None:
        """The literal 'person works `shift` on `day`', None when that cannot happen."""
        return self.work.get((person, day, shift))

    def on_day(self, person: str, day: int) -> Literal | None:
        """The literal 'person works on `day`', None when they cannot."""
        return self.on.get((person, day))

    def shifts_of(self, person: str) -> list[tuple[int, str, Literal]]:
        return self._shifts_by_person.get(person, [])

    def penalize(self, term: str, expr, coefficient: int = 1) -> None:
        if coefficient:
            self.penalties[term].append((expr, coefficient))

    # ---- objective and solution ----------------------------------------------------------------

    def set_objective(self) -> None:
        expr = sum(coef * e for pieces in self.penalties.values() for e, coef in pieces)
        self.model.minimize(expr + sum(self.constants.values()))

    def add_hints(self, hint: set[Assignment]) -> None:
        for key, var in self.x.items():
            self.model.add_hint(var, 1 if key in hint else 0)

    def assignments(self, solver: cp_model.CpSolver) -> set[Assignment]:
        return {key for key, var in self.x.items() if solver.boolean_value(var)}

    def term_values(self, solver: cp_model.CpSolver) -> dict[str, int]:
        values = dict(self.constants)
        for term, pieces in self.penalties.items():
            values[term] = values.get(term, 0) + sum(
                int(coef * solver.value(e)) for e, coef in pieces
            )
        return values
