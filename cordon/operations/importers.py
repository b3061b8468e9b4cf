"""Import people from .xlsx or .csv: check every row, preview, then write all or nothing.

Columns are recognised by their header, in English or Chinese (see COLUMNS); order is free and
unknown columns are ignored. CSV files may be UTF-8 (with or without BOM) or GB18030, which
Chinese Excel writes. A re-import updates people by staff number: only the columns present in the
file change. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import PersonCategoryChoices, PersonStatusChoices, UnitKindChoices
from .models import Operation, Person, Skill, Unit, code_validator, phone_validator

# canonical name -> accepted headers (compared case-insensitively, spaces removed)
COLUMNS = {
    "staff_number": ("staff_number", "staffnumber", "staff no", "工号", "警号"),
    "name": ("name", "姓名"),
    "category": ("category", "类别", "人员类别"),
    "home_unit": ("home_unit", "unit", "单位", "所属单位"),
    "rank": ("rank", "title", "职级", "职务"),
    "post_leader": ("post_leader", "leader", "可带班", "岗位负责人"),
    "duty_leader": ("duty_leader", "带班领导"),
    "skills": ("skills", "技能"),
    "teams": ("teams", "任务队", "突击队"),
    "work_phone": ("work_phone", "phone", "工作电话", "电话"),
    "status": ("status", "状态"),
    "status_since": ("status_since", "状态日期"),
    "unavailable_from": ("unavailable_from", "不可用开始"),
    "unavailable_to": ("unavailable_to", "不可用结束"),
}
REQUIRED = ("staff_number", "name", "category", "home_unit")
FIELD_LABELS = {
    "staff_number": gettext_lazy("staff number"),
    "name": gettext_lazy("name"),
    "category": gettext_lazy("category"),
    "home_unit": gettext_lazy("home unit"),
    "rank": gettext_lazy("rank"),
    "post_leader": gettext_lazy("may lead a shift"),
    "duty_leader": gettext_lazy("may be duty leader"),
    "skills": gettext_lazy("skills"),
    "teams": gettext_lazy("task teams"),
    "work_phone": gettext_lazy("work phone"),
    "status": gettext_lazy("status"),
    "status_since": gettext_lazy("status since"),
    "unavailable_from": gettext_lazy("unavailable from"),
    "unavailable_to": gettext_lazy("unavailable to"),
    "file": gettext_lazy("file"),
    "unavailable": gettext_lazy("unavailable days"),
    "is_post_leader": gettext_lazy("may lead a shift"),
    "is_duty_leader": gettext_lazy("may be duty leader"),
}
ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("update"),
    "unchanged": gettext_lazy("unchanged"),
}
CATEGORY_WORDS = {
    "sworn": PersonCategoryChoices.SWORN,
    "民警": PersonCategoryChoices.SWORN,
    "sworn officer": PersonCategoryChoices.SWORN,
    "auxiliary": PersonCategoryChoices.AUXILIARY,
    "辅警": PersonCategoryChoices.AUXILIARY,
    "auxiliary officer": PersonCategoryChoices.AUXILIARY,
}
TRUE_WORDS = {"1", "yes", "y", "true", "是", "√", "x"}
FALSE_WORDS = {"", "0", "no", "n", "false", "否"}
LIST_SPLIT = re.compile(r"[,;，；、|/]+")
MAX_ROWS = 20000


@dataclass
class RowError:
    row: int
    field: str
    message: str

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    def __str__(self) -> str:
        label = self.field_label
        return _("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": label,
            "message": self.message,
        }


@dataclass
class ParsedRow:
    row: int
    values: dict
    action: str = "create"  # create, update, unchanged
    changes: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def change_labels(self) -> str:
        return ", ".join(str(FIELD_LABELS.get(c, c)) for c in self.changes)


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "unchanged": 0}
        for r in self.rows:
            out[r.action] += 1
        return out


class ImportFileError(Exception):
    """The file cannot be read at all (wrong format, encoding, no header)."""


def read_table(content: bytes, filename: str) -> list[list]:
    """Rows of cells from an .xlsx or .csv file's bytes."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    raise ImportFileError(_("Unsupported file type: use .xlsx or .csv."))


