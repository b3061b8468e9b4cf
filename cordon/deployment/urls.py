from django.urls import path

from . import views, views_reports

app_name = "deployment"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/discard/", views.plan_discard, name="plan_discard"),
    path("plans/<int:pk>/<str:what>.json", views.plan_download, name="plan_download"),
    path("plans/<int:pk>/compare/<int:other>/", views.plan_compare, name="plan_compare"),
    path(
        "plans/<int:pk>/assignments/<int:assignment>/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path("plans/<int:pk>/assignments/new/", views.assignment_add, name="assignment_add"),
    path("roster/", views.roster_day, name="roster_day"),
    path("roster/post/<int:post>/", views.roster_post, name="roster_post"),
    path("roster/person/<int:person>/", views.roster_person, name="roster_person"),
    path("mine/", views.my_duties, name="mine"),
    path("mine/calendar-link/", views.my_feed, name="my_feed"),
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
    path("sickout/<int:person>/", views.sickout, name="sickout"),
    path("leaders/", views_reports.leaders, name="leaders"),
    path("ics204/", views_reports.ics204, name="ics204"),
    path("person-times/", views_reports.person_times, name="person_times"),
    path("person-times.xlsx", views_reports.person_times_xlsx, name="person_times_xlsx"),
    path("roster.xlsx", views_reports.roster_xlsx, name="roster_xlsx"),
    path("map/", views_reports.deployment_map, name="map"),
    path("map/data.json", views_reports.deployment_map_data, name="map_data"),
]
