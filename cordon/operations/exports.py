"""Exports of the operations app (.xlsx): the same columns the importer reads back."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import Operation

PEOPLE_HEADERS = (
    ("staff_number", "工号"),
    ("name", "姓名"),
    ("category", "类别"),
    ("home_unit", "单位"),
    ("rank", "职级"),
    ("post_leader", "可带班"),
    ("duty_leader", "带班领导"),
    ("skills", "技能"),
    ("teams", "任务队"),
    ("work_phone", "工作电话"),
    ("status", "状态"),
    ("status_since", "状态日期"),
)


def people_xlsx(*, operation: Operation, people) -> io.BytesIO:
    """A workbook of `people`, with a header the importer recognises (a round trip)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("People")[:31]
    ws.append([key for key, _zh in PEOPLE_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    tz = operation.tz
    qs = (
        people.select_related("home_unit")
        .prefetch_related("skills", "teams")
        .order_by("staff_number")
    )
    for p in qs:
        ws.append(
            [
                p.staff_number,
                p.name,
                p.category,
                p.home_unit.code,
                p.rank,
                "yes" if p.is_post_leader else "no",
                "yes" if p.is_duty_leader else "no",
                ", ".join(s.code for s in p.skills.all()),
                ", ".join(t.code for t in p.teams.all()),
                p.work_phone,
                p.status,
                p.status_since.astimezone(tz).date(),
            ]
        )
    for i, (key, _zh) in enumerate(PEOPLE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(key) + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out
