"""The soft terms of a rotation model, one function per term, each with readable penalty names.

Terms and their weights are those of the plan's objective (docs/scenario-format.md): `cover` and
`requests` carry their own weights from the scenario; `fairness`, `nights`, `affinity` and
`stability` are multiplied by `scenario.weights`. A term whose weight is 0 is not built at all,
so with those weights at 0 the model's objective is exactly cover + requests.
"""

from __future__ import annotations

from collections import defaultdict

from .cpmodel import RotationModel
from .model import Demand, Post


def add_soft_terms(rm: RotationModel) -> None:
    """Every soft term of the objective for the team (cover too, unless the model holds it hard)."""
    if not rm.cover_is_hard:
        for post in rm.team.posts:
            for day, shift in post.slots():
                add_cover(rm, post, day, shift, post.demand_on(day, shift))
    add_requests(rm)
    active = _active_by_post(rm) if _needs_activity(rm) else {}
    for post in rm.team.posts:
        add_fairness(rm, post, active.get(post.id, {}))
        add_nights(rm, post, active.get(post.id, {}))
    add_affinity(rm, active)
    add_stability(rm)


def _slot_literals(rm: RotationModel, post: Post, day: int, shift: str):
    people = rm.team.people
    return [
        (person, rm.x[key])
        for person in people
        if (key := (person.id, post.id, day, shift)) in rm.x
    ]


def add_cover(rm: RotationModel, post: Post, day: int, shift: str, demand: Demand) -> None:
    """Missing people, leaders and skills cost weight_under each; surplus costs weight_over
    (or is forbidden without it)."""
    assigned = _slot_literals(rm, post, day, shift)
    count = sum(lit for _p, lit in assigned)
    name = f"{post.id},{rm.scenario.date_of(day)},{shift}"
    if demand.weight_over is None:
        # Surplus is forbidden: count + under == people. A named, non-negative `under` (rather
        # than the expression people - count) keeps the objective's lower bound at 0 for CP-SAT.
        under = rm.model.new_int_var(0, demand.people, f"under[{name}]")
        rm.model.add(count + under == demand.people)
        rm.penalize("cover", under, demand.weight_under)
    else:
        under = rm.model.new_int_var(0, demand.people, f"under[{name}]")
        over = rm.model.new_int_var(0, max(0, len(assigned) - demand.people), f"over[{name}]")
        rm.model.add(count + under - over == demand.people)
        rm.penalize("cover", under, demand.weight_under)
        rm.penalize("cover", over, demand.weight_over)
    if demand.leaders:
        leaders = [lit for person, lit in assigned if person.leader]
        _at_least(rm, leaders, demand.leaders, demand.weight_under, f"leaders[{name}]")
    for skill, wanted in demand.skills.items():
        holders = [lit for person, lit in assigned if skill in person.skills]
        _at_least(rm, holders, wanted, demand.weight_under, f"skill[{name},{skill}]")


def add_complete_cover(rm: RotationModel) -> None:
    """Cover as a hard rule: every slot gets its people, leaders and skills (surplus as usual)."""
    for post in rm.team.posts:
        for day, shift in post.slots():
            demand = post.demand_on(day, shift)
            assigned = _slot_literals(rm, post, day, shift)
            count = sum(lit for _p, lit in assigned)
            if demand.weight_over is None:
                rm.model.add(count == demand.people)
            else:
                rm.model.add(count >= demand.people)
                name = f"{post.id},{rm.scenario.date_of(day)},{shift}"
                over = rm.model.new_int_var(0, len(assigned), f"over[{name}]")
                rm.model.add(over >= count - demand.people)
                rm.penalize("cover", over, demand.weight_over)
            if demand.leaders:
                rm.model.add(sum(lit for p, lit in assigned if p.leader) >= demand.leaders)
            for skill, wanted in demand.skills.items():
                rm.model.add(sum(lit for p, lit in assigned if skill in p.skills) >= wanted)


def _at_least(rm: RotationModel, literals, wanted: int, weight: int, name: str) -> None:
    if not literals:
        rm.constants["cover"] += wanted * weight
        return
    missing = rm.model.new_int_var(0, wanted, f"missing_{name}")
    rm.model.add(sum(literals) + missing >= wanted)
    rm.penalize("cover", missing, weight)


