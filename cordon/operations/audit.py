"""Readable audit trail (who, when, what, before and after) from django-simple-history."""

from django.utils.translation import gettext as _


def _show(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # m2m: list of through-row dicts
        names = []
        for row in value:
            for key, val in row.items():
                if key not in ("person", "id", "history", "m2m_history_id"):
                    names.append(str(val))
        return ", ".join(names) or "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def history_rows(obj, limit: int = 50) -> list[dict]:
    """Newest first: each change with its author, time, reason and field-by-field diff."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = obj.__class__
    rows = []
    for i, record in enumerate(records[:limit]):
        changes = []
        older = records[i + 1] if i + 1 < len(records) else None
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _show(field, change.old),
                        "new": _show(field, change.new),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user or _("command line or system"),
                "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[
                    record.history_type
                ],
                # Reasons the system writes are English message ids; show them translated.
                "reason": _(record.history_change_reason) if record.history_change_reason else "",
                "changes": changes,
            }
        )
    return rows
