from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/status/", views.person_status, name="person_status"),
    path("people/<int:pk>/unavailable/", views.person_unavailability, name="person_unavailability"),
    path(
        "unavailability/<int:pk>/remove/", views.unavailability_remove, name="unavailability_remove"
    ),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
]
