from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "cordon.deployment"
    label = "deployment"
    verbose_name = _("Deployment")
