"""Every change is attributable: who, when, what, before and after; the person page shows it."""

from django.urls import reverse


def test_a_person_edit_records_who_and_before_after(world):
    person = world.people_s1[1]
    client = world.client("alice")
    client.post(
        reverse("operations:person_edit", args=[person.pk]),
        {
            "staff_number": person.staff_number,
            "name": "王刚",
            "category": "auxiliary",
            "home_unit": world.s1.pk,
            "rank": "",
            "work_phone": "",
            "skills": [world.first_aid.pk],
        },
    )
    # The field change and the skills change are recorded as they happen, both by alice.
    records = list(person.history.all()[:2])
    assert {r.history_user for r in records} == {world.users["alice"]}
    changed = {}
    for record in records:
        for c in record.diff_against(record.prev_record).changes:
            changed[c.field] = (c.old, c.new)
    assert changed["name"] == (person.name, "王刚")
    assert "skills" in changed
    assert changed["category"] == ("sworn", "auxiliary")
    page = client.get(person.get_absolute_url())
    html = page.content.decode()
    assert "alice" in html and "王刚" in html and person.name in html


def test_a_field_officer_does_not_see_the_audit_trail(world):
    own = world.people_s1[3]
    response = world.client("dave").get(own.get_absolute_url())
    assert response.status_code == 200
    assert response.context["history"] is None


def test_demand_changes_are_audited(world):
    demand = world.post1.demands.first()
    world.client("alice").post(
        reverse("sites:demand_edit", args=[world.post1.pk, demand.pk]),
        {"shift_type": demand.shift_type.pk, "headcount": 3, "leaders": 1, "skills": "{}"},
    )
    record = demand.history.first()
    assert record.history_user == world.users["alice"]
    assert (record.prev_record.headcount, record.headcount) == (2, 3)
