from django.urls import path

from . import views

app_name = "sites"
urlpatterns = [
    path("zones/", views.zones, name="zones"),
    path("zones/new/", views.zone_edit, name="zone_create"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_edit, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_edit, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_pk>/demand/new/", views.demand_edit, name="demand_create"),
    path("posts/<int:post_pk>/demand/<int:pk>/", views.demand_edit, name="demand_edit"),
    path("posts/<int:post_pk>/demand/<int:pk>/delete/", views.demand_delete, name="demand_delete"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
]
