from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cordon.api.urls import api

admin.site.site_header = "Cordon"
admin.site.site_title = "Cordon"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="operations:overview", permanent=False)),
    path("accounts/", include("cordon.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operation/", include("cordon.operations.urls")),
    path("places/", include("cordon.sites.urls")),
    path("deployment/", include("cordon.deployment.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
