"""Importing people: every bad row named by row and field, all-or-nothing, re-import updates."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cordon.accounts.permissions import SYSTEM
from cordon.operations import importers
from cordon.operations.models import Person

HEADER = "staff_number,name,category,home_unit,rank,post_leader,skills,teams,work_phone\n"


def csv_bytes(rows: str, encoding="utf-8", bom=False) -> bytes:
    data = (HEADER + rows).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def parse(world, content: bytes, name="people.csv"):
    return importers.parse_people(content, name, operation=world.op)


def test_it_imports_a_utf8_csv_with_bom(world):
    content = csv_bytes(
        "N001,张伟,民警,S1,一级警长,是,first_aid,T01,13912345678\n"
        "N002,李娜,auxiliary,Pengjiazhai station,,no,,,\n",
        bom=True,
    )
    result = parse(world, content)
    assert result.ok, [str(e) for e in result.errors]
    assert result.counts() == {"create": 2, "update": 0, "unchanged": 0}
    importers.import_people(result, operation=world.op, by=SYSTEM)
    zhang = Person.objects.get(operation=world.op, staff_number="N001")
    assert zhang.name == "张伟"
    assert zhang.category == "sworn"
    assert zhang.home_unit == world.s1
    assert zhang.is_post_leader is True
    assert [s.code for s in zhang.skills.all()] == ["first_aid"]
    assert [t.code for t in zhang.teams.all()] == ["T01"]
    li = Person.objects.get(operation=world.op, staff_number="N002")
    assert li.home_unit == world.s2 and li.category == "auxiliary"


def test_it_reads_gb18030_as_chinese_excel_writes_it(world):
    content = csv_bytes("N003,王芳,辅警,S2,辅警,否,,,\n", encoding="gb18030")
    result = parse(world, content)
    assert result.ok
    assert result.rows[0].values["name"] == "王芳"


def test_it_reads_xlsx(world):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "类别", "单位", "状态", "状态日期"])
    ws.append(["N010", "赵强", "民警", "S1", "sick", "2026-11-05"])
    out = io.BytesIO()
    wb.save(out)
    result = parse(world, out.getvalue(), "people.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    importers.import_people(result, operation=world.op, by=SYSTEM)
    zhao = Person.objects.get(staff_number="N010")
    assert zhao.status == "sick"
    assert zhao.status_changes.get().effective_from.astimezone(world.op.tz).date().isoformat() == (
        "2026-11-05"
    )


@pytest.mark.parametrize(
    ("rows", "row", "field"),
    [
        ("N001,A,sworn,S1,,,,,\nN001,B,sworn,S1,,,,,\n", 3, "staff_number"),
        ("N001,A,sworn,NOWHERE,,,,,\n", 2, "home_unit"),
        ("N001,A,policeman,S1,,,,,\n", 2, "category"),
        ("N001,A,sworn,S1,,maybe,,,\n", 2, "post_leader"),
        ("N001,A,sworn,S1,,,juggling,,\n", 2, "skills"),
        ("N001,A,sworn,S1,,,,,phone?\n", 2, "work_phone"),
        ("N 001,A,sworn,S1,,,,,\n", 2, "staff_number"),
    ],
)
def test_it_names_the_row_and_field_of_each_bad_row(world, rows, row, field):
    result = parse(world, csv_bytes("N000,Good,sworn,S1,,,,,\n" + rows))
    assert not result.ok
    assert (row + 1, field) in {(e.row, e.field) for e in result.errors}


def test_it_rejects_a_malformed_date(world):
    content = (
        b"staff_number,name,category,home_unit,unavailable_from,unavailable_to\n"
        b"N001,A,sworn,S1,2026-13-01,2026-11-02\n"
    )
    result = parse(world, content)
    assert [(e.row, e.field) for e in result.errors] == [(2, "unavailable_from")]
    assert "2026-13-01" in result.errors[0].message


def test_it_rejects_an_unreadable_encoding(world):
    result = parse(world, HEADER.encode() + b"N001,\xff\xfe\xfa\x80,sworn,S1,,,,,\n")
    assert [e.field for e in result.errors] == ["file"]
    assert "encoding" in result.errors[0].message


def test_it_rejects_a_file_that_is_not_a_workbook(world):
    result = parse(world, b"not a zip at all", "people.xlsx")
    assert [e.field for e in result.errors] == ["file"]


def test_it_reports_missing_columns(world):
    result = parse(world, b"staff_number,name\nN1,A\n")
    assert result.errors[0].field == "file"
    assert "category" in result.errors[0].message


def test_it_writes_nothing_when_any_row_is_bad(world):
    before = Person.objects.count()
    result = parse(world, csv_bytes("N001,A,sworn,S1,,,,,\nN002,B,sworn,NOWHERE,,,,,\n"))
    with pytest.raises(ValueError):
        importers.import_people(result, operation=world.op, by=SYSTEM)
    assert Person.objects.count() == before


def test_it_updates_people_by_staff_number_on_reimport(world):
    person = world.people_s1[0]
    content = csv_bytes(f"{person.staff_number},New Name,sworn,S2,,yes,,,\n")
    result = parse(world, content)
    assert result.rows[0].action == "update"
    assert set(result.rows[0].changes) >= {"name", "home_unit"}
    importers.import_people(result, operation=world.op, by=SYSTEM)
    person.refresh_from_db()
    assert (person.name, person.home_unit) == ("New Name", world.s2)
    again = parse(world, content)
    assert again.rows[0].action == "unchanged"


def test_the_page_previews_then_imports_on_confirmation(world):
    client = world.client("alice")
    upload = io.BytesIO(csv_bytes("N100,孙磊,民警,S1,,,,,\n"))
    upload.name = "people.csv"
    response = client.post(reverse("operations:people_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["result"].ok
    assert not Person.objects.filter(staff_number="N100").exists()  # a dry run
    token = response.context["token"]
    response = client.post(reverse("operations:people_import"), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Person.objects.get(staff_number="N100").name == "孙磊"


def test_the_page_shows_errors_and_offers_no_import(world):
    client = world.client("alice")
    upload = io.BytesIO(csv_bytes("N100,A,sworn,S9,,,,,\n"))
    upload.name = "people.csv"
    response = client.post(reverse("operations:people_import"), {"file": upload})
    assert b'data-testid="import-errors"' in response.content
    assert b'name="confirm"' not in response.content


def test_a_station_chief_may_not_import(world):
    response = world.client("bob").get(reverse("operations:people_import"))
    assert response.status_code == 403


def test_the_command_line_dry_run_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes("N200,A,sworn,S1,,,,,\n"))
    call_command("import_people", str(path), dry_run=True, operation=world.op.pk)
    assert "Dry run" in capsys.readouterr().out
    assert not Person.objects.filter(staff_number="N200").exists()
    call_command("import_people", str(path), operation=world.op.pk)
    assert Person.objects.filter(staff_number="N200").exists()


def test_the_command_line_names_bad_rows_and_fails(world, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes("N200,A,sworn,S1,,,,,\nN201,B,cop,S1,,,,,\n"))
    with pytest.raises(CommandError):
        call_command("import_people", str(path), operation=world.op.pk)
    assert "row 3, category" in capsys.readouterr().err
    assert not Person.objects.filter(staff_number="N200").exists()


def test_export_round_trips_through_import(world, tmp_path):
    path = tmp_path / "people.xlsx"
    call_command("export_people", str(path), operation=world.op.pk)
    result = parse(world, path.read_bytes(), "people.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert result.counts()["unchanged"] == Person.objects.filter(operation=world.op).count()