def _read_xlsx(content: bytes) -> list[list]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from exc
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def decode_csv(content: bytes) -> str:
    """Text of a CSV file in UTF-8 (BOM or not), UTF-16 (with BOM) or GB18030."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFileError(
        _("The file's text encoding cannot be read: save it as UTF-8 or GB18030 CSV, or as .xlsx.")
    )


def _read_csv(content: bytes) -> list[list]:
    text = decode_csv(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _header_map(header: list) -> tuple[dict[str, int], list[str]]:
    lookup = {}
    for canonical, names in COLUMNS.items():
        for n in names:
            lookup[n.replace(" ", "").lower()] = canonical
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = str(cell or "").strip().replace(" ", "").lower()
        if key in lookup and lookup[key] not in index:
            index[lookup[key]] = i
    return index, [c for c in COLUMNS if c in index]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("%(value)s is not a date (use YYYY-MM-DD).") % {"value": text})


class _Context:
    """Look-ups of one operation, loaded once for the whole file."""

    def __init__(self, operation: Operation):
        units = list(Unit.objects.filter(operation=operation))
        self.homes = {}
        self.teams = {}
        for u in units:
            target = self.teams if u.kind in UnitKindChoices.task_teams() else self.homes
            target[u.code.lower()] = u
            target[u.name.lower()] = u
        self.skills = {}
        for s in Skill.objects.filter(operation=operation):
            self.skills[s.code.lower()] = s
            self.skills[s.name.lower()] = s
        self.people = {
            p.staff_number: p
            for p in Person.objects.filter(operation=operation).prefetch_related("skills", "teams")
        }


def parse_people(content: bytes, filename: str, *, operation: Operation) -> ImportResult:
    """Check every row of the file; nothing is written. Errors name the row and the field."""
    result = ImportResult()
    try:
        table = read_table(content, filename)
    except ImportFileError as exc:
        result.errors.append(RowError(0, "file", str(exc)))
        return result
    # The header is the first row with any cell filled.
    start = next((i for i, r in enumerate(table) if any(_text(c) for c in r)), None)
    if start is None:
        result.errors.append(RowError(0, "file", _("The file is empty.")))
        return result
    index, result.columns = _header_map(table[start])
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        result.errors.append(
            RowError(
                start + 1,
                "file",
                _("Missing column(s): %(cols)s.")
                % {"cols": ", ".join(str(FIELD_LABELS[c]) for c in missing)},
            )
        )
        return result
    if len(table) - start - 1 > MAX_ROWS:
        result.errors.append(RowError(0, "file", _("More than %(n)s rows.") % {"n": MAX_ROWS}))
        return result
    ctx = _Context(operation)
    seen: dict[str, int] = {}
    for i, cells in enumerate(table[start + 1 :], start=start + 2):
        raw = {c: (cells[j] if j < len(cells) else None) for c, j in index.items()}
        if not any(_text(v) for v in raw.values()):
            continue
        values = _parse_row(i, raw, ctx, result.errors)
        number = values.get("staff_number")
        if number:
            if number in seen:
                result.errors.append(
                    RowError(
                        i,
                        "staff_number",
                        _("%(number)s appears again (first on row %(first)s).")
                        % {"number": number, "first": seen[number]},
                    )
                )
                continue
            seen[number] = i
        row = ParsedRow(i, values)
        _compare(row, ctx)
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(start + 2, "file", _("No data rows below the header.")))
    return result


def _parse_row(i: int, raw: dict, ctx: _Context, errors: list[RowError]) -> dict:
    values: dict = {}

    def err(field_name, message):
        errors.append(RowError(i, field_name, message))

    number = _text(raw["staff_number"])
    if not number:
        err("staff_number", _("is required."))
    elif not code_validator.regex.match(number):
        err(
            "staff_number",
            _("%(v)s: use letters, digits, dots, dashes or underscores.") % {"v": number},
        )
    else:
        values["staff_number"] = number
    name = _text(raw["name"])
    if not name or len(name) > 100:
        err("name", _("is required (at most 100 characters)."))
    else:
        values["name"] = name
    category = CATEGORY_WORDS.get(_text(raw["category"]).lower())
    if category is None:
        err(
            "category",
            _("%(v)s is not a category: use sworn/民警 or auxiliary/辅警.")
            % {"v": _text(raw["category"])},
        )
    else:
        values["category"] = category
    unit = ctx.homes.get(_text(raw["home_unit"]).lower())
    if unit is None:
        err(
            "home_unit",
            _("%(v)s is not a unit of this operation.") % {"v": _text(raw["home_unit"])},
        )
    else:
        values["home_unit"] = unit
    if "rank" in raw:
        values["rank"] = _text(raw["rank"])[:60]
    for flag in ("post_leader", "duty_leader"):
        if flag in raw:
            word = _text(raw[flag]).lower()
            if word in TRUE_WORDS:
                values["is_" + flag] = True
            elif word in FALSE_WORDS:
                values["is_" + flag] = False
            else:
                err(flag, _("%(v)s: use yes/是 or no/否.") % {"v": _text(raw[flag])})
    for column, lookup in (("skills", ctx.skills), ("teams", ctx.teams)):
        if column in raw:
            found, unknown = [], []
            for word in LIST_SPLIT.split(_text(raw[column])):
                if word.strip():
                    item = lookup.get(word.strip().lower())
                    (found.append(item) if item else unknown.append(word.strip()))
            if unknown:
                err(column, _("unknown: %(v)s.") % {"v": ", ".join(unknown)})
            values[column] = found
    if "work_phone" in raw:
        phone = _text(raw["work_phone"])
        if phone and not phone_validator.regex.match(phone):
            err("work_phone", _("%(v)s is not a phone number.") % {"v": phone})
        values["work_phone"] = phone
    if "status" in raw and _text(raw["status"]):
        word = _text(raw["status"]).lower()
        status = next(
            (s for s in PersonStatusChoices if word in (s.value, str(s.label).lower())), None
        )
        if status is None:
            err("status", _("%(v)s is not a status.") % {"v": _text(raw["status"])})
        else:
            values["status"] = status.value
    bad_dates = set()
    for column in ("status_since", "unavailable_from", "unavailable_to"):
        if column in raw and _text(raw[column]):
            try:
                values[column] = _date(raw[column])
            except ValueError as exc:
                err(column, str(exc))
                bad_dates.add(column)
    first, last = values.get("unavailable_from"), values.get("unavailable_to")
    if bad_dates & {"unavailable_from", "unavailable_to"}:
        pass  # already reported; a second message about the pair would only repeat it
    elif bool(first) != bool(last):
        err(
            "unavailable_to" if first else "unavailable_from",
            _("Give both the first and the last unavailable day."),
        )
    elif first and last < first:
        err("unavailable_to", _("The last day cannot be before the first day."))
    return values


SIMPLE = (
    "name",
    "category",
    "home_unit",
    "rank",
    "is_post_leader",
    "is_duty_leader",
    "work_phone",
    "status",
)


def _compare(row: ParsedRow, ctx: _Context) -> None:
    person = ctx.people.get(row.values.get("staff_number"))
    if person is None:
        return
    row.action = "update"
    for name in SIMPLE:
        if name in row.values and getattr(person, name) != row.values[name]:
            row.changes.append(name)
    for name in ("skills", "teams"):
        if name in row.values:
            old = {x.pk for x in getattr(person, name).all()}
            if old != {x.pk for x in row.values[name]}:
                row.changes.append(name)
    if row.values.get("unavailable_from"):
        row.changes.append("unavailable")
    if not row.changes:
        row.action = "unchanged"


@transaction.atomic
def import_people(result: ImportResult, *, operation: Operation, by) -> dict[str, int]:
    """Write a checked file: all rows or none. Raises ValueError if the result has errors."""
    from . import services  # services import permissions, which import nothing from here

    if not result.ok:
        raise ValueError("refusing to import a file with errors")
    existing = {p.staff_number: p for p in Person.objects.filter(operation=operation)}
    for row in result.rows:
        if row.action == "unchanged":
            continue
        v = dict(row.values)
        skills = v.pop("skills", None)
        teams = v.pop("teams", None)
        status = v.pop("status", None)
        since = v.pop("status_since", None)
        first = v.pop("unavailable_from", None)
        last = v.pop("unavailable_to", None)
        person = existing.get(v["staff_number"])
        if person is None:
            person = services.person_create(
                operation=operation, by=by, skills=skills or (), teams=teams or (), **v
            )
        else:
            person = services.person_update(person=person, by=by, skills=skills, teams=teams, **v)
        if status and status != person.status:
            moment = None
            if since:
                moment = operation.local(since, datetime.min.time())
            services.person_set_status(
                person=person, status=status, by=by, effective_from=moment, note=_("imported")
            )
        if first:
            services.unavailability_add(
                person=person, by=by, first_day=first, last_day=last, reason="other"
            )
    return result.counts()
