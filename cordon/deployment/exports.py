"""Workbooks (.xlsx) of the deployment app: the roster (by post, by person, every duty) and the
person-time accounting (人次: by reporting day, place kind, unit and person).

Column headers are in the user's language; codes (staff numbers, post and shift codes) stay as
they are so the sheets can be joined with other exports.
"""

import io
from collections import defaultdict
from datetime import date, timedelta

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cordon.operations.choices import PersonCategoryChoices
from cordon.operations.models import Operation
from cordon.sites.choices import SiteKindChoices, ZoneKindChoices

from . import report_selectors, selectors
from .models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEADER_MARK = "★"
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet(wb: Workbook, title: str, headers: list, rows, widths: dict | None = None):
    """A sheet with a bold, frozen header row; `widths` maps column numbers (from 1) to widths.
    The workbook is write-only (a 10,000-duty roster is written in about a second)."""
    ws = wb.create_sheet(title=str(title).translate(_TITLE_FORBIDDEN)[:31])
    for i, h in enumerate(headers, start=1):
        width = (widths or {}).get(i, max(10, len(str(h)) + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(row)
    return ws


def _save(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _new_workbook() -> Workbook:
    return Workbook(write_only=True)


def person_times_xlsx(*, operation: Operation, report: dict, people) -> io.BytesIO:
    """The person-time accounting of `report` (report_selectors.person_times_report) and of `people`
    (report_selectors.person_times_by_person): one sheet per breakdown, today and cumulative."""
    wb = _new_workbook()
    today, cumulative = _("Today"), _("Cumulative")
    _sheet(
        wb,
        _("By day"),
        [_("Reporting day"), today, cumulative, _("Planned")],
        (
            [r["day"], r["today"], r["total"], _("planned") if r["planned"] else ""]
            for r in report["days"]
        ),
        {1: 14},
    )
    kinds = [[r["kind"], str(r["label"]), r["today"], r["total"]] for r in report["kinds"]]
    kinds.append(["", _("Total"), report["today_total"], report["total"]])
    _sheet(wb, _("By place kind"), [_("Code"), _("Place kind"), today, cumulative], kinds, {2: 24})
    units = [
        [r["unit"].code if r["unit"] else "", r["name"], r["today"], r["total"]]
        for r in report["units"]
    ]
    units.append(["", _("Total"), report["today_total"], report["total"]])
    _sheet(wb, _("By unit"), [_("Code"), _("Unit"), today, cumulative], units, {2: 28})
    categories = dict(PersonCategoryChoices.choices)
    _sheet(
        wb,
        _("By person"),
        [_("Staff number"), _("Officer"), _("Unit"), _("Category"), today, cumulative],
        (
            [
                p.staff_number,
                p.name,
                p.home_unit.name,
                str(categories.get(p.category, p.category)),
                p.pt_today,
                p.pt_total,
            ]
            for p in people.iterator(chunk_size=2000)
        ),
        {2: 16, 3: 24},
    )
    ws = wb.create_sheet(_("About")[:31])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 48
    ws.append([_("Operation"), operation.name])
    ws.append([_("Up to and including reporting day"), report["today"]])
    ws.append([_("Reporting day"), _("08:00 to 08:00 the next day")])
    ws.append([_("Counted"), _("one person-time per duty of the published roster")])
    return _save(wb)


ROSTER_FIELDS = (
    "date",
    "leads",
    "plan_id",
    "shift_type_id",
    "post_id",
    "person_id",
    "person__staff_number",
    "person__name",
    "person__category",
    "person__home_unit__name",
    "post__code",
    "post__name",
    "post__site__kind",
    "post__site__zone__code",
    "post__site__zone__kind",
    "shift_type__code",
    "shift_type__name",
    "shift_type__start",
    "shift_type__minutes",
)


def roster_xlsx(*, operation: Operation, entries, first: date, last: date) -> io.BytesIO:
    """The roster of `entries` (Duty or Assignment) over reporting days [first, last] (08:00 to
    08:00, as the duty sheet: a night shift after midnight is in the day before): by post (rows
    post x day, a column per shift, the leader marked ★), by person (a column per day) and every
    duty as a flat table."""
    shifts = selectors.shift_types(operation)
    order = {s.pk: i for i, s in enumerate(shifts)}
    rows = list(
        entries.filter(report_selectors.reporting_days_q(first, last)).values(*ROSTER_FIELDS)
    )
    for r in rows:
        r["day"] = selectors.reporting_day_of(r["date"], r["shift_type__start"])
    rows.sort(
        key=lambda r: (
            r["day"],
            order.get(r["shift_type_id"], 0),
            r["post__code"],
            not r["leads"],
            r["person__staff_number"],
        )
    )
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    used = {r["shift_type_id"] for r in rows}
    wb = _new_workbook()
    _roster_by_post(wb, rows, days, [s for s in shifts if s.pk in used])
    _roster_by_person(wb, rows, days)
    _roster_flat(wb, rows)
    return _save(wb)


def _name(r: dict) -> str:
    return (LEADER_MARK if r["leads"] else "") + r["person__name"]


def _roster_by_post(wb: Workbook, rows: list[dict], days: list[date], shifts: list) -> None:
    cells: dict[tuple, list] = defaultdict(list)
    posts: dict[int, dict] = {}
    for r in rows:
        cells[(r["post_id"], r["day"], r["shift_type_id"])].append(_name(r))
        posts.setdefault(r["post_id"], r)
    lines = []
    for post in sorted(posts.values(), key=lambda r: r["post__code"]):
        for day in days:
            names = [", ".join(cells.get((post["post_id"], day, s.pk), [])) for s in shifts]
            if any(names):
                lines.append(
                    [
                        post["post__code"],
                        post["post__name"],
                        post["post__site__zone__code"] or "",
                        day,
                        *names,
                    ]
                )
    headers = [_("Post"), _("Name"), _("Zone"), _("Reporting day")]
    headers += [f"{s.name} {s.start:%H:%M}" for s in shifts]
    widths = {2: 24, 4: 14} | {5 + i: 30 for i in range(len(shifts))}
    _sheet(wb, _("By post"), headers, lines, widths)


def _roster_by_person(wb: Workbook, rows: list[dict], days: list[date]) -> None:
    cells: dict[tuple, list] = defaultdict(list)
    people: dict[int, dict] = {}
    count: dict[int, int] = defaultdict(int)
    for r in rows:
        mark = LEADER_MARK if r["leads"] else ""
        cells[(r["person_id"], r["day"])].append(f"{r['post__code']} {r['shift_type__code']}{mark}")
        people.setdefault(r["person_id"], r)
        count[r["person_id"]] += 1
    lines = [
        [
            p["person__staff_number"],
            p["person__name"],
            p["person__home_unit__name"],
            *["; ".join(cells.get((pid, day), [])) for day in days],
            count[pid],
        ]
        for pid, p in sorted(people.items(), key=lambda kv: kv[1]["person__staff_number"])
    ]
    headers = [_("Staff number"), _("Officer"), _("Unit"), *[d.isoformat() for d in days]]
    headers.append(_("Duties"))
    widths = {2: 16, 3: 24} | {4 + i: 16 for i in range(len(days))}
    _sheet(wb, _("By person"), headers, lines, widths)


def _roster_flat(wb: Workbook, rows: list[dict]) -> None:
    plans = dict(
        Plan.objects.filter(pk__in={r["plan_id"] for r in rows}).values_list("pk", "number")
    )
    kinds = {k.value: str(k.label) for k in (*ZoneKindChoices, *SiteKindChoices)}
    categories = {k.value: str(k.label) for k in PersonCategoryChoices}
    lines = []
    for r in rows:
        start = r["shift_type__start"]
        kind = r["post__site__zone__kind"] or r["post__site__kind"]
        lines.append(
            [
                r["date"],
                r["day"],
                r["shift_type__code"],
                r["shift_type__name"],
                start.strftime("%H:%M"),
                round(r["shift_type__minutes"] / 60, 2),
                r["post__code"],
                r["post__name"],
                r["post__site__zone__code"] or "",
                kinds.get(kind, kind),
                r["person__staff_number"],
                r["person__name"],
                r["person__home_unit__name"],
                categories.get(r["person__category"], r["person__category"]),
                LEADER_MARK if r["leads"] else "",
                plans.get(r["plan_id"]),
            ]
        )
    headers = [
        _("Date"),
        _("Reporting day"),
        _("Shift"),
        _("Shift name"),
        _("Starts"),
        _("Hours"),
        _("Post"),
        _("Name"),
        _("Zone"),
        _("Place kind"),
        _("Staff number"),
        _("Officer"),
        _("Unit"),
        _("Category"),
        _("Leads"),
        _("Plan version"),
    ]
    _sheet(wb, _("Duties"), headers, lines, {1: 12, 2: 14, 8: 24, 10: 16, 12: 16, 13: 24})
