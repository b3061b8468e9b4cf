from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cordon.operations"
    label = "operations"
    verbose_name = _("Operation and people")

    def ready(self) -> None:
        from . import stamps

        stamps.connect()