def add_requests(rm: RotationModel) -> None:
    """A request costs its weight when unmet: worked though unwanted, or unworked though wanted."""
    for person in rm.team.people:
        for request in person.requests:
            literal = rm.work_on(person.id, request.day, request.shift)
            if request.want:
                if literal is None:
                    rm.constants["requests"] += request.weight
                else:
                    rm.penalize("requests", 1 - literal, request.weight)
            elif literal is not None:
                rm.penalize("requests", literal, request.weight)


def _needs_activity(rm: RotationModel) -> bool:
    return any(rm.scenario.weight(t) for t in ("fairness", "nights", "affinity"))


def _active_by_post(rm: RotationModel) -> dict[str, dict[str, tuple]]:
    """post -> person -> (active literal, shift literals there): active iff a shift is worked."""
    literals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for key, literal in rm.x.items():
        literals[key.post][key.person].append((key.shift, literal))
    active: dict[str, dict[str, tuple]] = {}
    for post_id, by_person in literals.items():
        active[post_id] = {}
        for person_id, shifts in by_person.items():
            flag = rm.model.new_bool_var(f"active[{person_id},{post_id}]")
            lits = [lit for _s, lit in shifts]
            rm.model.add(sum(lits) <= len(lits) * flag)
            rm.model.add(sum(lits) >= flag)
            active[post_id][person_id] = (flag, shifts)
    return active


def _spread(rm: RotationModel, post: Post, active: dict, term: str, counted) -> None:
    """Penalize (max - min) over the active people of `post` of the shifts `counted` selects."""
    weight = rm.scenario.weight(term)
    if not weight or len(active) < 2:
        return
    counts = {
        person: [lit for shift, lit in shifts if counted(shift)]
        for person, (_flag, shifts) in active.items()
    }
    top = max(len(lits) for lits in counts.values())
    if top == 0:
        return
    most = rm.model.new_int_var(0, top, f"{term}_max[{post.id}]")
    least = rm.model.new_int_var(0, top, f"{term}_min[{post.id}]")
    # A post's team (one post per person): every member counts, a tighter model that also
    # spreads the work over the whole team.
    whole_team = rm.scenario.rules.one_post_per_person and len(rm.team.posts) == 1
    for person, lits in counts.items():
        flag = active[person][0]
        rm.model.add(most >= sum(lits))
        if whole_team:
            rm.model.add(least <= sum(lits))
        else:
            rm.model.add(least <= sum(lits) + top * (1 - flag))
    rm.model.add(least <= most)
    rm.penalize(term, most - least, weight)


def add_fairness(rm: RotationModel, post: Post, active: dict) -> None:
    """Spread of shifts at a post: max minus min over the people who work there."""
    _spread(rm, post, active, "fairness", lambda _shift: True)


def add_nights(rm: RotationModel, post: Post, active: dict) -> None:
    """Spread of night shifts at a post, over the same people."""
    nights = {s.id for s in rm.scenario.shift_types if s.night}
    if nights:
        _spread(rm, post, active, "nights", lambda shift: shift in nights)


def add_affinity(rm: RotationModel, active: dict) -> None:
    """One for each person who works at a post of another unit than their own."""
    weight = rm.scenario.weight("affinity")
    if not weight:
        return
    units = {p.id: p.unit for p in rm.team.people}
    away: dict[str, list] = defaultdict(list)
    for post in rm.team.posts:
        for person, (flag, _shifts) in active.get(post.id, {}).items():
            if post.unit and units[person] and units[person] != post.unit:
                away[person].append(flag)
    for person, flags in away.items():
        if len(flags) == 1:
            rm.penalize("affinity", flags[0], weight)
            continue
        outside = rm.model.new_bool_var(f"away[{person}]")
        for flag in flags:
            rm.model.add_implication(flag, outside)
        rm.penalize("affinity", outside, weight)


def add_stability(rm: RotationModel) -> None:
    """In a repair, one for each assignment from freeze_before on that differs from previous."""
    scenario = rm.scenario
    weight = scenario.weight("stability")
    if not scenario.is_repair or not weight:
        return
    freeze = scenario.freeze_before
    posts, people = rm.team.post_ids, rm.team.person_ids
    previous = {
        a for a in scenario.previous if a.day >= freeze and a.post in posts and a.person in people
    }
    for key, literal in rm.x.items():
        if key.day < freeze:
            continue
        if key in previous:
            rm.penalize("stability", 1 - literal, weight)
        else:
            rm.penalize("stability", literal, weight)
    rm.constants["stability"] += weight * sum(1 for a in previous if a not in rm.x)
