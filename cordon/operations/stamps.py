"""The operation's data stamp: a new random value on every change to what rosters and maps show.

Pages that many people read at once (the duty sheet, the deployment map's data) are cached under
a key holding the stamp (deployment/caching.py), so a cached copy is never served after a change:
any save or delete of a person, unit, skill, zone, site, post, demand or shift type, and every
publication, gives the operation a new stamp. Writes that bypass model signals (bulk updates)
call `bump()` themselves. A random value, not a counter: a rolled-back transaction cannot bring
back a stamp that an older cached copy carries.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

APPS = ("operations", "sites")


def bump(operation_id: int | None = None) -> None:
    """Give the operation (or every operation, when it is not known) a new stamp."""
    from .models import Operation, new_stamp

    operations = Operation.objects.all()
    if operation_id is not None:
        operations = operations.filter(pk=operation_id)
    operations.update(data_stamp=new_stamp())


def _changed(sender, instance=None, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    from .models import Operation

    if isinstance(instance, Operation):
        if set(kwargs.get("update_fields") or ()) == {"data_stamp"}:
            return
        bump(instance.pk)
        return
    bump(getattr(instance, "operation_id", None))


def connect() -> None:
    """Connect `bump` to the models of the operation and its places (not their history)."""
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            uid = f"cordon-stamp-{model._meta.label}"
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
                )
