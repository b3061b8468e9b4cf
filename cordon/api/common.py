"""Helpers shared by the apps' API routers."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from cordon.operations.models import Operation
from cordon.operations.selectors import current_operation


def operation_for(request, operation_id: int | None) -> Operation:
    """The operation named by `?operation=ID`, else the current one."""
    if operation_id is not None:
        op = Operation.objects.filter(pk=operation_id).first()
    else:
        op = current_operation(None)
    if op is None:
        raise Http404(_("No such operation."))
    return op


def by_code(model, operation: Operation, field: str, code: str | None, **extra):
    """The object of `model` with `code` in `operation`, or a 422 naming `field`."""
    if code is None or code == "":
        return None
    obj = model.objects.filter(operation=operation, code=code, **extra).first()
    if obj is None:
        raise ValidationError(
            {field: _("%(code)s: no such code in this operation.") % {"code": code}}
        )
    return obj


def by_codes(model, operation: Operation, field: str, codes: list[str], **extra) -> list:
    found = {o.code: o for o in model.objects.filter(operation=operation, code__in=codes, **extra)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({field: _("unknown: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return [found[c] for c in codes]
