"""The reference operation has the account's shape and is the same for the same seed."""

from collections import Counter

from cordon import reference


def test_it_has_the_shape_of_the_account():
    op = reference.generate()
    assert len(op.people) == 610
    assert Counter(z.kind for z in op.zones) == {"lockdown": 15, "controlled": 15}
    kinds = Counter(s.kind for s in op.sites)
    assert kinds["isolation_hotel"] == 9
    assert kinds["camera_point"] == 17
    assert 1000 <= kinds["sampling_point"] <= 1100
    assert len({p.unit for p in op.people if p.unit.startswith("S") and p.unit[1:].isdigit()}) == 5
    assert op.days == 24
    assert (op.ended_at.date() - op.start).days == 23  # the last zone lifted on the 24th day


def test_the_same_seed_gives_the_same_operation():
    a, b = reference.generate(), reference.generate()
    assert [p.name for p in a.people] == [p.name for p in b.people]
    assert [z.polygon for z in a.zones] == [z.polygon for z in b.zones]
    assert reference.generate(seed=1).people[0].name != a.people[0].name or (
        reference.generate(seed=1).people[5].name != a.people[5].name
    )


def test_staff_numbers_and_names_are_unique():
    op = reference.generate()
    assert len({p.staff_number for p in op.people}) == 610
    assert len({p.name for p in op.people}) == 610


def test_demand_never_asks_more_leaders_or_skills_than_people():
    op = reference.generate()
    for post in op.posts:
        for d in post.demand:
            assert d.leaders <= d.people
            assert all(n <= d.people for n in d.skills.values())
            assert d.first <= d.last


def test_the_scenario_covers_zones_and_sampling_in_the_accounts_ratio():
    op = reference.generate()
    pt = reference.demand_person_times(op)
    zones = pt["lockdown"] + pt["controlled"]
    # The account: 10,000 at zones, 4,400 at sampling grids (ratio 2.27); see the module's
    # docstring for why the demo is smaller.
    assert 2.0 <= zones / pt["sampling_grid"] <= 3.2
    scenario = reference.to_scenario(op)
    assert scenario["format"] == "cordon.scenario/1"
    assert len(scenario["people"]) == 610
